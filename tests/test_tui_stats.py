"""The stats screen: computed in a worker, every section rendered, language switch, failure."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pilot_steps import press
from rich.console import Console
from textual.screen import Screen
from textual.widgets import Static
from tui_fixtures import FROZEN, FrozenClock, make_context, screen_host, seed_history

from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.charts import ColumnChart, column_rows, hbar
from quizapp.tui.widgets.heatmap import ActivityHeatmap, level_of, week_columns, year_of_days

pytestmark = pytest.mark.usefixtures("utc_days")


def add_exercise_mistakes(ctx, note: str, count: int) -> None:
    """Exercise answers written straight into the log (no sympy needed)."""
    from quizapp.store.records import ReviewRow

    card_id = ctx.store.card("rf-stack").id
    ts = int((FROZEN - timedelta(days=1)).timestamp() * 1000)
    answers = [(ts + i, 1, "wrong", note) for i in range(count)] + [(ts + 100, 3, "correct", "")]
    with ctx.store.transaction():
        for when, rating, status, why in answers:
            ctx.store.insert_review(ReviewRow(
                card_id=card_id, ts=when, rating=rating, state_before=0, state_after=0,
                duration_ms=5000, status=status, note=why, practice=True,
            ))


def text_of(screen, selector: str) -> str:
    """The plain text a Static shows, rich tables included."""
    content = screen.query_one(selector, Static).content
    if isinstance(content, str) or hasattr(content, "plain"):
        return str(getattr(content, "plain", content))
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def open_stats(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StatsScreen)
    return screen


async def test_stats_screen_shows_every_section(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    written = seed_history(ctx)
    ctx.store.sync_library(ctx.library)
    add_exercise_mistakes(ctx, "generic.sign", 3)
    app = screen_host(StatsScreen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(app, pilot)
        stats = screen.stats
        assert stats is not None and stats.total_reviews == written + 4
        assert not screen.query_one("#stats-status").display  # "computing…" is gone
        assert f"{written + 4} answers in all" in text_of(screen, "#stats-today")
        heatmap = screen.query_one("#heatmap", ActivityHeatmap)
        assert len(heatmap.days) == 365 and heatmap.days[-1][0] == date(2026, 3, 10)
        assert sum(n for _, n in heatmap.days) == written + 4
        assert screen.query_one("#forecast", ColumnChart).values == tuple(float(n) for n in stats.forecast)
        mastery = text_of(screen, "#mastery-table")
        assert "Receptive field" in mastery and "FLOPs" in mastery
        assert "last 30 days" in text_of(screen, "#retention-table")
        assert "receptive field" in text_of(screen, "#exercises-table").lower()
        assert "most often getting the sign wrong (3×)" in text_of(screen, "#mistakes-list")
        assert "Not enough reviews yet" in text_of(screen, "#calibration-summary")


async def test_stats_follow_the_language(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    seed_history(ctx, days=6)
    app = screen_host(StatsScreen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(app, pilot)
        assert text_of(screen, "#heatmap-title") == "Activity: the last 365 days"
        app.set_language("zh", save=False)
        await pilot.pause()
        assert text_of(screen, "#heatmap-title") == "学习记录：最近 365 天"
        assert "感受野" in text_of(screen, "#mastery-table")
        assert screen.query_one("#heatmap", ActivityHeatmap).lang == "zh"


async def test_empty_log_renders_without_errors(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    app = screen_host(StatsScreen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(app, pilot)
        assert screen.stats is not None and screen.stats.total_reviews == 0
        assert "No exercises answered yet." in text_of(screen, "#exercises-table")
        assert "No mistakes recorded yet." in text_of(screen, "#mistakes-list")


async def test_a_failing_report_is_shown_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("quizapp.tui.screens.stats.report", broken)
    ctx = make_context(tmp_path)
    app = screen_host(StatsScreen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(app, pilot)
        assert "Could not compute the statistics: RuntimeError: disk on fire" in text_of(screen, "#stats-status")


async def test_refresh_picks_up_new_answers(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    app = screen_host(StatsScreen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(app, pilot)
        assert screen.stats.total_reviews == 0
        seed_history(ctx, days=3)
        await pilot.press("r")
        screen = await open_stats(app, pilot)
        assert screen.stats.total_reviews > 0
        await press(pilot, "escape")
        assert not isinstance(app.screen, StatsScreen)


def test_heatmap_weeks_start_on_monday_and_levels_scale() -> None:
    days = year_of_days({date(2026, 3, 9): 4, date(2026, 3, 10): 1}, date(2026, 3, 10))
    assert len(days) == 365 and days[-1] == (date(2026, 3, 10), 1)
    columns = week_columns(days)
    assert all(len(c) == 7 for c in columns)
    assert columns[-1][0] == (date(2026, 3, 9), 4)  # 2026-03-09 is a Monday
    assert columns[-1][1] == (date(2026, 3, 10), 1) and columns[-1][2] is None
    assert [level_of(n, 8) for n in (0, 1, 2, 3, 6, 8)] == [0, 1, 1, 2, 3, 4]


async def test_narrow_heatmap_keeps_the_latest_weeks(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    days = year_of_days({date(2026, 3, 10): 5}, date(2026, 3, 10))
    app = screen_host(Screen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        widget = ActivityHeatmap(days)
        await app.screen.mount(widget)
        await pilot.pause()
        lines = widget.render().plain.splitlines()
        assert all(len(line) <= 30 for line in lines)
        assert lines[2].rstrip().endswith("▪")  # Tuesday row ends with today's cell


def test_bars_and_columns() -> None:
    assert hbar(0.5, 4, "green").plain == "██░░"
    assert hbar(None, 3, "green").plain == "···"
    assert hbar(1 / 16, 2, "green").plain == "▏░"
    assert hbar(1 / 4, 2, "green").plain == "▌░"
    assert column_rows([0, 1, 2], 2) == ["  █", " ██"]


async def test_chinese_heatmap_and_chart_labels_keep_their_columns(tmp_path: Path) -> None:
    from rich.cells import cell_len

    ctx = make_context(tmp_path, lang="zh")
    days = year_of_days({date(2026, 3, 10): 5}, date(2026, 3, 10))
    app = screen_host(Screen)(ctx, clock=FrozenClock())
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        heatmap = ActivityHeatmap(days, lang="zh")
        chart = ColumnChart([1, 0, 2], labels=("今天", "+30"))
        await app.screen.mount(heatmap, chart)
        await pilot.pause()
        lines = heatmap.render().plain.splitlines()
        grid = cell_len(lines[1])  # the Monday row: label + one cell per week
        assert "3月" in lines[0] and cell_len(lines[0]) <= grid
        assert lines[1].startswith("一")
        assert all(cell_len(line) <= 120 for line in lines)
        assert chart.render().plain.splitlines()[-1].rstrip().endswith("+30")


async def test_dashboard_key_opens_the_stats_screen(tmp_path: Path) -> None:
    from quizapp.tui.app import QuizApp

    ctx = make_context(tmp_path)
    app = QuizApp(ctx, clock=FrozenClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("S")
        screen = await open_stats(app, pilot)
        assert screen.stats is not None
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "DashboardScreen"


def test_every_month_keeps_a_label_in_chinese() -> None:
    """"11月" next to "10月" had no blank cell to spare at one cell a week and was dropped; it
    falls back to "11" and the year's twelve months are all named."""
    days = year_of_days({}, date(2026, 11, 30))
    columns = week_columns(days)
    row = ActivityHeatmap._month_row(columns, 1, "zh", 200)
    named = {int(m) for m in __import__("re").findall(r"(\d+)月?", row)}
    assert named == set(range(1, 13)), row
