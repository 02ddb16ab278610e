"""Fit FSRS-6 to the learner's own log and decide, honestly, whether to adopt the result.

    report = fit(store, settings)            # reads the log once; nothing is written
    if report.adopt: adopt(store, settings, report, config_path)   (quizapp.sched.adopt)

The evaluation is a time-series split: the training items (quizapp.sched.items) in time order,
the earlier 80 % to fit on and the later 20 % held out. The parameters fitted on the earlier part
and the parameters in use (FSRS-6's defaults, or an earlier fit) both predict each held-out
answer from the card's history before it; log loss and RMSE over bins of predicted recall are
the stats screen's calibration measures (quizapp.stats.measures), so the figures mean the same
everywhere. The fit is adopted only when its held-out log loss is lower (the measure the fit
minimises, and the steadier of the two on a few hundred answers) and there were enough reviews;
the parameters adopted are then fitted again on everything, the latest answers included, as Anki
does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizapp.config import Evaluation, Settings
from quizapp.forgetting import retrievability
from quizapp.sched.items import ItemBuilder, Progress, TrainingData, no_progress, training_data
from quizapp.stats.measures import CalibrationAccumulator
from quizapp.timing import DAY_MS

if TYPE_CHECKING:
    from quizapp.store import Store

# Anki asks for 400 reviews before it optimizes ("You must have at least 400 reviews").
MIN_REVIEWS = 400
HELD_OUT = 0.2  # the later share of the items the comparison is made on
EPOCHS = 5  # fsrs-rs's default; Anki uses 8 (measured: bench/fit.py)
WEIGHT_DIGITS = 6  # the config keeps them readable; memory states use exactly these

ADOPT, TOO_FEW, NO_BETTER = "adopt", "too-few", "no-better"


@dataclass
class FitReport:
    """What a fit found. `verdict` says what to do: ADOPT the `weights`, or not (TOO_FEW
    reviews, or NO_BETTER than the parameters in use on the held-out reviews)."""

    verdict: str
    answers: int  # scheduled answers in the usable histories
    reviews: int  # of them, the ones a fit learns from (a day or more after the previous answer)
    held_out: int = 0
    defaults: Evaluation | None = None  # FSRS-6's defaults on the held-out reviews
    in_use: Evaluation | None = None  # earlier fitted parameters in use, if any
    fitted: Evaluation | None = None  # the new fit (on the earlier part) on the held-out reviews
    weights: list[float] = field(default_factory=list)  # to adopt (fitted on everything)
    data: TrainingData | None = field(default=None, repr=False)

    @property
    def adopt(self) -> bool:
        return self.verdict == ADOPT

    @property
    def baseline(self) -> Evaluation | None:
        """What the fit had to beat: the parameters in use."""
        return self.in_use or self.defaults


def default_weights() -> list[float]:
    """FSRS-6's default parameters, as the scheduler (py-fsrs) has them."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return list(DEFAULT_PARAMETERS)


def fit(
    store: Store, settings: Settings, progress: Progress = no_progress, *, epochs: int = EPOCHS
) -> FitReport:
    """Fit, evaluate on the time-series split and decide; writes nothing."""
    data = training_data(store, lambda stage, f: progress(stage, 0.25 * f))
    report = FitReport(TOO_FEW, data.answers, data.items, data=data)
    if data.items < MIN_REVIEWS:
        return report
    builder = ItemBuilder(data)
    split = data.items - math.ceil(data.items * HELD_OUT)
    train, test = data.order[:split], data.order[split:]
    progress("fit-past", 0.25)
    past = _compute(builder, train, settings, epochs)
    progress("evaluate", 0.55)
    report.held_out = len(test)
    report.defaults = evaluate(builder, test, default_weights())
    in_use = settings.fsrs_weights()
    report.in_use = evaluate(builder, test, in_use) if in_use else None
    report.fitted = evaluate(builder, test, past)
    baseline = report.baseline
    if baseline is None or report.fitted.log_loss >= baseline.log_loss:
        report.verdict = NO_BETTER
        return report
    progress("fit-all", 0.65)
    report.weights = _compute(builder, data.order, settings, epochs)
    report.verdict = ADOPT
    progress("fitted", 0.95)
    return report


def _compute(builder: ItemBuilder, positions: list[tuple[int, int, int]], settings: Settings, epochs: int) -> list[float]:
    import fsrs_rs_python as fsrs

    items, cards = builder.training(positions)
    # Relearning steps within a day bound FSRS-6's short-term parameters (Anki passes the same).
    steps = sum(1 for minutes in settings.relearning_steps_minutes if minutes < 1440)
    weights = fsrs.FSRS(default_weights()).compute_parameters(
        items, card_ids=cards, enable_short_term=True, num_relearning_steps=max(1, steps),
        training_config=fsrs.TrainingConfig(num_epochs=epochs),
    )
    return usable_weights(weights)


def usable_weights(weights: list[float]) -> list[float]:
    """Rounded, and inside the scheduler's bounds (the Rust core's are the same up to f32)."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return [
        min(hi, max(lo, round(float(w), WEIGHT_DIGITS)))
        for w, lo, hi in zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)
    ]


def predictions(builder: ItemBuilder, positions: list[tuple[int, int, int]], weights: list[float]) -> list[float]:
    """Predicted recall of each answer at `positions` from the card's history before it: the
    memory state from the Rust core, recall from the one forgetting curve (quizapp.forgetting)."""
    import fsrs_rs_python as fsrs

    model = fsrs.FSRS(weights)
    decay = weights[20]
    states: list[Any] = model.memory_state_batch([builder.item(index, answer) for _ts, index, answer in positions])
    histories = builder.data.histories
    return [
        retrievability(state.stability, 0, histories[index].delta_t[answer] * DAY_MS, decay)
        for (_ts, index, answer), state in zip(positions, states)
    ]


def evaluate(builder: ItemBuilder, positions: list[tuple[int, int, int]], weights: list[float]) -> Evaluation:
    """Log loss and binned RMSE of `weights` on the answers at `positions`, with the bins."""
    acc = CalibrationAccumulator()
    histories = builder.data.histories
    for p, (_ts, index, answer) in zip(predictions(builder, positions, weights), positions):
        acc.add(p, histories[index].ratings[answer] > 1)
    result = acc.result(minimum=1)
    if result is None:
        raise ValueError("nothing to evaluate")
    bins = [[round(b.mean_predicted, 6), round(b.observed, 6), float(b.count)] for b in result.bins]
    return Evaluation(round(result.log_loss, 6), round(result.rmse, 6), bins)
