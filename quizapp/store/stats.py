"""Aggregates for the statistics (quizapp.stats.report words and shapes them), read from `daily`:
every figure covers exactly the period it names, and costs days, not reviews."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.store.queries import QueueQueries
from quizapp.store.schema import NEW_CLASS, REVIEW_CLASS
from quizapp.timing import day_start_ms


@dataclass(frozen=True)
class DaySummary:
    answers: int
    seconds: float
    again: int
    new: int  # new cards answered for the first time (scheduled answers)


@dataclass(frozen=True)
class AnswerGroup:
    """Answers alike in everything the report tells apart, and their sums."""

    family: str  # '' unless an exercise
    status: str
    note: str
    calibration_bin: int  # -1: no prediction to score (new card, same-day review, practice)
    retention_windows: int  # how many of the retention windows hold it (0: not a review)
    count: int
    passed: int  # rated Hard or better
    sum_predicted: float
    log_loss: float  # summed over the group (calibrated answers only)


class StatsQueries(QueueQueries):
    def answers_per_day(self, first: int, last: int) -> list[int]:
        """Answers on each study day first..last inclusive (practice included)."""
        counts = dict(self.conn.execute(
            "SELECT day, SUM(answers) FROM daily WHERE day BETWEEN ? AND ? GROUP BY day", (first, last)
        ).fetchall())
        return [int(counts.get(day, 0)) for day in range(first, last + 1)]

    def day_summary(self, day: int) -> DaySummary:
        n, ms, again, new = self.conn.execute(
            "SELECT COALESCE(SUM(answers), 0), COALESCE(SUM(duration), 0), COALESCE(SUM(again), 0), "
            "COALESCE(SUM(answers * (class = ?)), 0) FROM daily WHERE day = ?",
            (NEW_CLASS, day),
        ).fetchone()
        return DaySummary(int(n), ms / 1000, int(again), int(new))

    def forecast(self, today: int, days: int) -> list[int]:
        """Cards (not new, suspended or retired) due on each of `days` study days from today;
        day 0 also holds everything overdue."""
        bounds = [day_start_ms(today + i + 1) for i in range(days)]
        cases = " ".join(f"WHEN due < ? THEN {i}" for i in range(days))
        counts = [0] * days
        for index, n in self.conn.execute(
            f"SELECT CASE {cases} END AS d, COUNT(*) FROM cards INDEXED BY cards_due "
            "WHERE state IN (1, 2, 3) AND due < ? AND suspended = 0 AND retired = 0 GROUP BY d",
            (*bounds, bounds[-1]),
        ):
            counts[index] = n
        return counts

    def answer_groups(self, window_days: tuple[int, ...], today: int) -> list[AnswerGroup]:
        """The whole log by family, verdict, note, calibration bin and retention window (reviews
        of review-state cards, counted in each of the windows of `window_days` days ending today
        that hold them)."""
        checks = " + ".join(f"(day >= {today - days + 1})" for days in window_days)
        rows = self.conn.execute(
            f"SELECT family, status, note, bin, CASE WHEN class = ? THEN {checks} ELSE 0 END AS rw, "
            "SUM(answers), SUM(passed), SUM(predicted), SUM(loss) FROM daily GROUP BY 1, 2, 3, 4, 5",
            (REVIEW_CLASS,),
        )
        return [
            AnswerGroup(self.text(family or None), self.text(status or None), self.text(note or None),
                        int(b), int(rw), int(n), int(passed), float(sum_p), float(loss))
            for family, status, note, b, rw, n, passed, sum_p, loss in rows
        ]
