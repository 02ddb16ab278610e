"""The browser's questions to the store, one typed function per question (all SQL stays here).

- card_facts(store): every live card's scheduling columns in one query (100k cards: one scan).
- flags / buried_ids / buried_keys / answered_card_ids: the small sets a search needs.
- card_history(store, key): one card's answers, oldest first, with the interval each one set.
- Actions on many cards, each ONE transaction and each logged so that a rebuild of the card cache
  from the log keeps it: suspend_cards / unsuspend_cards (the store's `events`), set_flag,
  bury_cards / unbury_cards, forget_cards, set_due (`card_marks`, see quizapp.store.marks).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.store.db import Store
from quizapp.store.log import new_uid
from quizapp.store.marks import apply_schedule_mark
from quizapp.store.records import CARD_COLUMNS, NEW, CardState, from_ms, to_ms

# One live card's cached schedule, as a plain tuple (100k of them are read when the browser
# opens: a tuple per row costs a fraction of an object per row). Times in ms since the epoch:
# (id, key, state, due, stability, difficulty, last_review, reps, lapses, leech, suspended)
CardFacts = tuple[int, str, int, int | None, float | None, float | None, int | None, int, int, int, int]
FACT_COLUMNS = "id, key, state, due, stability, difficulty, last_review, reps, lapses, leech, suspended"


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
    """card id -> its flag (1..4), for flagged cards only (the latest flag mark wins)."""
    current: dict[int, int] = {}
    for card_id, value in store.conn.execute(
        "SELECT card_id, value FROM card_marks WHERE action = 'flag' ORDER BY ts, id"
    ):
        current[card_id] = int(value or 0)
    return {cid: flag for cid, flag in current.items() if flag}


def _buried(store: Store, now_ms: int) -> dict[int, str]:
    until: dict[int, tuple[int, str]] = {}
    for card_id, key, value in store.conn.execute(
        "SELECT card_id, card_key, value FROM card_marks WHERE action = 'bury' ORDER BY ts, id"
    ):
        until[card_id] = (int(value or 0), key)
    return {cid: key for cid, (end, key) in until.items() if end > now_ms}


def buried_ids(store: Store, now: datetime) -> set[int]:
    """Cards buried by hand until later than `now`."""
    return set(_buried(store, to_ms(now)))


def buried_keys(store: Store, now: datetime) -> set[str]:
    return set(_buried(store, to_ms(now)).values())


def answered_card_ids(store: Store, since: datetime, rating: int | None = None) -> set[int]:
    """Cards answered at or after `since` (with that rating, when given), practice included."""
    if rating is None:
        rows = store.conn.execute("SELECT DISTINCT card_id FROM reviews WHERE ts >= ?", (to_ms(since),))
    else:
        rows = store.conn.execute(
            "SELECT DISTINCT card_id FROM reviews WHERE ts >= ? AND rating = ?", (to_ms(since), rating)
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


def _after_fields(card_after: str | None, ts: int) -> tuple[int | None, float | None]:
    if not card_after:
        return None, None
    data = json.loads(card_after)
    due = data.get("due")
    interval = to_ms(datetime.fromisoformat(due)) - ts if due else None
    stability = data.get("stability")
    return interval, float(stability) if stability else None


def card_history(store: Store, key: str) -> list[HistoryEntry]:
    """The card's answers, oldest first (practice answers included, marked)."""
    rows = store.conn.execute(
        "SELECT r.ts, r.rating, r.answer, r.status, r.note, r.practice, r.state_before, "
        "r.state_after, r.card_after, r.r_before FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE c.key = ? ORDER BY r.ts, r.id",
        (key,),
    )
    out = []
    for ts, rating, answer, status, note, practice, before, after, card_after, r_before in rows:
        interval, stability = (None, None) if practice else _after_fields(card_after, ts)
        out.append(HistoryEntry(ts, rating, answer, status, note, bool(practice), before, after,
                                interval, stability, r_before))
    return out


# ---- actions -----------------------------------------------------------------------------------
def _cards(store: Store, keys: Sequence[str]) -> list[CardState]:
    found = []
    for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
        chunk = list(keys[start:start + 500])
        marks = ", ".join("?" for _ in chunk)
        found += [
            CardState.from_row(r)
            for r in store.conn.execute(
                f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE key IN ({marks})", chunk
            )
        ]
    return found


def _mark_time(store: Store, card_id: int, now_ms: int) -> int:
    """Never at or before the card's last answer: the fold orders marks after it (store.marks)."""
    last = store.conn.execute("SELECT MAX(ts) FROM reviews WHERE card_id = ?", (card_id,)).fetchone()[0]
    return max(now_ms, (last or 0) + 1)


def _insert_mark(store: Store, card: CardState, action: str, value: int | None, now_ms: int) -> None:
    store.conn.execute(
        "INSERT INTO card_marks (uid, card_id, card_key, ts, action, value) VALUES (?, ?, ?, ?, ?, ?)",
        (new_uid(), card.id, card.key, _mark_time(store, card.id, now_ms), action, value),
    )


def _set_suspended(store: Store, keys: Sequence[str], value: bool, now: datetime) -> int:
    changed = 0
    with store.transaction():
        for card in _cards(store, keys):
            if card.suspended == value:
                continue
            store.insert_event(new_uid(), card.id, card.key, to_ms(now), "suspend" if value else "unsuspend")
            store.conn.execute("UPDATE cards SET suspended = ? WHERE id = ?", (int(value), card.id))
            changed += 1
    return changed


def suspend_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    """Suspend every card of `keys` not suspended yet; returns how many changed."""
    return _set_suspended(store, keys, True, now)


def unsuspend_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    return _set_suspended(store, keys, False, now)


def set_flag(store: Store, keys: Sequence[str], flag: int, now: datetime) -> int:
    """Flag the cards 1..4 (0 removes the flag); returns how many changed."""
    if flag not in (0, 1, 2, 3, 4):
        raise ValueError(f"a flag is 0..4, not {flag!r}")
    current = flags(store)
    changed = 0
    with store.transaction():
        for card in _cards(store, keys):
            if current.get(card.id, 0) != flag:
                _insert_mark(store, card, "flag", flag, to_ms(now))
                changed += 1
    return changed


def bury_cards(store: Store, keys: Sequence[str], now: datetime, until: datetime) -> int:
    """Keep the cards out of the queues until `until` (the next study day); returns how many changed."""
    buried = buried_ids(store, now)
    return _bury(store, keys, now, to_ms(until), lambda card: card.id not in buried)


def unbury_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    buried = buried_ids(store, now)
    return _bury(store, keys, now, 0, lambda card: card.id in buried)


def _bury(store: Store, keys: Sequence[str], now: datetime, value: int, wanted: Callable[[CardState], bool]) -> int:
    changed = 0
    with store.transaction():
        for card in _cards(store, keys):
            if wanted(card):
                _insert_mark(store, card, "bury", value, to_ms(now))
                changed += 1
    return changed


def forget_cards(store: Store, keys: Sequence[str], now: datetime) -> int:
    """Back to new (history kept); returns how many studied cards were reset."""
    return _schedule_mark(store, keys, "forget", None, now, lambda card: card.state != NEW)


def set_due(store: Store, keys: Sequence[str], due: datetime, now: datetime) -> int:
    """Make studied cards due at `due` (new cards keep their place: they have no schedule yet)."""
    return _schedule_mark(store, keys, "set-due", to_ms(due), now,
                          lambda card: card.state != NEW and card.fsrs is not None)


def _schedule_mark(
    store: Store, keys: Sequence[str], action: str, value: int | None, now: datetime,
    applies: Callable[[CardState], bool],
) -> int:
    changed = 0
    with store.transaction():
        for card in _cards(store, keys):
            if not applies(card):
                continue
            _insert_mark(store, card, action, value, to_ms(now))
            apply_schedule_mark(card, action, value)
            store.write_card(card)
            changed += 1
    return changed


def marks_of(store: Store, key: str) -> list[tuple[datetime, str, int | None]]:
    """The card's marks (time, action, value), oldest first: for the history pane."""
    rows = store.conn.execute(
        "SELECT m.ts, m.action, m.value FROM card_marks m JOIN cards c ON c.id = m.card_id "
        "WHERE c.key = ? ORDER BY m.ts, m.id",
        (key,),
    )
    return [(from_ms(ts), action, value) for ts, action, value in rows]
