"""A small fixed library, a temp data dir, a temp config and a frozen clock for the TUI tests.

The shipped content is being written concurrently, so screen tests use this fixture library.
Content deliberately contains square brackets: they must show literally (never as markup).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deck_text import about, options_item, quoted, topic_yaml

from quizapp.config import Settings, save_settings
from quizapp.deck import Library, load_library

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

BASICS = topic_yaml(
    "basics", 1, quoted("Basics [intro]", "基础 [入门]"),
    about=about(("The first topic", "第一个主题"), ("Notes", "笔记")), items="""\
  - id: b-flash
    kind: flashcard
    front: {en: "What does list[int] mean? [x]", zh: "list[int] 是什么意思？[x]"}
    back: {en: "A list of ints [bold]literally[/bold]", zh: "整数列表 [bold]原样[/bold]"}
""")

CLOZE = topic_yaml("cloze-topic", 2, quoted("Cloze topic", "填空主题"), about=about(), items="""\
  - id: c-rf
    kind: cloze
    text: {en: "Each layer adds {{c1::k − 1}} to the receptive field", zh: "每层使感受野增加 {{c1::k − 1}}"}
""")

CHOICE = topic_yaml("choice-topic", 3, quoted("Choice topic", "选择主题"), about=about(), items=(
    options_item("ch-one", "choice", ("Which one is an optimiser?", "哪一个是优化器？"), [
        ("ReLU", "ReLU", "an activation", "激活函数"), ("Adam", "Adam", "adaptive moments", "自适应矩估计"),
        ("Dropout [p=0.5]", "Dropout [p=0.5]", "a regulariser", "正则化")], (1,))
    + options_item("ch-multi", "multi", ("Which are activations?", "哪些是激活函数？"), [
        ("ReLU", "ReLU", "max(0, x)", "max(0, x)"), ("SGD", "SGD", "an optimiser", "优化器"),
        ("tanh", "tanh", "squashes", "压缩到 (−1, 1)")], (0, 2))))

EXERCISE = topic_yaml("exercise-topic", 4, quoted("Exercise topic", "计算主题"), about=about(), items="""\
  - id: ex-rf
    kind: exercise
    family: receptive_field
""")

FILES = {
    "01-basics.yaml": BASICS,
    "02-cloze.yaml": CLOZE,
    "03-choice.yaml": CHOICE,
    "04-exercise.yaml": EXERCISE,
}


def write_library(folder: Path, files: dict[str, str] | None = None) -> Library:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or FILES).items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    library = load_library([folder], include_builtin=False)
    assert not library.problems, [str(p) for p in library.problems]
    return library


@dataclass
class TestContext:
    """Same shape as quizapp.cli.context.Context."""

    __test__ = False

    settings: Settings
    library: Any
    store: Any
    lang: str
    config_path: Path


class FrozenClock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_context(
    root: Path, *, lang: str = "en", files: dict[str, str] | None = None
) -> TestContext:
    """Library + store + config under root; reopening with the same root keeps progress."""
    from quizapp.store.db import Store

    library = write_library(root / "content", files)
    config_path = root / "config.json"
    if config_path.exists():
        from quizapp.config import load_settings

        settings = load_settings(config_path)
    else:
        settings = Settings(language=lang, enable_fuzzing=False)
        save_settings(settings, config_path)
    store = Store.open(root / "data")
    store.sync_library(library)  # as quizapp.cli.context.open_context does
    return TestContext(settings, library, store, settings.language, config_path)


def make_app(root: Path, *, lang: str = "en", clock: FrozenClock | None = None,
             files: dict[str, str] | None = None) -> Any:
    from quizapp.tui.app import QuizApp

    context = make_context(root, lang=lang, files=files)
    return QuizApp(context, clock=clock or FrozenClock())


def footer_words(app: Any) -> list[str]:
    """The words of the keys the screen's KeyBar shows now (in the app's language)."""
    from quizapp.tui.widgets.keybar import KeyBar

    return [words for _key, words in app.screen.query_one(KeyBar).shown()]


def letter_for(app: Any, option_text: str) -> str:
    """The letter the card on show puts an option under (choice options are shuffled per review)."""
    view = app.screen.session.current.view
    return next(o.letter for o in view.options if option_text in (o.text.en, o.text.zh))


def correct_letters(app: Any) -> list[str]:
    view = app.screen.session.current.view
    return sorted(o.letter for o in view.options if o.correct)


def widget_text(widget: Any) -> str:
    """What a text widget shows: a Prose's text (before wrapping), else its rendered plain text."""
    from quizapp.tui.widgets.prose import Prose

    if isinstance(widget, Prose):
        return widget.text
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))
