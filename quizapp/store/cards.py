"""The cards table: ids for the library's cards, and the cached scheduling state of each."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from quizapp.store.base import StoreBase
from quizapp.store.records import CARD_COLUMNS, CardState, item_of_key

_SELECT = f"SELECT {', '.join(CARD_COLUMNS)} FROM cards"
_CACHE_FROM = CARD_COLUMNS.index("state")  # state … last_answer: the cache of the log
_WRITE = f"UPDATE cards SET {', '.join(f'{c} = ?' for c in CARD_COLUMNS[_CACHE_FROM:])} WHERE id = ?"
_TO_ANSWER = (
    f"SELECT {', '.join(CARD_COLUMNS)}, (SELECT MAX(r.id) FROM reviews r WHERE r.card = c.id) "
    "FROM cards c WHERE c.key = ?"
)
_WRITTEN = attrgetter(*CARD_COLUMNS[_CACHE_FROM:], "id")  # _WRITE's values (bools bind as 0/1)


@dataclass(frozen=True)
class CardInfo:
    """What the store needs to know about a card of the loaded library."""

    key: str
    item_id: str
    topic: str
    kind: str
    family: str = ""


def _info(card: CardInfo | tuple[str, ...]) -> tuple[str, str, str, str, str]:
    if isinstance(card, CardInfo):
        return card.key, card.item_id, card.topic, card.kind, card.family
    key, item_id, topic, kind, *family = card
    return key, item_id, topic, kind, family[0] if family else ""


class CardsMixin(StoreBase):
    _topic_list: list[str] | None
    _synced: str | None

    def sync_cards(self, cards: Iterable[CardInfo | tuple[str, ...]]) -> None:
        """Give every library card an id and its library position; mark the others retired.

        Retired cards keep their rows and history and simply leave the queues. A fingerprint of
        the library in `meta` makes this a no-op when the content has not changed.
        """
        if self.read_only:  # the cards of a new deck get their rows when the file can be written
            return
        rows = [_info(c) for c in cards]
        text = "\n".join("\t".join(r) for r in rows)
        fingerprint = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
        if fingerprint == self._synced:
            return
        if self._one("SELECT value FROM meta WHERE key = 'library_fingerprint'") == fingerprint:
            self._synced = fingerprint
            return
        existing = {
            key: (cid, rest)
            for cid, key, *rest in self.conn.execute("SELECT id, key, topic, kind, family, ord, retired FROM cards")
        }
        inserts, updates = [], []
        for pos, (key, item_id, topic, kind, family) in enumerate(rows):
            old = existing.pop(key, None)
            if old is None:
                inserts.append((key, item_id, topic, kind, family, pos))
            elif old[1] != [topic, kind, family, pos, 0]:
                updates.append((topic, kind, family, pos, old[0]))
        retire = [(cid,) for cid, rest in existing.values() if not rest[-1]]
        with self.transaction():
            self.conn.executemany(
                "INSERT OR IGNORE INTO cards (key, item_id, topic, kind, family, ord) VALUES (?, ?, ?, ?, ?, ?)",
                inserts,
            )
            self.conn.executemany(
                "UPDATE cards SET topic = ?, kind = ?, family = ?, ord = ?, retired = 0 WHERE id = ?", updates
            )
            self.conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", retire)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('library_fingerprint', ?)", (fingerprint,)
            )
        self._synced = fingerprint
        self._topic_list = None

    def sync_library(self, library: object) -> None:
        """sync_cards from a quizapp.deck.Library (once per start, and after a reload)."""
        self.sync_cards(
            (card.key, card.item.id, card.topic.id, card.kind, card.item.family or "")
            for card in library.cards  # type: ignore[attr-defined]
        )

    def ensure_card(self, key: str, topic: str = "", kind: str = "", family: str = "") -> int:
        """The id of `key`, creating a retired row if the card is unknown (imports). Call in a transaction."""
        found = self._one("SELECT id FROM cards WHERE key = ?", (key,))
        if found is not None:
            return int(found)
        cur = self.conn.execute(
            "INSERT INTO cards (key, item_id, topic, kind, family, ord, retired) VALUES (?, ?, ?, ?, ?, ?, 1)",
            (key, item_of_key(key), topic, kind, family, 1 << 40),
        )
        self.conn.execute("DELETE FROM meta WHERE key = 'library_fingerprint'")  # next sync is a full one
        self._synced = None
        self._topic_list = None
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def card(self, key: str) -> CardState | None:
        row = self.conn.execute(f"{_SELECT} WHERE key = ?", (key,)).fetchone()
        return CardState.from_row(row) if row else None

    def card_to_answer(self, key: str) -> tuple[CardState, int | None] | None:
        """The card and when it was last answered (ms, practice included; None if never), in one
        query: what recording an answer reads under the write lock."""
        row = self.conn.execute(_TO_ANSWER, (key,)).fetchone()
        return None if row is None else (CardState.from_row(row[:-1]), row[-1])

    def card_by_id(self, card_id: int) -> CardState | None:
        row = self.conn.execute(f"{_SELECT} WHERE id = ?", (card_id,)).fetchone()
        return CardState.from_row(row) if row else None

    def cards_of_topic(self, topic: str) -> dict[str, CardState]:
        """Every card of a topic (retired ones included), by key, in one query."""
        rows = self.conn.execute(
            f"{_SELECT} INDEXED BY cards_due WHERE state IN (0, 1, 2, 3) AND topic = ?", (topic,)
        )
        return {state.key: state for state in map(CardState.from_row, rows)}

    def all_cards(self) -> list[CardState]:
        return [CardState.from_row(r) for r in self.conn.execute(f"{_SELECT} ORDER BY id")]

    def write_card(self, state: CardState) -> None:
        """Replace the cached scheduling state of the card (who it is belongs to sync_cards).
        Call inside a transaction."""
        self.conn.execute(_WRITE, _WRITTEN(state))  # once per answer: one C call, no tuple rebuilt
