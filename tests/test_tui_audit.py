"""Pilot tests for defects found by using the app as a learner (release audit): the footer's
palette label follows the language, the answer box's footer says how to leave it, a stale
"could not read" verdict goes away once the learner edits the answer, and the settings form's
errors are in the learner's language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from deck_text import about, options_item, quoted, topic_yaml
from pilot_steps import press
from textual.widgets import Input, Static
from tui_app_fixtures import CLOZE, footer_words, make_app, widget_text


def shown(app: Any, widget_id: str) -> str:
    """The plain text a content Static shows ('' when hidden)."""
    widget = app.screen.query_one(f"#{widget_id}")
    return widget_text(widget) if widget.display else ""


def keybar_text(app: Any) -> str:
    from quizapp.tui.widgets.keybar import KeyBar

    return app.screen.query_one(KeyBar).render_keys().plain


async def test_palette_key_label_follows_the_language(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert footer_words(app)[-1] == "命令面板"
        await press(pilot, "l")
        assert footer_words(app)[-1] == "palette"
        await press(pilot, "ctrl+p")  # still opens the palette
        assert type(app.screen).__name__ == "CommandPalette"


@asynccontextmanager
async def studying_cloze(tmp_path: Path) -> AsyncIterator[tuple[Any, Any]]:
    """The app at 80×24 studying the cloze topic (the answer box has the focus)."""
    app = make_app(tmp_path, files={"02-cloze.yaml": CLOZE})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_study("cloze-topic")
        await pilot.pause()
        yield app, pilot


async def test_answer_box_footer_says_how_to_leave_it(tmp_path: Path) -> None:
    async with studying_cloze(tmp_path) as (app, pilot):
        assert app.screen.query_one("#answer-input", Input).has_focus
        footer = keybar_text(app)
        assert "esc Leave box" in footer and "^z Undo" in footer
        assert " u Undo" not in footer and "q End" not in footer  # u and q type in the box
        await press(pilot, "escape")
        footer = keybar_text(app)
        assert "Leave box" not in footer and "^z" not in footer
        assert "q End" in footer and footer.count("End") == 1  # escape's "End" is not repeated
        assert "u Undo" in footer and "s Skip" in footer
        app.set_language("zh", save=False)
        await press(pilot, "tab")
        assert "esc 离开输入框" in keybar_text(app)


async def test_editing_after_an_unreadable_answer_clears_the_old_verdict(tmp_path: Path) -> None:
    async with studying_cloze(tmp_path) as (app, pilot):
        screen = app.screen
        screen.pane.show_invalid("Unknown variable 'q'", "en")
        await pilot.pause()
        assert "Could not read" in shown(app, "verdict")
        await pilot.press("backspace", "k")
        await pilot.pause(0.3)  # the preview's quiet spell
        assert shown(app, "verdict") == "" and shown(app, "feedback") == ""
        assert screen.session.current.phase == "question"


async def test_settings_errors_are_in_the_learners_language(tmp_path: Path) -> None:
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await press(pilot, "comma")
        screen = app.screen
        screen.query_one("#retention", Input).value = "1.5"
        screen.query_one("#new-per-day", Input).value = "-3"
        await press(pilot, "ctrl+s")
        error = str(screen.query_one("#settings-error", Static).render())
        assert "目标记忆保持率必须在 0.70 到 0.99 之间" in error
        assert "每日新卡上限 不能为负数" in error
        assert "desired_retention" not in error and "negative" not in error
        assert type(app.screen).__name__ == "SettingsScreen"


FENCED_NOTES = topic_yaml("fenced", 1, quoted("Fenced", "代码块"), about=f"summary: {quoted('s', 's')}\n" + """\
notes:
  en: |
    # Worked example

    ```
    forward: h = σ(0.5) = 0.6225 [cached]
    ```
  zh: "笔记"
""", items="""\
  - id: f-flash
    kind: flashcard
    front: {en: "front", zh: "正面"}
    back: {en: "back", zh: "背面"}
""")


async def test_topic_notes_fences_are_plain_text_without_lexer_guessing(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import textual.highlight

    guesses: list[str] = []

    def no_guessing(code: str, path: str | None) -> str:
        guesses.append(code)  # Pygments' guess_lexer tries every lexer: ~0.1 s per fence
        return "text"

    monkeypatch.setattr(textual.highlight, "guess_language", no_guessing)
    app = make_app(tmp_path, files={"01-fenced.yaml": FENCED_NOTES})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_topic("fenced")
        await pilot.pause(0.2)
        fence = app.screen.query_one("#topic-notes .fence")
        assert "forward: h = σ(0.5) = 0.6225 [cached]" in fence.text
        app.theme = "nord"
        await pilot.pause()
    assert guesses == []


async def test_topic_notes_keep_every_formula_and_wrap_chinese_at_80_120_160(tmp_path: Path) -> None:
    """Nothing a learner must read is cut: the notes' widest formula wraps in a narrow pane, and
    Chinese after an inline formula fills its lines instead of leaving them half empty."""
    from quizapp.textflow import cells

    wide = FENCED_NOTES.replace(
        "forward: h = σ(0.5) = 0.6225 [cached]",
        "forward: h = σ(0.5) = 0.6225 [cached] " + "· then the loss L = ½(h − t)² and ∂L/∂h = h − t " * 4,
    ).replace(
        'zh: "笔记"',
        'zh: "用户创建并设置 requires_grad=True 的张量是叶子节点，它的梯度会累加到 .grad 中；'
        + "非叶子张量默认不保存梯度，需要时调用 retain_grad()。" * 3 + '"',
    )
    for width in (80, 120, 160):
        app = make_app(tmp_path / str(width), files={"01-fenced.yaml": wide}, lang="zh" if width == 80 else "en")
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            app.open_topic("fenced")
            await pilot.pause(0.2)
            await pilot.press("n")
            await pilot.pause(0.2)
            notes = app.screen.query_one("#topic-notes")
            for block in notes.query("Prose"):
                shown = block.render().plain.splitlines()
                assert all(cells(line) <= block.content_size.width for line in shown), width
                assert "".join(shown).replace(" ", "") == block.text.replace("\n", "").replace(" ", "")


async def test_help_lists_the_topic_stats_and_settings_keys(tmp_path: Path) -> None:
    """The topic screen's p/d/x, the stats screen's r and the settings' ctrl+s were only in
    their footers; the help screen lists every key."""
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "question_mark")
        text = app.screen.plain_text()
        for line in ("主题页", "  p  练习（不改变复习计划）", "  d  计算题专项训练", "  x  暂停或恢复",
                     "  r  刷新统计", "  ctrl+s  保存设置"):
            assert line in text
        assert "help." not in text  # every key has its string


TWO_FAMILIES = topic_yaml("backpropagation", 1, quoted("Backprop", "反向传播"), about=about(), items="""\
  - id: bp-sig
    kind: exercise
    family: sigmoid_derivative
  - id: bp-tanh
    kind: exercise
    family: tanh_derivative
""")


async def test_drill_picker_names_families_in_the_learners_language(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    app = make_app(tmp_path, lang="zh", files={"01-bp.yaml": TWO_FAMILIES})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_topic("backpropagation")
        await pilot.pause()
        await press(pilot, "d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == ["sigmoid 的导数", "tanh 的导数"]  # not "sigmoid derivative"
        await press(pilot, "down", "enter")
        assert type(app.screen).__name__ == "StudyScreen"
        assert app.screen.session.drill_family == "tanh_derivative"


LONG_ITEMS = topic_yaml("long-items", 1, quoted("Long items", "长卡片"), about=about(notes=("Notes", "笔记")), items="""\
  - id: long-flash
    kind: flashcard
    front: {en: "LONG_FRONT", zh: "正面"}
    back: {en: "back", zh: "背面"}
""" + options_item("long-multi", "multi", ("Which?", "哪些？"), [("a", "a", "w", "w"), ("b", "b", "w", "w")], (0,))).replace("LONG_FRONT", ("What does a very long flashcard front look like in the items table? " * 3).strip())


async def test_topic_items_fit_the_wide_layout_without_sideways_scrolling(tmp_path: Path) -> None:
    """On a wide terminal the items sit beside the notes: the item column is fitted to that
    box, not to the full width the box had before the wide layout applied."""
    from textual.widgets import DataTable

    app = make_app(tmp_path, files={"01-long.yaml": LONG_ITEMS})
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.open_topic("long-items")
        await pilot.pause(0.3)
        await pilot.pause()
        table = app.screen.query_one("#topic-items", DataTable)
        assert app.screen.has_class("-wide")
        assert table.virtual_size.width <= table.scrollable_content_region.width
        row = table.get_row_at(0)
        assert str(row[-1]).endswith("…")
