"""Pilot tests of the study screen: flashcard, cloze, choice, exercise, undo, literal brackets."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from deck_text import about, quoted, topic_yaml
from textual.widgets import Input
from tui_app_fixtures import (
    BASICS,
    CHOICE,
    CLOZE,
    correct_letters,
    letter_for,
    make_app,
    widget_text,
)

EXERCISES = topic_yaml("exercise-topic", 4, quoted("Exercise topic", "计算主题"), about=about(), items="""\
  - id: ex-rf-1
    kind: exercise
    family: receptive_field
  - id: ex-rf-2
    kind: exercise
    family: receptive_field
""")


def shown(app: Any, widget_id: str) -> str:
    """The plain text a content Static shows ('' when hidden)."""
    widget = app.screen.query_one(f"#{widget_id}")
    return widget_text(widget) if widget.display else ""


def keys(app: Any) -> str:
    return str(app.screen.query_one("#study-keys").render())


def current(app: Any) -> Any:
    return app.screen.session.current


def reviews(app: Any) -> list[Any]:
    return app.store.reviews()


async def start(pilot: Any, topic: str | None = None) -> None:
    await pilot.pause()
    if topic is None:
        await pilot.press("s")
    else:
        pilot.app.start_study(topic)
    await pilot.pause()


@asynccontextmanager
async def studying(tmp_path: Path, files: dict[str, str], *, topic: str | None = None,
                   size: tuple[int, int] = (80, 24)) -> AsyncIterator[tuple[Any, Any]]:
    """The app on `files` at `size`, studying everything due (or `topic`)."""
    app = make_app(tmp_path, files=files)
    async with app.run_test(size=size) as pilot:
        await start(pilot, topic)
        yield app, pilot


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
    async with studying(tmp_path, {"01-basics.yaml": BASICS}) as (app, pilot):
        assert type(app.screen).__name__ == "StudyScreen"
        # Content with brackets shows literally, never as markup.
        assert shown(app, "card-front") == "What does list[int] mean? [x]"
        assert "Basics [intro]" in shown(app, "study-title")
        assert shown(app, "study-counts") == "New 1 · Learning 0 · Review 0"
        assert shown(app, "back") == ""
        # The footer shows the keys that apply, and what enter does now.
        assert "⏎ Reveal" in keys(app) and "Accept" not in keys(app) and "Undo" in keys(app)
        await pilot.press("space")
        assert "Reveal" not in keys(app) and "⏎ Accept" in keys(app)
        assert shown(app, "back") == "A list of ints [bold]literally[/bold]"
        assert app.screen.query_one("#ratings").display
        await pilot.press("3")
        await pilot.pause()
        assert [(r.card_key, r.rating) for r in reviews(app)] == [("b-flash", 3)]
        # Good on a new card starts learning (10 min step): within the learn-ahead limit it
        # comes back in this session, like Anki; the counts say so instead of a growing total.
        assert shown(app, "card-front") == "What does list[int] mean? [x]"
        assert shown(app, "study-counts") == "New 0 · Learning 1 · Review 0"
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
        assert shown(app, "summary-title") == "Session ended early"
        assert "Answered: 1" in shown(app, "summary-numbers")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_rating_buttons_show_next_interval(tmp_path: Path) -> None:
    async with studying(tmp_path, {"01-basics.yaml": BASICS}) as (app, pilot):
        await pilot.press("space")
        labels = [str(app.screen.query_one(f"#rate-{r}").render()) for r in (1, 2, 3, 4)]
        assert labels[0].startswith("1 Again · ")
        assert labels[3].startswith("4 Easy · ")
        assert all("·" in label for label in labels)
        assert labels[3].endswith("d")
        # A flashcard has no checked answer: Good is the proposed (pre-selected) rating.
        assert app.screen.query_one("#rate-3").has_class("-proposed")
        # The cells work with the mouse too.
        await pilot.click("#rate-2")
        await pilot.pause()
        assert [(r.card_key, r.rating) for r in reviews(app)] == [("b-flash", 2)]


async def test_undo_restores_the_card_and_deletes_the_row(tmp_path: Path) -> None:
    files = {"01-basics.yaml": BASICS, "02-cloze.yaml": CLOZE}
    async with studying(tmp_path, files) as (app, pilot):
        await pilot.press("space", "4")
        await pilot.pause()
        assert len(reviews(app)) == 1
        assert app.screen.query_one("#answer-input", Input).has_focus  # the cloze: typing
        await pilot.press("ctrl+z")  # undo from inside the box
        await pilot.pause()
        assert reviews(app) == []
        assert shown(app, "card-front") == "What does list[int] mean? [x]"
        assert current(app).phase == "question"
        assert app.store.card("b-flash").state == 0  # back to new, exactly
        await pilot.press("space", "3")
        await pilot.pause()
        assert [(r.card_key, r.rating) for r in reviews(app)] == [("b-flash", 3)]


async def test_u_u_u_undoes_three_answers_instead_of_typing(tmp_path: Path) -> None:
    """After an undo the learner stays in the mode they were in: u u u is three undos, never
    "uu" typed into an answer box that took the focus."""
    files = {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}
    async with studying(tmp_path, files) as (app, pilot):
        await pilot.press("space", "4")  # flashcard
        await pilot.press(letter_for(app, "Adam"), "enter", "3")  # choice
        await pilot.press(*correct_letters(app), "enter", "3")  # select-all
        await pilot.pause()
        assert len(reviews(app)) == 3
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert reviews(app) == []
        assert shown(app, "card-front") == "What does list[int] mean? [x]"


async def test_cloze_deletion_in_place_and_keys_after_the_check_rate(tmp_path: Path) -> None:
    async with studying(tmp_path, {"02-cloze.yaml": CLOZE}) as (app, pilot):
        assert shown(app, "card-front") == "Each layer adds […] to the receptive field"
        answer = app.screen.query_one("#answer-input", Input)
        assert answer.has_focus
        await pilot.press(*"k - 1", "enter")
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        # The box is gone once the answer is checked: what is on screen is the verdict and the
        # rating row, and that is what keys act on.
        assert not app.screen.query_one("#answer").display and not answer.has_focus
        assert app.screen.query_one("#rate-3").has_class("-proposed")
        await pilot.press("2")
        await pilot.pause()
        assert [(r.card_key, r.rating, r.status) for r in reviews(app)] == [("c-rf::c1", 2, "correct")]


async def test_keys_after_a_reveal_act_on_what_is_shown(tmp_path: Path, seeded_exercises: None) -> None:
    """Enter on an empty box shows the answer: the box goes, tab no longer leads back to it, and
    the footer offers the ratings. Nothing is recorded until a rating key is pressed."""
    async with studying(tmp_path, {"04-exercise.yaml": EXERCISES}, size=(100, 40)) as (app, pilot):
        await pilot.press("enter")  # give up
        await pilot.pause()
        assert current(app).phase == "answered" and current(app).gave_up
        assert not app.screen.query_one("#answer").display
        assert "Type answer" not in keys(app) and "⏎ Accept" in keys(app)
        assert "Answer shown" in shown(app, "verdict")
        await pilot.press("tab", "x")  # nothing to type into, nothing happens
        await pilot.pause()
        assert reviews(app) == []
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.rating, r.status, r.note) for r in reviews(app)] == [(1, "wrong", "generic.gave-up")]


async def test_skip_after_a_checked_answer_is_refused_and_q_records_it(tmp_path: Path) -> None:
    async with studying(tmp_path, {"02-cloze.yaml": CLOZE, "03-choice.yaml": CHOICE}, topic="choice-topic") as (app, pilot):
        await pilot.press(letter_for(app, "ReLU"), "enter")
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert "s Skip" not in keys(app) and "u Undo" not in keys(app)
        await pilot.press("s", "u")
        await pilot.pause()
        assert current(app).key == "ch-one" and reviews(app) == []
        await pilot.press("q")  # ending records the checked answer with its proposed rating
        await pilot.pause()
        assert [(r.card_key, r.rating, r.status) for r in reviews(app)] == [("ch-one", 1, "wrong")]
        assert type(app.screen).__name__ == "SummaryScreen"


async def test_cloze_wrong_answer_proposes_again(tmp_path: Path) -> None:
    async with studying(tmp_path, {"02-cloze.yaml": CLOZE}) as (app, pilot):
        await pilot.press(*"k + 1", "enter")
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        assert "k − 1" in shown(app, "back")  # the correct text, filled in place
        await pilot.press("enter")  # accept the proposal
        await pilot.pause()
        assert [(r.rating, r.status) for r in reviews(app)] == [(1, "wrong")]


async def test_choice_by_letters_and_by_arrows(tmp_path: Path) -> None:
    async with studying(tmp_path, {"03-choice.yaml": CHOICE}) as (app, pilot):
        assert shown(app, "card-front") == "Which one is an optimiser?"
        choices = app.screen.query_one("#choices")
        await pilot.press("enter")  # nothing chosen yet: a hint, nothing recorded
        await pilot.pause()
        assert current(app).phase == "question"
        assert "Choose an option" in shown(app, "study-hint")
        wrong, right = letter_for(app, "ReLU"), letter_for(app, "Adam")
        await pilot.press(wrong, right)  # single choice: the last letter wins
        assert choices.selected == {right}
        await pilot.press("enter")
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        await pilot.press("3")
        await pilot.pause()
        assert shown(app, "card-front") == "Which are activations?"
        # Arrow keys (or j/k) move the cursor, space toggles the option under it.
        order = [o.letter for o in current(app).view.options]
        wanted = correct_letters(app)
        for letter in order:
            if letter in wanted:
                await pilot.press("space")
            await pilot.press("down")
        assert choices.selected == set(wanted)
        await pilot.press("enter")
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        await pilot.press("1")  # override the proposed Good
        await pilot.pause()
        rows = reviews(app)
        assert [(r.card_key, r.rating, r.answer) for r in rows] == [
            ("ch-one", 3, right),
            ("ch-multi", 1, " ".join(wanted)),
        ]


async def test_choice_wrong_option_names_the_mistake(tmp_path: Path) -> None:
    async with studying(tmp_path, {"03-choice.yaml": CHOICE}) as (app, pilot):
        assert "[p=0.5]" in app.export_screenshot()  # option text drawn literally
        chosen = letter_for(app, "Dropout [p=0.5]")
        await pilot.press(chosen, "enter")
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert "[p=0.5]" in app.export_screenshot()  # and after the result is drawn
        assert shown(app, "feedback") == f"You chose {chosen}; the answer is {letter_for(app, 'Adam')}."
        assert app.screen.query_one("#rate-1").has_class("-proposed")
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.rating, r.note) for r in reviews(app)] == [(1, "choice.wrong-option")]


async def test_exercise_right_then_wrong(tmp_path: Path, seeded_exercises: None) -> None:
    from quizapp.exercises.base import value_text

    async with studying(tmp_path, {"04-exercise.yaml": EXERCISES}, size=(100, 40)) as (app, pilot):
        instance = current(app).view.instance
        assert instance.prompt("en") in shown(app, "card-front")
        await pilot.press(*instance.answer_text, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        assert app.screen.query_one("#rate-3").has_class("-proposed")
        assert instance.answer_text in shown(app, "back")
        await pilot.press("enter")
        await pilot.pause()

        view = current(app).view
        assert view.meta.item_id == "ex-rf-2"
        mistake = view.instance.mistakes[0]
        await pilot.press(*value_text(mistake.value), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Not quite" in shown(app, "verdict")
        assert mistake.feedback.en in shown(app, "feedback")
        assert view.instance.solution("en").splitlines()[0] in shown(app, "solution")
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
    async with studying(tmp_path, {"04-exercise.yaml": EXERCISES}, size=(100, 40)) as (app, pilot):
        await pilot.press(*"2*3+1")
        await pilot.pause(0.3)  # the preview is debounced
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "preview").startswith("Interpreted as:")
        answer = app.screen.query_one("#answer-input", Input)
        answer.value = ""
        await pilot.press(*"2*(3", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Could not read" in shown(app, "verdict")
        assert current(app).phase == "question"
        assert answer.has_focus
        assert reviews(app) == []


async def test_skip_and_end_keep_answers(tmp_path: Path) -> None:
    files = {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}
    async with studying(tmp_path, files) as (app, pilot):
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("s")  # skip the choice question
        await pilot.pause()
        assert shown(app, "card-front") == "Which are activations?"
        assert "Skipped" in shown(app, "study-hint")
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
        assert len(reviews(app)) == 1


async def test_escape_leaves_the_box_and_a_second_escape_asks_before_ending(tmp_path: Path) -> None:
    async with studying(tmp_path, {"02-cloze.yaml": CLOZE, "03-choice.yaml": CHOICE}, topic="cloze-topic") as (app, pilot):
        answer = app.screen.query_one("#answer-input", Input)
        await pilot.press(*"k", "escape")
        assert not answer.has_focus and answer.value == "k"
        assert type(app.screen).__name__ == "StudyScreen"
        await pilot.press("tab")
        assert answer.has_focus
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"  # never ended by a double escape
        await pilot.press("escape")  # keep studying
        await pilot.pause()
        assert type(app.screen).__name__ == "StudyScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # confirmed
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"  # nothing answered: no summary


async def test_practice_asks_no_rating_for_a_checked_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path, files={"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_study("choice-topic", practice=True)
        await pilot.pause()
        await pilot.press(letter_for(app, "Adam"), "enter")
        await pilot.pause()
        cells = [c for c in app.screen.query("RatingCell") if c.display]
        assert [str(c.render()) for c in cells] == ["enter Next"]
        assert "Accept" not in keys(app) and "⏎ Next" in keys(app)
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.card_key, r.practice) for r in reviews(app)] == [("ch-one", True)]


async def test_a_second_session_is_not_stacked_from_the_palette(tmp_path: Path) -> None:
    async with studying(tmp_path, {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}) as (app, pilot):
        first = app.screen
        app.start_study("choice-topic")
        await pilot.pause()
        assert app.screen is first
        assert sum(type(s).__name__ == "StudyScreen" for s in app.screen_stack) == 1


async def test_suspend_from_the_study_screen(tmp_path: Path) -> None:
    async with studying(tmp_path, {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}) as (app, pilot):
        assert current(app).key == "b-flash"
        await pilot.press("at")
        await pilot.pause()
        assert app.store.card("b-flash").suspended
        assert current(app).key != "b-flash" and "Suspended" in shown(app, "study-hint")
        assert reviews(app) == []


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
        assert app.store.card("b-flash").suspended
        assert type(app.screen).__name__ == "SummaryScreen"


async def test_nothing_to_study_says_so_and_stays_on_the_dashboard(tmp_path: Path) -> None:
    async with studying(tmp_path, {"01-basics.yaml": BASICS}) as (app, pilot):
        await pilot.press("space", "4")  # the only card graduates: nothing left today
        await pilot.pause()
        await pilot.press("enter")  # leave the summary
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        assert any("Nothing to study" in n.message for n in app._notifications)


MATH_CLOZE = topic_yaml("math-cloze-topic", 5, quoted("Math cloze", "数学填空"), about=about(), items="""\
  - id: mc-flops
    kind: cloze
    text: {en: "One output costs {{c1::2N−1}} FLOPs", zh: "每个输出需要 {{c1::2N−1}} 次浮点运算"}
    math: {c1: {form: expression, in: {N: natural}}}
""")


async def test_a_math_cloze_is_checked_as_math_with_a_live_preview(tmp_path: Path) -> None:
    async with studying(tmp_path, {"05-math.yaml": MATH_CLOZE}, size=(100, 30)) as (app, pilot):
        await pilot.press(*"2**")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "preview") != ""  # says how it reads (or why it cannot be read)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Could not read" in shown(app, "verdict") and reviews(app) == []  # invalid: free
        answer = app.screen.query_one("#answer-input", Input)
        answer.value = ""
        await pilot.press(*"-1+2N")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "preview").startswith("Interpreted as:")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.card_key, r.status) for r in reviews(app)] == [("mc-flops::c1", "correct")]


async def test_keys_can_be_remapped_through_the_keymap_setting(tmp_path: Path) -> None:
    files = {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}
    app = make_app(tmp_path, files=files)
    app.context.settings.keymap = {"undo": "z", "skip": "n"}
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert "z Undo" in keys(app) and "n Skip" in keys(app)
        await pilot.press("space", "3")
        await pilot.pause()
        assert len(reviews(app)) == 1
        await pilot.press("z")  # the remapped undo
        await pilot.pause()
        assert reviews(app) == []


PARTS = topic_yaml("parts-topic", 6, quoted("Parts", "分步"), about=about(), items="""\
  - id: p-conv
    kind: exercise
    family: conv_cost
    params: {parts: true}
""")


async def test_a_multi_part_exercise_is_asked_part_by_part(tmp_path: Path) -> None:
    async with studying(tmp_path, {"06-parts.yaml": PARTS}, size=(100, 40)) as (app, pilot):
        instance = current(app).view.instance
        assert "Part 1 of 3" in shown(app, "card-front")
        for index, part in enumerate(instance.parts):
            wrong = index == 1
            text = str(int(part.answer_text) + 1) if wrong else part.answer_text
            await pilot.press(*text, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            if index < 2:
                assert f"Part {index + 2} of 3" in shown(app, "card-front")
                assert app.screen.query_one("#answer-input", Input).value == ""  # a fresh box
        assert current(app).phase == "answered"
        assert "✗" in shown(app, "feedback") and "✓" in shown(app, "feedback")
        assert app.screen.query_one("#rate-1").has_class("-proposed")  # the weakest part decides
        await pilot.press("enter")
        await pilot.pause()
        row = reviews(app)[-1]
        assert [p.status for p in row.parts] == ["correct", "wrong", "correct"]


async def test_bury_and_flag_from_the_study_screen(tmp_path: Path) -> None:
    async with studying(tmp_path, {"01-basics.yaml": BASICS, "03-choice.yaml": CHOICE}) as (app, pilot):
        key = current(app).key
        await pilot.press("asterisk")
        await pilot.pause()
        assert app.store.card(key).flag == 1 and current(app).key == key
        assert "Flagged" in shown(app, "study-hint")
        await pilot.press("minus")
        await pilot.pause()
        assert (app.store.card(key).buried or 0) > 0
        assert current(app).key != key and "Buried" in shown(app, "study-hint")
        assert reviews(app) == []


async def test_the_note_about_the_last_card_stays_when_the_next_one_focuses_its_box(tmp_path: Path) -> None:
    async with studying(tmp_path, {"01-basics.yaml": BASICS, "02-cloze.yaml": CLOZE}) as (app, pilot):
        assert current(app).view.meta.kind == "flashcard"
        await pilot.press("minus")
        await pilot.pause()
        assert current(app).view.meta.kind == "cloze" and app.focused is not None and app.focused.id == "answer-input"
        assert "Buried" in shown(app, "study-hint")


async def test_keys_typed_in_one_burst_apply_in_order(tmp_path: Path) -> None:
    """A terminal delivers a fast typist's keys (or tmux's) in one read: ctrl+u, the answer and
    enter must apply in that order (Textual ran ctrl+u and enter after the characters: "" was
    submitted and the answer counted as given up)."""
    from textual import events

    async with studying(tmp_path, {"05-math.yaml": MATH_CLOZE}, size=(100, 30)) as (app, pilot):
        await pilot.press(*"xyz")
        for key, char in [("ctrl+u", None), *[(c, c) for c in "-1+2N"], ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # no waiting in between
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Correct" in shown(app, "verdict")
