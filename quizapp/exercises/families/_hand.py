"""Fair to hand computation: a learner rounds each intermediate to the figures the prompt asks
for (4 significant figures) and carries on. A family computes its answer through one chain
function that takes a rounding function; with `exact` it is the answer key, with `sig4` it is
what a careful learner gets from the numbers shown in the worked solution. draw() keeps only
draws where the two agree well inside the checker's tolerance (no near-cancellation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

Rounder = Callable[[float], float]

HAND_DIGITS = 4
# The hand value must lie within this fraction of the checker's tolerance (rtol 1e-3).
FAIR_SHARE = 0.5
RTOL = 1e-3
ATOL = 1e-9


def exact(x: float) -> float:
    return x


def sig(x: float, digits: int = HAND_DIGITS) -> float:
    """x rounded to `digits` significant figures."""
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


def sig4(x: float) -> float:
    return sig(x, HAND_DIGITS)


def fair(exact_value: float, hand_value: float, rtol: float = RTOL) -> bool:
    return abs(hand_value - exact_value) <= FAIR_SHARE * max(rtol * abs(exact_value), ATOL)


def fair_vec(exact_values: Sequence[float], hand_values: Sequence[float], rtol: float = RTOL) -> bool:
    return len(exact_values) == len(hand_values) and all(
        fair(e, h, rtol) for e, h in zip(exact_values, hand_values)
    )
