"""Checking what the learner typed or chose against the card on show: one verdict per answer, or
per part of a multi-part exercise (later parts are marked against the learner's own earlier
values: error carried forward)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.checking.verdict import Verdict
from quizapp.deck.cloze import check_cloze
from quizapp.i18n import Bilingual
from quizapp.study.cards import CardView, Choice, Cloze, Exercise, Flashcard, check_choice_view
from quizapp.study.checker import Checker

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.exercises.base import Part
    from quizapp.exercises.parts import PartAnswer


class StudyError(RuntimeError):
    """A session method was called at the wrong moment (a front-end bug, not a learner error)."""


def check_answer(view: CardView, response: str, library: Library, checker: Checker) -> Verdict:
    match view:
        case Flashcard():
            raise StudyError("flashcards are revealed and self-rated, not answered")
        case Choice():
            return check_choice_view(view, response)
        case Cloze(spec=None):
            ref = library.card(view.meta.key)
            assert ref is not None
            return check_cloze(ref.item, ref.cloze_number or 1, response)
    try:
        if isinstance(view, Cloze) and view.spec is not None:
            return checker.check_spec(view.spec, response)
        assert isinstance(view, Exercise)
        return checker.check_instance(view.instance, response)
    except Exception as exc:  # the checker failing is our bug: the learner rates by hand
        return checker_error(exc)


def check_next_part(view: Exercise, answered: Sequence[PartAnswer], response: str, checker: Checker) -> PartAnswer:
    """Check the part after those `answered`, against the learner's own earlier values."""
    earlier = {a.part_id: a.value for a in answered if a.value is not None}
    try:
        return checker.check_part(view.instance, len(answered), response, earlier)
    except Exception as exc:  # the checker failing is our bug: the learner rates by hand
        from quizapp.exercises.parts import PartAnswer

        verdict = checker_error(exc)
        return PartAnswer(view.instance.parts[len(answered)].id, response, "invalid", verdict.note, verdict)


def checker_error(exc: Exception) -> Verdict:
    return Verdict("invalid", note="invalid.checker-error", feedback=Bilingual(
        f"The answer could not be checked ({exc}); rate it yourself.",
        f"无法检查这个答案（{exc}）；请自己评分。"))


def parts_verdict(parts: Sequence[Part], answers: Sequence[PartAnswer]) -> Verdict:
    """One verdict for a multi-part card: correct when every part is; the first wrong part's note
    (stats count it); a line per part saying how it went."""
    wrong = [a for a in answers if not a.is_correct]
    lines_en, lines_zh = [], []
    for part, answer in zip(parts, answers):
        mark = "✓" if answer.is_correct else "✗"
        lines_en.append(f"{mark} {part.label}: {answer.verdict.feedback.en or answer.status}")
        lines_zh.append(f"{mark} {part.label}：{answer.verdict.feedback.zh or answer.status}")
    return Verdict(
        "wrong" if wrong else "correct", interpreted="; ".join(a.answer for a in answers),
        note=wrong[0].note if wrong else "parts.correct",
        feedback=Bilingual("\n".join(lines_en), "\n".join(lines_zh)),
        score=sum(a.is_correct for a in answers) / len(answers) if answers else 0.0,
    )


__all__ = ["StudyError", "check_answer", "check_next_part", "checker_error", "parts_verdict"]
