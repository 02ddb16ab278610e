"""Today's queue, built with indexed SQL over `cards` (no per-card Python over the whole table).

Order (Anki-like):
1. learning/relearning cards whose step is due now (asked for by the session between cards);
2. review cards due today (before the next 04:00 rollover), most overdue first, interleaved
   round-robin across topics so a session never turns into topic blocks;
3. new cards in library order, up to settings.new_per_day minus the new cards already introduced
   today;
4. when nothing else is left, a learning card due within LEARN_AHEAD (20 min) is shown early.
Reviews + new cards together stay within settings.reviews_per_day minus the new/review cards
already answered today (learning steps are not capped: they must come back).
Siblings (a reversed flashcard, other cloze deletions) of an item studied today are buried until the
next study day, and at most one card per item enters a day's queue. Suspended and retired cards
(no longer in the content) never enter, nor do cards buried by hand (the browser) until their day ends.
Practice (cram) queues take the weakest cards (lowest predicted recall) first, then unseen ones.
The hot queries name their index (INDEXED BY) so the planner never trades them for the dashboard's
covering index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from quizapp.config import Settings
from quizapp.srs.days import day_bounds
from quizapp.srs.recall import DAY_MS, DECAY, FACTOR
from quizapp.store.browse import buried_keys
from quizapp.store.db import Store
from quizapp.store.records import LEARNING, NEW, RELEARNING, REVIEW, to_ms

LEARN_AHEAD = timedelta(minutes=20)

KeyFilter = Callable[[str], bool]


@dataclass(frozen=True)
class Queued:
    id: int
    key: str
    item_id: str
    topic: str
    state: int


@dataclass(frozen=True)
class TodayCounts:
    introduced: int  # new cards answered (for the first time) today
    capped: int  # new + review cards answered today: what the daily review cap counts
    reviewed: int  # every answer today, practice included
    seconds: float


def today_counts(store: Store, now: datetime) -> TodayCounts:
    start, end = (to_ms(t) for t in day_bounds(now))
    row = store.conn.execute(
        "SELECT COALESCE(SUM(practice = 0 AND state_before = 0), 0), "
        "COALESCE(SUM(practice = 0 AND state_before IN (0, 2)), 0), COUNT(*), "
        "COALESCE(SUM(duration_ms), 0) FROM reviews WHERE ts >= ? AND ts < ?",
        (start, end),
    ).fetchone()
    return TodayCounts(row[0], row[1], row[2], row[3] / 1000)


def items_studied_today(store: Store, now: datetime) -> set[str]:
    start, end = (to_ms(t) for t in day_bounds(now))
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT item_id FROM reviews WHERE ts >= ? AND ts < ? AND practice = 0", (start, end)
        )
    }


def _topic_clause(topic: str | None) -> tuple[str, tuple]:
    return (" AND topic = ?", (topic,)) if topic else ("", ())


def interleave(cards: Iterable[Queued]) -> list[Queued]:
    """Round-robin across topics, keeping each topic's order; topics in order of first appearance."""
    by_topic: dict[str, list[Queued]] = {}
    for card in cards:
        by_topic.setdefault(card.topic, []).append(card)
    out: list[Queued] = []
    lanes = list(by_topic.values())
    depth = 0
    while lanes:
        lanes = [lane for lane in lanes if depth < len(lane)]
        out.extend(lane[depth] for lane in lanes)
        depth += 1
    return out


def _unburied(store: Store, now: datetime, live: KeyFilter | None) -> KeyFilter | None:
    """`live`, also refusing the cards buried by hand until later than `now`."""
    hidden = buried_keys(store, now)
    if not hidden:
        return live
    return lambda key: key not in hidden and (live is None or live(key))


def _take(
    rows: Iterable[tuple], n: int, live: KeyFilter | None, used_items: set[str], buried: set[str]
) -> list[Queued]:
    taken: list[Queued] = []
    if n <= 0:
        return taken
    for cid, key, item_id, topic, state in rows:
        if item_id in buried or item_id in used_items or (live is not None and not live(key)):
            continue
        used_items.add(item_id)
        taken.append(Queued(cid, key, item_id, topic, state))
        if len(taken) >= n:
            break
    return taken


def build_queue(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    topic: str | None = None,
    live: KeyFilter | None = None,
    exclude_items: Iterable[str] = (),
) -> list[Queued]:
    """Today's review + new cards (learning cards are fetched separately by learning_due)."""
    live = _unburied(store, now, live)
    start, end = day_bounds(now)
    counts = today_counts(store, now)
    cap_left = max(0, settings.reviews_per_day - counts.capped)
    new_left = max(0, settings.new_per_day - counts.introduced)
    buried = items_studied_today(store, now) | set(exclude_items)
    used: set[str] = set()
    clause, params = _topic_clause(topic)
    review_rows = store.conn.execute(
        "SELECT id, key, item_id, topic, state FROM cards INDEXED BY cards_state_due "
        f"WHERE state = ? AND due < ? AND suspended = 0 AND retired = 0{clause} ORDER BY due, id",
        (REVIEW, to_ms(end), *params),
    )
    reviews = _take(review_rows, cap_left, live, used, buried)
    review_rows.close()
    new_rows = store.conn.execute(
        "SELECT id, key, item_id, topic, state FROM cards INDEXED BY cards_state_ord "
        f"WHERE state = ? AND suspended = 0 AND retired = 0{clause} ORDER BY ord, id",
        (NEW, *params),
    )
    new = _take(new_rows, min(new_left, cap_left - len(reviews)), live, used, buried)
    new_rows.close()
    return interleave(reviews) + new


def learning_due(
    store: Store,
    until: datetime,
    *,
    topic: str | None = None,
    live: KeyFilter | None = None,
    limit: int = 50,
) -> list[Queued]:
    """Learning/relearning cards due by `until`, earliest first."""
    live = _unburied(store, until, live)
    clause, params = _topic_clause(topic)
    rows = store.conn.execute(
        "SELECT id, key, item_id, topic, state FROM cards INDEXED BY cards_state_due "
        f"WHERE state IN (?, ?) AND due <= ? AND suspended = 0 AND retired = 0{clause} "
        "ORDER BY due, id LIMIT ?",
        (LEARNING, RELEARNING, to_ms(until), *params, limit),
    ).fetchall()
    return [Queued(*r) for r in rows if live is None or live(r[1])]


def practice_queue(
    store: Store,
    now: datetime,
    limit: int,
    *,
    topic: str | None = None,
    live: KeyFilter | None = None,
) -> list[Queued]:
    """Weakest seen cards first (lowest predicted recall), then unseen ones; nothing is buried."""
    clause, params = _topic_clause(topic)
    now_ms = to_ms(now)
    seen = store.conn.execute(
        "SELECT id, key, item_id, topic, state FROM cards WHERE state != 0 AND suspended = 0 "
        f"AND retired = 0{clause} ORDER BY "
        "pow(1 + ? * max(0, (? - last_review) / ?) / stability, ?), due, id",
        (*params, FACTOR, now_ms, DAY_MS, DECAY),
    )
    chosen = _take(seen, limit, live, set(), set())
    seen.close()
    unseen = store.conn.execute(
        "SELECT id, key, item_id, topic, state FROM cards WHERE state = 0 AND suspended = 0 "
        f"AND retired = 0{clause} ORDER BY ord, id",
        params,
    )
    chosen += _take(unseen, limit - len(chosen), live, set(), set())
    unseen.close()
    return interleave(chosen)
