"""The browser, the add form and editing: Pilot tests of the flows a learner goes through."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pilot_steps import press
from textual.widgets import DataTable, Input, Static
from tui_fixtures import FrozenClock, make_context, seed_history

from quizapp.srs.queue import build_queue
from quizapp.store import browse
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.widgets.curve import ForgettingCurve

pytestmark = pytest.mark.usefixtures("utc_days")


def status(app: QuizApp) -> str:
    return str(app.screen.query_one("#browse-status", Static).render())


async def search(pilot, text: str) -> None:  # noqa: ANN001
    box = pilot.app.screen.query_one("#browse-query", Input)
    box.value = text
    await pilot.pause(0.3)  # the search waits for a pause in typing


async def test_browse_search_select_history_chart_and_suspend(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    seed_history(ctx)
    clock = FrozenClock()
    browse.unsuspend_cards(ctx.store, ["rf-definition"], clock())  # the history may have made it a leech
    app = QuizApp(ctx, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "b")
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert screen.focused is screen.query_one("#browse-query", Input)
        await pilot.press(*"rf-definition")
        await pilot.pause(0.3)
        assert status(app).startswith("2 cards")  # the flashcard and its reverse
        await pilot.press("down")  # into the results
        table = screen.query_one("#browse-table", DataTable)
        assert screen.focused is table
        row = screen.current_row()
        assert row is not None and row.key == "rf-definition"
        history = str(screen.query_one("#detail-history", Static).render())
        answers = browse.card_history(ctx.store, "rf-definition")
        assert len(history.splitlines()) == len(answers) > 0  # one line per answer, newest first
        newest = datetime.fromtimestamp(answers[-1].ts / 1000).strftime("%Y-%m-%d %H:%M")
        assert history.splitlines()[0].startswith(newest)
        assert screen.query_one(ForgettingCurve).display
        svg = app.export_screenshot().replace("&#160;", " ")
        assert f"History ({len(answers)})" in svg
        assert "Forgetting curve" in svg and "●" in svg
        await pilot.press("space")  # select it
        assert screen.selected == {"rf-definition"}
        await press(pilot, "x")  # suspend the selection
        assert ctx.store.card("rf-definition").suspended
        assert next(r for r in screen.results if r.key == "rf-definition").suspended  # shown at once
        await press(pilot, "x")  # all of them suspended: the same key unsuspends
        assert not ctx.store.card("rf-definition").suspended
        await press(pilot, "x")
        assert ctx.store.card("rf-definition").suspended
        keys = {q.key for q in build_queue(ctx.store, ctx.settings, clock())}
        assert "rf-definition" not in keys
        clock.now += timedelta(days=60)  # long after it would have been due
        app.start_study()
        await pilot.pause()
        session = app.screen.session
        served = []
        while (card := session.next_card()) is not None:
            served.append(card.key)
            session.skip()
        assert served and "rf-definition" not in served


async def test_malformed_search_points_at_the_column_and_keeps_results(tmp_path: Path) -> None:
    app = QuizApp(make_context(tmp_path), clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "b")
        await search(pilot, "kind:cloze")
        found = len(app.screen.results)
        await search(pilot, "kind:cloze tag:")
        assert status(app).startswith("column 16: 'tag:' needs a value")
        assert len(app.screen.results) == found
        await search(pilot, "kind:cloze")
        assert status(app).startswith(f"{found} cards")


async def test_actions_menu_flag_bury_forget_and_due(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    seed_history(ctx)
    app = QuizApp(ctx, clock=FrozenClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "b")
        await search(pilot, "is:review")
        await pilot.press("down")
        screen = app.screen
        key = screen.current_row().key
        await press(pilot, "f", "2")  # flag orange
        await search(pilot, "flag:orange")
        assert [r.key for r in screen.results] == [key]
        await press(pilot, "down", "minus")  # bury
        assert screen.results[0].buried
        await press(pilot, "minus")  # all of them buried: the same key unburies
        assert not screen.results[0].buried
        await press(pilot, "minus")
        assert screen.results[0].buried
        await press(pilot, "d")
        days = app.screen.query_one("#days", Input)
        days.value = "5"
        await press(pilot, "enter")
        await search(pilot, "prop:due=5 flag:orange")
        assert [r.key for r in screen.results] == [key]
        await press(pilot, "down", "n")  # forget asks first
        await press(pilot, "y")
        assert ctx.store.card(key).state == 0
        assert len(ctx.store.reviews(key)) > 0  # history kept


async def test_study_these_from_the_browser_practises_the_results(tmp_path: Path) -> None:
    app = QuizApp(make_context(tmp_path), clock=FrozenClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "b")
        await search(pilot, "kind:flashcard topic:flops")
        await press(pilot, "down", "s")
        await press(pilot, "2")  # practice
        from quizapp.tui.screens.study import StudyScreen

        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.practice and session.next_card().key.startswith("flops")
