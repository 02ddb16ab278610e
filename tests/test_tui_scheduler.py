"""Pilot tests of the scheduler screen (Settings → Scheduler): a fit run from it in a child
process adopts parameters the running app then schedules with, Back to the defaults undoes it, a
small log is declined with the reason, the simulator draws its charts, and everything fits a
60×20 and an 80×24 terminal in both languages."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from sched_fixtures import learner_log, new_store
from textual.widgets import Button, Input
from tui_app_fixtures import make_app, widget_text

from quizapp import strings
from quizapp.config import load_settings

pytestmark = pytest.mark.slow


def learner_data(root: Path, cards: int = 300, days: int = 150) -> None:
    """A data dir whose log a fit can learn from (tests/sched_fixtures.py)."""
    store, ids = new_store(cards, root=root / "data")
    learner_log(store, ids, days=days)
    store.close()


async def open_scheduler(pilot: Any) -> Any:
    await pilot.pause()
    await pilot.press("comma")
    await pilot.pause()
    settings = pilot.app.screen
    settings.query_one("#open-scheduler", Button).press()
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SchedulerScreen", 10)
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.query_one("#optimize").region.width > 0, 10)
    return screen


async def wait_until(pilot: Any, done: Any, timeout: float = 90.0) -> None:
    """Let the app run until done() (a child process is working meanwhile)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.2)


def text(screen: Any, selector: str) -> str:
    return widget_text(screen.query_one(selector))


def en(key: str) -> str:
    """An English string up to its first field."""
    return strings.STRINGS[key].en.split("{")[0]


async def test_optimize_adopts_and_the_defaults_come_back(tmp_path: Path) -> None:
    learner_data(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scheduler(pilot)
        assert text(screen, "#sched-status").startswith(en("sched.status-default"))
        assert screen.query_one("#reset", Button).disabled
        assert not screen.query_one("#sched-calibration").display  # nothing fitted yet
        await pilot.press("o")
        await pilot.pause()
        # The progress bar shows while it runs (an idle machine may finish it within the pause).
        assert screen.outcome or (screen.query_one("#sched-progress").display
                                  and screen.query_one("#optimize", Button).disabled)
        await wait_until(pilot, lambda: multiprocessing.active_children() or screen.outcome, 30)
        first = {c.pid for c in multiprocessing.active_children()}
        if first and not screen.outcome:  # (a fast machine may have finished: a second o would fit again)
            await pilot.press("o", "m")  # while it runs, the keys start nothing more
            await pilot.pause(0.3)
            assert {c.pid for c in multiprocessing.active_children()} <= first
        await wait_until(pilot, lambda: screen.outcome)
        assert screen.outcome == "sched.adopted", screen.error
        assert text(screen, "#sched-result").startswith(en("sched.adopted"))
        weights = app.settings.fsrs_weights()
        assert weights is not None and weights == load_settings(tmp_path / "config.json").fsrs_weights()
        assert app.store.parameters() == weights  # the memory states are the new parameters'
        assert text(screen, "#sched-status").startswith(en("sched.status-fitted").split(" on ")[0])
        assert screen.query_one("#sched-calibration").display
        assert not screen.query_one("#sched-progress").display
        # Saving the settings form afterwards keeps what the fit adopted.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_settings(tmp_path / "config.json").fsrs_weights() == weights
        screen = await open_scheduler(pilot)
        reset = screen.query_one("#reset", Button)
        assert not reset.disabled
        reset.press()
        await wait_until(pilot, lambda: screen.outcome == "sched.reset-done" or screen.error)
        assert screen.outcome == "sched.reset-done", screen.error
        assert app.settings.fsrs_weights() is None and load_settings(tmp_path / "config.json").fsrs_presets == {}
        assert screen.query_one("#reset", Button).disabled


async def test_leaving_the_screen_stops_a_fit_and_changes_nothing(tmp_path: Path) -> None:
    learner_data(tmp_path)
    app = make_app(tmp_path)
    config = (tmp_path / "config.json").read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scheduler(pilot)
        # Leave at once: on a fast machine the whole fit can end before a later key arrives.
        await pilot.press("o", "escape")
        await wait_until(pilot, lambda: not multiprocessing.active_children(), 30)
        assert type(app.screen).__name__ == "SettingsScreen" and not screen.outcome
        assert app.settings.fsrs_weights() is None and app.store.parameters() is None
    assert (tmp_path / "config.json").read_bytes() == config


async def test_a_small_log_is_declined_with_the_reason_in_chinese(tmp_path: Path) -> None:
    learner_data(tmp_path, cards=20, days=5)
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_scheduler(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: screen.outcome)
        assert screen.outcome == "sched.too-few", screen.error
        result = text(screen, "#sched-result")
        assert "400" in result and "未作任何更改" in result
        assert app.settings.fsrs_weights() is None


async def test_the_simulator_checks_its_inputs_and_draws_its_charts(tmp_path: Path) -> None:
    learner_data(tmp_path, cards=100, days=40)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scheduler(pilot)
        screen.query_one("#sim-retentions", Input).value = "0.9 1.5"
        screen.query_one("#simulate", Button).press()
        await pilot.pause()
        assert text(screen, "#sim-error") == en("sched.sim-bad-retentions")
        screen.query_one("#sim-retentions", Input).value = "0.80, 0.90 0.95"
        screen.query_one("#sim-days", Input).value = "60"
        screen.query_one("#simulate", Button).press()
        await pilot.pause()
        assert not screen.query_one("#sim-error").display
        panel = screen.query_one("#simulator")
        await wait_until(pilot, lambda: panel.simulation is not None or screen.query_one("#sim-error").display)
        sim = panel.simulation
        assert sim is not None and sim.days == 60 and sim.optimal is not None
        assert [w.retention for w in sim.workloads] == [0.80, 0.90, 0.95]
        summary = text(screen, "#sim-summary")
        assert f"{sim.optimal:.2f}" in summary and "60 days" in summary
        for name in ("reviews", "minutes", "retained"):
            assert screen.query_one(f"#sim-{name}").display


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_everything_fits_the_width_of_small_terminals(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        screen = await open_scheduler(pilot)
        body = screen.query_one("#sched-body")
        right = body.content_region.right
        for selector in ("#optimize", "#reset", "#sim-retentions", "#sim-days", "#simulate", "#sched-status"):
            widget = screen.query_one(selector)
            assert widget.region.width > 0 and widget.region.right <= right, (selector, widget.region, right)
        # A legend of Chinese labels stays inside its chart.
        chart, t = screen.query_one("#sched-calibration"), app.t
        chart.display = True
        chart.show_calibration([(t("sched.defaults"), [[0.8, 0.85, 20], [0.9, 0.93, 30]]),
                                (t("sched.fitted"), [[0.82, 0.84, 20], [0.91, 0.92, 30]])],
                               t("sched.perfect"), t("sched.axis-predicted"), t("sched.axis-observed"))
        chart.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        legend = chart.query_one("#legend")
        assert chart.region.x < legend.region.x and legend.region.right <= chart.region.right, legend.region
        # The page scrolls with the keyboard while a button keeps the focus.
        body.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert isinstance(app.focused, Button)
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
