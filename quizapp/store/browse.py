"""The browser's questions to the store, one typed function per question (all SQL stays here).

- card_facts(store): every live card's scheduling columns in one query (100k cards: one scan).
- flags / buried_ids / buried_keys / answered_card_ids: the small sets a search needs.
- card_history(store, key): one card's answers, oldest first, with the interval each one set.
- Actions on many cards, each ONE transaction and each logged as an event (store.events), so that
  a rebuild of the card cache from the log keeps it: suspend_cards / unsuspend_cards, set_flag,
  bury_cards / unbury_cards, forget_cards, set_due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.store.db import Store
from quizapp.store.records import from_ms, to_ms

# One live card's cached schedule, as a plain tuple (100k of them are read when the browser
# opens: a tuple per row costs a fraction of an object per row). Times in ms since the epoch:
# (id, key, state, due, stability, difficulty, last_review, reps, lapses, leech, suspended)
CardFacts = tuple[int, str, int, int | None, float | None, float | None, int | None, int, int, int, int]
FACT_COLUMNS = "id, key, state, due, stability, difficulty, last_review, reps, lapses, leech, suspended"
MARKS = ("flag", "bury", "forget", "set_due")  # the events the browser shows in a card's history


def card_facts(store: Store, keys: Sequence[str] | None = None) -> list[CardFacts]:
    """Every card of the loaded content (retired ones left out), or just the cards of `keys`."""
    if keys is None:
        return store.conn.execute(f"SELECT {FACT_COLUMNS} FROM cards WHERE retired = 0").fetchall()
    found: list[CardFacts] = []
    for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
        chunk = list(keys[start:start + 500])
        marks = ", ".join("?" for _ in chunk)
        found += store.conn.execute(f"SELECT {FACT_COLUMNS} FROM cards WHERE key IN ({marks})", chunk).fetchall()
    return found


def flags(store: Store) -> dict[int, int]:
    """card id -> its flag (1..4), for flagged cards only."""
    return dict(store.conn.execute("SELECT id, flag FROM cards WHERE flag != 0").fetchall())


def _buried(store: Store, now_ms: int) -> dict[int, str]:
    return dict(store.conn.execute("SELECT id, key FROM cards WHERE buried > ?", (now_ms,)).fetchall())


def buried_ids(store: Store, now: datetime) -> set[int]:
    """Cards buried by hand until later than `now`."""
    return set(_buried(store, to_ms(now)))


def buried_keys(store: Store, now: datetime) -> set[str]:
    return set(_buried(store, to_ms(now)).values())


def answered_card_ids(store: Store, since: datetime, rating: int | None = None) -> set[int]:
    """Cards answered at or after `since` (with that rating, when given), practice included."""
    if rating is None:
        rows = store.conn.execute("SELECT DISTINCT card FROM reviews WHERE id >= ?", (to_ms(since),))
    else:
        rows = store.conn.execute(
            "SELECT DISTINCT card FROM reviews WHERE id >= ? AND rating = ?", (to_ms(since), rating)
        )
    return {r[0] for r in rows}


# ---- one card's history ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One answer: what was typed, the verdict, and the schedule it left the card with."""

    ts: int
    rating: int
    answer: str
    status: str  # correct | wrong | '' (self-graded)
    note: str  # the mistake tag, '' if none
    practice: bool
    state_before: int
    state_after: int
    interval_ms: int | None  # due after this answer minus its time (None: practice / no schedule)
    stability: float | None  # FSRS memory state after the answer
    r_before: float | None


def card_history(store: Store, key: str) -> list[HistoryEntry]:
    """The card's answers, oldest first (practice answers included, marked)."""
    return [
        HistoryEntry(
            r.ts, r.rating, r.answer, r.status, r.note, r.practice, r.state_before, r.state_after,
            None if r.practice or r.due is None else r.due - r.ts, None if r.practice else r.stability,
            r.r_before,
        )
        for r in store.reviews(key)
    ]


# ---- actions -----------------------------------------------------------------------------------
def suspend_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    """Suspend every card of `keys` not suspended yet; returns how many changed."""
    return store.suspend(keys, now=now)


def unsuspend_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    return store.unsuspend(keys, now=now)


def set_flag(store: Store, keys: Sequence[str], flag: int, now: datetime) -> int:
    """Flag the cards 1..4 (0 removes the flag); returns how many changed."""
    return store.flag(keys, flag, now=now)


def bury_cards(store: Store, keys: Sequence[str], now: datetime, until: datetime) -> int:
    """Keep the cards out of the queues until `until` (the next study day); returns how many changed."""
    return store.bury(keys, until=until, now=now)


def unbury_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    return store.unbury(keys, now=now)


def forget_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    """Back to new (history kept); returns how many studied cards were reset."""
    return store.forget(keys, now=now)


def set_due(store: Store, keys: Sequence[str], due: datetime, now: datetime) -> int:
    """Make studied cards due at `due` (new cards keep their place: they have no schedule yet)."""
    return store.set_due(keys, due, now=now)


def marks_of(store: Store, key: str) -> list[tuple[datetime, str, int | None]]:
    """The card's browser marks (time, action, value), oldest first: for the history pane."""
    return [(from_ms(ts), action, value) for _key, ts, action, value in store.events(key) if action in MARKS]
