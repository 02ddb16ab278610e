"""Editing a card in $EDITOR, adding one with the form, and picking up deck changes: Pilot tests
with an editor script standing in for the learner's editor."""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pilot_steps import press
from textual.widgets import Input, Select, TextArea
from tui_fixtures import FrozenClock

from quizapp.config import Settings
from quizapp.deck import load_library
from quizapp.deck.userdecks import create_deck, user_decks_dir
from quizapp.store import Store
from quizapp.study.session import StudySession
from quizapp.tui.app import QuizApp


@pytest.fixture(autouse=True)
def no_visual(utc_days: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)


def context(tmp_path: Path, *, builtin: bool = False) -> SimpleNamespace:
    decks = user_decks_dir()
    decks.mkdir(parents=True, exist_ok=True)
    if not any(decks.iterdir()):
        create_deck(decks, "Mine")
    library = load_library(include_builtin=builtin, user_dirs=[decks])
    assert not library.problems, library.problems
    store = Store.open(tmp_path / "data")
    store.sync_library(library)
    return SimpleNamespace(settings=Settings(language="en", enable_fuzzing=False), library=library,
                           store=store, lang="en", config_path=tmp_path / "config.json", data_dir=None)


def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """An executable 'editor' called as EDITOR +LINE FILE; it logs its arguments."""
    script = tmp_path / "fake-editor"
    script.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/editor-args"\n{body}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    return tmp_path / "editor-args"


def app_with_editor(ctx: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> QuizApp:
    """The app on `ctx`, its editor a script that runs `body` on the deck file."""
    editor(tmp_path, monkeypatch, body)
    return QuizApp(ctx, clock=FrozenClock())


@asynccontextmanager
async def add_form(ctx: SimpleNamespace) -> AsyncIterator[tuple[QuizApp, Any]]:
    """The app on `ctx` at 100×40 with the add form open."""
    app = QuizApp(ctx, clock=FrozenClock())
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_add_form()
        await pilot.pause()
        yield app, pilot


def study_one(ctx: SimpleNamespace, key: str) -> None:
    session = StudySession(ctx.store, ctx.library, ctx.settings, plan_keys=[key], clock=FrozenClock())
    session.next_card()
    session.reveal()
    session.rate(3)


async def test_edit_in_editor_changes_the_card_and_keeps_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context(tmp_path)
    study_one(ctx, "mine-flashcard")
    before = ctx.store.card("mine-flashcard")
    args = editor(tmp_path, monkeypatch, 'sed -i "s/What does ReLU compute?/What does a ReLU unit output?/" "$2"')
    app = QuizApp(ctx, clock=FrozenClock())
    async with app.run_test(size=(100, 30)) as pilot:
        app.edit_card("mine-flashcard")
        await app.workers.wait_for_complete()
        await pilot.pause()
        deck = user_decks_dir() / "mine.yaml"
        line = app.library.card("mine-flashcard").item.line
        assert args.read_text().split() == [f"+{line}", str(deck)]
        assert app.library.card("mine-flashcard").item.front.en == "What does a ReLU unit output?"
        assert app.store.card("mine-flashcard") == before  # same id: progress kept


async def test_a_broken_edit_is_reported_with_file_and_line_and_the_old_deck_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with_editor(context(tmp_path), tmp_path, monkeypatch, 'printf "items: [\\n  - {id: oops\\n" >> "$2"')
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(str(message)))
        cards = [c.key for c in app.library.cards]
        app.edit_card("mine-cloze::c1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        deck = user_decks_dir() / "mine.yaml"
        assert any(f"{deck}:" in note and "malformed YAML" in note for note in notes), notes
        assert [c.key for c in app.library.cards] == cards  # the previous version is still used
        session = StudySession(app.store, app.library, app.settings, plan_keys=cards, clock=FrozenClock())
        assert session.next_card() is not None


async def test_editing_a_builtin_card_copies_it_into_my_edits_which_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = context(tmp_path, builtin=True)
    study_one(ctx, "rf-definition")
    before = ctx.store.card("rf-definition")
    builtin = ctx.library.card("rf-definition").item.front.en
    app = app_with_editor(ctx, tmp_path, monkeypatch, 'sed -i "s/receptive field of a unit/receptive field (RF) of a unit/" "$2"')
    async with app.run_test(size=(100, 30)) as pilot:
        app.edit_card("rf-definition")
        await pilot.pause()
        await pilot.press("y")  # yes: copy it into my deck and edit the copy
        await app.workers.wait_for_complete()
        await pilot.pause()
        ref = app.library.card("rf-definition")
        assert ref.item.front.en == builtin.replace("receptive field", "receptive field (RF)", 1)
        assert ref.item.source == user_decks_dir() / "my-edits.yaml"
        assert ref.topic.id == "receptive-field" and ref.topic.builtin  # still in its own topic
        assert "my-edits" not in [t.id for t in app.library.topics]
        assert app.store.card("rf-definition") == before


async def test_add_a_cloze_in_the_form_and_study_it_next_session(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    async with add_form(ctx) as (app, pilot):
        screen = app.screen
        screen.query_one("#add-kind", Select).value = "cloze"
        await pilot.pause()
        screen.query_one("#add-text-en", TextArea).text = "Dropout scales kept units by {{c1::1/(1 − p)}}"
        screen.query_one("#add-text-zh", TextArea).text = "Dropout 把保留的单元放大 {{c1::1/(1 − p)}} 倍"
        screen.query_one("#add-tags", Input).value = "followup mine"
        await pilot.pause()
        assert "c1: Dropout scales kept units by […]" in str(screen.query_one("#add-preview").render())
        await press(pilot, "ctrl+s")
        new = [c for c in app.library.cards if c.item.text and "Dropout" in c.item.text.en]
        assert [c.key for c in new] == ["mine-dropout-scales-kept-units-by::c1"]
        assert new[0].item.tags == ("followup", "mine")
        text = (user_decks_dir() / "mine.yaml").read_text(encoding="utf-8")
        assert "# Cloze: each {{cN::answer}} is one card" in text  # the comments are kept
    session = StudySession(app.store, app.library, app.settings, clock=FrozenClock())
    seen = []
    while (card := session.next_card()) is not None:
        seen.append(card.key)
        session.skip()
    assert "mine-dropout-scales-kept-units-by::c1" in seen


async def test_the_form_refuses_an_invalid_item_and_writes_nothing(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    deck = user_decks_dir() / "mine.yaml"
    before = deck.read_bytes()
    async with add_form(ctx) as (app, pilot):
        screen = app.screen
        screen.query_one("#add-front-en", Input).value = "Only English"
        await press(pilot, "ctrl+s")
        errors = str(screen.query_one("#add-errors").render())
        assert "front.zh: must not be empty" in errors and "back" in errors
    assert deck.read_bytes() == before


async def test_a_deck_file_changed_on_disk_is_picked_up(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    app = QuizApp(ctx, clock=FrozenClock())
    async with app.run_test(size=(100, 30)) as pilot:
        deck = user_decks_dir() / "mine.yaml"
        text = deck.read_text(encoding="utf-8")
        deck.write_text(text.replace("What does ReLU compute?", "What is ReLU(x)?"), encoding="utf-8")
        app.reload_decks()
        await pilot.pause()
        assert app.library.card("mine-flashcard").item.front.en == "What is ReLU(x)?"


async def test_e_on_the_study_screen_edits_the_card_on_show_and_redraws_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with_editor(context(tmp_path), tmp_path, monkeypatch, 'sed -i "s/What does ReLU compute?/What does a ReLU unit output?/" "$2"')
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.start_study(plan_keys=["mine-flashcard"])
        await pilot.pause()
        front = app.screen.query_one("#card-front")
        assert front.text == "What does ReLU compute?"
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#card-front").text == "What does a ReLU unit output?"
        assert app.screen.session.library is app.library  # later cards come from the new decks
