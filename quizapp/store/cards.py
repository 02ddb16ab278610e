"""The cards table: ids for the library's cards, and the cached scheduling state of each."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.store.base import StoreBase
from quizapp.store.records import CARD_COLUMNS, CardState, item_of_key

_SELECT = f"SELECT {', '.join(CARD_COLUMNS)} FROM cards"


@dataclass(frozen=True)
class CardInfo:
    """What the store needs to know about a card of the loaded library."""

    key: str
    item_id: str
    topic: str
    kind: str


class CardsMixin(StoreBase):
    _synced: str | None
    _synced_library: weakref.ref[object] | None | object

    def sync_cards(self, cards: Iterable[CardInfo | tuple[str, str, str, str]]) -> None:
        """Give every library card an id and its library position; mark the others retired.

        Retired cards keep their rows and history and simply leave the queues. A fingerprint of
        the library in `meta` makes this a no-op when the content has not changed.
        """
        rows = [tuple(c) if isinstance(c, tuple) else (c.key, c.item_id, c.topic, c.kind) for c in cards]
        text = "\n".join("\t".join(r) for r in rows)
        fingerprint = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
        if fingerprint == self._synced:
            return
        if self._one("SELECT value FROM meta WHERE key = 'library_fingerprint'") == fingerprint:
            self._synced = fingerprint
            return
        wanted = {r[0]: (pos, r) for pos, r in enumerate(rows)}
        existing = {
            key: (cid, topic, kind, ord_, retired)
            for cid, key, topic, kind, ord_, retired in self.conn.execute(
                "SELECT id, key, topic, kind, ord, retired FROM cards"
            )
        }
        inserts, updates, retire = [], [], []
        for key, (pos, (_key, item_id, topic, kind)) in wanted.items():
            old = existing.get(key)
            if old is None:
                inserts.append((key, item_id, topic, kind, pos))
            elif old[1:] != (topic, kind, pos, 0):
                updates.append((topic, kind, pos, old[0]))
        for key, (cid, *_rest, retired) in existing.items():
            if key not in wanted and not retired:
                retire.append((cid,))
        with self.transaction():
            self.conn.executemany(
                "INSERT OR IGNORE INTO cards (key, item_id, topic, kind, ord) VALUES (?, ?, ?, ?, ?)", inserts
            )
            self.conn.executemany("UPDATE cards SET topic = ?, kind = ?, ord = ?, retired = 0 WHERE id = ?", updates)
            self.conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", retire)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('library_fingerprint', ?)", (fingerprint,)
            )
        self._synced = fingerprint

    def sync_library(self, library: object) -> None:
        """sync_cards from a quizapp.deck.Library (a no-op for the library synced last)."""
        ref = self._synced_library
        last = ref() if isinstance(ref, weakref.ref) else None
        if last is library and self._synced is not None:
            return
        self.sync_cards(
            (card.key, card.item.id, card.topic.id, card.kind)
            for card in library.cards  # type: ignore[attr-defined]
        )
        try:
            self._synced_library = weakref.ref(library)
        except TypeError:  # not weak-referenceable: fall back to the fingerprint each time
            self._synced_library = None

    def ensure_card(self, key: str, topic: str = "", kind: str = "") -> int:
        """The id of `key`, creating a retired row if the card is unknown (imports). Call in a transaction."""
        found = self._one("SELECT id FROM cards WHERE key = ?", (key,))
        if found is not None:
            return int(found)
        cur = self.conn.execute(
            "INSERT INTO cards (key, item_id, topic, kind, ord, retired) VALUES (?, ?, ?, ?, ?, 1)",
            (key, item_of_key(key), topic, kind, 1 << 40),
        )
        self.conn.execute("DELETE FROM meta WHERE key = 'library_fingerprint'")  # next sync is a full one
        self._synced = None
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def card(self, key: str) -> CardState | None:
        row = self.conn.execute(f"{_SELECT} WHERE key = ?", (key,)).fetchone()
        return CardState.from_row(row) if row else None

    def card_by_id(self, card_id: int) -> CardState | None:
        row = self.conn.execute(f"{_SELECT} WHERE id = ?", (card_id,)).fetchone()
        return CardState.from_row(row) if row else None

    def cards_of_topic(self, topic: str) -> dict[str, CardState]:
        """Every card of a topic (retired ones included), by key, in one query."""
        return {
            state.key: state
            for state in map(CardState.from_row, self.conn.execute(f"{_SELECT} WHERE topic = ?", (topic,)))
        }

    def all_cards(self) -> list[CardState]:
        return [CardState.from_row(r) for r in self.conn.execute(f"{_SELECT} ORDER BY id")]

    def write_card(self, state: CardState) -> None:
        """Replace the cached row. Call inside a transaction."""
        cols = ", ".join(f"{c} = ?" for c in CARD_COLUMNS[1:])
        self.conn.execute(f"UPDATE cards SET {cols} WHERE id = ?", (*state.as_tuple()[1:], state.id))
