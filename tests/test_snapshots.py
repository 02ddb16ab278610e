"""SVG snapshots of the main screens at 80×24 and 120×40 (pytest-textual-snapshot, Textual pinned).

Deterministic: a frozen clock, a temp data dir, the fixed fixture content (tests/fixtures/tui_content),
English, fuzz off, a seeded study history, seeded exercise instances, no cursor blink, days in UTC.
Regenerate after an intended UI change with `pytest tests/test_snapshots.py --snapshot-update`, then
look at the SVGs (tests/__snapshots__/test_snapshots/) before committing them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_fixtures import FrozenClock, make_context, seed_history

from quizapp.tui.app import QuizApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# The study loop's screens in Chinese at 120×40 too (CJK widths, wrapping, labels).
ZH_120 = [pytest.param(((120, 40), "zh"), id="zh-120x40")]


def in_language(app: QuizApp, lang: str) -> None:
    if lang != app.lang:
        app.set_language(lang, save=False)


@pytest.fixture(autouse=True)
def deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    # Exercise seeds come from random.SystemRandom() in the session module: seed them (only there;
    # other modules may create a SystemRandom on first import, which would shift a shared sequence).
    import quizapp.study.session as session_module

    sessions = iter(range(1_000_000))
    seeded = SimpleNamespace(SystemRandom=lambda: random.Random(20260310 + next(sessions)))
    monkeypatch.setattr(session_module, "random", seeded)
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(scope="module", autouse=True)
def warm_checker() -> None:
    """Import sympy and check once before any snapshot: a first, slow check would otherwise land
    after the screen's layout timers and change where the verdict is scrolled to."""
    from quizapp.exercises import get_family

    get_family("receptive_field").generate(1).check("1")


@pytest.fixture
def app(tmp_path: Path) -> QuizApp:
    ctx = make_context(tmp_path)
    seed_history(ctx)
    return QuizApp(ctx, clock=FrozenClock())


# Longer than the study screen's timers (the debounced preview, scrolling the verdict into view).
TIMERS_SETTLE = 0.4


async def settle(pilot: Pilot[Any]) -> None:
    """Workers done, then the screen's short timers fired and their workers done too."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(TIMERS_SETTLE)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


Step = Callable[[Pilot[Any]], Awaitable[None] | None]


def press(*keys: str) -> Step:
    return lambda pilot: pilot.press(*keys)


def shoot(snap_compare: Any, app: QuizApp, size: Any, *steps: Step) -> bool:
    """Compare a snapshot of `app` at `size` (or `(size, lang)`) after `steps`, settling after each."""
    (size, lang) = size if isinstance(size[0], tuple) else (size, "en")

    async def run_before(pilot: Pilot[Any]) -> None:
        in_language(pilot.app, lang)
        await settle(pilot)
        for step in steps:
            done = step(pilot)
            if done is not None:
                await done
            await settle(pilot)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_dashboard(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(snap_compare, app, size)


async def study_until(pilot: Pilot[Any], kind: str, topic: str) -> None:
    """Start practising `topic` and skip cards until one of `kind` is shown."""
    pilot.app.start_study(topic, practice=True)
    await settle(pilot)
    for _ in range(10):
        current = pilot.app.screen.session.current
        if current is not None and current.view.meta.kind == kind:
            return
        await pilot.press("s")
        await settle(pilot)
    raise AssertionError(f"no {kind} card in {topic}")


def until(kind: str, topic: str) -> Step:
    return lambda pilot: study_until(pilot, kind, topic)


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_study_flashcard_revealed(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(snap_compare, app, size, until("flashcard", "flops"), press("space"))


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_study_select_all_by_keys(snap_compare: Any, app: QuizApp, size: Any) -> None:
    # Max pooling and Convolution: one right, one wrong
    assert shoot(snap_compare, app, size, until("multi", "flops"), press("a", "c"))


def scroll_verdict_to_top(pilot: Pilot[Any]) -> None:
    # The screen scrolls the verdict to the top on a 50 ms timer, which can run before the
    # worked solution's final layout (one line off now and then): scroll again, settled.
    from textual.containers import VerticalScroll

    screen = pilot.app.screen
    screen.query_one("#card", VerticalScroll).scroll_to_widget(
        screen.query_one("#verdict"), animate=False, top=True
    )


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_study_exercise_wrong_answer(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(
        snap_compare, app, size,
        lambda pilot: pilot.app.start_study("receptive-field", drill_family="receptive_field", limit=2),
        press("1"),  # a receptive field is never 1 after a stack of layers
        press("enter"),  # after the "interpreted as" preview, always
        scroll_verdict_to_top,
    )


def open_topic(pilot: Pilot[Any]) -> None:
    pilot.app.open_topic("receptive-field")


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_topic(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(snap_compare, app, size, open_topic)


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare: Any, app: QuizApp, size: tuple[int, int]) -> None:
    assert shoot(snap_compare, app, size, lambda pilot: pilot.app.open_stats())


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_help(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(snap_compare, app, size, press("question_mark"))


def test_stats_in_chinese(snap_compare: Any, app: QuizApp) -> None:
    """Chinese labels are twice as wide: the heatmap months, tables and charts must still line up."""

    def open_in_chinese(pilot: Pilot[Any]) -> None:
        pilot.app.set_language("zh", save=False)
        pilot.app.open_stats()

    assert shoot(snap_compare, app, (120, 40), open_in_chinese)


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_summary(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(
        snap_compare, app, size,
        until("flashcard", "flops"),
        press("space", "1"),  # one answer, then end the session early
        press("q"),
    )


@pytest.mark.parametrize("size", SIZES + ZH_120)
def test_topic_notes(snap_compare: Any, app: QuizApp, size: Any) -> None:
    assert shoot(snap_compare, app, size, open_topic, press("n"))


@pytest.mark.parametrize("size", SIZES)
def test_browse(snap_compare: Any, app: QuizApp, size: tuple[int, int]) -> None:
    """The browser on a searched, reviewed card: results, its history and forgetting curve."""

    def search(pilot: Pilot[Any]) -> Awaitable[None]:
        # The whole query at once: typed key by key, which intermediate searches run (and so
        # which card keeps the cursor) would depend on the machine's speed.
        pilot.app.screen.query_one(Input).value = "rf- -is:new"
        return pilot.press("enter")

    assert shoot(snap_compare, app, size, press("b"), search)
