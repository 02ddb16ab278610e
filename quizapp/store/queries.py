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

from collections.abc import Generator, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from quizapp.config import Settings
from quizapp.forgetting import MASTERY_HORIZON_DAYS, recall_sql
from quizapp.store.base import StoreBase
from quizapp.timing import DAY_MS, day_bounds_ms, study_day, to_ms

LEARN_AHEAD = timedelta(minutes=20)

CardRow = tuple[int, str, str, str, int]  # id, key, item_id, topic, state: a queue candidate
Rows = Generator[CardRow, None, None]  # close() it when done early

_LIVE = "suspended = 0 AND retired = 0"
_DUE_REVIEW = f"state = 2 AND due < :day_end AND {_LIVE}"
_DUE_LEARNING = (
    f"state IN (1, 3) AND (due <= :ahead OR (due < :day_end AND due - last_review >= {DAY_MS})) "
    f"AND {_LIVE}"
)
_NEW = f"state = 0 AND {_LIVE}"
_BURIED = "SELECT item_id FROM reviews WHERE ts >= :day_start AND ts < :day_end AND practice = 0"
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
    review_backlog: int = 0  # review cards due today, before limits and burying

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

    @property
    def mastery(self) -> float:
        return min(1.0, self.recall / self.cards) if self.cards else 0.0

    @property
    def coverage(self) -> float:
        return self.seen / self.cards if self.cards else 0.0


def _topic(topic: str | None) -> str:
    return " AND topic = :topic" if topic else ""


def _day_params(now: datetime) -> dict[str, Any]:
    start, end = day_bounds_ms(study_day(now))
    return {"day_start": start, "day_end": end, "ahead": to_ms(now + LEARN_AHEAD)}


class QueueQueries(StoreBase):
    # ---- today's answers -----------------------------------------------------------------
    def today_counts(self, now: datetime) -> TodayCounts:
        start, end = day_bounds_ms(study_day(now))
        row = self.conn.execute(
            "SELECT COALESCE(SUM(practice = 0 AND state_before = 0), 0), "
            "COALESCE(SUM(practice = 0 AND state_before IN (0, 2)), 0), COUNT(*), "
            "COALESCE(SUM(duration_ms), 0) FROM reviews WHERE ts >= ? AND ts < ?",
            (start, end),
        ).fetchone()
        return TodayCounts(row[0], row[1], row[2], row[3] / 1000)

    def items_studied_today(self, now: datetime) -> set[str]:
        """Items with a scheduled answer today: their siblings are buried until tomorrow."""
        params = _day_params(now)
        return {r[0] for r in self.conn.execute(_BURIED, params)}

    def day_limits(self, now: datetime, settings: Settings) -> tuple[int, int]:
        """(new cards left, new + review answers left) under today's limits."""
        counts = self.today_counts(now)
        cap_left = max(0, settings.reviews_per_day - counts.capped)
        return max(0, settings.new_per_day - counts.introduced), cap_left

    # ---- the queue's candidates ----------------------------------------------------------
    def due_reviews(self, now: datetime, topic: str | None = None) -> Rows:
        """Review cards due today, most overdue first (the queue takes one per item)."""
        params = {**_day_params(now), "topic": topic}
        return self._stream(
            f"SELECT {_ROW} FROM cards INDEXED BY cards_state_due WHERE {_DUE_REVIEW}{_topic(topic)} "
            "ORDER BY due, id",
            params,
        )

    def new_cards(self, topic: str | None = None) -> Rows:
        """New cards in library order."""
        return self._stream(
            f"SELECT {_ROW} FROM cards INDEXED BY cards_state_ord WHERE {_NEW}{_topic(topic)} "
            "ORDER BY ord, id",
            {"topic": topic},
        )

    def learning_due(self, now: datetime, topic: str | None = None, limit: int = 50) -> list[CardRow]:
        """Learning/relearning cards due at `now` (see _DUE_LEARNING), earliest first."""
        params = {**_day_params(now), "ahead": to_ms(now), "topic": topic, "limit": limit}
        return self.conn.execute(
            f"SELECT {_ROW} FROM cards INDEXED BY cards_state_due WHERE {_DUE_LEARNING}{_topic(topic)} "
            "ORDER BY due, id LIMIT :limit",
            params,
        ).fetchall()

    def weakest_cards(self, now: datetime, topic: str | None = None) -> Rows:
        """Studied cards, lowest predicted recall now first (practice sessions)."""
        return self._stream(
            f"SELECT {_ROW} FROM cards WHERE state != 0 AND {_LIVE}{_topic(topic)} "
            f"ORDER BY {recall_sql(now=':now')}, due, id",
            {"now": to_ms(now), "topic": topic},
        )

    # ---- what is due -------------------------------------------------------------------------
    def due_counts(self, now: datetime, settings: Settings, topic: str | None = None) -> DueCounts:
        """Anki's new · learning · review for everything (or one topic), as defined above."""
        return _limited(_sum(self._raw_due(now, topic).values()), *self.day_limits(now, settings))

    def due_overview(self, now: datetime, settings: Settings) -> tuple[DueCounts, dict[str, DueCounts]]:
        """due_counts for everything and for each topic (each within the day's limits on its own,
        as in Anki's deck list: the topics' numbers can add up to more than the total)."""
        raw = self._raw_due(now, None)
        limits = self.day_limits(now, settings)
        return _limited(_sum(raw.values()), *limits), {t: _limited(c, *limits) for t, c in raw.items()}

    def _raw_due(self, now: datetime, topic: str | None) -> dict[str, DueCounts]:
        params = {**_day_params(now), "topic": topic}
        where = _topic(topic)
        out: dict[str, list[int]] = {}
        for name, n, backlog in self.conn.execute(
            f"SELECT topic, COUNT(DISTINCT CASE WHEN item_id NOT IN ({_BURIED}) THEN item_id END), "
            f"COUNT(*) FROM cards WHERE {_DUE_REVIEW}{where} GROUP BY topic",
            params,
        ):
            out.setdefault(name, [0, 0, 0, 0])[2:] = [n, backlog]
        for name, n in self.conn.execute(
            f"SELECT topic, COUNT(*) FROM cards WHERE {_DUE_LEARNING}{where} GROUP BY topic", params
        ):
            out.setdefault(name, [0, 0, 0, 0])[1] = n
        for name, n in self.conn.execute(
            f"SELECT topic, COUNT(DISTINCT item_id) FROM cards WHERE {_NEW}{where} "
            f"AND item_id NOT IN ({_BURIED}) "
            f"AND item_id NOT IN (SELECT item_id FROM cards WHERE {_DUE_REVIEW}) GROUP BY topic",
            params,
        ):
            out.setdefault(name, [0, 0, 0, 0])[0] = n
        return {name: DueCounts(*counts) for name, counts in out.items()}

    def due_on_day(self, day: int, topic: str | None = None) -> int:
        """Cards (learning or review) falling due during study day `day` (not before it)."""
        start, end = day_bounds_ms(day)
        return int(self._one(
            f"SELECT COUNT(*) FROM cards WHERE state != 0 AND due >= :start AND due < :end "
            f"AND {_LIVE}{_topic(topic)}",
            {"start": start, "end": end, "topic": topic},
        ))

    # ---- progress --------------------------------------------------------------------------
    def progress_by_topic(self, now: datetime) -> dict[str, TopicProgress]:
        """Card counts and mastery of every topic, in one pass over the cards."""
        horizon = to_ms(now) + MASTERY_HORIZON_DAYS * DAY_MS
        rows = self.conn.execute(
            "SELECT topic, COUNT(*), SUM(state != 0), SUM(suspended), SUM(leech), "
            "SUM(state = 1 AND suspended = 0), SUM(state = 2 AND suspended = 0), "
            f"SUM(state = 3 AND suspended = 0), COALESCE(SUM({recall_sql(now='?')}), 0.0) "
            "FROM cards WHERE retired = 0 GROUP BY topic",
            (horizon,),
        )
        return {
            name: TopicProgress(int(n), int(seen), int(sus), int(leech), int(lrn), int(rev), int(rel), float(recall))
            for name, n, seen, sus, leech, lrn, rev, rel, recall in rows
        }

    def last_studied(self, topic: str) -> int | None:
        """When a card of the topic was last answered (ms; practice included)."""
        found = self._one("SELECT MAX(ts) FROM reviews WHERE topic = ?", (topic,))
        return None if found is None else int(found)

    def active_on(self, day: int) -> bool:
        """Whether anything was answered on study day `day`."""
        start, end = day_bounds_ms(day)
        return self._one("SELECT 1 FROM reviews WHERE ts >= ? AND ts < ? LIMIT 1", (start, end)) is not None

    def streak_days(self, now: datetime) -> int:
        """Consecutive study days with an answer, ending today (or yesterday: today is not over)."""
        day = study_day(now)
        if not self.active_on(day):
            day -= 1
        count = 0
        while self.active_on(day - count):
            count += 1
        return count


def _sum(counts: Iterable[DueCounts]) -> DueCounts:
    new = learning = review = backlog = 0
    for c in counts:
        new, learning, review, backlog = new + c.new, learning + c.learning, review + c.review, backlog + c.review_backlog
    return DueCounts(new, learning, review, backlog)


def _limited(raw: DueCounts, new_left: int, cap_left: int) -> DueCounts:
    """Apply the day's limits as the queue does: reviews first, then new cards."""
    review = min(raw.review, cap_left)
    new = max(0, min(raw.new, new_left, cap_left - review))
    return DueCounts(new, raw.learning, review, raw.review_backlog)
