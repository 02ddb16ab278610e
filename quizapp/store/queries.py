"""Questions about today: the queue's candidates, what is due (one definition), mastery, streak.

"Due" means one thing everywhere (dashboard, topic screen, stats, session summary, `stats --json`)
and it is what a session started now would offer — Anki's three numbers:
- review: review-state cards due before the end of today's study day, one card per item, none
  whose item was already studied today (siblings are buried), within the daily review limit;
- learning: learning/relearning cards due now or within LEARN_AHEAD (a step of a day or more:
  due today), not limited;
- new: new cards a session would introduce today: one per item, none of a buried item or of an
  item with a review due, within the daily new-card limit and what the review limit leaves.
The queue (quizapp.srs.queue) takes its cards with the same conditions (the _DUE_* clauses).

Mastery of a topic: the mean, over all its cards, of the predicted recall MASTERY_HORIZON_DAYS
from now (quizapp.forgetting), unstudied cards counting 0: what share of the topic you would
still recall a month from now without studying. It rises as stability grows, not merely with
the number of cards seen.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from quizapp.config import Settings
from quizapp.forgetting import MASTERY_HORIZON_DAYS, recall_sql
from quizapp.store.events import EventsMixin
from quizapp.store.schema import NEW_CLASS, REVIEW_CLASS
from quizapp.timing import DAY_MS, day_bounds_ms, study_day, to_ms

T = TypeVar("T")

LEARN_AHEAD = timedelta(minutes=20)

CardRow = tuple[int, str, str, str, int]  # id, key, item_id, topic, state: a queue candidate
Rows = Generator[Any, None, None]  # rows starting with a CardRow; close() it when done early
KeyFilter = Callable[[str], bool]

# In a queue: not suspended, still in the content, not buried by hand for today.
_LIVE = "suspended = 0 AND retired = 0 AND (buried IS NULL OR buried <= :now)"
_DUE_LEARNING = (
    f"state IN (1, 3) AND (due <= :ahead OR (due < :day_end AND due - last_review >= {DAY_MS})) "
    f"AND {_LIVE}"
)
# Items with a scheduled answer today: their siblings are buried until tomorrow.
_BURIED = (
    "SELECT c.item_id FROM reviews r JOIN cards c ON c.id = r.card "
    "WHERE r.id >= :day_start AND r.id < :day_end AND r.practice = 0"
)
_ROW = "id, key, item_id, topic, state"


@dataclass(frozen=True)
class TodayCounts:
    introduced: int  # new cards answered (for the first time) today
    capped: int  # new + review cards answered today: what the daily review cap counts
    reviewed: int  # every answer today, practice included
    seconds: float


@dataclass(frozen=True)
class DueCounts:
    """Anki's three numbers, as a session started now would offer them."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def due(self) -> int:
        """What must be done today (learning + review); new cards are optional."""
        return self.learning + self.review

    def to_dict(self) -> dict[str, int]:
        return {"new": self.new, "learning": self.learning, "review": self.review}


@dataclass(frozen=True)
class TopicProgress:
    """A topic's cards in the store (those no longer in the content left out)."""

    cards: int = 0
    seen: int = 0  # studied at least once
    suspended: int = 0
    leeches: int = 0
    learning: int = 0  # by state, suspended cards left out
    review: int = 0
    relearning: int = 0
    recall: float = 0.0  # sum of predicted recall at the mastery horizon
    last_answer: int | None = None  # when a card of the topic was last answered (ms)

    @property
    def mastery(self) -> float:
        return min(1.0, self.recall / self.cards) if self.cards else 0.0

    @property
    def coverage(self) -> float:
        return self.seen / self.cards if self.cards else 0.0


def _topic(topic: str | None) -> str:
    return " AND topic = :topic" if topic else ""


def _day_params(now: datetime) -> dict[str, Any]:
    today = study_day(now)
    start, end = day_bounds_ms(today)
    return {"now": to_ms(now), "day_start": start, "day_end": end, "ahead": to_ms(now + LEARN_AHEAD)}


class QueueQueries(EventsMixin):
    _topic_list: list[str] | None

    # ---- today's answers -----------------------------------------------------------------
    def today_counts(self, now: datetime) -> TodayCounts:
        row = self.conn.execute(
            "SELECT COALESCE(SUM(answers * (class = ?)), 0), COALESCE(SUM(answers * (class IN (?, ?))), 0), "
            "COALESCE(SUM(answers), 0), COALESCE(SUM(duration), 0) FROM daily WHERE day = ?",
            (NEW_CLASS, NEW_CLASS, REVIEW_CLASS, study_day(now)),
        ).fetchone()
        return TodayCounts(int(row[0]), int(row[1]), int(row[2]), row[3] / 1000)

    def items_studied_today(self, now: datetime) -> set[str]:
        """Items with a scheduled answer today: their siblings are buried until tomorrow."""
        return {r[0] for r in self.conn.execute(_BURIED, _day_params(now))}

    def day_limits(self, now: datetime, settings: Settings) -> tuple[int, int]:
        """(new cards left, new + review answers left) under today's limits."""
        counts = self.today_counts(now)
        cap_left = max(0, settings.reviews_per_day - counts.capped)
        return max(0, settings.new_per_day - counts.introduced), cap_left

    # ---- the queue's candidates ----------------------------------------------------------
    def topics(self) -> list[str]:
        """The topics cards belong to (cached; a sync or an import refreshes it)."""
        if self._topic_list is None:
            self._topic_list = [r[0] for r in self.conn.execute("SELECT DISTINCT topic FROM cards ORDER BY topic")]
        return self._topic_list

    def _merged(self, sql: str, params: dict[str, Any], topic: str | None, key: int) -> Rows:
        """The rows of `sql` (per topic, in index order) for one topic, or all topics merged in
        the same order: one short index range per topic instead of a sort of them all."""
        if topic is not None:
            return self._stream(sql, {**params, "topic": topic})
        streams = [self._stream(sql, {**params, "topic": t}) for t in self.topics()]
        return _closing_merge(streams, key)

    def due_reviews(self, now: datetime, topic: str | None = None) -> Rows:
        """Review cards due today, most overdue first (the queue takes one per item)."""
        return self._merged(
            f"SELECT {_ROW}, due FROM cards INDEXED BY cards_due WHERE state = 2 AND topic = :topic "
            f"AND due < :day_end AND {_LIVE} ORDER BY due, id", _day_params(now), topic, key=5,
        )

    def new_cards(self, now: datetime, topic: str | None = None) -> Rows:
        """New cards in library order."""
        return self._merged(
            f"SELECT {_ROW}, ord FROM cards INDEXED BY cards_new WHERE state = 0 AND topic = :topic "
            f"AND {_LIVE} ORDER BY ord, id", {"now": to_ms(now)}, topic, key=5,
        )

    def learning_due(self, now: datetime, topic: str | None = None, limit: int = 50) -> list[CardRow]:
        """Learning/relearning cards due at `now` (see _DUE_LEARNING), earliest first."""
        params = {**_day_params(now), "ahead": to_ms(now), "topic": topic, "limit": limit}
        return self.conn.execute(
            f"SELECT {_ROW} FROM cards INDEXED BY cards_due WHERE {_DUE_LEARNING}{_topic(topic)} "
            "ORDER BY due, id LIMIT :limit",
            params,
        ).fetchall()

    def weakest_cards(self, now: datetime, topic: str | None = None) -> Rows:
        """Studied cards, lowest predicted recall now first (practice sessions)."""
        return self._stream(
            f"SELECT {_ROW} FROM cards WHERE state != 0 AND {_LIVE}{_topic(topic)} "
            f"ORDER BY {recall_sql(now=':now', decay=self.decay())}, due, id",
            {"now": to_ms(now), "topic": topic},
        )

    def queue_candidates(
        self, now: datetime, settings: Settings, topic: str | None = None, *,
        live: KeyFilter | None = None, exclude_items: Iterable[str] = (), topics: Sequence[str] = (),
        today: tuple[int, int, set[str]] | None = None,
    ) -> tuple[list[CardRow], list[CardRow]]:
        """Today's review cards (most overdue first) and new cards exactly as a session started now
        takes them: within the day's limits, one card per item, none of an item studied today.
        New cards are in library order within a topic and, across `topics` (all of them, in
        library order), take turns. `due_counts` counts these very lists.
        `today`: (new left, answers left, buried items), when the caller has them already."""
        new_left, cap_left, buried = today or self._today(now, settings)
        buried = buried | set(exclude_items) if exclude_items else buried
        used: set[str] = set()
        rows = self.due_reviews(now, topic)
        reviews = take(rows, cap_left, live, used, buried)
        rows.close()
        want = max(0, min(new_left, cap_left - len(reviews)))
        lanes = []
        for lane in [topic] if topic is not None or not topics else list(topics):
            rows = self.new_cards(now, lane)
            lanes.append(take(rows, want, live, used, buried))
            rows.close()
        return reviews, turns(lanes)[:want]

    def _today(self, now: datetime, settings: Settings) -> tuple[int, int, set[str]]:
        return (*self.day_limits(now, settings), self.items_studied_today(now))

    # ---- what is due -------------------------------------------------------------------------
    def due_counts(self, now: datetime, settings: Settings, topic: str | None = None) -> DueCounts:
        """Anki's new · learning · review for everything (or one topic), as defined above."""
        return self._due(now, settings, topic, self._today(now, settings))

    def due_overview(self, now: datetime, settings: Settings) -> tuple[DueCounts, dict[str, DueCounts]]:
        """due_counts for everything and for each topic (each within the day's limits on its own,
        as in Anki's deck list: the topics' numbers can add up to more than the total)."""
        today = self._today(now, settings)
        return self._due(now, settings, None, today), {
            topic: self._due(now, settings, topic, today) for topic in self.topics()
        }

    def _due(self, now: datetime, settings: Settings, topic: str | None, today: tuple[int, int, set[str]]) -> DueCounts:
        reviews, new = self.queue_candidates(now, settings, topic, today=today)
        learning = self._one(
            f"SELECT COUNT(*) FROM cards INDEXED BY cards_due WHERE {_DUE_LEARNING}{_topic(topic)}",
            {**_day_params(now), "topic": topic},
        )
        return DueCounts(len(new), int(learning), len(reviews))

    def due_on_day(self, day: int, topic: str | None = None) -> int:
        """Cards (learning or review) falling due during study day `day` (not before it)."""
        start, end = day_bounds_ms(day)
        return int(self._one(
            f"SELECT COUNT(*) FROM cards WHERE state != 0 AND due >= :start AND due < :end "
            f"AND {_LIVE}{_topic(topic)}",
            {"start": start, "end": end, "topic": topic, "now": start},
        ))

    # ---- progress --------------------------------------------------------------------------
    def progress_by_topic(self, now: datetime) -> dict[str, TopicProgress]:
        """Card counts, mastery and last answer of every topic, in one pass over the cards."""
        horizon = to_ms(now) + MASTERY_HORIZON_DAYS * DAY_MS
        rows = self.conn.execute(
            "SELECT topic, COUNT(*), SUM(state != 0), SUM(suspended), SUM(leech), "
            "SUM(state = 1 AND suspended = 0), SUM(state = 2 AND suspended = 0), "
            f"SUM(state = 3 AND suspended = 0), COALESCE(SUM({recall_sql(now='?', decay=self.decay())}), 0.0), "
            "MAX(last_answer) FROM cards WHERE retired = 0 GROUP BY topic",
            (horizon,),
        )
        return {
            name: TopicProgress(int(n), int(seen), int(sus), int(leech), int(lrn), int(rev), int(rel),
                                float(recall), last)
            for name, n, seen, sus, leech, lrn, rev, rel, recall, last in rows
        }

    def active_days(self, until: int) -> Iterator[int]:
        """Study days with an answer, from `until` backwards."""
        return (int(r[0]) for r in self._stream(
            "SELECT DISTINCT day FROM daily WHERE day <= ? ORDER BY day DESC", (until,)
        ))

    def streak_days(self, now: datetime) -> int:
        """Consecutive study days with an answer, ending today (or yesterday: today is not over)."""
        today = study_day(now)
        count, expected = 0, None
        for day in self.active_days(today):
            if expected is None:
                if day < today - 1:
                    return 0
                expected = day
            if day != expected:
                break
            count, expected = count + 1, day - 1
        return count


def take(
    rows: Iterable[Any], n: int, live: KeyFilter | None, used_items: set[str], buried: set[str]
) -> list[CardRow]:
    """Up to n rows, one per item, skipping buried items and cards `live` rejects (`used_items`
    collects the items taken)."""
    taken: list[CardRow] = []
    if n <= 0:
        return taken
    for row in rows:
        cid, key, item_id, topic, state = row[:5]
        if item_id in buried or item_id in used_items or (live is not None and not live(key)):
            continue
        used_items.add(item_id)
        taken.append((cid, key, item_id, topic, state))
        if len(taken) >= n:
            break
    return taken


def turns(lanes: list[list[T]]) -> list[T]:
    """Round-robin over the lanes, each in its own order (the queue takes topics in turn too)."""
    out: list[T] = []
    depth = 0
    while lanes:
        lanes = [lane for lane in lanes if depth < len(lane)]
        out.extend(lane[depth] for lane in lanes)
        depth += 1
    return out


def _closing_merge(streams: list[Rows], key: int) -> Rows:
    """heapq.merge of ordered row streams by (row[key], id), closing them all at the end."""
    try:
        yield from heapq.merge(*streams, key=lambda row: (row[key], row[0]))
    finally:
        for stream in streams:
            stream.close()
