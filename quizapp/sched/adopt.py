"""Adopt fitted parameters, go back to the defaults, and keep the store and the config in step.

The config (Settings.fsrs_presets) says which parameters schedule: it is what the learner sees,
may paste from another machine, and what the scheduler is built from. The store logs every change
of parameters with the memory state (stability, difficulty) of every studied card recomputed for
them (Store.adopt_parameters), so the card cache, recall predictions and due-card order follow,
and rebuilding the cache from the log gives the same states. The recomputation is one pass over
the log, read inside the store's write transaction: an answer recorded meanwhile by another
quizapp cannot be missed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.config import DEFAULT_PRESET, FittedParameters, Settings, save_settings
from quizapp.sched.fit import FitReport, default_weights
from quizapp.sched.items import History, card_histories

if TYPE_CHECKING:
    from quizapp.store import Store


def current_histories(store: Store) -> Iterator[History]:
    """Each studied card's history now (since it was new, or last forgotten): one pass."""
    from quizapp.store.fitting import forget_times

    forgets = forget_times(store)
    for card in store.card_histories():
        for history in card_histories(card, forgets.get(card.card_id, ())):
            if history.current:
                yield history


def memory_states(weights: list[float], histories: Iterable[History]) -> Iterator[tuple[int, float, float]]:
    """(card id, stability, difficulty) after each history, with `weights` (the Rust core)."""
    import fsrs_rs_python as fsrs

    model = fsrs.FSRS(weights)
    for history in histories:
        item = fsrs.FSRSItem([fsrs.FSRSReview(r, d) for r, d in zip(history.ratings, history.delta_t)])
        state = model.memory_state(item)
        yield history.card_id, float(state.stability), float(state.difficulty)


def recompute(store: Store, weights: list[float], now: datetime) -> None:
    """Log `weights` as the parameters in use, with every card's memory state recomputed."""
    store.adopt_parameters(weights, memory_states(weights, current_histories(store)), now=now)


def adopt(store: Store, settings: Settings, report: FitReport, config_path: Path, now: datetime) -> Settings:
    """Adopt a fit the report says to adopt: the store first (parameters and memory states in
    one transaction), then the config; returns the settings now in force."""
    if not report.adopt or report.defaults is None or report.fitted is None:
        raise ValueError(f"this fit is not to be adopted ({report.verdict})")
    recompute(store, report.weights, now)
    record = FittedParameters(
        weights=list(report.weights), fitted_at=now.isoformat(timespec="seconds"), reviews=report.reviews,
        held_out=report.held_out, defaults=report.defaults, fitted=report.fitted,
    )
    updated = dataclasses.replace(settings, fsrs_presets={**settings.fsrs_presets, DEFAULT_PRESET: record})
    save_settings(updated, config_path)
    return updated


def reset(store: Store, settings: Settings, config_path: Path, now: datetime) -> Settings:
    """Back to FSRS-6's defaults (memory states recomputed with them); returns the settings."""
    recompute(store, default_weights(), now)
    updated = dataclasses.replace(
        settings, fsrs_presets={k: v for k, v in settings.fsrs_presets.items() if k != DEFAULT_PRESET}
    )
    save_settings(updated, config_path)
    return updated


def in_step(store: Store, settings: Settings) -> bool:
    """Whether the store's memory states were computed with the parameters the config schedules
    with (a store that never changed parameters has the defaults' states)."""
    logged = store.parameters()
    wanted = settings.fsrs_weights()
    if logged is None:
        return wanted is None
    return logged == (wanted or default_weights())


def bring_in_step(store: Store, settings: Settings, now: datetime) -> bool:
    """Recompute the memory states when the config's parameters are not the store's (pasted by
    hand, a config from another machine, a reset config); True if it had to."""
    if in_step(store, settings):
        return False
    recompute(store, settings.fsrs_weights() or default_weights(), now)
    return True
