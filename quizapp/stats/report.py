"""Full statistics over the review log: `report(store, library, settings, now) -> StatsReport`.

Every figure comes from a typed question to the store (quizapp.store), aggregated in SQL; Python
only touches per-day, per-topic and per-family rows.

Definitions (the stats screen and `quizapp stats` show these):
- A day is a study day of quizapp.timing: local time, starting at 04:00, daylight saving included.
- Activity (heatmap, today, streak) counts every answer, practice included.
- Due: new · learning · review as a session started now would offer them (quizapp.store.queries
  defines it once, for every screen and command).
- Forecast: cards due per day for the next 30 days; day 0 also holds everything overdue. Suspended
  cards and cards no longer in the content ("retired") are left out.
- Mastery of a topic: mean predicted recall a month from now over the topic's cards, unseen cards
  counting 0 (quizapp.store.queries). Coverage: the share of the topic's cards studied at least once.
- True retention (Anki's true-retention table): scheduled answers to cards in the review state,
  pass = any rating but Again, over the last 7, 30 and 365 days. New cards, learning and relearning
  steps and practice answers are left out. A review-state card has an interval of at least a day,
  so this is "the first answer of the card that day" without a per-card sort.
- Exercise accuracy per family: checked answers (correct or wrong), practice and drills included.
- Calibration: every scheduled answer whose predicted recall before it (`reviews.r_before`) was
  known and below 1 (same-day reviews predict exactly 1 and are left out, as in srs-benchmark):
  log loss and RMSE over 10 bins of predicted recall. None below MIN_CALIBRATION_REVIEWS.
- Exercise accuracy, mistakes and calibration cover the whole log; every figure covers exactly
  the period it names, read from the per-day aggregates the store keeps as the log grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from quizapp.config import Settings
from quizapp.i18n import Bilingual
from quizapp.stats.measures import (
    MIN_CALIBRATION_REVIEWS,
    Calibration,
    CalibrationAccumulator,
    Retention,
)
from quizapp.stats.mistakes import describe_note
from quizapp.store.queries import DueCounts, TopicProgress
from quizapp.textsafe import shorten
from quizapp.timing import day_date, study_day

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.store import Store

HEATMAP_DAYS = 365
FORECAST_DAYS = 30
RETENTION_WINDOWS = (7, 30, 365)
TOP_MISTAKES = 5


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int

    def to_dict(self) -> dict[str, object]:
        return {"day": self.day.isoformat(), "reviews": self.reviews}


@dataclass(frozen=True)
class TopicStats:
    topic_id: str
    title: Bilingual
    cards: int
    seen: int
    mastery: float  # mean predicted recall a month from now, unseen = 0
    due: int  # learning + review due now, as in DueCounts.due (this topic only)

    @property
    def coverage(self) -> float:
        return self.seen / self.cards if self.cards else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "topic": self.topic_id, "title": self.title.to_dict(), "cards": self.cards,
            "seen": self.seen, "coverage": self.coverage, "mastery": self.mastery, "due": self.due,
        }


@dataclass(frozen=True)
class MistakeStat:
    family: str  # '' for non-exercise cards (choice, cloze)
    family_title: Bilingual
    note: str
    count: int
    description: Bilingual  # gerund phrase: "forgetting the stride product"

    def sentence(self, lang: str) -> str:
        """The mistake in plain words, e.g. "Receptive field: most often forgetting the stride product (4×)"."""
        if lang == "zh":
            return f"{self.family_title.zh}：最常见的错误是{self.description.zh}（{self.count} 次）"
        return f"{self.family_title.en}: most often {self.description.en} ({self.count}×)"

    def to_dict(self) -> dict[str, object]:
        return {
            "family": self.family, "note": self.note, "count": self.count,
            "description": self.description.to_dict(), "family_title": self.family_title.to_dict(),
        }


@dataclass(frozen=True)
class FamilyStats:
    family: str
    title: Bilingual
    attempts: int
    correct: int
    mistakes: tuple[MistakeStat, ...] = ()  # most frequent first

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None

    def to_dict(self) -> dict[str, object]:
        return {
            "family": self.family, "title": self.title.to_dict(), "attempts": self.attempts,
            "correct": self.correct, "accuracy": self.accuracy,
            "mistakes": [m.to_dict() for m in self.mistakes],
        }


@dataclass(frozen=True)
class RetentionWindow:
    days: int
    retention: Retention

    def to_dict(self) -> dict[str, object]:
        return {"days": self.days, **self.retention.to_dict()}


@dataclass(frozen=True)
class StatsReport:
    generated_at: datetime
    today: date
    desired_retention: float
    reviews_today: int
    seconds_today: float
    again_today: int
    new_today: int
    streak_days: int
    total_reviews: int
    heatmap: tuple[DayCount, ...]  # HEATMAP_DAYS days ending today, oldest first
    forecast: tuple[int, ...]  # FORECAST_DAYS counts, [0] = due today incl. overdue
    card_counts: dict[str, int]  # new, learning, review, relearning, suspended, leech, total
    topics: tuple[TopicStats, ...]
    retention: tuple[RetentionWindow, ...]
    families: tuple[FamilyStats, ...]
    top_mistakes: tuple[MistakeStat, ...]
    calibration: Calibration | None
    due: DueCounts = DueCounts()  # what a session started now would offer (new · learning · review)
    extra: dict[str, Any] = field(default_factory=dict)

    def retention_over(self, days: int) -> Retention | None:
        return next((w.retention for w in self.retention if w.days == days), None)

    def to_dict(self) -> dict[str, object]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "today": {
                "date": self.today.isoformat(), "reviews": self.reviews_today,
                "seconds": round(self.seconds_today, 3), "again": self.again_today,
                "new": self.new_today,
            },
            "due": self.due.to_dict(),
            "streak_days": self.streak_days,
            "total_reviews": self.total_reviews,
            "desired_retention": self.desired_retention,
            "heatmap": [d.to_dict() for d in self.heatmap],
            "forecast": list(self.forecast),
            "card_counts": dict(self.card_counts),
            "topics": [t.to_dict() for t in self.topics],
            "retention": [w.to_dict() for w in self.retention],
            "families": [f.to_dict() for f in self.families],
            "top_mistakes": [m.to_dict() for m in self.top_mistakes],
            "calibration": self.calibration.to_dict() if self.calibration else None,
        }


# ---- the report ----------------------------------------------------------------------------------


def report(store: Store, library: Library, settings: Settings, now: datetime) -> StatsReport:
    """All statistics at `now` (UTC-aware), from the store's aggregates."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    today_index = study_day(now)
    first_index = today_index - HEATMAP_DAYS + 1
    per_day = store.answers_per_day(first_index, today_index)
    heatmap = tuple(DayCount(day_date(first_index + i), n) for i, n in enumerate(per_day))
    today = store.day_summary(today_index)
    retention, family_list, calibration = _log_aggregates(store, today_index, settings.desired_retention)
    families = tuple(family_list)
    ranked = sorted((m for f in families for m in f.mistakes), key=lambda m: (-m.count, m.family, m.note))
    due, due_by_topic = store.due_overview(now, settings)
    topics, card_counts = _topics_and_counts(store, library, due_by_topic, now)
    return StatsReport(
        generated_at=now,
        today=day_date(today_index),
        desired_retention=settings.desired_retention,
        reviews_today=today.answers,
        seconds_today=today.seconds,
        again_today=today.again,
        new_today=today.new,
        streak_days=store.streak_days(now),
        total_reviews=store.review_count(),
        heatmap=heatmap,
        forecast=tuple(store.forecast(today_index, FORECAST_DAYS)),
        card_counts=card_counts,
        topics=tuple(topics),
        retention=tuple(retention),
        families=families,
        top_mistakes=tuple(ranked[:TOP_MISTAKES]),
        calibration=calibration,
        due=due,
    )


def _topics_and_counts(
    store: Store, library: Library, due: dict[str, DueCounts], now: datetime
) -> tuple[list[TopicStats], dict[str, int]]:
    """Mastery, coverage and due per topic, and card counts by state."""
    progress = store.progress_by_topic(now)
    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0, "leech": 0}
    seen_total = 0
    for p in progress.values():
        seen_total += p.seen
        for name, value in (("learning", p.learning), ("review", p.review), ("relearning", p.relearning),
                            ("suspended", p.suspended), ("leech", p.leeches)):
            counts[name] += value
    total_cards = len(library.cards)
    counts["new"] = max(0, total_cards - seen_total)  # cards in the content never studied
    counts["total"] = total_cards
    topics: list[TopicStats] = []
    for topic in library.topics:
        p = progress.get(topic.id, TopicProgress())
        topics.append(TopicStats(
            topic_id=topic.id,
            title=topic.title,
            cards=p.cards,
            seen=p.seen,
            mastery=p.mastery,
            due=due.get(topic.id, DueCounts()).due,
        ))
    return topics, counts


LogAggregates = tuple[list[RetentionWindow], list[FamilyStats], Calibration | None]


def _log_aggregates(store: Store, today_index: int, target: float) -> LogAggregates:
    """True retention, exercise accuracy with mistakes, and calibration from the day aggregates."""
    groups = store.answer_groups(RETENTION_WINDOWS, today_index)
    retention_totals = [[0, 0] for _ in RETENTION_WINDOWS]
    acc = CalibrationAccumulator()
    attempts: dict[str, list[int]] = {}
    notes: dict[str, dict[str, int]] = {}
    windows = len(RETENTION_WINDOWS)
    for g in groups:
        for i in range(windows):  # retention_windows = how many windows hold the answer
            if g.retention_windows >= windows - i:
                retention_totals[i][0] += g.count
                retention_totals[i][1] += g.passed
        if g.calibration_bin >= 0:
            acc.add_bin(g.calibration_bin, g.count, g.sum_predicted, float(g.passed), g.log_loss)
        if g.family and g.status in ("correct", "wrong"):
            per_family = attempts.setdefault(g.family, [0, 0])
            per_family[0] += g.count
            if g.status == "correct":
                per_family[1] += g.count
            elif g.note:
                per_note = notes.setdefault(g.family, {})
                per_note[g.note] = per_note.get(g.note, 0) + g.count
    retention = [
        RetentionWindow(days, Retention(retention_totals[i][0], retention_totals[i][1], target))
        for i, days in enumerate(RETENTION_WINDOWS)
    ]
    families: list[FamilyStats] = []
    for name in sorted(attempts, key=_family_order):
        title = family_title(name)
        ranked = sorted(notes.get(name, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        mistakes = tuple(
            MistakeStat(name, title, note, count, describe_note(note, name)) for note, count in ranked
        )
        total, correct = attempts[name]
        families.append(FamilyStats(name, title, total, correct, mistakes))
    return retention, families, acc.result(MIN_CALIBRATION_REVIEWS)


def _family_order(name: str) -> tuple[int, str]:
    from quizapp.exercises.catalog import CATALOG

    names = list(CATALOG)
    return (names.index(name) if name in names else len(names), name)


def family_title(name: str) -> Bilingual:
    """The family's own title if it loads, else its name (stats never fail on a broken family)."""
    try:
        from quizapp.exercises import get_family

        title = get_family(name).title
        if isinstance(title, Bilingual):
            return title
    except Exception:
        pass
    readable = shorten(name.replace("_", " "), 80)  # a name from an imported log: one harmless line
    return Bilingual(readable, readable)
