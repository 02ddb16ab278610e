"""The study screen: one card at a time from a StudySession, Anki's keys.

Phases of a card: "front" (waiting for a reveal or an answer), "checking" (an exercise answer is
being checked in a thread worker), "back" (answer shown, waiting for a rating). The session does
all grading and scheduling; this screen only renders it and forwards keys.

Keys: space/enter reveal; a–h choose/toggle options (choice questions); typed answers go in the
Input (enter submits, the live "interpreted as" preview is computed off the UI thread, debounced);
after an answer the focus leaves the Input so 1–4 and enter (accept the proposed rating) work;
u undo; s skip; q/escape end the session (every rated answer is already committed); escape in
the answer box first leaves the box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from quizapp.tui.app import translate_bindings
from quizapp.tui.widgets.bars import short_interval
from quizapp.tui.widgets.choices import ChoiceList
from quizapp.tui.widgets.keybar import KeyBar

LETTER_KEYS = "abcdefgh"
PREVIEW_DELAY = 0.15  # seconds of quiet typing before the preview is recomputed
SCROLL_DELAY = 0.05  # let the new layout settle before scrolling the verdict into view
TYPED_KINDS = ("cloze", "exercise")
CHOICE_KINDS = ("choice", "multi")


class RatingButton(Button):
    """Rating buttons are clicked or keyed (1–4), never focused: focus stays free for keys."""

    can_focus = False


@dataclass
class CardView:
    """What the screen knows about the card on show."""

    token: int
    card: Any
    phase: str = "front"  # front | checking | back
    typed: str = ""
    verdict: Any = None


class StudyScreen(Screen[None]):
    CSS_PATH = "study.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Reveal", id="reveal", show=False),
        Binding("enter", "primary", "Accept", id="accept"),
        Binding("1", "rate(1)", "Again", id="again", show=False),
        Binding("2", "rate(2)", "Hard", id="hard", show=False),
        Binding("3", "rate(3)", "Good", id="good", show=False),
        Binding("4", "rate(4)", "Easy", id="easy", show=False),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("s", "skip", "Skip", id="skip"),
        Binding("q", "end", "End", id="end"),
        # Shown while the answer box has focus (it hides u, s, q): say how to get them back.
        Binding("escape", "escape", "Leave box (u/s/q)", id="leave-box"),
        Binding("tab", "focus_answer", "Type answer", show=False, id="answer-box"),
        *[Binding(letter, f"letter('{letter}')", letter, show=False) for letter in LETTER_KEYS],
    ]

    class Checked(Message):
        def __init__(self, token: int, text: str, verdict: Any, error: str | None) -> None:
            super().__init__()
            self.token, self.text, self.verdict, self.error = token, text, verdict, error

    class Interpreted(Message):
        def __init__(self, token: int, text: str, shown: str, invalid: bool) -> None:
            super().__init__()
            self.token, self.text, self.shown, self.invalid = token, text, shown, invalid

    def __init__(self, session: Any, *, topic: str | None = None, practice: bool = False) -> None:
        super().__init__()
        self.session = session
        self.topic_id = topic
        self.practice = practice
        self.view: CardView | None = None
        self._token = 0
        self._preview_timer: Timer | None = None

    @property
    def quiz(self) -> Any:
        return self.app

    @property
    def lang(self) -> str:
        return str(self.quiz.lang)

    def t(self, key: str, **fields: object) -> str:
        return str(self.quiz.t(key, **fields))

    # ---- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="study-top"):
            yield Static(id="study-title", markup=False)
            yield Static(id="study-progress", markup=False)
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card-front", markup=False)
            yield ChoiceList(id="choices")
            yield Input(id="answer", select_on_focus=False)
            yield Static(id="interpreted", markup=False)
            yield Static(id="verdict", markup=False)
            yield Static(id="feedback", markup=False)
            yield Static(id="back", markup=False)
            yield Static(id="solution", markup=False)
        with Horizontal(id="ratings"):
            for rating in (1, 2, 3, 4):
                yield RatingButton("", id=f"rate-{rating}", classes=f"rating rating-{rating}")
        yield Static(id="study-hint", markup=False)
        yield KeyBar(id="study-keys")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).cursor_blink = False
        self._advance(first=True)
        self._warm_exercises()

    @work(thread=True, exclusive=True, group="warm")
    def _warm_exercises(self) -> None:
        """Import the exercise families (numpy, sympy) off the UI thread while the learner reads
        the first card, so drawing an exercise later does not freeze the screen (~0.7 s cold)."""
        try:
            from quizapp.exercises import families

            families()
            from quizapp.checking import pipeline  # noqa: F401 - sympy, used by generate()
        except Exception:
            return  # a broken family is reported when its card comes up

    # ---- card flow ----------------------------------------------------------------------------
    def _advance(self, *, first: bool = False) -> None:
        """Show the session's next card, or the summary when the session is over."""
        try:
            card = self.session.next_card()
        except Exception as exc:  # a broken item must not kill the app: say so and move on
            self.notify(self.t("misc.error", error=exc), severity="error", markup=False)
            card = None
        if card is None:
            self._finish(empty=first)
            return
        self._show(card)

    def _show(self, card: Any) -> None:
        self._token += 1
        self.view = CardView(token=self._token, card=card)
        answer = self.query_one("#answer", Input)
        answer.value = ""
        for widget_id in ("interpreted", "verdict", "feedback", "back", "solution"):
            self._put(widget_id, "")
        self.query_one("#choices", ChoiceList).set_options(
            list(card.options(self.lang)) if card.kind in CHOICE_KINDS else [],
            multi=card.kind == "multi",
        )
        self._draw()
        if card.kind in TYPED_KINDS:
            answer.focus()
        else:
            self._focus_card()
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)

    def _draw(self) -> None:
        """(Re)draw everything from the current view, in the current language."""
        view = self.view
        if view is None:
            return
        card, lang = view.card, self.lang
        kind = card.kind
        title = self._topic_title(card)
        state = self.t(f"study.state.{card.state}") if getattr(card, "state", "") else ""
        parts = [title, self.t(f"study.kind.{kind}"), state]
        if self.practice:
            parts.append(self.t("study.practice"))
        self.query_one("#study-title", Static).update(" · ".join(p for p in parts if p))
        done, total = self.session.progress
        self.query_one("#study-progress", Static).update(
            self.t("study.progress", done=min(done + 1, max(total, 1)), total=max(total, done + 1))
        )
        self.query_one("#card-front", Static).update(card.front(lang))

        choices = self.query_one("#choices", ChoiceList)
        choices.display = kind in CHOICE_KINDS
        if kind in CHOICE_KINDS:
            choices.options = list(card.options(lang))
            if choices.correct is not None:
                choices.why = self._option_whys(card)
            choices.redraw()

        answer = self.query_one("#answer", Input)
        answer.display = kind in TYPED_KINDS
        answer.disabled = view.phase != "front"
        answer.placeholder = self.t("study.answer-placeholder")

        if view.phase == "back":
            self._draw_back()
        self._draw_ratings()
        self._draw_hint()
        translate_bindings(self, self.lang)  # enter's description follows the phase
        self.refresh_bindings()

    def binding_string_key(self, binding: Binding) -> str | None:
        """enter reveals a flashcard, submits a choice, accepts a rating: say which; escape
        leaves the answer box or (like q) ends the session."""
        if binding.action == "escape":
            return "key.leave-box" if isinstance(self.focused, Input) else "key.end"
        if binding.action != "primary" or self.view is None:
            return None
        if self.view.phase == "back":
            return "key.accept"
        return "key.reveal" if self.view.card.kind in ("flashcard", *TYPED_KINDS) else "key.submit"

    def on_descendant_focus(self) -> None:
        self._retranslate_keys()

    def on_descendant_blur(self) -> None:
        self._retranslate_keys()

    def _retranslate_keys(self) -> None:
        # escape's footer label depends on whether the answer box has focus.
        translate_bindings(self, self.lang)
        self.refresh_bindings()

    def _focus_card(self) -> None:
        self.query_one("#card-scroll", VerticalScroll).focus()

    def _put(self, widget_id: str, text: str) -> None:
        """Show text in a content Static (markup off), hiding the widget when there is none."""
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(text)
        widget.display = bool(text)

    def _topic_title(self, card: Any) -> str:
        topic = getattr(card, "topic", None)
        return topic.title.get(self.lang) if topic is not None else ""

    def _option_whys(self, card: Any) -> dict[str, str]:
        from quizapp.deck.choice import option_letters

        item = card.item
        return {
            letter: option.why.get(self.lang) if option.why else ""
            for letter, option in zip(option_letters(item), item.options)
        }

    def _draw_back(self) -> None:
        view = self.view
        assert view is not None
        card, lang, verdict = view.card, self.lang, view.verdict
        verdict_widget = self.query_one("#verdict", Static)
        if verdict is not None:
            verdict_widget.set_classes(f"verdict-{verdict.status}")
            self._put("verdict", self.t(f"study.verdict.{verdict.status}"))
            lines = []
            if view.typed and card.kind in TYPED_KINDS:
                lines.append(self.t("study.your-answer", text=verdict.interpreted or view.typed))
            feedback = verdict.feedback.get(lang) if verdict.feedback else ""
            if feedback and not verdict.is_correct:
                lines.append(feedback)
            self._put("feedback", "\n".join(lines))
        else:
            verdict_widget.set_classes("")
            self._put("verdict", "")
            self._put("feedback", "")
        if card.kind in CHOICE_KINDS:
            from quizapp.deck.choice import correct_letters

            self.query_one("#choices", ChoiceList).show_result(
                set(correct_letters(card.item)), self._option_whys(card)
            )
        # Choice results (✓/✗ and why) are drawn in the option list itself.
        self._put("back", "" if card.kind in CHOICE_KINDS else card.back(lang))
        self._put("solution", self._solution_text(card))

    def _solution_text(self, card: Any) -> str:
        instance = getattr(card, "instance", None)
        if card.kind != "exercise" or instance is None:
            return ""
        solution = instance.solution(self.lang)
        if not solution or solution in card.back(self.lang):
            return ""
        return f"{self.t('study.solution')}\n{solution}"

    def _draw_ratings(self) -> None:
        view = self.view
        ratings = self.query_one("#ratings", Horizontal)
        show = view is not None and view.phase == "back"
        ratings.display = show
        if not show:
            return
        try:
            intervals = self.session.intervals()
        except Exception:
            intervals = {}
        proposed = self._proposed_rating()
        for rating in (1, 2, 3, 4):
            button = self.query_one(f"#rate-{rating}", RatingButton)
            label = f"{rating} {self.t(f'rating.{rating}')}"
            if rating in intervals:
                label += f" · {short_interval(intervals[rating], self.lang)}"
            button.label = Text(label)
            button.set_class(rating == proposed, "-proposed")

    def _draw_hint(self) -> None:
        view = self.view
        hint = ""
        if view is not None:
            kind = view.card.kind
            if view.phase == "back":
                rating = self._proposed_rating()
                hint = self.t("study.rate-hint", rating=self.t(f"rating.{rating}"))
            elif view.phase == "checking":
                hint = self.t("study.checking")
            elif kind == "flashcard":
                hint = self.t("study.reveal-hint")
            elif kind in TYPED_KINDS:
                hint = self.t("study.type-hint")
            elif kind == "choice":
                hint = self.t("study.choice-hint")
            elif kind == "multi":
                hint = self.t("study.multi-hint")
        self.query_one("#study-hint", Static).update(hint)

    def _proposed_rating(self) -> int:
        proposed = getattr(self.session, "proposed_rating", None)
        return int(proposed) if proposed in (1, 2, 3, 4) else 3

    def apply_language(self) -> None:
        self._draw()

    # ---- answering ----------------------------------------------------------------------------
    def _reveal(self) -> None:
        view = self.view
        if view is None or view.phase != "front":
            return
        self.session.reveal()
        view.phase = "back"
        self._focus_card()
        self._draw()

    def _apply_verdict(self, text: str, verdict: Any) -> None:
        view = self.view
        assert view is not None
        if verdict.is_invalid:
            view.phase = "front"
            self._put("interpreted", "")  # the verdict's feedback says the same
            self.query_one("#verdict", Static).set_classes("verdict-invalid")
            self._put("verdict", self.t("study.verdict.invalid"))
            self._put("feedback", verdict.feedback.get(self.lang))
            self._draw()
            if view.card.kind in TYPED_KINDS:
                self.query_one("#answer", Input).focus()
            return
        view.phase = "back"
        view.typed = text
        view.verdict = verdict
        # Off the Input, so 1–4 and enter reach the screen's bindings; the scroll view takes
        # focus so arrows / page keys scroll a long solution.
        self._focus_card()
        self._put("interpreted", "")
        self._draw()
        # After layout, bring the verdict to the top: on a small terminal it starts off-screen.
        scroll = self.query_one("#card-scroll", VerticalScroll)
        verdict_widget = self.query_one("#verdict", Static)
        self.set_timer(
            SCROLL_DELAY, lambda: scroll.scroll_to_widget(verdict_widget, animate=False, top=True)
        )

    def _answer_now(self, text: str) -> None:
        """Cheap checks (cloze, choice) run on the UI thread through the session."""
        try:
            verdict = self.session.answer(text)
        except Exception as exc:
            self.notify(self.t("study.check-failed", error=exc), severity="error", markup=False)
            return
        self._apply_verdict(text, verdict)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        view = self.view
        if view is None or view.phase != "front":
            return
        text = event.value.strip()
        if not text:
            self._reveal()  # giving up shows the answer; the session proposes Again
            return
        if view.card.kind == "exercise" and getattr(view.card, "instance", None) is not None:
            view.phase = "checking"
            self._draw()
            self._check_in_thread(view.token, view.card.instance, text)
        else:
            self._answer_now(text)

    @work(thread=True, exclusive=True, group="check")
    def _check_in_thread(self, token: int, instance: Any, text: str) -> None:
        try:
            verdict, error = self.quiz.check_answer(instance, text), None
        except Exception as exc:  # the worker died or the family broke: report, never crash
            verdict, error = None, str(exc)
        self.post_message(self.Checked(token, text, verdict, error))

    def on_study_screen_checked(self, message: Checked) -> None:
        view = self.view
        if view is None or message.token != view.token:
            return  # the learner moved on (undo/skip) while the check ran
        if message.verdict is None:
            view.phase = "front"
            self.notify(self.t("study.check-failed", error=message.error), severity="error",
                        markup=False)
            self._draw()
            self.query_one("#answer", Input).focus()
            return
        self.quiz.remember_verdict(view.card.instance, message.text, message.verdict)
        self._answer_now(message.text)

    # ---- live preview -------------------------------------------------------------------------
    @on(Input.Changed, "#answer")
    def _changed(self, event: Input.Changed) -> None:
        view = self.view
        if view is None or view.phase != "front":
            return
        # An "could not read" verdict is about the text that was submitted, not this one.
        self._put("verdict", "")
        self._put("feedback", "")
        if view.card.kind != "exercise":
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
        text = event.value.strip()
        if not text:
            self._put("interpreted", "")
            return
        instance = getattr(view.card, "instance", None)
        if instance is None:
            return
        token = view.token
        self._preview_timer = self.set_timer(
            PREVIEW_DELAY, lambda: self._interpret_in_thread(token, instance, text)
        )

    @work(thread=True, exclusive=True, group="interpret")
    def _interpret_in_thread(self, token: int, instance: Any, text: str) -> None:
        try:
            verdict = self.quiz.interpret_answer(instance, text)
        except Exception:
            return  # the preview is a courtesy; the real check reports problems
        invalid = bool(verdict.is_invalid)
        shown = verdict.feedback.get(self.lang) if invalid else verdict.interpreted
        self.post_message(self.Interpreted(token, text, shown or "", invalid))

    def on_study_screen_interpreted(self, message: Interpreted) -> None:
        view = self.view
        if view is None or message.token != view.token or view.phase != "front":
            return
        if self.query_one("#answer", Input).value.strip() != message.text:
            return  # stale: the learner kept typing
        widget = self.query_one("#interpreted", Static)
        widget.set_class(message.invalid, "-invalid")
        self._put(
            "interpreted",
            message.shown if message.invalid else self.t("study.interpreted", text=message.shown),
        )

    # ---- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        phase = view.phase if view else None
        kind = view.card.kind if view else None
        if action == "reveal":
            return phase == "front" and kind in ("flashcard", *TYPED_KINDS)
        if action == "primary":
            return phase in ("front", "back") and (phase == "back" or kind not in TYPED_KINDS)
        if action == "rate":
            return phase == "back"
        if action == "letter":
            return phase == "front" and kind in CHOICE_KINDS
        if action == "focus_answer":
            return phase == "front" and kind in TYPED_KINDS
        if action == "skip":
            return phase in ("front", "back")
        return True

    def action_reveal(self) -> None:
        self._reveal()

    def action_primary(self) -> None:
        view = self.view
        if view is None:
            return
        if view.phase == "back":
            self.action_rate(self._proposed_rating())
        elif view.card.kind == "flashcard":
            self._reveal()
        elif view.card.kind in CHOICE_KINDS:
            selected = self.query_one("#choices", ChoiceList).selected
            if selected:
                self._answer_now(" ".join(sorted(selected)))
            else:
                self.notify(self.t("study.choose-first"), severity="warning")

    def action_letter(self, letter: str) -> None:
        self.query_one("#choices", ChoiceList).toggle(letter)

    def action_focus_answer(self) -> None:
        self.query_one("#answer", Input).focus()

    def action_rate(self, rating: int) -> None:
        view = self.view
        if view is None or view.phase != "back":
            return
        try:
            result = self.session.rate(rating)
        except Exception as exc:
            self.notify(self.t("misc.error", error=exc), severity="error", markup=False)
            return
        if getattr(result, "suspended", False):
            self.notify(self.t("study.leech"), severity="warning")
        elif getattr(result, "leech", False):
            self.notify(self.t("study.leech-tagged"), severity="warning")
        self._advance()

    @on(Button.Pressed, ".rating")
    def _rating_clicked(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.action_rate(int(event.button.id.rsplit("-", 1)[1]))

    def action_undo(self) -> None:
        if self.view is not None and self.view.phase == "checking":
            return
        if not self.session.undo():
            self.notify(self.t("study.nothing-to-undo"))
            return
        card = self.session.current
        if card is not None:
            self._show(card)
        self.notify(self.t("study.undone"))

    def action_skip(self) -> None:
        if self.view is None or self.view.phase == "checking":
            return
        self.session.skip()
        self._advance()

    def action_end(self) -> None:
        self._finish()

    def action_escape(self) -> None:
        """Escape leaves the answer box first (so u, s, q work); from elsewhere it ends."""
        if isinstance(self.focused, Input):
            self._focus_card()
            return
        self._finish()

    def _finish(self, *, empty: bool = False) -> None:
        """Leave the study screen: a summary if anything was answered, else straight back."""
        self.view = None
        answered = self.session.progress[0]
        if answered == 0:
            if empty:
                self.notify(self.t("study.empty"))
            for problem in getattr(self.session, "problems", []):
                self.notify(problem, severity="warning", markup=False)
            self.dismiss(None)
            return
        from quizapp.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session.summary()))
