"""The calibration chart on the stats screen: the parameters in use on the whole log, and the last
fit's defaults and fitted parameters on its held-out reviews, with their figures."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from tui_fixtures import FrozenClock, make_context, screen_host, seed_history

from quizapp.config import DEFAULT_PRESET, Evaluation, FittedParameters
from quizapp.sched.fit import default_weights
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.sched_charts import SchedChart

FITTED = FittedParameters(
    weights=default_weights(), fitted_at="2026-03-01T10:00:00+00:00", reviews=5000, held_out=1000,
    defaults=Evaluation(0.3512, 0.0612, [[0.75, 0.70, 40], [0.85, 0.80, 300], [0.95, 0.90, 600], [0.5, 0.4, 3]]),
    fitted=Evaluation(0.3101, 0.0213, [[0.72, 0.71, 40], [0.81, 0.80, 300], [0.91, 0.90, 600]]),
)


@pytest.fixture(autouse=True)
def utc_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@asynccontextmanager
async def stats_shown(ctx: Any) -> AsyncIterator[Any]:
    """The stats screen on `ctx` at 80×24, its report computed and drawn."""
    app = screen_host(StatsScreen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_last_fit_is_drawn_against_the_defaults_with_its_figures(tmp_path, lang: str) -> None:
    ctx = make_context(tmp_path)
    seed_history(ctx)
    ctx.settings = dataclasses.replace(ctx.settings, language=lang, fsrs_presets={DEFAULT_PRESET: FITTED})
    ctx.lang = lang
    async with stats_shown(ctx) as app:
        screen = app.screen
        caption = str(screen.query_one("#fit-calibration-caption").render())
        for figure in ("2026-03-01", "1,000", "0.3512", "6.1 %", "0.3101", "2.1 %"):
            assert figure in caption, (figure, caption)
        chart = screen.query_one("#fit-calibration", SchedChart)
        assert chart.display
        # perfect, in use (the log's own predictions, where a bin has answers enough), defaults,
        # fitted: one legend line each.
        live = screen.stats.calibration
        in_use = ["sched.in-use"] if live is not None and any(b.count >= 10 for b in live.bins) else []
        labels = [label for label in chart._labels if label is not None]
        assert labels == [app.t(k) for k in ("sched.perfect", *in_use, "sched.defaults", "sched.fitted")]
        # A bin of 3 reviews is noise and is not drawn.
        drawn = dict(zip(chart._labels, chart._datasets))
        assert [round(float(x), 2) for x in drawn[app.t("sched.defaults")].x] == [0.75, 0.85, 0.95]


async def test_without_a_fit_the_chart_shows_the_parameters_in_use_and_says_how_to_fit(tmp_path) -> None:
    ctx = make_context(tmp_path)
    seed_history(ctx)
    async with stats_shown(ctx) as app:
        screen = app.screen
        assert "quizapp optimize" in str(screen.query_one("#fit-calibration-caption").render())
        chart = screen.query_one("#fit-calibration", SchedChart)
        labels = [label for label in chart._labels if label is not None]
        live = screen.stats.calibration
        drawable = live is not None and any(b.count >= 10 for b in live.bins)
        assert chart.display == drawable  # the diagonal alone is not shown
        if drawable:
            assert labels == [app.t("sched.perfect"), app.t("sched.in-use")]
