"""The topic screen: notes, items with their state, study / practice / drill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pilot_steps import press
from textual.widgets import DataTable
from tui_fixtures import FrozenClock, make_context, screen_host, seed_history

from quizapp.search.display import front_text as card_prompt
from quizapp.tui.screens.topic import DrillPicker, TopicScreen

pytestmark = pytest.mark.usefixtures("utc_days")


def topic_app(tmp_path: Path, topic: str) -> Any:
    """An app showing the topic screen of `topic` over the fixture library (app.context.store)."""
    return screen_host(lambda: TopicScreen(topic))(make_context(tmp_path), clock=FrozenClock())


def cell_texts(table: DataTable, row: int) -> list[str]:
    return [str(getattr(c, "plain", c)) for c in table.get_row_at(row)]


async def test_notes_and_items_with_their_state(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    seed_history(ctx)
    ctx.store.suspend("rf-tradeoff")
    app = screen_host(lambda: TopicScreen("receptive-field"))(ctx, clock=FrozenClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TopicScreen)
        assert "region of the input" in screen.query_one("#topic-notes").source
        await press(pilot, "n")  # the notes tab
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "Brackets stay literal: [k − 1] × j." in svg  # markdown keeps brackets as typed
        await press(pilot, "i")
        table = screen.query_one("#topic-items", DataTable)
        assert table.row_count == 6  # flashcard + reverse, two cloze deletions, choice, exercise
        rows = [cell_texts(table, i) for i in range(table.row_count)]
        first = rows[0]
        assert first[3].startswith("What is the recept")  # cut with … to the room left
        assert first[0].split(" ·")[0] in ("review", "learning", "relearning")
        assert "suspended" in rows[4][0] and rows[4][1] == "—"
        assert rows[2][3].startswith("rₗ = rₗ₋₁ + ([…])")  # the deletion hidden in place
        states = {r[0].split(" ·")[0] for r in rows}
        assert states <= {"new", "learning", "review", "relearning"}
        assert any(r[1].startswith("in ") or r[1] in ("now", "today") for r in rows)


async def test_new_topic_shows_new_cards_and_switches_language(tmp_path: Path) -> None:
    app = topic_app(tmp_path, "flops")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#topic-items", DataTable)
        assert [cell_texts(table, i)[0] for i in range(table.row_count)] == ["new", "new"]
        app.set_language("zh", save=False)
        await pilot.pause()
        assert cell_texts(table, 0)[0] == "新"
        assert cell_texts(table, 0)[3] == "什么是 FLOP？"
        assert "(M×K)" in app.screen.query_one("#topic-notes").source


async def test_practice_and_study_start_sessions_on_this_topic(tmp_path: Path) -> None:
    app = topic_app(tmp_path, "flops")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "p")
        session = app.screen.session
        assert session.practice and session.topic == "flops" and session.drill_family is None
        app.pop_screen()
        await pilot.pause()
        await press(pilot, "s")
        session = app.screen.session
        assert not session.practice and session.topic == "flops"


async def test_drill_runs_one_exercise_family(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = topic_app(tmp_path, "receptive-field")
    calls: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(app, "start_study", lambda topic=None, **kw: calls.append((topic, kw)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "d")
    assert calls == [("receptive-field", {"drill_family": "receptive_field", "limit": TopicScreen.DRILL_COUNT})]


async def test_drill_without_exercises_says_so(tmp_path: Path) -> None:
    app = topic_app(tmp_path, "flops")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "d")
        assert isinstance(app.screen, TopicScreen)
        assert any("no exercises" in str(n.message) for n in app._notifications)


async def test_drill_picker_returns_the_chosen_family(tmp_path: Path) -> None:
    chosen: list[str | None] = []
    app = topic_app(tmp_path, "flops")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(DrillPicker(["matmul_flops", "conv_cost"], 10), chosen.append)
        await pilot.pause()
        await press(pilot, "down", "enter")
    assert chosen == ["conv_cost"]


async def test_missing_topic_is_reported_not_a_crash(tmp_path: Path) -> None:
    app = topic_app(tmp_path, "no-such-topic")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "Topic no-such-topic is not in the loaded content." in svg


def test_card_prompt_per_kind(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    prompts = {ref.key: card_prompt(ref, "en") for ref in ctx.library.cards}
    assert prompts["rf-definition::reverse"].startswith("The region of the input")
    assert prompts["rf-recurrence::c2"] == "rₗ = rₗ₋₁ + (kₗ − 1) × […]"
    assert prompts["rf-stack"] == "receptive field"


async def test_x_suspends_and_unsuspends_the_highlighted_card(tmp_path: Path) -> None:
    app = topic_app(tmp_path, "flops")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#topic-items", DataTable)
        await press(pilot, "down", "x")
        assert app.context.store.card("flops-multi").suspended
        assert "suspended" in cell_texts(table, 1)[0] and table.cursor_row == 1
        await press(pilot, "x")
        assert not app.context.store.card("flops-multi").suspended
        assert not app.context.store.card("flops-def").suspended


async def test_dashboard_key_opens_the_highlighted_topic(tmp_path: Path) -> None:
    from quizapp.tui.app import QuizApp

    ctx = make_context(tmp_path)
    app = QuizApp(ctx, clock=FrozenClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "down", "down", "t")  # "All topics", then receptive-field, then flops
        assert isinstance(app.screen, TopicScreen) and app.screen.topic_id == "flops"


async def test_states_refresh_after_studying(tmp_path: Path) -> None:
    app = topic_app(tmp_path, "flops")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "s")
        assert app.screen.session.current.key == "flops-def"  # new cards in content order
        await press(pilot, "space", "3")
        while not isinstance(app.screen, TopicScreen):
            app.pop_screen()
            await pilot.pause()
        table = app.screen.query_one("#topic-items", DataTable)
        assert cell_texts(table, 0)[0] == "learning" and cell_texts(table, 0)[1] in ("now", "today")
        assert cell_texts(table, 1)[0] == "new"
