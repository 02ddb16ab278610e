"""The review log (the truth) and hand-made events, and the card cache recomputed from them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from quizapp.store.base import StoreBase
from quizapp.store.marks import replay_marks
from quizapp.store.records import NEW, CardState, ReviewRow, to_ms
from quizapp.timing import now as clock_now

_REVIEW_COLS = ("id", *ReviewRow.COLUMNS)
_REVIEW_SELECT = f"SELECT {', '.join(_REVIEW_COLS)} FROM reviews"
_FOLD_COLS = "ts, practice, card_after, lapse, leech, suspend"


def new_uid() -> str:
    return uuid.uuid4().hex


def _review(row: tuple) -> ReviewRow:
    return ReviewRow.from_mapping(dict(zip(_REVIEW_COLS, row)))


class LogMixin(StoreBase):
    # ---- the log -------------------------------------------------------------------------
    def insert_review(self, row: ReviewRow) -> int:
        """Append to the log. Call inside a transaction (together with write_card)."""
        cols = ", ".join(ReviewRow.COLUMNS)
        marks = ", ".join("?" for _ in ReviewRow.COLUMNS)
        cur = self.conn.execute(f"INSERT INTO reviews ({cols}) VALUES ({marks})", row.values())
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def review(self, review_id: int) -> ReviewRow | None:
        row = self.conn.execute(f"{_REVIEW_SELECT} WHERE id = ?", (review_id,)).fetchone()
        return _review(row) if row else None

    def iter_reviews(self) -> Iterator[ReviewRow]:
        """The whole log in time order, one row at a time (exports stream it)."""
        return map(_review, self._stream(f"{_REVIEW_SELECT} ORDER BY ts, id"))

    def reviews(self, card_key: str | None = None) -> list[ReviewRow]:
        """The log (of one card, or all of it) in time order."""
        if card_key is None:
            return list(self.iter_reviews())
        rows = self.conn.execute(f"{_REVIEW_SELECT} WHERE card_key = ? ORDER BY ts, id", (card_key,))
        return [_review(r) for r in rows]

    def review_count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM reviews"))

    def last_answer_time(self, card_id: int) -> int | None:
        """When the card was last answered (ms; practice included), None if never."""
        found = self._one("SELECT MAX(ts) FROM reviews WHERE card_id = ?", (card_id,))
        return None if found is None else int(found)

    def delete_review(self, review_id: int) -> int | None:
        """Remove one log row (undo) and recompute its card from the rest of the log.

        Returns the card id, or None if the row is gone already. Call inside a transaction.
        """
        card_id = self._one("SELECT card_id FROM reviews WHERE id = ?", (review_id,))
        if card_id is None:
            return None
        self.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        self.rebuild_card(card_id)
        return int(card_id)

    def has_review_uid(self, uid: str) -> bool:
        return self._one("SELECT 1 FROM reviews WHERE uid = ?", (uid,)) is not None

    # ---- events: hand-made changes -------------------------------------------------------
    def events(self) -> list[tuple[str, str, int, str]]:
        """(uid, card_key, ts, action) of every hand-made change, in time order."""
        return [
            (uid, key, int(ts), action)
            for uid, key, ts, action in self.conn.execute(
                "SELECT uid, card_key, ts, action FROM events ORDER BY ts, id"
            )
        ]

    def has_event_uid(self, uid: str) -> bool:
        return self._one("SELECT 1 FROM events WHERE uid = ?", (uid,)) is not None

    def insert_event(self, uid: str, card_id: int, card_key: str, ts: int, action: str) -> None:
        """Append a hand-made change to the log. Call inside a transaction."""
        self.conn.execute(
            "INSERT INTO events (uid, card_id, card_key, ts, action) VALUES (?, ?, ?, ?, ?)",
            (uid, card_id, card_key, ts, action),
        )

    def suspend(self, key: str, *, now: datetime | None = None) -> bool:
        return self._set_suspended(key, True, now)

    def unsuspend(self, key: str, *, now: datetime | None = None) -> bool:
        return self._set_suspended(key, False, now)

    def _set_suspended(self, key: str, value: bool, now: datetime | None) -> bool:
        """False when the card is unknown or already in that state."""
        with self.transaction():
            state = self.card(key)
            if state is None or state.suspended == value:
                return False
            ts = to_ms(now or clock_now())
            self.insert_event(new_uid(), state.id, key, ts, "suspend" if value else "unsuspend")
            self.conn.execute("UPDATE cards SET suspended = ? WHERE id = ?", (int(value), state.id))
        return True

    # ---- the cache from the log ----------------------------------------------------------
    def _computed(self, cached: CardState) -> CardState:
        """The card's state as the log says it is (identity columns copied from `cached`)."""
        reviews = self.conn.execute(
            f"SELECT {_FOLD_COLS} FROM reviews WHERE card_id = ? ORDER BY ts, id", (cached.id,)
        ).fetchall()
        events = self.conn.execute(
            "SELECT ts, action FROM events WHERE card_id = ? ORDER BY ts, id", (cached.id,)
        ).fetchall() if self._has_events() else []
        marks = self.conn.execute(
            "SELECT ts, action, value FROM card_marks WHERE card_id = ? ORDER BY ts, id", (cached.id,)
        ).fetchall() if self._has_table("card_marks") else []
        return _fold(cached, reviews, events, marks)

    def _has_events(self) -> bool:
        return self._has_table("events")

    def _has_table(self, name: str) -> bool:
        # During an upgrade the tables of later versions (and of ENSURE) do not exist yet.
        return self._one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None

    def rebuild_card(self, card_id: int) -> CardState:
        cached = self.card_by_id(card_id)
        if cached is None:
            raise KeyError(card_id)
        state = self._computed(cached)
        self.write_card(state)
        return state

    def computed_cards(self) -> list[CardState]:
        """Every card as recomputed from the log (without writing): compare with all_cards().

        One sequential scan of the log (rowid order, no sort), bucketed by card in memory."""
        reviews: dict[int, list[tuple]] = {}
        for card_id, *rest in self.conn.execute(f"SELECT card_id, id, {_FOLD_COLS} FROM reviews"):
            reviews.setdefault(card_id, []).append(rest)
        events: dict[int, list[tuple]] = {}
        if self._has_events():
            for card_id, *rest in self.conn.execute("SELECT card_id, ts, id, action FROM events"):
                events.setdefault(card_id, []).append(rest)
        marks: dict[int, list[tuple]] = {}
        if self._has_table("card_marks"):
            for card_id, *rest in self.conn.execute(
                "SELECT card_id, ts, action, value FROM card_marks "
                "WHERE action IN ('forget', 'set-due') ORDER BY ts, id"
            ):
                marks.setdefault(card_id, []).append(rest)
        out = []
        for cached in self.all_cards():
            own = sorted(reviews.get(cached.id, ()), key=lambda r: (r[1], r[0]))  # (ts, id)
            own_events = sorted(events.get(cached.id, ()), key=lambda e: (e[0], e[1]))
            out.append(_fold(cached, [r[1:] for r in own], [(e[0], e[2]) for e in own_events],
                             marks.get(cached.id, ())))
        return out

    def rebuild_cards(self) -> int:
        """Recompute the whole `cards` cache from the log; returns the number of cards."""
        with self.transaction():
            cards = self.computed_cards()
            for card in cards:
                self.write_card(card)
        return len(cards)


def _fold(
    cached: CardState, reviews: Iterable[tuple], events: Iterable[tuple], marks: Iterable[tuple] = ()
) -> CardState:
    """Replay one card's log: reviews (ts, practice, card_after, lapse, leech, suspend), events
    (ts, action) and browser marks (ts, action, value; quizapp.store.marks), each in time order.
    Practice answers change nothing."""
    state = CardState(
        id=cached.id, key=cached.key, item_id=cached.item_id, topic=cached.topic,
        kind=cached.kind, ord=cached.ord, retired=cached.retired,
    )
    actions: list[tuple[int, int, bool]] = []  # (ts, reviews before events, suspended?)
    last_after: str | None = None
    last_ts: int | None = None
    for ts, practice, card_after, lapse, leech, suspend in reviews:
        if practice:
            continue
        last_ts = ts
        state.reps += 1
        state.lapses += lapse
        state.leech = state.leech or bool(leech)
        last_after = card_after
        if suspend:
            actions.append((ts, 0, True))
    for ts, action in events:
        actions.append((ts, 1, action == "suspend"))
    for _ts, _order, value in sorted(actions, key=lambda a: (a[0], a[1])):
        state.suspended = value
    state.schedule_from_json(last_after)
    if last_after is None:
        state.state = NEW
    replay_marks(state, marks, last_ts)
    return state
