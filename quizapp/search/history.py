"""One card's story for the browser's detail pane: its answers, and its forgetting curve.

The curve is the recall probability over time from the FSRS memory state after each answer
(the one recall function, quizapp.forgetting), sampled from the first scheduled answer to a bit
past today; the answers are marked at the recall the scheduler predicted just before them.
Practice answers change no schedule, so they are listed but not on the curve.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from quizapp.forgetting import retrievability
from quizapp.store.browse import HistoryEntry
from quizapp.timing import DAY_MS

MAX_SAMPLES = 240  # grid points (answers add their own)


@dataclass(frozen=True)
class Curve:
    """Times in days since the first scheduled answer."""

    days: list[float]  # sample times
    recall: list[float]  # recall at each sample
    answer_days: list[float]  # scheduled answers (except the very first, which has no prediction)
    answer_recall: list[float]  # predicted recall just before each of those answers
    answer_passed: list[bool]  # rated Hard or better
    now_day: float
    start_ms: int


def forgetting_curve(history: list[HistoryEntry], now: datetime, horizon_days: float | None = None) -> Curve | None:
    """The curve of a card's history; None when it has no scheduled answer with a memory state."""
    scheduled = [h for h in history if not h.practice and h.stability]
    if not scheduled:
        return None
    start = scheduled[0].ts
    now_ms = int(now.timestamp() * 1000)
    last = scheduled[-1]
    tail = max(horizon_days or 0.0, 2.0 * (last.interval_ms or DAY_MS) / DAY_MS, 1.0)
    end = max(now_ms, last.ts) + int(min(tail, 3650) * DAY_MS * 0.25) + DAY_MS
    step = max(1, (end - start) // MAX_SAMPLES)
    # A regular grid plus the moments around each answer, so every jump back to 1 is drawn.
    times = sorted({*range(start, end + 1, step), *(h.ts for h in scheduled), *(h.ts - 1 for h in scheduled[1:])})
    answer_times = [h.ts for h in scheduled]
    days: list[float] = []
    recall: list[float] = []
    for t in times:
        entry = scheduled[max(0, bisect_right(answer_times, t) - 1)]
        days.append((t - start) / DAY_MS)
        recall.append(retrievability(entry.stability, entry.ts, t))
    marks = [h for h in scheduled[1:] if h.r_before is not None]
    return Curve(
        days, recall,
        [(h.ts - start) / DAY_MS for h in marks], [float(h.r_before or 0.0) for h in marks],
        [h.rating >= 2 for h in marks], (now_ms - start) / DAY_MS, start,
    )
