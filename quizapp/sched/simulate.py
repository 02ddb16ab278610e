"""The workload simulator: what studying the deck costs at a desired retention, and the optimal
retention (the Rust core's simulator, as Anki's "FSRS simulator" uses it).

    sim = simulate(store, settings, [0.8, 0.85, 0.9, 0.95], days=365)
    sim.workloads[i].reviews / .minutes / .retained   (per day)      sim.optimal

The simulated learner is this one: the parameters in use (fitted or FSRS-6's defaults), the
deck's size (cards not suspended), the daily limits and learning steps from the settings, and
from the log how often each rating is pressed and how many seconds each kind of answer takes
(FSRS's own figures where the log has too few answers to say). The Python binding's simulate()
cannot be handed the cards' present memory states, so every simulation starts the deck from new:
it answers "what does this deck cost per day at retention R", not "what will tomorrow bring".

The optimal retention is the Rust core's: the retention in 0.70–0.95 with the least study time
per card remembered at the end of the period (total minutes ÷ expected cards recalled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizapp.config import Settings
from quizapp.sched.items import Progress, no_progress

if TYPE_CHECKING:
    from quizapp.store import Store

DEFAULT_RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
DEFAULT_DAYS = 365
MAX_DAYS = 3650
SEED = 42  # the same simulated learner for every retention: differences are the retention's
MIN_ANSWERS = 20  # answers in a state before its rating shares replace FSRS's figures
MIN_TIMED = 5  # timed answers in a (state, rating) before their mean replaces FSRS's cost
MINUTES_PER_DAY_CAP = 1e9  # no time cap: the daily limits decide, as in the app (and Anki)


@dataclass(frozen=True)
class Workload:
    """One simulated retention, day by day."""

    retention: float
    reviews: tuple[int, ...]  # answers to cards already learned
    new: tuple[int, ...]  # cards introduced
    minutes: tuple[float, ...]  # time studied
    retained: tuple[float, ...]  # knowledge: expected number of cards recalled at day's end

    @property
    def days(self) -> int:
        return len(self.reviews)

    def mean_reviews(self) -> float:
        return sum(self.reviews) / max(1, self.days)

    def mean_minutes(self, start: int = 0, end: int | None = None) -> float:
        part = self.minutes[start:end]
        return sum(part) / max(1, len(part))

    def total_minutes(self) -> float:
        return sum(self.minutes)

    def minutes_per_card(self) -> float:
        """Study time per card remembered at the end (what the optimal retention minimises)."""
        end = self.retained[-1] if self.retained else 0.0
        return self.total_minutes() / end if end > 0 else float("inf")


@dataclass(frozen=True)
class Simulation:
    deck_size: int
    days: int
    fitted: bool  # the learner's own fitted parameters (else FSRS-6's defaults)
    workloads: tuple[Workload, ...]
    optimal: float | None  # None when not asked for
    at_optimal: Workload | None = None  # the simulation at the optimal retention

    def shown(self) -> list[Workload]:
        """Every simulated retention, the optimal one in its place, lowest first."""
        extra = [self.at_optimal] if self.at_optimal is not None else []
        return sorted([*self.workloads, *extra], key=lambda w: w.retention)


def learner_config(store: Store, settings: Settings, days: int, deck_size: int | None = None) -> Any:
    """The Rust simulator's config for this learner (see the module's docstring)."""
    import fsrs_rs_python as fsrs

    from quizapp.store.fitting import answer_costs
    from quizapp.store.fitting import deck_size as live_cards

    config = fsrs.default_simulator_config()
    config.deck_size = live_cards(store) if deck_size is None else deck_size
    config.learn_span = days
    config.max_cost_perday = MINUTES_PER_DAY_CAP
    config.max_ivl = float(settings.maximum_interval_days)
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    config.new_cards_ignore_review_limit = False  # reviews_per_day caps new + reviews here
    config.learning_step_count = sum(1 for m in settings.learning_steps_minutes if m < 1440)
    config.relearning_step_count = sum(1 for m in settings.relearning_steps_minutes if m < 1440)
    costs = answer_costs(store)
    config.first_rating_prob = _shares([c for c in costs if c.state == 0], (1, 2, 3, 4), config.first_rating_prob)
    config.review_rating_prob = _shares([c for c in costs if c.state == 2], (2, 3, 4), config.review_rating_prob)
    config.state_rating_costs = _seconds(costs, config.state_rating_costs)
    return config


def _shares(costs: list[Any], ratings: tuple[int, ...], fallback: list[float]) -> list[float]:
    counts = [sum(c.answers for c in costs if c.rating == r) for r in ratings]
    total = sum(counts)
    return [n / total for n in counts] if total >= MIN_ANSWERS else list(fallback)


def _seconds(costs: list[Any], fallback: list[list[float]]) -> list[list[float]]:
    """Mean seconds per (learning, review, relearning) × rating; FSRS's figure where few."""
    rows = {0: 0, 1: 0, 2: 1, 3: 2}  # state before the answer → the simulator's row
    timed = [[0, 0.0] for _ in range(12)]
    for c in costs:
        cell = timed[rows.get(c.state, 1) * 4 + c.rating - 1]
        cell[0] += c.timed
        cell[1] += c.seconds
    return [
        [timed[row * 4 + r][1] / timed[row * 4 + r][0] if timed[row * 4 + r][0] >= MIN_TIMED else fallback[row][r]
         for r in range(4)]
        for row in range(3)
    ]


def simulate(
    store: Store, settings: Settings, retentions: Sequence[float], days: int = DEFAULT_DAYS, *,
    optimal: bool = True, deck_size: int | None = None, progress: Progress = no_progress,
) -> Simulation:
    """Simulate each retention (and find the optimal one) for this learner."""
    import fsrs_rs_python as fsrs

    from quizapp.sched.fit import default_weights

    weights = settings.fsrs_weights() or default_weights()
    config = learner_config(store, settings, days, deck_size)
    steps = len(retentions) + (4 if optimal else 0)  # the optimum takes a few simulations' time

    def run(retention: float) -> Workload:
        result = fsrs.simulate(weights, retention, config, SEED)
        return Workload(
            retention, tuple(result.review_cnt_per_day), tuple(result.learn_cnt_per_day),
            tuple(c / 60 for c in result.cost_per_day), tuple(result.memorized_cnt_per_day),
        )

    workloads = []
    for number, retention in enumerate(retentions):
        progress("simulate", number / steps)
        workloads.append(run(retention))
    best, at_best = None, None
    if optimal:
        progress("optimal", len(retentions) / steps)
        best = round(float(fsrs.optimal_retention(config, weights)), 2)
        at_best = next((w for w in workloads if abs(w.retention - best) < 1e-9), None)
        if at_best is None:
            at_best = run(best)
    progress("done", 1.0)
    fitted = settings.fsrs_weights() is not None
    return Simulation(config.deck_size, days, fitted, tuple(workloads), best,
                      at_best if at_best not in workloads else None)
