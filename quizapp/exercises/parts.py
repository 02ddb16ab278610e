"""Marking parts with error carried forward, the tolerance fair to hand computation, and the
rating proposed from the parts.

    answer = instance.check_part(0, "0.7311")                     # PartAnswer
    later = instance.check_part(1, "0.0454", {answer.part_id: answer.value})
    later.verdict.feedback.en  ->  "Correct from your value of o₁ (0.7311)."
    proposed_rating([answer, later], len(instance.parts))         # the weakest part: 1 or 3

This module imports the checker (sympy, numpy) only inside the functions that mark answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.checking.verdict import Verdict
from quizapp.exercises.chain import Chain, half_unit
from quizapp.exercises.mathexpr import ExprError, Number, compile_expr, evaluate
from quizapp.i18n import Bilingual

if TYPE_CHECKING:
    from quizapp.exercises.base import Instance, Part, PartMistake

ECF_NOTE = "ecf.own-value"  # a correct part marked against the learner's own earlier values


@dataclass(frozen=True)
class PartAnswer:
    """One part's answer, for the session and the log (one row per part)."""

    part_id: str
    answer: str  # as typed
    status: str  # correct | wrong | invalid
    note: str  # the verdict's stable note ("ecf.own-value" when correct from the learner's values)
    verdict: Verdict
    value: Value | None = None  # the learner's value, carried forward to later parts
    carried: tuple[str, ...] = ()  # ids of the earlier parts whose (wrong) values this was marked from

    @property
    def is_correct(self) -> bool:
        return self.status == "correct"


def proposed_rating(answers: Sequence[PartAnswer], n_parts: int) -> int:
    """Good (3) when every part is answered and correct; Again (1) as soon as one is not: the
    rating follows the weakest part."""
    done = [a for a in answers if a.status != "invalid"]
    return 3 if len(done) >= n_parts and all(a.is_correct for a in done) else 1


# ---------------------------------------------------------------- values of the chain


def as_value(raw: Number | tuple[Number, ...], spec: AnswerSpec) -> Value:
    """A chain value in the form a spec expects (int for integers, tuple for vectors)."""
    if isinstance(raw, tuple):
        return tuple(float(v) for v in raw)
    if spec.kind == "integer" and isinstance(raw, Fraction) and raw.denominator == 1:
        return int(raw)
    return float(raw)


def step_value(env: Mapping[str, Number], steps: Sequence[str]) -> Number | tuple[Number, ...]:
    return env[steps[0]] if len(steps) == 1 else tuple(env[s] for s in steps)


def mistake_value(mistake: PartMistake, env: Mapping[str, Number], names: Sequence[str]) -> Number | tuple[Number, ...]:
    exprs = mistake.expr if isinstance(mistake.expr, tuple) else (mistake.expr,)
    values = tuple(evaluate(compile_expr(e, names), env) for e in exprs)
    return values[0] if len(values) == 1 else values


def part_mistakes(part: Part, env: Mapping[str, Number], names: Sequence[str]) -> tuple[Mistake, ...]:
    out: list[Mistake] = []
    for m in part.mistakes:
        if m.value is not None:
            out.append(Mistake(m.note, m.value, m.feedback))
            continue
        try:
            value = as_value(mistake_value(m, env, names), part.spec)
        except ExprError:
            continue  # undefined for these values (e.g. the learner's value makes it divide by 0)
        out.append(Mistake(m.note, value, m.feedback))
    return tuple(out)


# ---------------------------------------------------------------- fair tolerance and draws


def settle(inst: Instance) -> Instance | None:
    """The instance with tolerances widened by the propagated hand rounding, or None when the
    draw must be redrawn: an answer hostage to that rounding, or a mistake too close to it."""
    from quizapp.checking.pipeline import is_separated
    from quizapp.exercises.display import answer_display

    chain = inst.chain
    spec = inst.spec
    parts = list(inst.parts)
    if chain is not None:
        groups = [inst.answer_steps, *(p.steps for p in parts)]
        bounds = chain.rounding_bounds(s for group in groups for s in group)
        worst = [max((bounds[s] for s in group), default=0.0) for group in groups]
        if any(group and chain.ill_conditioned(group, bound) for group, bound in zip(groups, worst)):
            return None
        if inst.answer_steps:
            spec = _widened(spec, worst[0])
        for i, part in enumerate(parts):
            parts[i] = replace(part, spec=_widened(part.spec, worst[i + 1]))
    if not all(is_separated(spec, m) for m in inst.mistakes):
        return None
    if chain is not None and parts:
        env, names = chain.values(), chain.names
        for part in parts:
            if not all(is_separated(part.spec, m) for m in part_mistakes(part, env, names)):
                return None
    parts = [replace(p, answer_display=p.answer_display or answer_display(p.spec)) for p in parts]
    return replace(inst, spec=spec, parts=tuple(parts), answer_display=inst.answer_display or answer_display(spec))


def _widened(spec: AnswerSpec, bound: float) -> AnswerSpec:
    """Accept the answer computed from rounded intermediates, then rounded itself."""
    if spec.kind not in ("real", "vector") or bound == 0:
        return spec
    ref = spec.reference
    size = max(abs(float(v)) for v in ref) if isinstance(ref, tuple) else abs(float(ref))  # type: ignore[arg-type]
    floor = bound + half_unit(size, 4)
    return spec if spec.atol is not None and spec.atol >= floor else replace(spec, atol=floor)


# ---------------------------------------------------------------- marking one part


def check_part(inst: Instance, index: int, text: str, earlier: Mapping[str, Value]) -> PartAnswer:
    """Mark part `index`: against the true values, then (if that fails and an earlier part it
    uses was answered) against the learner's own earlier values."""
    from quizapp.checking.pipeline import check_answer

    part = inst.parts[index]
    chain = inst.chain
    true_env = true_values(chain) if chain is not None else {}
    names = chain.names if chain is not None else ()
    verdict = check_answer(text, part.spec, part_mistakes(part, true_env, names) if chain else ())
    value = learner_value(text, part.spec) if not verdict.is_invalid else None
    if verdict.is_correct or verdict.is_invalid or chain is None:
        return PartAnswer(part.id, text, verdict.status, verdict.note, verdict, value)
    # The earlier parts this one uses directly (through non-part steps, not through other parts):
    # their values, as the learner gave them, are what this part is computed from.
    answered = frozenset(s for prior in inst.parts[:index] for s in prior.steps)
    uses = chain.depends_on_any(part.steps, stop=answered)
    overrides: dict[str, Number] = {}
    carried: list[str] = []
    for prior in inst.parts[:index]:
        if prior.id not in earlier or not set(prior.steps) & uses or prior.spec.kind == "expression":
            continue
        overrides.update(_overrides(prior, earlier[prior.id]))
        if not _matches_truth(prior, earlier[prior.id], true_env):
            carried.append(prior.id)
    if not overrides:
        return PartAnswer(part.id, text, verdict.status, verdict.note, verdict, value)
    try:
        env = chain.values(overrides)
        own_spec = replace(part.spec, reference=as_value(step_value(env, part.steps), part.spec))
    except ExprError:
        return PartAnswer(part.id, text, verdict.status, verdict.note, verdict, value)
    own = check_answer(text, own_spec, part_mistakes(part, env, names))
    if own.is_correct:
        labels = [p.label for p in inst.parts if p.id in carried]
        shown = [_shown(earlier[p.id]) for p in inst.parts if p.id in carried]
        feedback = _from_your_values(labels, shown) if carried else own.feedback
        own = replace(own, note=ECF_NOTE if carried else own.note, feedback=feedback)
        return PartAnswer(part.id, text, "correct", own.note, own, value, tuple(carried))
    if own.note and own.note != verdict.note and not own.note.startswith("generic."):
        return PartAnswer(part.id, text, own.status, own.note, own, value, tuple(carried))
    return PartAnswer(part.id, text, verdict.status, verdict.note, verdict, value)


def _overrides(part: Part, value: Value) -> dict[str, Number]:
    if isinstance(value, tuple):
        return {step: float(v) for step, v in zip(part.steps, value)}
    if isinstance(value, int | float):
        return {part.steps[0]: Fraction(value) if isinstance(value, int) else float(value)}
    return {}


def _matches_truth(part: Part, value: Value, env: Mapping[str, Number]) -> bool:
    """Whether the learner's value of an earlier part was right (within that part's tolerance)."""
    truth = [float(env[s]) for s in part.steps]
    given = [float(v) for v in value] if isinstance(value, tuple) else [float(value)]  # type: ignore[arg-type]
    if len(given) != len(truth):
        return False
    if part.spec.kind == "integer":
        return given == truth
    floor = part.spec.atol if part.spec.atol is not None else 1e-9
    return all(abs(g - t) <= max(part.spec.rtol * abs(t), floor) for g, t in zip(given, truth))


@lru_cache(maxsize=64)
def true_values(chain: Chain) -> Mapping[str, Number]:
    """The chain's own values, read-only (cached: every part of an instance is marked against them)."""
    return MappingProxyType(chain.values())


def learner_value(text: str, spec: AnswerSpec) -> Value | None:
    """The number (or vector) the learner typed, for later parts; None for expressions."""
    from quizapp.checking.errors import InvalidInput
    from quizapp.checking.scalars import read_number, read_vector

    try:
        if spec.kind == "integer":
            reading = read_number(text)
            return reading.exact_int if reading.exact_int is not None else reading.value
        if spec.kind == "real":
            return read_number(text).value
        if spec.kind == "vector":
            return tuple(read_vector(text).values)
    except (InvalidInput, ValueError, ArithmeticError):
        return None
    return None


def _shown(value: Value) -> str:
    from quizapp.exercises.display import number

    if isinstance(value, tuple):
        return "[" + ", ".join(number(float(v)) for v in value) + "]"
    return number(value) if isinstance(value, int | float) else str(value)


def _from_your_values(labels: list[str], shown: list[str]) -> Bilingual:
    pairs = [f"{label} ({value})" for label, value in zip(labels, shown)]
    pairs_zh = [f"{label}（{value}）" for label, value in zip(labels, shown)]
    plural = "s" if len(pairs) > 1 else ""
    return Bilingual(
        f"Correct from your value{plural} of {' and '.join(pairs)}: this step is right, the error was earlier.",
        f"按你算出的 {'、'.join(pairs_zh)} 计算，这一步是对的；错误出在前面。",
    )
