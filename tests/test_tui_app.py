"""Pilot tests of the app shell: dashboard, help, command palette, resize, quit and reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pilot_steps import press
from textual.widgets import DataTable
from tui_app_fixtures import (
    BASICS,
    CHOICE,
    NOW,
    FrozenClock,
    footer_words,
    letter_for,
    make_app,
    widget_text,
)

from quizapp.tui.commands import QuizCommands, palette_entries


def table_rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#topics", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def static_text(app: Any, selector: str) -> str:
    return widget_text(app.screen.query_one(selector))


async def test_dashboard_lists_topics_with_counts(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        rows = table_rows(app)
        assert rows[0][0] == "All topics"
        titles = [row[0] for row in rows[1:]]
        # Titles with brackets show literally; user decks are marked.
        assert titles[0] == "Basics [intro] (your deck)"
        assert [t.split(" (")[0] for t in titles] == [
            "Basics [intro]",
            "Cloze topic",
            "Choice topic",
            "Exercise topic",
        ]
        by_title = {row[0].split(" (")[0]: row for row in rows[1:]}
        # Nothing studied yet: new · learning · review = every card new, never studied.
        assert by_title["Choice topic"][1:4] == ["2", "0", "0"]
        assert by_title["Basics [intro]"][5] == "never"
        assert rows[0][1:4] == [str(2 + 1 + 1 + 1), "0", "0"]
        assert "streak" in static_text(app, "#dash-today")


async def test_enter_on_a_topic_row_studies_that_topic(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down")  # All, Basics, Cloze, Choice
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "StudyScreen"
        assert app.screen.session.topic == "choice-topic"
        assert app.screen.session.current.view.meta.kind == "choice"


async def test_quit_and_reopen_keeps_progress(tmp_path: Path) -> None:
    files = {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}
    app = make_app(tmp_path, files=files)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "s")
        await press(pilot, "space", "4")  # the flashcard, Easy: graduates at once
        await press(pilot, letter_for(app, "Adam"), "enter")  # the choice question, right
        await press(pilot, "enter")
        await press(pilot, "ctrl+q")  # quit in the middle of the session
    app.store.close()

    reopened = make_app(tmp_path, files=files, clock=FrozenClock(NOW))
    async with reopened.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = [(r.card_key, r.rating) for r in reopened.store.reviews()]
        assert keys == [("b-flash", 4), ("ch-one", 3)]
        rows = {row[0].split(" (")[0]: row for row in table_rows(reopened)}
        assert rows["Basics [intro]"][1] == "0"  # no new card left
        assert rows["Basics [intro]"][5] == "today"
        assert rows["Choice topic"][1] == "1"
        assert "2 reviewed" in static_text(reopened, "#dash-today")


async def test_help_screen_lists_keys_and_closes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        text = app.screen.plain_text()
        for expected in ("ctrl+p", "1 2 3 4", "undo the last answer", "review everything due"):
            assert expected in text
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_palette_offers_every_action_and_topic(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        labels = [label for label, _callback, _help in palette_entries(app)]
        for expected in ("Review everything due", "Statistics", "Settings", "Help: keys", "Quit"):
            assert expected in labels
        for topic in app.library.topics:
            assert f"Study: {topic.title.en}" in labels
            assert f"Topic: {topic.title.en}" in labels
        assert "Exercise drill: receptive_field (Exercise topic)" in labels

        provider = QuizCommands(app.screen)
        hits = [hit async for hit in provider.search("Study: Cloze")]
        assert hits and str(hits[0].text) == "Study: Cloze topic"
        # Brackets in topic titles survive the palette's highlighting.
        bracket_hits = [hit async for hit in provider.search("intro")]
        assert any("[intro]" in hit.prompt.plain for hit in bracket_hits)

        # Through the real palette: choose "Study: Cloze topic".
        await press(pilot, "ctrl+p")
        await pilot.press(*"Study: Cloze")
        await pilot.pause(0.5)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "StudyScreen"
        assert app.screen.session.topic == "cloze-topic"


async def test_resize_between_wide_and_80x24(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE})
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-wide")
        assert screen.query_one("#dash-side").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert screen.query_one("#dash-side").region.width == 0
        table = screen.query_one("#topics", DataTable)
        assert table.region.height > 3 and table.region.right <= 80
        await press(pilot, "s")
        await press(pilot, "space")  # the flashcard comes first
        study = app.screen
        for rating in (1, 2, 3, 4):
            region = study.query_one(f"#rate-{rating}").region
            assert region.width > 0 and region.right <= 80 and region.bottom <= 24
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert study.has_class("-wide")


async def test_language_toggle_on_dashboard_is_saved(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "l")
        assert app.lang == "zh"
        rows = table_rows(app)
        assert rows[0][0] == "全部主题"
        assert rows[1][0].startswith("基础 [入门]")
        # Footer descriptions follow the language.
        assert "复习到期" in footer_words(app)
    from quizapp.config import load_settings

    assert load_settings(tmp_path / "config.json").language == "zh"



async def test_started_in_chinese_everything_is_chinese(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert table_rows(app)[0][0] == "全部主题"
        assert "今天" in static_text(app, "#dash-today")
        assert {"复习到期", "设置", "帮助"} <= set(footer_words(app))


def test_launch_opens_the_context_runs_the_app_and_cleans_up(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from quizapp.cli import launch
    from quizapp.cli.main import build_parser
    from quizapp.tui.app import QuizApp

    seen: dict[str, Any] = {}

    def fake_run(self: QuizApp) -> None:
        seen["topics"] = len(self.library.topics)
        seen["worker"] = self.check_worker
        seen["lang"] = self.lang

    class FakeWorker:
        closed = False

        def __init__(self, *, start: bool = True) -> None:
            from quizapp.checking.verdict import Verdict

            self.verdict = Verdict("correct")
            seen["started at once"] = start

        def close(self) -> None:
            FakeWorker.closed = True

    monkeypatch.setattr(QuizApp, "run", fake_run)
    monkeypatch.setattr("quizapp.exercises.worker.ExerciseWorker", FakeWorker)
    args = build_parser().parse_args(
        ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.json"), "--lang", "zh"]
    )
    assert launch.run(args) == 0
    assert seen["topics"] >= 1 and seen["lang"] == "zh"
    assert isinstance(seen["worker"], FakeWorker)
    assert seen["started at once"] is False  # the app starts it once the dashboard is drawn
    assert FakeWorker.closed
    assert (tmp_path / "data" / "quizapp.sqlite3").exists()


def test_launch_with_a_broken_config_exits_2_without_a_traceback(
    tmp_path: Path, capsys: Any
) -> None:
    from quizapp.cli.main import main

    config = tmp_path / "config.json"
    config.write_text("{not json", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "data"), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "config.json" in err and "Traceback" not in err


async def test_dashboard_keys_open_topic_stats_settings_and_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "down", "down", "t")  # the Cloze topic row
        assert type(app.screen).__name__ == "TopicScreen"
        assert app.screen.topic_id == "cloze-topic"
        await press(pilot, "escape")
        for key, name in (("S", "StatsScreen"), ("ctrl+s", "StatsScreen"), ("comma", "SettingsScreen")):
            await press(pilot, key)
            assert type(app.screen).__name__ == name
            await app.workers.wait_for_complete()
            await press(pilot, "escape")
            assert type(app.screen).__name__ == "DashboardScreen"


def test_every_ui_string_used_exists_in_both_languages() -> None:
    import re

    import quizapp.tui
    from quizapp import strings
    from quizapp.deck import KINDS

    root = Path(quizapp.tui.__file__).parent
    used: set[str] = set()
    for source in root.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z][\w.-]+)["']""", source.read_text("utf-8")))
    # Keys built from data: kinds, card states, ratings, verdict statuses, footer bindings.
    used |= {f"study.kind.{kind}" for kind in KINDS}
    used |= {f"study.state.{state}" for state in ("new", "learning", "review", "relearning")}
    used |= {f"rating.{rating}" for rating in (1, 2, 3, 4)}
    used |= {f"study.verdict.{status}" for status in ("correct", "wrong", "invalid")}

    missing = sorted(key for key in used if key not in strings.STRINGS)
    assert not missing
    for key, value in strings.STRINGS.items():
        assert value.en.strip() and value.zh.strip(), key


def test_interval_and_time_formatting() -> None:
    from datetime import timedelta

    from quizapp.strings import interval_text as short_interval
    from quizapp.tui.widgets.bars import clock_time, last_studied, mastery_bar

    assert short_interval(timedelta(seconds=30), "en") == "<1m"
    assert short_interval(timedelta(minutes=10), "en") == "10m"
    assert short_interval(timedelta(hours=5), "en") == "5h"
    assert short_interval(timedelta(days=4), "zh") == "4天"
    assert short_interval(timedelta(days=45), "en") == "1.5mo"
    assert short_interval(timedelta(days=400), "en") == "1.1y"
    assert clock_time(14) == "0:14" and clock_time(3725) == "1:02:05"
    assert last_studied(None, NOW, "en") == "never"
    assert last_studied(NOW - timedelta(days=3), NOW, "en") == "3 days ago"
    assert last_studied(NOW - timedelta(hours=1), NOW, "zh") == "今天"
    assert mastery_bar(0.5).plain == "█████░░░░░  50%"
