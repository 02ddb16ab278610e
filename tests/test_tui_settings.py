"""Pilot tests of the settings screen and live language switching."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pilot_steps import press
from textual.widgets import Input, Label, Select, Static
from tui_app_fixtures import BASICS, footer_words, make_app, widget_text

from quizapp.config import load_settings


def text_of(app: Any, selector: str) -> str:
    return widget_text(app.screen.query_one(selector))


async def open_settings(pilot: Any) -> Any:
    await pilot.pause()
    await press(pilot, "comma")
    screen = pilot.app.screen
    assert type(screen).__name__ == "SettingsScreen"
    return screen


async def test_settings_are_saved_to_the_config_file(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#retention", Input).value = "0.85"
        screen.query_one("#new-per-day", Input).value = "7"
        screen.query_one("#reviews-per-day", Input).value = "150"
        screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"  # previewed live
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "DashboardScreen"
    saved = load_settings(tmp_path / "config.json")
    assert (saved.desired_retention, saved.new_per_day, saved.reviews_per_day, saved.theme) == (
        0.85,
        7,
        150,
        "nord",
    )
    assert app.settings.new_per_day == 7  # the running app uses them too


async def test_invalid_settings_are_not_saved(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    before = (tmp_path / "config.json").read_bytes()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#retention", Input).value = "1.5"
        screen.query_one("#new-per-day", Input).value = "lots"
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "SettingsScreen"
        error = text_of(app, "#settings-error")
        assert "New cards per day must be a number" in error
        screen.query_one("#new-per-day", Input).value = "5"
        await press(pilot, "ctrl+s")
        assert "desired retention must be between 0.70 and 0.99" in text_of(app, "#settings-error")
    assert (tmp_path / "config.json").read_bytes() == before


async def test_switch_language_live_ui_and_content_follow(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS})
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_settings(pilot)
        assert text_of(app, "#settings-title") == "Settings"
        screen.query_one("#language", Select).value = "zh"
        await pilot.pause()
        # The settings screen itself follows at once.
        assert text_of(app, "#settings-title") == "设置"
        assert str(screen.query_one("#label-theme", Label).render()) == "主题配色"
        await press(pilot, "ctrl+s")
        assert json.loads((tmp_path / "config.json").read_text("utf-8"))["language"] == "zh"
        # Dashboard: UI text and content (topic title) in Chinese.
        assert "今天" in text_of(app, "#dash-today")
        await press(pilot, "s")
        assert text_of(app, "#card-front") == "list[int] 是什么意思？[x]"
        assert "问答卡" in text_of(app, "#study-title")
        # A screen shown after the switch has its footer keys in Chinese too.
        assert "显示答案" in footer_words(app)
        assert "显示答案" in str(app.screen.query_one("#study-keys").render())
        assert "基础 [入门]" in text_of(app, "#study-title")
        # Switch back mid-card from the command palette action: the card follows.
        await pilot.press("space")
        app.action_toggle_language()
        await pilot.pause()
        assert text_of(app, "#card-front") == "What does list[int] mean? [x]"
        assert text_of(app, "#back") == "A list of ints [bold]literally[/bold]"
        assert str(app.screen.query_one("#rate-3").render()).startswith("3 Good")
    assert load_settings(tmp_path / "config.json").language == "en"


async def test_cancel_restores_previewed_language_and_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        theme = app.theme
        screen = await open_settings(pilot)
        screen.query_one("#language", Select).value = "zh"
        screen.query_one("#theme", Select).value = "gruvbox"
        await pilot.pause()
        assert app.lang == "zh" and app.theme == "gruvbox"
        await press(pilot, "escape")
        assert app.lang == "en" and app.theme == theme
        assert "Today" in str(app.screen.query_one("#dash-today", Static).render())
    assert load_settings(tmp_path / "config.json").language == "en"


async def test_the_save_and_cancel_buttons_act_like_their_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#new-per-day", Input).value = "7"
        await pilot.click("#cancel")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        assert load_settings(tmp_path / "config.json").new_per_day != 7
        screen = await open_settings(pilot)
        screen.query_one("#new-per-day", Input).value = "7"
        await pilot.click("#save")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
    assert load_settings(tmp_path / "config.json").new_per_day == 7
