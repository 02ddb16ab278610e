"""The chain of an exercise: its inputs (as displayed in the prompt) and the intermediate
quantities a learner computes on the way (as displayed in the worked solution), each written as
authored math over the inputs and the earlier steps.

One chain serves four purposes:
- error carried forward: a part is recomputed from the learner's own earlier values
  (`values(overrides)`);
- a tolerance fair to hand computation: the learner rounds every intermediate to the precision
  the prompt asks for, and `rounding_bound` propagates that rounding to the answer (to first
  order, each step's rounding pushed through every later step);
- draws fit for hand computation: `ill_conditioned` flags answers that near-cancellation makes
  hostage to that rounding, and families redraw them;
- the tests recompute every answer from intermediates rounded to 4 significant figures
  (`rounded_values`).
No sympy or numpy: steps are evaluated by exercises.mathexpr.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from quizapp.exercises.mathexpr import Number, compile_expr, evaluate

HAND_DIGITS = 4  # significant figures a learner keeps, as the prompts ask ("at least 4")
# An answer is ill-conditioned when hand rounding alone may move it by more than this (relative).
MAX_ROUNDING_SHARE = 2e-3


@dataclass(frozen=True)
class Step:
    id: str  # the name later steps use: "h1", "delta_o1"
    expr: str  # authored math over the inputs and earlier steps
    label: str = ""  # how the step is shown: "h₁" (the id when empty)

    @property
    def shown(self) -> str:
        return self.label or self.id


@dataclass(frozen=True)
class Chain:
    inputs: tuple[tuple[str, Number], ...]  # exact, as displayed in the prompt
    steps: tuple[Step, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.inputs) + tuple(step.id for step in self.steps)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def values(self, overrides: Mapping[str, Number] | None = None) -> dict[str, Number]:
        """Every input and step value; an overridden step takes the given value (the learner's)."""
        return self._from(0, dict(self.inputs), overrides or {})

    def _from(self, start: int, env: dict[str, Number], overrides: Mapping[str, Number]) -> dict[str, Number]:
        names = self.names
        for step in self.steps[start:]:
            if step.id in overrides:
                env[step.id] = overrides[step.id]
            else:
                env[step.id] = evaluate(compile_expr(step.expr, names), env)
        return env

    def rounded_values(self, digits: int = HAND_DIGITS) -> dict[str, Number]:
        """As a learner computes by hand: each step from the earlier rounded ones, then rounded."""
        env: dict[str, Number] = dict(self.inputs)
        names = self.names
        for step in self.steps:
            env[step.id] = round_sig(evaluate(compile_expr(step.expr, names), env), digits)
        return env

    def depends_on(self, step_id: str, stop: frozenset[str] = frozenset()) -> frozenset[str]:
        """The steps a step uses, directly or through other steps (not through those in `stop`)."""
        names = self.names
        found: set[str] = set()
        todo = [step_id]
        step_ids = {s.id for s in self.steps}
        while todo:
            used = compile_expr(self.step(todo.pop()).expr, names).names & step_ids
            todo += [u for u in used if u not in found and u not in stop]
            found |= used
        return frozenset(found)

    def depends_on_any(self, step_ids: Iterable[str], stop: frozenset[str] = frozenset()) -> frozenset[str]:
        return frozenset().union(*(self.depends_on(s, stop) for s in step_ids))

    def rounding_bounds(self, targets: Iterable[str], digits: int = HAND_DIGITS) -> dict[str, float]:
        """How far rounding every earlier step to `digits` significant figures can move each
        target, to first order: each step nudged by half a unit in its last kept figure, the
        later steps recomputed, the changes of a target added up."""
        targets = tuple(dict.fromkeys(targets))
        base = self.values()
        before = self.depends_on_any(targets)
        bounds = dict.fromkeys(targets, 0.0)
        for index, step in enumerate(self.steps):
            value = base[step.id]
            if step.id not in before or (isinstance(value, Fraction) and round_sig(value, digits) == value):
                continue  # whole numbers and short decimals are written out in full
            delta = half_unit(float(value), digits)
            if delta == 0:
                continue
            env = {**base, step.id: float(value) + delta}
            nudged = self._from(index + 1, env, {})
            for target in targets:
                bounds[target] += abs(float(nudged[target]) - float(base[target]))
        return bounds

    def rounding_bound(self, targets: Iterable[str], digits: int = HAND_DIGITS) -> float:
        """The largest of rounding_bounds over the targets (one answer, or a vector's components)."""
        return max(self.rounding_bounds(targets, digits).values(), default=0.0)

    def ill_conditioned(self, targets: Iterable[str], bound: float | None = None) -> bool:
        """Whether hand rounding may move a target by more than MAX_ROUNDING_SHARE of its size.
        A vector is judged against its largest component: a component near 0 is not a problem in
        itself (the absolute floor of the tolerance covers it)."""
        targets = tuple(targets)
        base = self.values()
        bound = self.rounding_bound(targets) if bound is None else bound
        size = max((abs(float(base[t])) for t in targets), default=0.0)
        return bound > MAX_ROUNDING_SHARE * size


def half_unit(value: float, digits: int) -> float:
    """Half a unit in the last of `digits` significant figures of value (0 for 0)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)


def round_sig(value: Number, digits: int = HAND_DIGITS) -> Number:
    """value rounded to `digits` significant figures, exactly (a Fraction), as written by hand."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return value  # whole numbers (sizes, counts) are written out in full
    if value == 0:
        return Fraction(0)
    return Fraction(Decimal(f"{float(value):.{digits}g}"))


def exact(value: float | int) -> Fraction:
    """A displayed input as the exact decimal the learner reads (0.35, not 0.34999…)."""
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)
