"""Predicted recall (FSRS-6 power forgetting curve) without building a Scheduler.

Matches fsrs.Scheduler.get_card_retrievability: elapsed time is counted in whole days.
"""

from __future__ import annotations

from fsrs.scheduler import DEFAULT_PARAMETERS

DAY_MS = 86_400_000
DECAY = -DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def retrievability(stability: float | None, last_review_ms: int | None, now_ms: int) -> float:
    """R in [0, 1]; 0 for a card never reviewed (the dashboard counts unseen cards as 0)."""
    if not stability or last_review_ms is None:
        return 0.0
    elapsed_days = max(0, (now_ms - last_review_ms) // DAY_MS)
    return (1 + FACTOR * elapsed_days / stability) ** DECAY
