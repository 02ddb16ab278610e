"""Answers as the learner sees them, through the one pretty-printer (quizapp.checking.display):
"2·σ(2x)·(1 − σ(2x))", "1,204,224", "−8.32714×10⁻⁴", "[0.5, −1.25, 2]"."""

from __future__ import annotations

from quizapp.checking.numtext import number as _number
from quizapp.checking.spec import AnswerSpec

GROUP_FROM = 100_000  # integers this large are shown with thousands separators
# Real answers are shown to the precision the prompts ask for and the worked solutions use, so
# the answer line and the solution's last line agree ("1.738", not "1.7375" beside "1.738").
ANSWER_DIGITS = 4


def number(value: float | int, digits: int = 6) -> str:
    """A number for the learner (see quizapp.checking.numtext.number); large integers grouped."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= GROUP_FROM:
        return f"{value:,}".replace("-", "\u2212")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return number(int(value), digits)
    return _number(value, digits)


def answer_display(spec: AnswerSpec) -> str:
    """The reference of a spec, pretty-printed ("" for choices)."""
    ref = spec.reference
    if spec.kind == "expression":
        from quizapp.checking.display import pretty
        from quizapp.checking.expressions import trusted_text
        from quizapp.checking.parse import context_for

        ctx = context_for(tuple(spec.variables), tuple(spec.functions), tuple(spec.aliases))
        return pretty(ctx.parse(trusted_text(ref, spec.variables)).expr)
    if isinstance(ref, tuple):
        return "[" + ", ".join(number(float(v), ANSWER_DIGITS) for v in ref) + "]"
    if isinstance(ref, int | float):
        return number(ref, ANSWER_DIGITS)
    return ""
