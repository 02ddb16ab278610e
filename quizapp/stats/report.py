"""Full statistics over the review log: `report(store, library, settings, now) -> StatsReport`.

Everything is aggregated in SQL (GROUP BY over indexed columns) so 1,000,000 reviews and 100,000
cards take well under a second; Python only touches per-day, per-topic and per-family rows.

Definitions (the stats screen and `quizapp stats` show these):
- A day is a study day as in quizapp.srs.days: local time, starting at ROLLOVER_HOUR (04:00).
- Activity (heatmap, today, streak) counts every answer, practice included.
- Forecast: cards due per day for the next 30 days; day 0 also holds everything overdue. Suspended
  cards and cards no longer in the content ("retired") are left out.
- Mastery of a topic: mean predicted recall (fsrs retrievability now) over the topic's cards in the
  library, unseen cards counting 0. Coverage: the share of the topic's cards studied at least once.
- True retention (Anki's true-retention table): scheduled answers to cards in the review state,
  pass = any rating but Again, over the last 7, 30 and 365 days. New cards, learning and relearning
  steps and practice answers are left out. A review-state card has an interval of at least a day,
  so this is "the first answer of the card that day" without a per-card sort.
- Exercise accuracy per family: checked answers (correct or wrong), practice and drills included.
- Calibration: every scheduled answer whose predicted recall before it (`reviews.r_before`) was
  known and below 1 (same-day reviews predict exactly 1 and are left out, as in srs-benchmark):
  log loss and RMSE over 10 bins of predicted recall. None below MIN_CALIBRATION_REVIEWS.
- Retention, exercise accuracy, mistakes and calibration read the most recent LOG_WINDOW answers
  at most (years of study for a person), so their cost stays bounded however long the log grows.

Speed: no query sorts the whole log. The heatmap is 365 range counts on the `ts` index; retention,
exercises and calibration come from one GROUP BY pass over at most LOG_WINDOW rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from quizapp.config import Settings
from quizapp.i18n import Bilingual
from quizapp.srs.days import ROLLOVER_HOUR
from quizapp.srs.recall import DECAY, FACTOR
from quizapp.stats.measures import (
    CALIBRATION_BINS,
    MIN_CALIBRATION_REVIEWS,
    Calibration,
    CalibrationAccumulator,
    Retention,
    streak_days,
)
from quizapp.stats.mistakes import describe_note
from quizapp.textsafe import shorten

DAY_MS = 86_400_000
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
RETENTION_WINDOWS = (7, 30, 365)
TOP_MISTAKES = 5
LOG_WINDOW = 50_000  # answers; a year at ~140 a day


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
    mastery: float  # mean predicted recall, unseen = 0
    due: int  # due now (today's day 0 of the forecast, this topic only)

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
    extra: dict[str, Any] = field(default_factory=dict)

    def retention_over(self, days: int) -> Retention | None:
        return next((w.retention for w in self.retention if w.days == days), None)

    @property
    def true_retention(self) -> Retention:
        """The 30-day window (Anki's 'month' column)."""
        found = self.retention_over(30)
        return found if found is not None else Retention(0, 0, self.desired_retention)

    def to_dict(self) -> dict[str, object]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "today": {
                "date": self.today.isoformat(), "reviews": self.reviews_today,
                "seconds": round(self.seconds_today, 3), "again": self.again_today,
                "new": self.new_today,
            },
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


def report(store: Any, library: Any, settings: Settings, now: datetime) -> StatsReport:
    """All statistics at `now` (UTC-aware). `store` is a quizapp.store Store (or anything with .conn)."""
    conn = connection_of(store)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    offset = day_offset_ms(now)
    now_ms = int(now.timestamp() * 1000)
    today_index = (now_ms + offset) // DAY_MS
    today = day_of_index(today_index)

    first_index = today_index - HEATMAP_DAYS + 1
    per_day = _reviews_per_day(conn, offset, first_index, today_index)
    heatmap = tuple(DayCount(day_of_index(first_index + i), n) for i, n in enumerate(per_day))
    active = {d.day for d in heatmap if d.reviews}
    streak = streak_days(active, today)
    if streak >= HEATMAP_DAYS - 1:  # the streak runs past the heatmap: look further back
        streak += _active_days_before(conn, offset, first_index)
    reviews_today, ms_today, again_today, new_today = _today_detail(conn, offset, today_index)

    forecast_rows = _forecast(conn, offset, today_index)
    forecast = tuple(forecast_rows.get(today_index + i, 0) for i in range(FORECAST_DAYS))
    first_id = _log_window_start(conn)
    retention, family_list, calibration = _log_aggregates(
        conn, offset, today_index, first_id, settings.desired_retention
    )
    families = tuple(family_list)
    ranked = sorted((m for f in families for m in f.mistakes), key=lambda m: (-m.count, m.family, m.note))
    topics, card_counts = _topics_and_counts(conn, library, now_ms, offset, today_index)

    return StatsReport(
        generated_at=now,
        today=today,
        desired_retention=settings.desired_retention,
        reviews_today=reviews_today,
        seconds_today=ms_today / 1000,
        again_today=again_today,
        new_today=new_today,
        streak_days=streak,
        total_reviews=conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0],
        heatmap=heatmap,
        forecast=forecast,
        card_counts=card_counts,
        topics=tuple(topics),
        retention=tuple(retention),
        families=families,
        top_mistakes=tuple(ranked[:TOP_MISTAKES]),
        calibration=calibration,
    )


def connection_of(store: Any) -> sqlite3.Connection:
    if isinstance(store, sqlite3.Connection):
        return store
    for name in ("conn", "connection", "db", "_conn"):
        conn = getattr(store, name, None)
        if isinstance(conn, sqlite3.Connection):
            return conn
    raise TypeError(f"cannot find an sqlite3 connection on {type(store).__name__}")


def day_offset_ms(now: datetime) -> int:
    """Added to a UTC time in ms, then floor-divided by a day, it gives the study-day index.

    The learner's local UTC offset at `now`, less the rollover hour (a study day starts at 04:00).
    """
    delta = (now.astimezone().utcoffset() or timedelta(0)) - timedelta(hours=ROLLOVER_HOUR)
    return int(delta.total_seconds() * 1000)


def day_of_index(index: int) -> date:
    return date(1970, 1, 1) + timedelta(days=index)


def _day_start_ms(index: int, offset: int) -> int:
    return index * DAY_MS - offset


def _reviews_per_day(conn: sqlite3.Connection, offset: int, first: int, last: int) -> list[int]:
    """Answers per day, first..last inclusive: one index-only range count per day (no sort)."""
    sql = "SELECT COUNT(*) FROM reviews WHERE ts >= ? AND ts < ?"
    return [
        conn.execute(sql, (_day_start_ms(d, offset), _day_start_ms(d + 1, offset))).fetchone()[0]
        for d in range(first, last + 1)
    ]


def _active_days_before(conn: sqlite3.Connection, offset: int, first: int) -> int:
    """How many consecutive days before day `first` have answers (one index probe per day)."""
    sql = "SELECT 1 FROM reviews WHERE ts >= ? AND ts < ? LIMIT 1"
    count, day = 0, first - 1
    while conn.execute(sql, (_day_start_ms(day, offset), _day_start_ms(day + 1, offset))).fetchone():
        count += 1
        day -= 1
    return count


def _today_detail(conn: sqlite3.Connection, offset: int, today_index: int) -> tuple[int, int, int, int]:
    start_ms = _day_start_ms(today_index, offset)
    n, ms, again, new = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(duration_ms), 0), COALESCE(SUM(rating = 1), 0), "
        "COALESCE(SUM(state_before = 0 AND practice = 0), 0) FROM reviews WHERE ts >= ? AND ts < ?",
        (start_ms, start_ms + DAY_MS),
    ).fetchone()
    return int(n), int(ms), int(again), int(new)


def _log_window_start(conn: sqlite3.Connection) -> int:
    """The first review id of the LOG_WINDOW most recent answers (ids grow with each answer).

    By id, not time: a rowid range reads the table in order, and ties in time cannot widen it.
    """
    last = conn.execute("SELECT MAX(id) FROM reviews").fetchone()[0]
    return max(0, int(last or 0) - LOG_WINDOW + 1)


def _forecast(conn: sqlite3.Connection, offset: int, today_index: int) -> dict[int, int]:
    end_ms = _day_start_ms(today_index + FORECAST_DAYS, offset)
    rows = conn.execute(
        "SELECT MAX(?, (due + ?) / ?) AS d, COUNT(*) FROM cards "
        "WHERE state > 0 AND due < ? AND suspended = 0 AND retired = 0 GROUP BY d",
        (today_index, offset, DAY_MS, end_ms),
    )
    return dict(rows.fetchall())


def _topics_and_counts(
    conn: sqlite3.Connection, library: Any, now_ms: int, offset: int, today_index: int
) -> tuple[list[TopicStats], dict[str, int]]:
    """Mastery, coverage and due per topic, and card counts by state, from one pass over cards."""
    end_today_ms = _day_start_ms(today_index + 1, offset)
    per_topic: dict[str, list[float]] = {}
    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0, "leech": 0}
    seen_total = 0
    # Whole elapsed days as fsrs counts them; pow() is SQLite's built-in math function.
    # GROUP BY topic alone walks the cards_topic index (no sort); the rest are conditional sums.
    for topic, n, recall, due, learning, review, relearning, suspended, leech in conn.execute(
        "SELECT topic, COUNT(*), "
        "SUM(CASE WHEN stability > 0 AND last_review IS NOT NULL "
        "THEN pow(1 + ? * MAX(0, (? - last_review) / ?) / stability, ?) ELSE 0.0 END), "
        "SUM(suspended = 0 AND due < ?), SUM(state = 1 AND suspended = 0), "
        "SUM(state = 2 AND suspended = 0), SUM(state = 3 AND suspended = 0), SUM(suspended), SUM(leech) "
        "FROM cards WHERE retired = 0 AND state > 0 GROUP BY topic",
        (FACTOR, now_ms, DAY_MS, DECAY, end_today_ms),
    ):
        per_topic[topic] = [n, recall or 0.0, due or 0]
        seen_total += n
        for name, value in (("learning", learning), ("review", review), ("relearning", relearning),
                            ("suspended", suspended), ("leech", leech)):
            counts[name] += value or 0
    total_cards = len(library.cards)
    counts["new"] = max(0, total_cards - seen_total)  # cards in the content never studied
    counts["total"] = total_cards
    topics: list[TopicStats] = []
    for topic in library.topics:
        total = len(library.cards_of(topic.id))
        n, recall, due = per_topic.get(topic.id, (0, 0.0, 0))
        topics.append(TopicStats(
            topic_id=topic.id,
            title=topic.title,
            cards=total,
            seen=min(int(n), total),
            mastery=min(1.0, recall / total) if total else 0.0,
            due=int(due),
        ))
    return topics, counts


LogAggregates = tuple[list[RetentionWindow], list[FamilyStats], Calibration | None]


def _log_aggregates(
    conn: sqlite3.Connection, offset: int, today_index: int, first_id: int, target: float
) -> LogAggregates:
    """True retention, exercise accuracy with mistakes, and calibration in ONE pass over the
    window of the log (its rows are wide: reading them once is most of the cost)."""
    starts = [_day_start_ms(today_index - days + 1, offset) for days in RETENTION_WINDOWS]
    rows = conn.execute(
        "SELECT family, kind = 'exercise', status, note, "
        " CASE WHEN practice = 0 AND r_before IS NOT NULL AND r_before < 1 "
        "  THEN MIN(?, CAST(r_before * ? AS INTEGER)) ELSE -1 END AS b, "
        " CASE WHEN practice = 0 AND state_before = 2 THEN (ts >= ?) + (ts >= ?) + (ts >= ?) ELSE 0 END AS rw, "
        " COUNT(*), SUM(rating > 1), SUM(r_before), "
        " SUM(CASE WHEN practice = 0 AND r_before IS NOT NULL AND r_before < 1 THEN "
        "  CASE WHEN rating > 1 THEN -ln(MAX(r_before, 1e-6)) ELSE -ln(MAX(1 - r_before, 1e-6)) END "
        "  ELSE 0 END) "
        "FROM reviews WHERE id >= ? GROUP BY 1, 2, 3, 4, 5, 6",
        (CALIBRATION_BINS - 1, CALIBRATION_BINS, *starts, first_id),
    ).fetchall()
    # rw = how many retention windows (newest first) hold the answer: 3 = all, 1 = only the longest.
    retention_totals = [[0, 0] for _ in RETENTION_WINDOWS]
    acc = CalibrationAccumulator()
    attempts: dict[str, list[int]] = {}
    notes: dict[str, dict[str, int]] = {}
    windows = len(RETENTION_WINDOWS)
    for family, is_exercise, status, note, b, rw, n, passed, sum_p, loss in rows:
        for i in range(windows):
            if rw >= windows - i:
                retention_totals[i][0] += n
                retention_totals[i][1] += passed
        if b >= 0:
            acc.add_bin(int(b), int(n), float(sum_p), float(passed), float(loss))
        if is_exercise and family and status in ("correct", "wrong"):
            per_family = attempts.setdefault(family, [0, 0])
            per_family[0] += n
            if status == "correct":
                per_family[1] += n
            elif note:
                per_note = notes.setdefault(family, {})
                per_note[note] = per_note.get(note, 0) + n
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
