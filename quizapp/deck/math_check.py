"""Checks of math content that need the checker itself (sympy), so they run in `quizapp validate`
and in the tests, never while the library loads: every answer of a math cloze deletion parses
with the safe parser and agrees with the deletion's first answer (its reference), and every YAML
exercise is drawn on 50 seeds (exercises.authored.validate).
"""

from __future__ import annotations

from quizapp.deck.cloze import cloze_spec
from quizapp.deck.library import Library
from quizapp.deck.mathcloze import deletion_answers
from quizapp.deck.model import Item, Problem


def math_cloze_problems(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    for topic in library.topics:
        for item in topic.items:
            if item.kind == "cloze" and item.math:
                problems += _item_problems(item, str(topic.source))
    return problems


def _item_problems(item: Item, file: str) -> list[Problem]:
    from quizapp.checking.errors import InvalidInput
    from quizapp.checking.expressions import setup_for
    from quizapp.checking.pipeline import check_answer

    assert item.text is not None
    problems: list[Problem] = []
    prefix = f"items[{item.index}]"
    for number in sorted(item.math):
        spec = cloze_spec(item, number)
        answers = deletion_answers(item.text, number)
        if spec is None or not answers:
            continue
        lang, reference = answers[0]
        line, col = item.spot(f"text.{lang}")
        if spec.kind == "expression":
            try:
                setup_for(spec)
            except InvalidInput as exc:
                problems.append(Problem(file, line, col, f"{prefix}.text.{lang}",
                                        f"c{number}: '{reference}' does not parse: {exc.feedback.en}"))
                continue
        for lang, answer in answers[1:]:
            verdict = check_answer(answer, spec)
            if verdict.is_correct:
                continue
            line, col = item.spot(f"text.{lang}")
            why = (f"does not parse: {verdict.feedback.en}" if verdict.is_invalid
                   else f"is not equivalent to the first answer '{reference}'")
            problems.append(Problem(file, line, col, f"{prefix}.text.{lang}", f"c{number}: '{answer}' {why}"))
    return problems


def exercise_problems(library: Library) -> list[Problem]:
    from quizapp.exercises.authored.validate import check_exercise

    problems: list[Problem] = []
    for topic in library.topics:
        for item in topic.items:
            if item.exercise is None:
                continue
            for finding in check_exercise(item.exercise, item.id):
                line, col = item.spot(finding.field) if finding.field else (item.line, item.col)
                path = f"items[{item.index}]" + (f".{finding.field}" if finding.field else "")
                problems.append(Problem(str(topic.source), line, col, path, finding.message))
    return problems
