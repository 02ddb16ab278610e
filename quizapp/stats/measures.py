"""Pure measures over plain numbers (no store, no I/O): true retention, calibration.

report.py feeds these from SQL aggregates; tests feed them synthetic data whose answer is known.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizapp.store.schema import CALIBRATION_BINS  # the store keeps the bins per day

# Calibration is noise below this many predictions (srs-benchmark uses hundreds per user).
MIN_CALIBRATION_REVIEWS = 50
# Predicted recall is clipped before log loss so one certain-but-wrong prediction stays finite.
_EPS = 1e-6


@dataclass(frozen=True)
class Retention:
    """True retention: the first review of a card on a day, pass = any rating but Again."""

    reviews: int
    passed: int
    target: float

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def to_dict(self) -> dict[str, object]:
        return {"reviews": self.reviews, "passed": self.passed, "rate": self.rate, "target": self.target}


@dataclass(frozen=True)
class CalibrationBin:
    lower: float  # predicted recall range [lower, upper)
    upper: float
    count: int
    mean_predicted: float
    observed: float  # fraction recalled

    def to_dict(self) -> dict[str, object]:
        return {
            "lower": self.lower, "upper": self.upper, "count": self.count,
            "mean_predicted": self.mean_predicted, "observed": self.observed,
        }


@dataclass(frozen=True)
class Calibration:
    """How well predicted recall matched what happened on the learner's own log.

    log_loss: mean binary cross-entropy (lower is better; ~0.37 is typical for FSRS defaults).
    rmse: RMSE over bins of predicted recall, weighted by bin size: "predicted recall is off by
    this much on average" (0 for a perfectly calibrated log).
    """

    reviews: int
    log_loss: float
    rmse: float
    mean_predicted: float
    observed: float
    bins: tuple[CalibrationBin, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "reviews": self.reviews, "log_loss": self.log_loss, "rmse": self.rmse,
            "mean_predicted": self.mean_predicted, "observed": self.observed,
            "bins": [b.to_dict() for b in self.bins],
        }


@dataclass
class CalibrationAccumulator:
    """Sums per bin of predicted recall, so 1,000,000 predictions need no list in memory.

    SQL can produce the same sums with GROUP BY (see report.py); `add` is for small logs and tests.
    """

    n: list[int] = field(default_factory=lambda: [0] * CALIBRATION_BINS)
    sum_p: list[float] = field(default_factory=lambda: [0.0] * CALIBRATION_BINS)
    sum_y: list[float] = field(default_factory=lambda: [0.0] * CALIBRATION_BINS)
    loss: float = 0.0

    def add(self, predicted: float, recalled: bool) -> None:
        p = min(max(predicted, _EPS), 1 - _EPS)
        b = bin_of(predicted)
        self.n[b] += 1
        self.sum_p[b] += predicted
        self.sum_y[b] += 1.0 if recalled else 0.0
        self.loss -= math.log(p) if recalled else math.log(1 - p)

    def add_bin(self, b: int, n: int, sum_p: float, sum_y: float, loss: float) -> None:
        self.n[b] += n
        self.sum_p[b] += sum_p
        self.sum_y[b] += sum_y
        self.loss += loss

    def result(self, minimum: int = MIN_CALIBRATION_REVIEWS) -> Calibration | None:
        total = sum(self.n)
        if total < max(minimum, 1):
            return None
        bins: list[CalibrationBin] = []
        sq = 0.0
        for b in range(CALIBRATION_BINS):
            if not self.n[b]:
                continue
            mp, ob = self.sum_p[b] / self.n[b], self.sum_y[b] / self.n[b]
            sq += self.n[b] * (mp - ob) ** 2
            bins.append(CalibrationBin(b / CALIBRATION_BINS, (b + 1) / CALIBRATION_BINS, self.n[b], mp, ob))
        return Calibration(
            reviews=total,
            log_loss=self.loss / total,
            rmse=math.sqrt(sq / total),
            mean_predicted=sum(self.sum_p) / total,
            observed=sum(self.sum_y) / total,
            bins=tuple(bins),
        )


def bin_of(predicted: float) -> int:
    return min(CALIBRATION_BINS - 1, max(0, int(predicted * CALIBRATION_BINS)))


def calibration(pairs: Iterable[tuple[float, bool]], minimum: int = MIN_CALIBRATION_REVIEWS) -> Calibration | None:
    """Log loss and binned RMSE of (predicted recall, recalled?) pairs; None below `minimum`."""
    acc = CalibrationAccumulator()
    for p, y in pairs:
        acc.add(p, y)
    return acc.result(minimum)

