"""How line mode words a card: the header, the question, the answer, the rating prompt and the
summary. One `match` on the card's type; every label from quizapp.strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from quizapp import strings
from quizapp.study.cards import Choice, Cloze, Exercise, Flashcard

if TYPE_CHECKING:
    from quizapp.exercises.base import Part
    from quizapp.study.session import Current, StudySession
    from quizapp.study.summary import SessionSummary

TOP_MISTAKES = 5


class Speaker(Protocol):
    lang: str
    session: StudySession

    def say(self, text: str = "") -> None: ...

    def t(self, key: str, /, **fields: object) -> str: ...


def show_card(out: Speaker, current: Current) -> None:
    lang, view = out.lang, current.view
    left = out.session.remaining()
    counts = out.t("plain.left", new=left.new, learning=left.learning, review=left.review)
    meta = view.meta
    kind, state = out.t(f"study.kind.{meta.kind}"), out.t(f"study.state.{meta.state}")
    out.say()
    out.say(f"[{counts}] {meta.topic_title.get(lang)} · {kind} · {state} · {meta.key}")
    match view:
        case Flashcard():
            out.say(view.front.get(lang))
        case Cloze():
            out.say(view.prompt.get(lang))
        case Choice():
            out.say(view.question.get(lang))
            for option in view.options:
                out.say(f"  {option.letter}) {option.text.get(lang)}")
        case Exercise():
            out.say(view.prompt.get(lang))
            hint = view.answer_hint.get(lang)
            if hint and not view.instance.parts:
                out.say(out.t("study.answer-as", hint=hint))


def part_heading(out: Speaker, current: Current, part: Part) -> str:
    """"Part n of N: question" and how to answer it, for the part being asked."""
    assert isinstance(current.view, Exercise)
    total = len(current.view.instance.parts)
    lines = [out.t("study.part", n=len(current.parts) + 1, total=total, prompt=part.prompt(out.lang))]
    hint = part.answer_hint.get(out.lang)
    if hint:
        lines.append(out.t("study.answer-as", hint=hint))
    return "\n".join(lines)


def show_answer(out: Speaker, current: Current) -> None:
    """The verdict (or that the answer was shown), then the answer side of the card."""
    lang, view, verdict = out.lang, current.view, current.verdict
    if verdict is not None:
        head = out.t("plain.correct") if verdict.is_correct else out.t("plain.wrong")
        feedback = verdict.feedback.get(lang)
        out.say(head + (f" — {feedback}" if feedback and not verdict.is_correct else ""))
        if verdict.interpreted and isinstance(view, Exercise):
            out.say(out.t("plain.interpreted", x=verdict.interpreted))
    elif current.gave_up:
        out.say(out.t("study.verdict.revealed"))
    match view:
        case Flashcard():
            out.say(view.back.get(lang))
        case Cloze():
            out.say(view.answer.get(lang))
            if view.extra:
                out.say(view.extra.get(lang))
        case Choice():
            for option in view.options:
                mark = "✓" if option.correct else "✗"
                why = option.why.get(lang)
                out.say(f"  {option.letter}) {mark} {option.text.get(lang)}" + (f" — {why}" if why else ""))
        case Exercise() if view.instance.parts:
            for part in view.instance.parts:
                out.say(out.t("study.part-answer", label=part.label, text=part.shown_answer))
            out.say(view.worked_solution(lang))
        case Exercise():
            out.say(out.t("study.correct-answer", text=view.answer))
            solution = view.worked_solution(lang)
            if solution:
                out.say(solution)


def rating_prompt(out: Speaker, current: Current) -> tuple[str, tuple[str, ...]]:
    """The prompt after an answer, and the keys it accepts besides Enter."""
    session = out.session
    proposed = current.proposed or 3
    if session.practice:
        if isinstance(current.view, Flashcard):
            return out.t("plain.practice-flashcard"), ("1",)
        return out.t("plain.practice-next"), ()
    intervals = session.intervals()
    buttons = "  ".join(
        f"{r} {out.t(f'rating.{r}')}"
        + (f" ({strings.interval_text(intervals[r], out.lang)})" if r in intervals else "")
        for r in (1, 2, 3, 4)
    )
    accept = out.t("plain.enter-accepts", name=out.t(f"rating.{proposed}"))
    return f"{out.t('plain.rate')}: {buttons}  [{accept}]", ("1", "2", "3", "4")


def print_summary(out: Speaker, summary: SessionSummary) -> None:
    from quizapp.stats.mistakes import describe_note

    out.say()
    key = "plain.summary-ended" if summary.ended_early else "plain.summary"
    out.say(out.t(
        key, answered=summary.answered, correct=summary.correct, accuracy=summary.accuracy,
        minutes=round(summary.seconds / 60), due=summary.due_tomorrow,
    ))
    if summary.mistakes:
        out.say(out.t("plain.mistakes"))
        for mistake, count in summary.mistakes[:TOP_MISTAKES]:
            words = mistake.text or describe_note(mistake.note, mistake.family)
            out.say(f"  {count} × {words.get(out.lang)}")
