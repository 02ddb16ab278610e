"""Dashboard counts: cheap enough (indexed SQL, one pass over `cards`) to recompute on every screen.

Per topic: Anki's new · learning · review (quizapp.store.queries defines "due" once, as what a
session started now would offer), mastery (mean predicted recall a month from now over the
topic's cards, unseen = 0), last studied. Totals: the same three numbers for everything, answers
and time today, the streak.
Full statistics live in quizapp.stats.report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.config import Settings
from quizapp.store.queries import DueCounts, TopicProgress
from quizapp.timing import from_ms

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.store import Store


class _Queues:
    """The learning and review counts of a topic or of all of them."""

    learning: int
    review: int

    @property
    def due(self) -> int:
        """Learning + review: what must be done today."""
        return self.learning + self.review


@dataclass(frozen=True)
class TopicCounts(_Queues):
    topic_id: str
    new: int
    learning: int
    review: int
    mastery: float  # 0..1
    last_studied: datetime | None
    cards: int
    seen: int
    suspended: int


@dataclass(frozen=True)
class Totals(_Queues):
    new: int
    learning: int
    review: int
    reviewed_today: int
    seconds_today: float
    streak_days: int


@dataclass(frozen=True)
class Dashboard:
    topics: list[TopicCounts]
    totals: Totals

    def topic(self, topic_id: str) -> TopicCounts | None:
        return next((t for t in self.topics if t.topic_id == topic_id), None)


def dashboard(store: Store, library: Library, settings: Settings, now: datetime) -> Dashboard:
    total, due = store.due_overview(now, settings)
    progress = store.progress_by_topic(now)
    topics: list[TopicCounts] = []
    for topic in library.topics:
        d = due.get(topic.id, DueCounts())
        p = progress.get(topic.id, TopicProgress())
        last = p.last_answer
        topics.append(TopicCounts(
            topic_id=topic.id, new=d.new, learning=d.learning, review=d.review, mastery=p.mastery,
            last_studied=from_ms(last) if last is not None else None,
            cards=p.cards, seen=p.seen, suspended=p.suspended,
        ))
    today = store.today_counts(now)
    totals = Totals(
        new=total.new, learning=total.learning, review=total.review,
        reviewed_today=today.reviewed, seconds_today=today.seconds,
        streak_days=store.streak_days(now),
    )
    return Dashboard(topics, totals)
