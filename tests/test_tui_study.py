"""Pilot tests of the study screen: flashcard, cloze, choice, exercise, undo, literal brackets."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static
from tui_app_fixtures import BASICS, CHOICE, CLOZE, make_app

EXERCISES = """\
id: exercise-topic
order: 4
title: {en: "Exercise topic", zh: "计算主题"}
summary: {en: "s", zh: "s"}
notes: {en: "n", zh: "n"}
items:
  - id: ex-rf-1
    kind: exercise
    family: receptive_field
  - id: ex-rf-2
    kind: exercise
    family: receptive_field
"""


def shown(app: Any, widget_id: str) -> str:
    """The plain text a content Static shows ('' when hidden)."""
    widget = app.screen.query_one(f"#{widget_id}", Static)
    if not widget.display:
        return ""
    return str(widget.render().plain) if hasattr(widget.render(), "plain") else str(widget.render())


def reviews(app: Any) -> list[Any]:
    return app.store.reviews()


async def start(pilot: Any, topic: str | None = None) -> None:
    await pilot.pause()
    if topic is None:
        await pilot.press("s")
    else:
        pilot.app.start_study(topic)
    await pilot.pause()


@pytest.fixture
def seeded_exercises(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible exercises: seeds from a fixed Random (the session uses SystemRandom), and
    the receptive_field family loaded on its own (independent of the other families)."""
    import quizapp.exercises
    import quizapp.study.session as session_module

    monkeypatch.setattr(session_module.random, "SystemRandom", lambda: random.Random(20260310))

    def only_receptive_field(name: str) -> Any:
        from quizapp.exercises.families.receptive_field import FAMILIES

        return {family.name: family for family in FAMILIES}[name]

    monkeypatch.setattr(quizapp.exercises, "get_family", only_receptive_field)


async def test_flashcard_reveal_and_rate_good_is_logged(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        screen = app.screen
        assert type(screen).__name__ == "StudyScreen"
        # Content with brackets shows literally, never as markup.
        assert shown(app, "card-front") == "What does list[int] mean? [x]"
        assert "Basics [intro]" in shown(app, "study-title")
        assert shown(app, "study-progress") == "1 of 1"
        assert shown(app, "back") == ""
        # The footer shows the keys that apply, and what enter does now.
        keys = str(app.screen.query_one("#study-keys").render())
        assert "⏎ Reveal" in keys and "Accept" not in keys and "Undo" in keys
        await pilot.press("space")
        keys = str(app.screen.query_one("#study-keys").render())
        assert "Reveal" not in keys and "⏎ Accept" in keys
        assert shown(app, "back") == "A list of ints [bold]literally[/bold]"
        assert app.screen.query_one("#ratings").display
        await pilot.press("3")
        await pilot.pause()
        rows = reviews(app)
        assert [(r.card_key, r.rating) for r in rows] == [("b-flash", 3)]
        # Good on a new card starts learning (10 min step): within the learn-ahead limit it
        # comes back in this session, like Anki.
        assert type(app.screen).__name__ == "StudyScreen"
        assert shown(app, "card-front") == "What does list[int] mean? [x]"
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
        assert "Answered: 1" in shown(app, "summary-numbers")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_rating_buttons_show_next_interval(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("space")
        labels = [str(app.screen.query_one(f"#rate-{r}").label) for r in (1, 2, 3, 4)]
        assert labels[0].startswith("1 Again · ")
        assert labels[3].startswith("4 Easy · ")
        # Every button carries an interval, and Easy waits longer than Again.
        assert all("·" in label for label in labels)
        assert labels[3].endswith("d")
        # A flashcard has no checked answer: Good is the proposed (pre-selected) rating.
        assert app.screen.query_one("#rate-3").has_class("-proposed")
        # The buttons work with the mouse too.
        await pilot.click("#rate-2")
        await pilot.pause()
        assert [(r.card_key, r.rating) for r in reviews(app)] == [("b-flash", 2)]


async def test_undo_restores_the_card_and_deletes_the_row(tmp_path: Path) -> None:
    files = {"01-basics.yaml": BASICS, "02-cloze.yaml": CLOZE}
    app = make_app(tmp_path, files=files)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("space", "4")
        await pilot.pause()
        assert len(reviews(app)) == 1
        await pilot.press("escape")  # off the cloze Input so "u" is a key, not a letter typed
        assert type(app.screen).__name__ == "StudyScreen"
        await pilot.press("u")
        await pilot.pause()
        assert reviews(app) == []
        assert shown(app, "card-front") == "What does list[int] mean? [x]"
        assert app.screen.view.phase == "front"
        assert app.store.card("b-flash").state == 0  # back to new, exactly
        await pilot.press("space", "3")
        await pilot.pause()
        assert [(r.card_key, r.rating) for r in reviews(app)] == [("b-flash", 3)]


async def test_cloze_deletion_in_place_and_input_does_not_swallow_ratings(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"02-cloze.yaml": CLOZE})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert shown(app, "card-front") == "Each layer adds […] to the receptive field"
        answer = app.screen.query_one("#answer", Input)
        assert answer.has_focus
        await pilot.press(*"k - 1", "enter")
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        assert not answer.has_focus
        assert app.screen.query_one("#rate-3").has_class("-proposed")
        # 2 reaches the rating binding; it is not typed into the answer.
        await pilot.press("2")
        await pilot.pause()
        assert answer.value in ("", "k - 1")
        rows = reviews(app)
        assert [(r.card_key, r.rating, r.status) for r in rows] == [("c-rf::c1", 2, "correct")]


async def test_cloze_wrong_answer_proposes_again(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"02-cloze.yaml": CLOZE})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"k + 1", "enter")
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        assert "k − 1" in shown(app, "back")  # the correct text, filled in place
        await pilot.press("enter")  # accept the proposal
        await pilot.pause()
        assert [(r.rating, r.status) for r in reviews(app)] == [(1, "wrong")]


async def test_choice_and_select_all_by_letter_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"03-choice.yaml": CHOICE})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert shown(app, "card-front") == "Which one is an optimiser?"
        choices = app.screen.query_one("#choices")
        await pilot.press("enter")  # nothing chosen yet: a hint, nothing recorded
        await pilot.pause()
        assert app.screen.view.phase == "front"
        assert any("Choose an option" in n.message for n in app._notifications)
        await pilot.press("a", "b")  # single choice: the last letter wins
        assert choices.selected == {"b"}
        await pilot.press("enter")
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        await pilot.press("3")
        await pilot.pause()
        assert shown(app, "card-front") == "Which are activations?"
        await pilot.press("a", "b", "c", "b")  # toggles: b on, then off again
        assert app.screen.query_one("#choices").selected == {"a", "c"}
        await pilot.press("enter")
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        await pilot.press("1")  # override the proposed Good
        await pilot.pause()
        rows = reviews(app)
        assert [(r.card_key, r.rating, r.answer) for r in rows] == [
            ("ch-one", 3, "b"),
            ("ch-multi", 1, "a c"),
        ]


async def test_choice_wrong_option_names_the_mistake(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"03-choice.yaml": CHOICE})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert "[p=0.5]" in app.export_screenshot()  # option text drawn literally
        await pilot.press("c", "enter")
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert "[p=0.5]" in app.export_screenshot()  # and after the result is drawn
        assert "The answer is b" in shown(app, "feedback")
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.rating, r.note) for r in reviews(app)] == [(1, "choice.wrong-option")]


async def test_exercise_right_then_wrong(tmp_path: Path, seeded_exercises: None) -> None:
    from quizapp.exercises.base import value_text

    app = make_app(tmp_path, files={"04-exercise.yaml": EXERCISES})
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        card = app.screen.view.card
        assert card.kind == "exercise" and card.instance is not None
        assert card.instance.prompt("en") in shown(app, "card-front")
        await pilot.press(*card.instance.answer_text, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        assert app.screen.query_one("#rate-3").has_class("-proposed")
        assert card.instance.answer_text in shown(app, "back")  # the answer and worked solution
        await pilot.press("enter")
        await pilot.pause()

        card = app.screen.view.card
        assert card.item.id == "ex-rf-2"
        mistake = card.instance.mistakes[0]
        await pilot.press(*value_text(mistake.value), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert mistake.feedback.en in shown(app, "feedback")
        assert card.instance.solution("en").splitlines()[0] in shown(app, "back")
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        await pilot.press("enter")
        await pilot.pause()
        rows = reviews(app)
        assert [(r.rating, r.status) for r in rows] == [(3, "correct"), (1, "wrong")]
        assert rows[1].note == mistake.note
        assert rows[0].seed is not None and rows[1].seed is not None


async def test_exercise_live_preview_and_invalid_answer_costs_nothing(
    tmp_path: Path, seeded_exercises: None
) -> None:
    app = make_app(tmp_path, files={"04-exercise.yaml": EXERCISES})
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        await pilot.press(*"2*3+1")
        await pilot.pause(0.3)  # the preview is debounced
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "interpreted").startswith("Interpreted as:")
        answer = app.screen.query_one("#answer", Input)
        answer.value = ""
        await pilot.press(*"2*(3", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Could not read" in shown(app, "verdict")
        assert app.screen.view.phase == "front"
        assert answer.has_focus
        assert reviews(app) == []


async def test_skip_and_end_keep_answers(tmp_path: Path) -> None:
    files = {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}
    app = make_app(tmp_path, files=files)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("s")  # skip the choice question
        await pilot.pause()
        assert shown(app, "card-front") == "Which are activations?"
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
        assert len(reviews(app)) == 1


async def test_escape_leaves_the_answer_box_then_ends(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"02-cloze.yaml": CLOZE, "03-choice.yaml": CHOICE})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "cloze-topic")
        answer = app.screen.query_one("#answer", Input)
        await pilot.press(*"k", "escape")
        assert not answer.has_focus and answer.value == "k"
        assert type(app.screen).__name__ == "StudyScreen"
        await pilot.press("tab")
        assert answer.has_focus
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"  # nothing answered: no summary


async def test_a_leech_is_announced(tmp_path: Path) -> None:
    from datetime import timedelta

    from tui_app_fixtures import FrozenClock

    clock = FrozenClock()
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS}, clock=clock)
    app.context.settings.leech_threshold = 1
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("space", "4")  # Easy: straight to review
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
        await pilot.press("enter")
        clock.now += timedelta(days=60)
        await start(pilot)
        assert shown(app, "card-front").startswith("What does list[int]")
        await pilot.press("space", "1")  # a lapse: with threshold 1 it is a leech
        await pilot.pause()
        assert any("leech" in n.message for n in app._notifications)
        assert app.store.card("b-flash").suspended


async def test_nothing_to_study_says_so_and_stays_on_the_dashboard(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("space", "4")  # the only card graduates: nothing left today
        await pilot.pause()
        await pilot.press("enter")  # leave the summary
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        assert any("Nothing to study" in n.message for n in app._notifications)


async def test_empty_answer_on_an_exercise_shows_the_solution_and_proposes_again(
    tmp_path: Path, seeded_exercises: None
) -> None:
    app = make_app(tmp_path, files={"04-exercise.yaml": EXERCISES})
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        card = app.screen.view.card
        await pilot.press("enter")  # give up
        await pilot.pause()
        assert app.screen.view.phase == "back"
        assert card.instance.answer_text in shown(app, "back")
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.rating, r.status) for r in reviews(app)] == [(1, "")]
