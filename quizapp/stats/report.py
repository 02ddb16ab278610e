"""Full statistics over the review log: `report(store, library, settings, now) -> StatsReport`.

Everything is aggregated in SQL (GROUP BY over indexed columns) so 1,000,000 reviews and 100,000
cards take well under a second; Python only touches per-day, per-topic and per-family rows.

Definitions (the stats screen and `quizapp stats` show these):
- A day is a calendar day in the learner's local time zone (the UTC offset of `now` in local time).
- Activity (heatmap, today, streak) counts every answer, practice included.
- Forecast: cards due per day for the next 30 days; day 0 also holds everything overdue. Suspended
  cards and cards no longer in the content ("retired") are left out.
- Mastery of a topic: mean predicted recall (fsrs retrievability now) over the topic's cards in the
  library, unseen cards counting 0. Coverage: the share of the topic's cards studied at least once.
- True retention (Anki's definition): the first scheduled answer of a card on a day, pass = any
  rating but Again. A card's very first answer (it was new) and practice answers are left out.
- Exercise accuracy per family: checked answers (correct or wrong), practice and drills included.
- Calibration: every scheduled answer whose predicted recall before it (`reviews.r_before`) was
  known and below 1 (same-day reviews predict exactly 1 and are left out, as in srs-benchmark):
  log loss and RMSE over 10 bins of predicted recall. None below MIN_CALIBRATION_REVIEWS.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from quizapp.config import Settings
from quizapp.i18n import Bilingual
from quizapp.stats.measures import (
    CALIBRATION_BINS,
    MIN_CALIBRATION_REVIEWS,
    Calibration,
    CalibrationAccumulator,
    Retention,
    streak_days,
)
from quizapp.stats.mistakes import describe_note

DAY_MS = 86_400_000
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
RETENTION_WINDOWS = (7, 30, 365)
TOP_MISTAKES = 5
FSRS_DEFAULT_DECAY = -0.1542  # -w20 of fsrs 6 default parameters (what quizapp.srs uses)


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

    per_day = _reviews_per_day(conn, offset, today_index - HEATMAP_DAYS + 1)
    counts = {day_of_index(d): n for d, (n, _) in per_day.items()}
    heatmap = tuple(
        DayCount(day_of_index(d), per_day.get(d, (0, 0))[0])
        for d in range(today_index - HEATMAP_DAYS + 1, today_index + 1)
    )
    streak = streak_days(counts, today)
    if streak >= HEATMAP_DAYS - 1:  # the streak runs past the heatmap: look further back
        streak = streak_days(_all_active_days(conn, offset), today)
    reviews_today, ms_today = per_day.get(today_index, (0, 0))
    again_today, new_today = _today_detail(conn, offset, today_index)

    forecast_rows = _forecast(conn, offset, today_index)
    forecast = tuple(forecast_rows.get(today_index + i, 0) for i in range(FORECAST_DAYS))
    families = tuple(_families(conn))
    ranked = sorted((m for f in families for m in f.mistakes), key=lambda m: (-m.count, m.family, m.note))

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
        card_counts=_card_counts(conn, library),
        topics=tuple(_topics(conn, library, now_ms, offset, today_index)),
        retention=tuple(_retention(conn, offset, today_index, settings.desired_retention)),
        families=families,
        top_mistakes=tuple(ranked[:TOP_MISTAKES]),
        calibration=_calibration(conn),
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
    """The learner's local UTC offset at `now`, in ms (days start at local midnight)."""
    delta = now.astimezone().utcoffset() or timedelta(0)
    return int(delta.total_seconds() * 1000)


def day_of_index(index: int) -> date:
    return date(1970, 1, 1) + timedelta(days=index)


def _reviews_per_day(conn: sqlite3.Connection, offset: int, first_index: int) -> dict[int, tuple[int, int]]:
    start_ms = first_index * DAY_MS - offset
    rows = conn.execute(
        "SELECT (ts + ?) / ? AS d, COUNT(*), COALESCE(SUM(duration_ms), 0) FROM reviews "
        "WHERE ts >= ? GROUP BY d",
        (offset, DAY_MS, start_ms),
    )
    return {d: (n, ms) for d, n, ms in rows}


def _all_active_days(conn: sqlite3.Connection, offset: int) -> set[date]:
    rows = conn.execute("SELECT DISTINCT (ts + ?) / ? FROM reviews", (offset, DAY_MS))
    return {day_of_index(d) for (d,) in rows}


def _today_detail(conn: sqlite3.Connection, offset: int, today_index: int) -> tuple[int, int]:
    start_ms = today_index * DAY_MS - offset
    again, new = conn.execute(
        "SELECT COALESCE(SUM(rating = 1), 0), COALESCE(SUM(state_before = 0 AND practice = 0), 0) "
        "FROM reviews WHERE ts >= ? AND ts < ?",
        (start_ms, start_ms + DAY_MS),
    ).fetchone()
    return int(again), int(new)


def _forecast(conn: sqlite3.Connection, offset: int, today_index: int) -> dict[int, int]:
    end_ms = (today_index + FORECAST_DAYS) * DAY_MS - offset
    rows = conn.execute(
        "SELECT MAX(?, (due + ?) / ?) AS d, COUNT(*) FROM cards "
        "WHERE state > 0 AND suspended = 0 AND retired = 0 AND due IS NOT NULL AND due < ? GROUP BY d",
        (today_index, offset, DAY_MS, end_ms),
    )
    return dict(rows.fetchall())


def _card_counts(conn: sqlite3.Connection, library: Any) -> dict[str, int]:
    keys = {c.key for c in library.cards}
    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0, "leech": 0}
    seen = 0
    names = {1: "learning", 2: "review", 3: "relearning"}
    for state, suspended, leech, n in conn.execute(
        "SELECT state, suspended, leech, COUNT(*) FROM cards WHERE retired = 0 AND state > 0 "
        "GROUP BY state, suspended, leech"
    ):
        seen += n
        if suspended:
            counts["suspended"] += n
        elif state in names:
            counts[names[state]] += n
        if leech:
            counts["leech"] += n
    # New = cards in the content never studied (suspended new cards are rare; counted as new).
    counts["new"] = max(0, len(keys) - seen)
    counts["total"] = len(keys)
    return counts


def _topics(conn: sqlite3.Connection, library: Any, now_ms: int, offset: int, today_index: int) -> Iterable[TopicStats]:
    decay = FSRS_DEFAULT_DECAY
    factor = 0.9 ** (1 / decay) - 1
    end_today_ms = (today_index + 1) * DAY_MS - offset
    seen: dict[str, tuple[int, float, int]] = {}
    # Whole elapsed days as fsrs counts them; pow() is SQLite's built-in math function.
    for topic, n, recall, due in conn.execute(
        "SELECT topic, COUNT(*), "
        "SUM(CASE WHEN stability IS NULL OR stability <= 0 OR last_review IS NULL THEN 0.0 "
        "ELSE pow(1 + ? * MAX(0, (? - last_review) / ?) / stability, ?) END), "
        "SUM(suspended = 0 AND due IS NOT NULL AND due < ?) "
        "FROM cards WHERE retired = 0 AND state > 0 GROUP BY topic",
        (factor, now_ms, DAY_MS, decay, end_today_ms),
    ):
        seen[topic] = (n, recall or 0.0, due or 0)
    for topic in library.topics:
        total = len(library.cards_of(topic.id))
        n, recall, due = seen.get(topic.id, (0, 0.0, 0))
        n = min(n, total)
        yield TopicStats(
            topic_id=topic.id,
            title=topic.title,
            cards=total,
            seen=n,
            mastery=recall / total if total else 0.0,
            due=due,
        )


def _retention(conn: sqlite3.Connection, offset: int, today_index: int, target: float) -> Iterable[RetentionWindow]:
    longest = max(RETENTION_WINDOWS)
    start_ms = (today_index - longest + 1) * DAY_MS - offset
    # SQLite fills bare columns from the row holding MIN(ts): that is each card's first answer of the day.
    rows = conn.execute(
        "SELECT d, state_before, rating FROM ("
        " SELECT (ts + ?) / ? AS d, card_id, MIN(ts) AS first, state_before, rating FROM reviews"
        " WHERE practice = 0 AND ts >= ? GROUP BY card_id, d)"
        " WHERE state_before > 0",
        (offset, DAY_MS, start_ms),
    )
    totals = {days: [0, 0] for days in RETENTION_WINDOWS}
    for d, _state, rating in rows:
        age = today_index - d
        for days in RETENTION_WINDOWS:
            if age < days:
                totals[days][0] += 1
                totals[days][1] += rating > 1
    for days in RETENTION_WINDOWS:
        yield RetentionWindow(days, Retention(totals[days][0], totals[days][1], target))


def _families(conn: sqlite3.Connection) -> Iterable[FamilyStats]:
    """Accuracy per exercise family and its mistake notes, most frequent first."""
    attempts: dict[str, list[int]] = {}
    notes: dict[str, dict[str, int]] = {}
    for kind, family, status, note, n in conn.execute(
        "SELECT kind, family, status, note, COUNT(*) FROM reviews "
        "WHERE status IN ('correct', 'wrong') GROUP BY kind, family, status, note"
    ):
        name = family if kind == "exercise" and family else ""
        if not name:
            continue  # choice/cloze accuracy is not "exercise accuracy"; their notes are generic
        acc = attempts.setdefault(name, [0, 0])
        acc[0] += n
        if status == "correct":
            acc[1] += n
        elif note:
            notes.setdefault(name, {})[note] = notes.get(name, {}).get(note, 0) + n
    for name in sorted(attempts, key=lambda f: _family_order(f)):
        title = family_title(name)
        ranked = sorted(notes.get(name, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        mistakes = tuple(
            MistakeStat(name, title, note, count, describe_note(note, name)) for note, count in ranked
        )
        total, correct = attempts[name]
        yield FamilyStats(name, title, total, correct, mistakes)


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
    readable = name.replace("_", " ")
    return Bilingual(readable, readable)


def _calibration(conn: sqlite3.Connection) -> Calibration | None:
    acc = CalibrationAccumulator()
    for b, n, sum_p, sum_y, loss in conn.execute(
        "SELECT MIN(?, CAST(r_before * ? AS INTEGER)) AS b, COUNT(*), SUM(r_before), SUM(rating > 1), "
        "SUM(CASE WHEN rating > 1 THEN -ln(MAX(r_before, 1e-6)) ELSE -ln(MAX(1 - r_before, 1e-6)) END) "
        "FROM reviews WHERE practice = 0 AND r_before IS NOT NULL AND r_before < 1 GROUP BY b",
        (CALIBRATION_BINS - 1, CALIBRATION_BINS),
    ):
        acc.add_bin(max(0, int(b)), int(n), float(sum_p), float(sum_y), float(loss))
    return acc.result(MIN_CALIBRATION_REVIEWS)
