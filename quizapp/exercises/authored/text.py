"""Texts of YAML exercises: {expr} fields filled with values."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from quizapp.exercises.authored.schema import DIGITS_SUFFIX, PLACEHOLDER, split_vector
from quizapp.exercises.mathexpr import ExprError, Number, compile_expr, evaluate

if TYPE_CHECKING:
    from quizapp.exercises.base import Part

DEFAULT_DIGITS = 4  # significant figures of a computed value in a text, as in the built-in solutions
EXACT_DIGITS = 8  # a drawn value with at most this many significant digits is shown exactly


def format_value(value: Number, digits: int | None = None) -> str:
    """Whole numbers in full, short exact decimals as they are (0.37), others to `digits`
    significant figures (4 by default) with a unicode minus and ×10ⁿ for tiny or huge values."""
    from quizapp.exercises.display import number

    if isinstance(value, Fraction) and value.denominator == 1:
        return number(int(value))
    if digits is None and isinstance(value, Fraction):
        text = _short_decimal(value)
        if text is not None:
            return text
    return number(float(value), digits or DEFAULT_DIGITS)


def _short_decimal(value: Fraction) -> str | None:
    q = value.denominator
    twos = fives = 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    if q != 1:
        return None
    places = max(twos, fives)
    text = f"{float(value):.{places}f}" if places <= 12 else ""
    if not text or len(text.lstrip("-0.").replace(".", "")) > EXACT_DIGITS:
        return None
    return text.replace("-", "\u2212")


def fill(text: str, values: Mapping[str, Number], parts: Mapping[str, Part]) -> str:
    """Replace each {expr} (or {expr:N}) by its value; {{ and }} are literal braces. ExprError
    when a field cannot be computed for these values."""
    names = tuple(values)

    def field(match: object) -> str:
        group = match.group(0)  # type: ignore[attr-defined]
        if group in ("{{", "}}"):
            return group[0]
        body, digits = match.group(1), None  # type: ignore[attr-defined]
        suffix = DIGITS_SUFFIX.match(body)
        if suffix is not None:
            body, digits = suffix.group(1), int(suffix.group(2))
        body = body.strip()
        part = parts.get(body)
        if part is not None and (part.spec.kind != "real" and part.spec.kind != "integer"):
            return part.shown_answer or _display(part)
        try:
            return format_value(evaluate(compile_expr(body, names), values), digits)
        except ExprError as exc:
            raise ExprError(f"{{{body}}}: {exc}") from None

    return PLACEHOLDER.sub(field, text)


def _display(part: Part) -> str:
    from quizapp.exercises.display import answer_display

    return answer_display(part.spec)


__all__ = ["fill", "format_value", "split_vector"]
