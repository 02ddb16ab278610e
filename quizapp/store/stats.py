"""Aggregates of the log for the statistics (quizapp.stats.report words and shapes them).

Days are study days of the one study clock (quizapp.timing): their bounds are computed for each
day, so a day across a daylight-saving change is counted right whatever the season is now.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.store.base import StoreBase
from quizapp.timing import day_bounds_ms, day_start_ms


@dataclass(frozen=True)
class DaySummary:
    answers: int
    seconds: float
    again: int
    new: int  # new cards answered for the first time (scheduled answers)


@dataclass(frozen=True)
class AnswerGroup:
    """Answers alike in everything the report tells apart, and their sums."""

    family: str
    exercise: bool
    status: str
    note: str
    calibration_bin: int  # -1: no prediction to score (new card, same-day review, practice)
    retention_windows: int  # how many retention windows (newest first) hold it; 0 = none
    count: int
    passed: int  # rated Hard or better
    sum_predicted: float
    log_loss: float  # summed over the group (calibrated answers only)


class StatsQueries(StoreBase):
    def answers_per_day(self, first: int, last: int) -> list[int]:
        """Answers on each study day first..last inclusive (practice included)."""
        sql = "SELECT COUNT(*) FROM reviews WHERE ts >= ? AND ts < ?"
        bounds = [day_start_ms(d) for d in range(first, last + 2)]
        return [int(self._one(sql, (bounds[i], bounds[i + 1]))) for i in range(last - first + 1)]

    def day_summary(self, day: int) -> DaySummary:
        n, ms, again, new = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(duration_ms), 0), COALESCE(SUM(rating = 1), 0), "
            "COALESCE(SUM(state_before = 0 AND practice = 0), 0) FROM reviews WHERE ts >= ? AND ts < ?",
            day_bounds_ms(day),
        ).fetchone()
        return DaySummary(int(n), ms / 1000, int(again), int(new))

    def forecast(self, today: int, days: int) -> list[int]:
        """Cards (not new, suspended or retired) due on each of `days` study days from today;
        day 0 also holds everything overdue."""
        bounds = [day_start_ms(today + i + 1) for i in range(days)]
        cases = " ".join(f"WHEN due < ? THEN {i}" for i in range(days))
        counts = [0] * days
        for index, n in self.conn.execute(
            f"SELECT CASE {cases} END AS d, COUNT(*) FROM cards "
            "WHERE state > 0 AND due < ? AND suspended = 0 AND retired = 0 GROUP BY d",
            (*bounds, bounds[-1]),
        ):
            counts[index] = n
        return counts

    def log_window_start(self, window: int) -> int:
        """The first review id of the `window` most recent answers (ids grow with each answer)."""
        last = self._one("SELECT MAX(id) FROM reviews")
        return max(0, int(last or 0) - window + 1)

    def answer_groups(
        self, window_days: tuple[int, ...], today: int, since_id: int, bins: int
    ) -> list[AnswerGroup]:
        """The log from `since_id` on, grouped in ONE pass (its rows are wide: reading them once
        is most of the cost): retention windows of `window_days` days ending today, `bins`
        bins of predicted recall."""
        starts = [day_start_ms(today - days + 1) for days in window_days]
        checks = " + ".join("(ts >= ?)" for _ in starts)
        rows = self.conn.execute(
            "SELECT family, kind = 'exercise', status, note, "
            " CASE WHEN practice = 0 AND r_before IS NOT NULL AND r_before < 1 "
            "  THEN MIN(?, CAST(r_before * ? AS INTEGER)) ELSE -1 END AS b, "
            f" CASE WHEN practice = 0 AND state_before = 2 THEN {checks} ELSE 0 END AS rw, "
            " COUNT(*), SUM(rating > 1), SUM(r_before), "
            " SUM(CASE WHEN practice = 0 AND r_before IS NOT NULL AND r_before < 1 THEN "
            "  CASE WHEN rating > 1 THEN -ln(MAX(r_before, 1e-6)) ELSE -ln(MAX(1 - r_before, 1e-6)) END "
            "  ELSE 0 END) "
            "FROM reviews WHERE id >= ? GROUP BY 1, 2, 3, 4, 5, 6",
            (bins - 1, bins, *starts, since_id),
        )
        return [
            AnswerGroup(family, bool(ex), status, note, int(b), int(rw), int(n), int(passed or 0),
                        float(sum_p or 0.0), float(loss or 0.0))
            for family, ex, status, note, b, rw, n, passed, sum_p, loss in rows
        ]
