"""What every part of the Store shares: the connection, transactions and the one cursor helper."""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.store.records import CardState


class StoreBase:
    conn: sqlite3.Connection
    read_only: bool

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    # Card access (store.cards) that the other parts use.
    def card(self, key: str) -> CardState | None:
        raise NotImplementedError

    def card_by_id(self, card_id: int) -> CardState | None:
        raise NotImplementedError

    def all_cards(self) -> list[CardState]:
        raise NotImplementedError

    def write_card(self, state: CardState) -> None:
        raise NotImplementedError

    # Words (store.daily) that the other parts use.
    def word(self, text: str) -> int | None:
        raise NotImplementedError

    def text(self, word: int | None) -> str:
        raise NotImplementedError

    def decay(self) -> float:
        raise NotImplementedError

    # The cache from the log (store.log, store.daily).
    def rebuild_card(self, card_id: int) -> CardState:
        raise NotImplementedError

    def rebuild_daily(self) -> None:
        raise NotImplementedError

    def _one(self, sql: str, params: Any = ()) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def _stream(self, sql: str, params: Any = ()) -> Generator[Any, None, None]:
        """Rows one by one; the cursor is closed as soon as the caller stops iterating."""
        cursor = self.conn.execute(sql, params)
        try:
            yield from cursor
        finally:
            cursor.close()
