"""The `math:` field of a cloze item: which deletions are checked as math, and in which form.

    - id: bp-sigmoid-derivative-cloze
      kind: cloze
      text: {en: "σ'(x) = {{c1::σ(x)(1 − σ(x))}}", zh: "σ'(x) = {{c1::σ(x)(1 − σ(x))}}"}
      math: {c1: {form: expression, in: [x]}}     # c2: integer, c3: {form: real, rtol: 0.01}

The deletion's text is the reference. Read here without sympy (the loader runs at start-up): a
number deletion must be a number or arithmetic, and an expression deletion must lex over its
declared names. `quizapp validate` then parses every math answer with the checker itself
(deck.math_check).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quizapp.deck.model import CLOZE_RE
from quizapp.exercises.forms import (
    AnswerForm,
    number_value,
    parse_form,
    subscript_aliases,
    vector_value,
)
from quizapp.exercises.mathexpr import ExprError, compile_expr
from quizapp.i18n import LANGS, Bilingual

PathT = tuple[str | int, ...]
Report = Callable[[PathT, str], None]
KEY_RE = re.compile(r"^c([1-9][0-9]*)$")


def deletion_answers(text: Bilingual, number: int) -> list[tuple[str, str]]:
    """(lang, answer) for every alternative of deletion `number`, en first."""
    found: list[tuple[str, str]] = []
    for lang in LANGS:
        for m in CLOZE_RE.finditer(text.get(lang)):
            if int(m.group(1)) == number:
                answer = m.group(2).split("::", 1)[0]
                found += [(lang, alt.strip()) for alt in answer.split("|") if alt.strip()]
    return found


def read_math(raw: object, text: Bilingual | None, path: PathT, report: Report) -> dict[int, AnswerForm]:
    """The forms of the math deletions; problems go to `report(path, message)`."""
    if not isinstance(raw, dict) or not raw:
        report(path, "must map deletions to answer forms, like {c1: expression, c2: integer}")
        return {}
    numbers = {int(m.group(1)) for m in CLOZE_RE.finditer(text.en)} if text is not None else set()
    forms: dict[int, AnswerForm] = {}
    for key, value in raw.items():
        match = KEY_RE.match(str(key))
        if match is None:
            report(path + (str(key),), f"'{key}' is not a deletion: use c1, c2, …")
            continue
        number = int(match.group(1))
        if text is not None and number not in numbers:
            report(path + (str(key),), f"the text has no deletion {key} (it has {', '.join(f'c{n}' for n in sorted(numbers)) or 'none'})")
            continue
        form, problems = parse_form(value)
        for sub, message in problems:
            report(path + (str(key), *sub), message)
        if form is None:
            continue
        if text is not None:
            for lang, answer in deletion_answers(text, number):
                problem = reference_problem(form, answer)
                if problem:
                    report(path[:-1] + ("text", lang), f"{key}: '{answer}' {problem}")
        forms[number] = form
    return forms


def reference_problem(form: AnswerForm, answer: str) -> str:
    """Why a deletion's text cannot be the reference of its form ("" when it can)."""
    if form.kind == "vector":
        return "" if vector_value(answer) is not None else "is not a vector of numbers like [0.2, 0.5, 0.3]"
    if form.kind in ("integer", "real"):
        value = number_value(answer)
        if value is None:
            return "is not a number or arithmetic (+ − × ÷ ^) that can be checked"
        if form.kind == "integer" and not float(value).is_integer():
            return "is not an integer"
        return ""
    names = form.names + tuple(alias for alias, _ in subscript_aliases(form.names))
    try:
        compile_expr(answer, names)
    except ExprError as exc:
        hint = " (declare the variables with `in: [x]`)" if "unknown" in str(exc) and not form.names else ""
        return f"does not read as math: {exc}{hint}"
    return ""
