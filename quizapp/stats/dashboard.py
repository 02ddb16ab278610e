"""Dashboard counts: cheap enough (indexed SQL, one pass over `cards`) to recompute on every screen.

Per topic: due (review cards due today), new (what a session would introduce today: within the
daily new-card limit, one card per item, siblings of items studied today buried),
learning, mastery (mean predicted recall over the topic's cards, unseen = 0), last_studied.
Totals: due, new, learning, reviewed_today, seconds_today, streak_days.
`due`/`new` are what a session would offer today (capped by the daily limits); `due_backlog` is
the uncapped number of review cards due. Full statistics live in quizapp.stats.report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from quizapp.config import Settings
from quizapp.srs.days import day_bounds, day_start, study_day
from quizapp.srs.queue import items_studied_today, today_counts
from quizapp.srs.recall import DAY_MS, DECAY, FACTOR
from quizapp.store.records import NEW, REVIEW, from_ms, to_ms

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.store import Store

MAX_STREAK_PROBE = 3650


@dataclass(frozen=True)
class TopicCounts:
    topic_id: str
    due: int
    new: int
    learning: int
    mastery: float  # 0..1
    last_studied: datetime | None
    cards: int
    seen: int
    suspended: int
    due_backlog: int


@dataclass(frozen=True)
class Totals:
    due: int
    new: int
    learning: int
    reviewed_today: int
    seconds_today: float
    streak_days: int
    due_backlog: int


@dataclass(frozen=True)
class Dashboard:
    topics: list[TopicCounts]
    totals: Totals

    def topic(self, topic_id: str) -> TopicCounts | None:
        return next((t for t in self.topics if t.topic_id == topic_id), None)


def streak_days(store: Store, now: datetime) -> int:
    """Consecutive study days with a review, ending today (or yesterday: today is not over)."""
    today = study_day(now)
    probe = store.conn.execute
    def active(day) -> bool:  # noqa: ANN001
        return probe(
            "SELECT 1 FROM reviews WHERE ts >= ? AND ts < ? LIMIT 1",
            (to_ms(day_start(day)), to_ms(day_start(day + timedelta(days=1)))),
        ).fetchone() is not None

    day = today if active(today) else today - timedelta(days=1)
    count = 0
    while count < MAX_STREAK_PROBE and active(day):
        count += 1
        day -= timedelta(days=1)
    return count


def _new_today(store: Store, topic_id: str, limit: int, buried: set[str]) -> int:
    """New cards a session would introduce today: one per item, none whose sibling was studied
    today (as the queue does); stops counting at `limit`."""
    if limit <= 0:
        return 0
    items: set[str] = set()
    rows = store.conn.execute(
        "SELECT item_id FROM cards WHERE retired = 0 AND topic = ? AND state = 0 AND suspended = 0",
        (topic_id,),
    )
    for (item_id,) in rows:
        if item_id not in buried:
            items.add(item_id)
            if len(items) >= limit:
                break
    rows.close()
    return len(items)


def dashboard(store: Store, library: Library, settings: Settings, now: datetime) -> Dashboard:
    _, day_end = day_bounds(now)
    counts = today_counts(store, now)
    cap_left = max(0, settings.reviews_per_day - counts.capped)
    new_left = max(0, settings.new_per_day - counts.introduced)
    now_ms = to_ms(now)
    # One pass over the covering index cards_dash, grouped by (topic, state, suspended).
    agg: dict[str, list[float]] = {}  # topic -> [due, new, learning, recall_sum, cards, seen, suspended]
    for topic_id, state, suspended, n, due_today, recall in store.conn.execute(
        """
        SELECT topic, state, suspended, COUNT(*), COALESCE(SUM(due < ?), 0),
               COALESCE(SUM(pow(1 + ? * max(0, (? - last_review) / ?) / stability, ?)), 0)
        FROM cards WHERE retired = 0 GROUP BY topic, state, suspended
        """,
        (to_ms(day_end), FACTOR, now_ms, DAY_MS, DECAY),
    ):
        a = agg.setdefault(topic_id, [0, 0, 0, 0.0, 0, 0, 0])
        if not suspended:
            if state == REVIEW:
                a[0] += due_today
            elif state == NEW:
                a[1] += n
            else:
                a[2] += n
        a[3] += recall  # stability is NULL for new cards: they add 0
        a[4] += n
        a[5] += n if state != NEW else 0
        a[6] += n if suspended else 0
    topics: list[TopicCounts] = []
    new_available = 0
    buried = items_studied_today(store, now)
    for topic in library.topics:
        found = agg.get(topic.id)
        if found is None:
            topics.append(TopicCounts(topic.id, 0, 0, 0, 0.0, None, 0, 0, 0, 0))
            continue
        due, new, learning, recall_sum, n, seen, suspended_n = found
        if new:
            new = _new_today(store, topic.id, min(new_left, cap_left), buried)
        new_available += int(new)
        last = store.conn.execute("SELECT MAX(ts) FROM reviews WHERE topic = ?", (topic.id,)).fetchone()[0]
        topics.append(TopicCounts(
            topic_id=topic.id, due=int(min(due, cap_left)), new=int(min(new, new_left, cap_left)),
            learning=int(learning), mastery=recall_sum / n if n else 0.0,
            last_studied=from_ms(last) if last is not None else None,
            cards=int(n), seen=int(seen), suspended=int(suspended_n), due_backlog=int(due),
        ))
    backlog = sum(t.due_backlog for t in topics)
    due_total = min(backlog, cap_left)
    totals = Totals(
        due=due_total,
        new=min(new_available, new_left, cap_left - due_total),
        learning=sum(t.learning for t in topics),
        reviewed_today=counts.reviewed,
        seconds_today=counts.seconds,
        streak_days=streak_days(store, now),
        due_backlog=backlog,
    )
    return Dashboard(topics, totals)


def suspend(store: Store, key: str, now: datetime | None = None) -> bool:
    """Suspend a card by hand (logged as an event); False if unknown or already suspended."""
    return store.suspend(key, now=now)


def unsuspend(store: Store, key: str, now: datetime | None = None) -> bool:
    return store.unsuspend(key, now=now)
