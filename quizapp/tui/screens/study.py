"""The study screen: one card at a time from a StudySession, with Anki's keys.

The session does all grading and scheduling; this screen renders its Current (CardPane),
forwards keys, and reflects the phase in what the screen shows. The rule: a key acts only on
what is on screen. While the answer box has the focus, keys type (enter submits, escape leaves
the box, ctrl+z undoes); once an answer is shown, the box is gone and 1–4/enter rate. A checked
answer is recorded, never skipped: `s` and `u` are offered again once it is rated.
"""

from __future__ import annotations

from typing import Literal

from textual import getters, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from quizapp import strings
from quizapp.study.cards import TYPED, Choice, Flashcard
from quizapp.study.session import Current, StudyError, StudySession
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.screens.study_keys import StudyKeys
from quizapp.tui.widgets.answer_box import AnswerBox
from quizapp.tui.widgets.card_pane import CardPane
from quizapp.tui.widgets.choices import ChoiceList
from quizapp.tui.widgets.keybar import KeyBar
from quizapp.tui.widgets.prose import Prose
from quizapp.tui.widgets.rating_bar import RatingBar


class StudyScreen(StudyKeys, Screen[None]):
    CSS_PATH = "study.tcss"
    quiz = getters.app(QuizApp)
    pane = getters.query_one("#card", CardPane)
    box = getters.query_one("#answer", AnswerBox)
    ratings = getters.query_one(RatingBar)

    def __init__(self, session: StudySession, *, topic: str | None = None, practice: bool = False) -> None:
        super().__init__()
        self.session = session
        self._note = ""
        self.topic_id = topic
        self.practice = practice

    @property
    def lang(self) -> str:
        return self.quiz.lang

    def t(self, key: str, /, **fields: object) -> str:
        return strings.text(key, self.lang, **fields)

    def compose(self) -> ComposeResult:
        with Horizontal(id="study-top"):
            yield Static(id="study-title", markup=False)
            yield Static(id="study-counts", markup=False)
        yield CardPane(id="card")
        yield RatingBar(id="ratings")
        yield Prose(id="study-hint")
        yield KeyBar(id="study-keys")

    def on_mount(self) -> None:
        self._advance()

    # ---- drawing --------------------------------------------------------------------------
    def _advance(self, note: str = "") -> None:
        """Show the session's next card, or the summary when the session is over."""
        try:
            current = self.session.next_card()
        except Exception as exc:  # a broken item must not kill the app: say so and move on
            self.notify(self.t("misc.error", error=exc), severity="error", markup=False)
            current = None
        if current is None:
            self._finish()
            return
        self.pane.show_card(current, self.lang)
        self._draw(note)
        self._settle_focus()

    def _settle_focus(self) -> None:
        current = self.current
        if current is not None and isinstance(current.view, TYPED) and current.phase == "question":
            self.box.focus_input()
        else:
            self.pane.focus()

    def _draw(self, note: str = "") -> None:
        current = self.current
        if current is None:
            return
        self._note = note  # kept when only the focus moves (the next card's answer box)
        meta = current.view.meta
        parts = [meta.topic_title.get(self.lang), self.t(f"study.kind.{meta.kind}"), self.t(f"study.state.{meta.state}")]
        if self.practice:
            parts.append(self.t("study.practice"))
        self.query_one("#study-title", Static).update(" · ".join(p for p in parts if p))
        left = self.session.remaining()
        self.query_one("#study-counts", Static).update(
            self.t("study.counts", new=left.new, learning=left.learning, review=left.review))
        self.pane.draw(current, self.lang)
        self._draw_ratings(current)
        hint = self._hint(current)
        self.query_one("#study-hint", Prose).update(f"{note} · {hint}" if note and hint else note or hint)
        self.refresh_bindings()

    def _draw_ratings(self, current: Current) -> None:
        if current.phase != "answered":
            self.ratings.hide()
        elif self.session.practice:
            self.ratings.show_practice(self_graded=isinstance(current.view, Flashcard), lang=self.lang)
        else:
            self.ratings.show_ratings(self.session.intervals(), current.proposed or 3, self.lang)

    def _hint(self, current: Current) -> str:
        if current.phase == "checking":
            return self.t("study.checking")
        if current.phase == "answered":
            if self.session.practice:
                return ""
            key = "study.rate-hint-checked" if current.must_rate else "study.rate-hint"
            return self.t(key, rating=self.t(f"rating.{current.proposed or 3}"))
        match current.view:
            case Flashcard():
                return self.t("study.reveal-hint")
            case Choice(multi=multi):
                return self.t("study.multi-hint" if multi else "study.choice-hint")
        return self.t("study.type-hint" if self._in_box() else "study.box-hint")

    def apply_language(self) -> None:
        current = self.current
        if current is not None:
            self.box.input.placeholder = self.t("study.answer-placeholder")
            self._draw()

    def on_descendant_focus(self) -> None:
        if self.current is not None:
            self._draw(self._note)

    # ---- actions ----------------------------------------------------------------------------
    def action_primary(self) -> None:
        current = self._rated_or_current()
        if current is None:
            return
        if isinstance(current.view, Flashcard):
            self._reveal()
        elif isinstance(current.view, Choice):
            selected = self.query_one(ChoiceList).selected
            if selected:
                self._submit(" ".join(sorted(selected)))
            else:
                self._draw(self.t("study.choose-first"))
        elif self._in_box():
            self._submit(self.box.value)
        else:
            self.box.focus_input()

    def action_space(self) -> None:
        current = self._rated_or_current()
        if current is None:
            return
        if isinstance(current.view, Choice):
            self.query_one(ChoiceList).toggle_cursor()
        else:
            self._reveal()

    def _rated_or_current(self) -> Current | None:
        """The card on show while it waits for its answer; once answered, space and enter accept the
        proposed rating instead (None: nothing more to do)."""
        current = self.current
        if current is not None and current.phase == "answered":
            self._rate(None)
            return None
        return current

    def action_letter(self, letter: str) -> None:
        self.query_one(ChoiceList).toggle(letter)

    def action_move(self, step: int) -> None:
        self.query_one(ChoiceList).move(step)

    def action_type(self) -> None:
        self.box.focus_input()

    def action_rate(self, rating: int) -> None:
        self._rate(rating)

    def action_undo(self) -> None:
        try:
            undone = self.session.undo()
        except StudyError:
            return
        if not undone:
            self._draw(self.t("study.nothing-to-undo"))
            return
        was_in_box = self._in_box()
        current = self.current
        assert current is not None
        self.pane.show_card(current, self.lang)
        self._draw(self.t("study.undone"))
        # Undo keeps the mode the learner was in: u u u undoes three answers.
        if was_in_box:
            self.box.focus_input()
        else:
            self.pane.focus()

    def action_skip(self) -> None:
        try:
            self.session.skip()
        except StudyError:
            return
        self._advance(self.t("study.skipped"))

    def action_suspend(self) -> None:
        self._set_aside("suspend")

    def action_bury(self) -> None:
        self._set_aside("bury")

    def _set_aside(self, how: Literal["suspend", "bury"]) -> None:
        if self.current is None:
            return
        self.session.set_aside(how)
        self._advance(self.t(f"study.{how}"))

    def action_flag(self) -> None:
        if self.current is None:
            return
        flag = self.session.toggle_flag()
        self._draw(self.t("study.flagged" if flag else "study.unflagged"))

    def action_edit(self) -> None:
        current = self.current
        if current is not None:
            self.quiz.edit_card(current.key)

    def library_changed(self) -> None:
        """The decks were reloaded after an edit: show the card as it now reads."""
        self.session.use_library(self.quiz.library)
        current = self.current
        if current is not None and current.phase == "question":
            self.pane.show_card(current, self.lang)
            self._draw()
            self._settle_focus()

    def action_end(self) -> None:
        self._finish(ended=True)

    def action_escape(self) -> None:
        if self._in_box():
            self.pane.focus()
            self._draw()
            return

        def confirmed(end: bool | None) -> None:
            if end:
                self._finish(ended=True)

        self.app.push_screen(
            ConfirmScreen(self.t("study.confirm-end", n=self.session.answered),
                          self.t("key.end"), self.t("key.keep-studying")),
            confirmed,
        )

    # ---- the study step ---------------------------------------------------------------------
    def _reveal(self) -> None:
        self.session.reveal()
        self._after_answer()

    def _submit(self, text: str) -> None:
        if not text:
            self._reveal()  # giving up shows the answer; the session proposes Again
            return
        self._check(text)

    @work(exclusive=True, group="check")
    async def _check(self, text: str) -> None:
        self._draw_checking()
        try:
            verdict = await self.session.answer_async(text)
        except Exception as exc:  # the worker died or the family broke: report, never crash
            self._draw(self.t("study.check-failed", error=exc))
            self._settle_focus()
            return
        if verdict.is_invalid:
            self._draw()
            self.pane.show_invalid(verdict.feedback.get(self.lang), self.lang)
            self._settle_focus()
            return
        current = self.current
        if current is not None and current.phase == "question":  # the next part of the exercise
            self.box.reset(self.t("study.answer-placeholder"))
            self._draw()
            self._settle_focus()
            return
        self._after_answer()

    def _draw_checking(self) -> None:
        self._draw()

    def _after_answer(self) -> None:
        self.pane.focus()  # off the box: 1–4 and enter now rate
        self._draw()
        self.pane.scroll_to_verdict()

    def _rate(self, rating: int | None) -> None:
        try:
            result = self.session.rate(rating)
        except Exception as exc:
            self.notify(self.t("misc.error", error=exc), severity="error", markup=False)
            return
        note = ""
        if result.suspended:
            note = self.t("study.leech")
        elif result.leech:
            note = self.t("study.leech-tagged")
        self._advance(note)

    @on(AnswerBox.Submitted)
    def _box_submitted(self, event: AnswerBox.Submitted) -> None:
        current = self.current
        if current is not None and current.phase == "question":
            self._submit(event.text)

    @on(AnswerBox.PreviewWanted)
    def _preview_wanted(self, event: AnswerBox.PreviewWanted) -> None:
        current = self.current
        if current is None or current.phase != "question":
            return  # answered meanwhile: the verdict stays
        self.pane.clear_invalid()
        self._preview(event.text)

    @work(exclusive=True, group="preview", exit_on_error=False)
    async def _preview(self, text: str) -> None:
        import asyncio

        try:
            reading = await asyncio.to_thread(self.session.interpret, text)
        except Exception:
            return  # the preview is a courtesy; the real check reports problems
        if reading is None or self.box.value != text or self.current is None or self.current.phase != "question":
            return  # no math here, or stale: the learner kept typing
        if reading.is_invalid:
            self.box.show_preview(reading.feedback.get(self.lang), invalid=True)
        else:
            self.box.show_preview(self.t("study.interpreted", text=reading.interpreted))

    @on(RatingBar.Rated)
    def _rating_clicked(self, event: RatingBar.Rated) -> None:
        if self.current is not None and self.current.phase == "answered":
            self._rate(event.rating)

    def _finish(self, *, ended: bool = False) -> None:
        """Leave the study screen: a summary if anything was answered, else straight back."""
        summary = self.session.end()
        if summary.answered == 0:
            if not ended:
                self.notify(self.t("study.empty"))
            for problem in self.session.problems:
                self.notify(problem, severity="warning", markup=False)
            self.dismiss(None)
            return
        from quizapp.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(summary))
