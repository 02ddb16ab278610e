"""The card on show: its question, the answer box or options, and once answered the verdict,
the answer and the worked solution. It renders a session's Current and nothing else: one
`match` on the card's type, every label from the string table, content text never as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from quizapp import strings
from quizapp.study.cards import Choice, Cloze, Exercise, Flashcard
from quizapp.study.session import Current
from quizapp.tui.widgets.answer_box import AnswerBox
from quizapp.tui.widgets.choices import ChoiceList
from quizapp.tui.widgets.prose import Prose

SECTIONS = ("verdict", "feedback", "back", "solution")


def exercise_front(current: Current, view: Exercise, lang: str) -> str:
    """The exercise's text; for a multi-part one, each part answered so far with how it went, then
    the part being asked (its number, its question and how to answer it)."""
    lines = [view.prompt.get(lang)]
    parts = view.instance.parts
    if not parts:
        hint = view.answer_hint.get(lang)
        return lines[0] + ("\n" + strings.text("study.answer-as", lang, hint=hint) if hint else "")
    for number, (part, answer) in enumerate(zip(parts, current.parts), start=1):
        mark = "✓" if answer.is_correct else "✗"
        feedback = answer.verdict.feedback.get(lang)
        lines.append(strings.text("study.part", lang, n=number, total=len(parts), prompt=part.prompt(lang)))
        lines.append(f"  {mark} {answer.answer}" + (f" — {feedback}" if feedback and feedback != answer.answer else ""))
    asked = current.part
    if asked is not None:
        number = len(current.parts) + 1
        lines.append(strings.text("study.part", lang, n=number, total=len(parts), prompt=asked.prompt(lang)))
        hint = asked.answer_hint.get(lang)
        if hint:
            lines.append(strings.text("study.answer-as", lang, hint=hint))
    return "\n".join(lines)


class CardPane(VerticalScroll):
    """Scrolls when the card is taller than the screen; never takes keys meant for the screen."""

    def compose(self) -> ComposeResult:
        yield Prose(id="card-front")
        yield ChoiceList(id="choices")
        yield AnswerBox(id="answer")
        for section in SECTIONS:
            yield Prose(id=section)

    def _put(self, section: str, text: str) -> None:
        widget = self.query_one(f"#{section}", Prose)
        widget.update(text)
        widget.display = bool(text)

    def show_card(self, current: Current, lang: str) -> None:
        """A new card (or the same card after an undo): the question side, nothing answered."""
        choices = self.query_one(ChoiceList)
        view = current.view
        if isinstance(view, Choice):
            choices.set_options([(o.letter, o.text.get(lang)) for o in view.options], multi=view.multi)
        else:
            choices.set_options([], multi=False)
        self.query_one(AnswerBox).reset(strings.text("study.answer-placeholder", lang))
        self.scroll_home(animate=False)
        self.draw(current, lang)

    def draw(self, current: Current, lang: str) -> None:
        """(Re)draw for the current phase and language."""
        view = current.view
        answered = current.phase == "answered"
        choices = self.query_one(ChoiceList)
        box = self.query_one(AnswerBox)
        choices.display = isinstance(view, Choice)
        box.display = isinstance(view, Cloze | Exercise) and not answered
        box.input.disabled = current.phase == "checking"
        match view:
            case Flashcard():
                front = view.front.get(lang)
            case Cloze():
                front = view.prompt.get(lang)
            case Choice():
                front = view.question.get(lang)
                choices.options = [(o.letter, o.text.get(lang)) for o in view.options]
                if answered:
                    choices.show_result(set(view.correct_letters), {o.letter: o.why.get(lang) for o in view.options})
                else:
                    choices.redraw()
            case Exercise():
                front = exercise_front(current, view, lang)
        self.query_one("#card-front", Prose).update(front)
        if answered:
            self._draw_answer(current, lang)
        else:
            for section in SECTIONS:
                self._put(section, "")

    def _draw_answer(self, current: Current, lang: str) -> None:
        view, verdict = current.view, current.verdict
        verdict_widget = self.query_one("#verdict", Prose)
        status = verdict.status if verdict is not None else ("revealed" if current.gave_up else "")
        verdict_widget.set_classes(f"verdict-{status}" if status else "")
        self._put("verdict", strings.text(f"study.verdict.{status}", lang) if status else "")
        lines = []
        if verdict is not None and isinstance(view, Cloze | Exercise):
            lines.append(strings.text("study.your-answer", lang, text=verdict.interpreted or current.response))
        if verdict is not None and not verdict.is_correct and verdict.feedback.get(lang):
            lines.append(verdict.feedback.get(lang))
        self._put("feedback", "\n".join(lines))
        match view:
            case Flashcard():
                back = view.back.get(lang)
            case Cloze():
                back = view.answer.get(lang) + (f"\n\n{view.extra.get(lang)}" if view.extra else "")
            case Choice():
                back = ""  # ✓/✗ and each option's "why" are drawn in the option list
            case Exercise():
                back = strings.text("study.correct-answer", lang, text=view.answer)
                if view.instance.parts:
                    back = "\n".join(strings.text("study.part-answer", lang, label=p.label, text=p.shown_answer)
                                      for p in view.instance.parts)
        self._put("back", back)
        width = max(20, min(60, self.content_size.width - 2))
        solution = view.worked_solution(lang, width) if isinstance(view, Exercise) else ""
        self._put("solution", f"{strings.text('study.solution', lang)}\n{solution}" if solution else "")

    def show_invalid(self, feedback: str, lang: str) -> None:
        """An answer that could not be read: say why, change nothing else."""
        self.query_one("#verdict", Prose).set_classes("verdict-invalid")
        self._put("verdict", strings.text("study.verdict.invalid", lang))
        self._put("feedback", feedback)

    def clear_invalid(self) -> None:
        for section in ("verdict", "feedback"):
            self._put(section, "")

    def scroll_to_verdict(self) -> None:
        """Bring the verdict to the top once laid out: on a small terminal it starts off-screen."""
        verdict = self.query_one("#verdict", Prose)
        self.call_after_refresh(self.scroll_to_widget, verdict, animate=False, top=True)
