"""Expression answers: reading them, and the sample points of an exercise's reference.

The points of one spec are drawn once (seeded, inside each variable's declared domain): a grid
of simple values plus random dyadic points, widened while the reference is defined at too few.
quizapp.checking.equivalence decides equality on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache

import numpy as np
import sympy as sp

from quizapp.checking import domains, exact, numeric
from quizapp.checking.display import linear, split_notes
from quizapp.checking.parse import ExpressionContext, context_for
from quizapp.checking.spec import AnswerSpec

TARGET_POINTS = 12  # random points where the reference is defined
MAX_REFERENCE = 1e100  # larger float values tell nothing (overflowing arithmetic)
MAX_ROUNDS = 5
ANCHORS = 3  # random points where every answer is also evaluated exactly
MAX_CACHE = 256  # expressions (reference, mistakes, the answer in hand)


@dataclass(frozen=True)
class ExprReading:
    expr: sp.Expr  # as typed; per-exercise functions (sigma) are kept and evaluated by definition
    interpreted: str
    splits: str
    decimals: tuple[str, ...] = ()  # decimal literals as typed, e.g. ("0.333",)


@dataclass
class ExprSetup:
    ctx: ExpressionContext
    reference: sp.Expr
    env: dict[sp.Symbol, np.ndarray]  # every sample point (float64, each exactly a dyadic rational)
    generic: np.ndarray  # bool per point: random (True) or on the grid of simple values
    values: np.ndarray  # reference values at every point: nan where undefined, inf where too big
    defined: np.ndarray  # bool per point: the reference has a usable value there
    anchors: tuple[int, ...]  # random points where the reference is defined: the exact test
    conclusive: bool  # enough defined points to decide by numbers
    # Values of the reference and mistakes (kept), and of the answer being checked (forgotten
    # after its check): exact outcomes per (point, digits), and floats at every point.
    cache: dict[sp.Expr, dict[tuple[int, int], exact.Outcome]] = field(default_factory=dict)
    floats: dict[sp.Expr, np.ndarray | None] = field(default_factory=dict)

    def forget(self, expr: sp.Expr) -> None:
        """Drop the cached values of an answer once it is checked (the reference's stay)."""
        if expr != self.reference:
            self.cache.pop(expr, None)
            self.floats.pop(expr, None)

    @cached_property
    def scale(self) -> float:
        """The typical size of the reference's values (for comparing values that are 0)."""
        return float(np.median(np.abs(self.values[self.defined]))) if self.defined.any() else 0.0

    @property
    def enough(self) -> int:
        """How many defined points a target needs before numbers may decide."""
        return numeric.MIN_VALID_POINTS if self.env else 1


def usable(values: np.ndarray) -> np.ndarray:
    """Points with a finite value of moderate size (not undefined, not overflowing)."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (np.abs(values) < MAX_REFERENCE)


def trusted_text(value: object, variables: tuple[str, ...]) -> str:
    """Reference or mistake text written by a family; sympy's own str() spells e as 'E'."""
    text = str(value)
    return text if "E" in variables else re.sub(r"\bE\b", "e", text)


@lru_cache(maxsize=256)
def setup_for(spec: AnswerSpec) -> ExprSetup:
    ctx = context_for(tuple(spec.variables), tuple(spec.functions), tuple(spec.aliases), tuple(spec.domain))
    reference = ctx.parse(trusted_text(spec.reference, spec.variables)).expr
    env, generic, values = _sample(ctx, reference, spec)
    defined = usable(values)
    # Random points where the reference is defined; failing those (a reference such as
    # (0.5 − π)^x, real only at integers), the grid points where it is.
    anchors = tuple(int(i) for i in np.flatnonzero(defined & generic)[:ANCHORS])
    anchors = anchors or tuple(int(i) for i in np.flatnonzero(defined)[:ANCHORS])
    enough = numeric.MIN_VALID_POINTS if spec.variables else 1
    return ExprSetup(ctx, reference, env, generic, values, defined, anchors, int(defined.sum()) >= enough)


def _sample(
    ctx: ExpressionContext, reference: sp.Expr, spec: AnswerSpec
) -> tuple[dict[sp.Symbol, np.ndarray], np.ndarray, np.ndarray]:
    symbols = [ctx.symbols[name] for name in spec.variables]
    declared = dict(spec.domain)
    columns: dict[sp.Symbol, list[np.ndarray]] = {sym: [] for sym in symbols}
    generic: list[np.ndarray] = []
    kept: list[np.ndarray] = []
    found = 0
    for round_no in range(MAX_ROUNDS):
        samples = domains.sample(spec.variables, declared, str(spec.reference), round_no)
        env = {ctx.symbols[name]: pts for name, pts in samples.points.items()}
        try:
            values = np.broadcast_to(numeric.evaluate(reference, env, ctx.definitions), (samples.size,))
        except numeric.Unsupported:
            break
        for sym in symbols:
            columns[sym].append(env[sym])
        generic.append(samples.generic)
        kept.append(np.array(values, dtype=np.float64))
        found += int((usable(values) & samples.generic).sum())
        if found >= TARGET_POINTS or not symbols:
            break
    env_all = {sym: np.concatenate(parts) if parts else np.zeros(0) for sym, parts in columns.items()}
    values_all = np.concatenate(kept) if kept else np.zeros(0)
    generic_all = np.concatenate(generic) if generic else np.zeros(0, dtype=bool)
    return env_all, generic_all, values_all


def read(text: str, spec: AnswerSpec) -> ExprReading:
    ctx = setup_for(spec).ctx
    parsed = ctx.parse(text)
    return ExprReading(parsed.expr, linear(parsed.expr), split_notes(parsed.notes), parsed.decimals)


def values_of(expr: sp.Expr, setup: ExprSetup) -> np.ndarray | None:
    """Float values of `expr` at every sample point, or None if numpy cannot evaluate it.
    Cached: one answer is compared with the reference and every authored mistake."""
    if expr not in setup.floats:
        if len(setup.floats) > MAX_CACHE:
            setup.floats.clear()
        try:
            values = numeric.evaluate(expr, setup.env, setup.ctx.definitions)
            setup.floats[expr] = np.array(np.broadcast_to(values, setup.values.shape), dtype=np.float64)
        except numeric.Unsupported:
            setup.floats[expr] = None
    return setup.floats[expr]


def exact_outcome(setup: ExprSetup, expr: sp.Expr, index: int, digits: int) -> exact.Outcome:
    """The exact (or `digits`-digit) value of `expr` at sample point `index`, cached per setup."""
    if expr not in setup.cache and len(setup.cache) > MAX_CACHE:
        setup.cache.clear()
    known = setup.cache.setdefault(expr, {})
    if (index, digits) not in known:
        point = {sym: Fraction(float(pts[index])) for sym, pts in setup.env.items()}
        known[(index, digits)] = exact.outcome(
            lambda d: exact.value_at(expr, point, setup.ctx.definitions, d), digits
        )
    return known[(index, digits)]


@lru_cache(maxsize=1024)
def mistake_expr(spec: AnswerSpec, text: str) -> tuple[sp.Expr, np.ndarray | None]:
    setup = setup_for(spec)
    expr = setup.ctx.parse(trusted_text(text, spec.variables)).expr
    return expr, values_of(expr, setup)
