"""Expression answers: equivalence by seeded random points, then cheap proofs for the log."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from quizapp.checking import numeric
from quizapp.checking.display import linear, split_notes
from quizapp.checking.parse import ExpressionContext, context_for
from quizapp.checking.spec import AnswerSpec

log = logging.getLogger("quizapp.checking")

TARGET_POINTS = 12
MAX_REFERENCE = 1e100
MAX_PROOF_OPS = 40
# Tried in turn when the reference is undefined at most points of the default domains.
FALLBACK_DOMAINS = ((0.1, 3.0), (1.0, 20.0), (-20.0, 20.0))


@dataclass(frozen=True)
class ExprReading:
    expr: sp.Expr  # as typed; per-exercise functions (sigma) are kept and evaluated by definition
    interpreted: str
    splits: str


@dataclass
class ExprSetup:
    ctx: ExpressionContext
    reference: sp.Expr
    env: dict[sp.Symbol, np.ndarray]  # sample points where the reference is defined
    values: np.ndarray  # reference values there
    conclusive: bool  # enough points to decide numerically


def trusted_text(value: object, variables: tuple[str, ...]) -> str:
    """Reference or mistake text written by a family; sympy's own str() spells e as 'E'."""
    text = str(value)
    return text if "E" in variables else re.sub(r"\bE\b", "e", text)


@lru_cache(maxsize=256)
def setup_for(spec: AnswerSpec) -> ExprSetup:
    ctx = context_for(tuple(spec.variables), tuple(spec.functions), tuple(spec.aliases))
    reference = ctx.parse(trusted_text(spec.reference, spec.variables)).expr
    declared = dict(spec.domain)
    best: tuple[dict[sp.Symbol, np.ndarray], np.ndarray] | None = None
    for fallback in (None, *FALLBACK_DOMAINS):
        domains = declared if fallback is None else {**{v: fallback for v in spec.variables}, **declared}
        env, values = _sample(ctx, reference, spec, domains)
        if best is None or len(values) > len(best[1]):
            best = (env, values)
        if len(values) >= numeric.MIN_VALID_POINTS:
            break
    assert best is not None
    env, values = best
    return ExprSetup(ctx, reference, env, values, len(values) >= numeric.MIN_VALID_POINTS)


def _sample(
    ctx: ExpressionContext, reference: sp.Expr, spec: AnswerSpec, domains: dict[str, tuple[float, float]]
) -> tuple[dict[sp.Symbol, np.ndarray], np.ndarray]:
    """Points (float64) where the reference is defined and not huge, and its values there."""
    symbols = [ctx.symbols[name] for name in spec.variables]
    chunks: dict[sp.Symbol, list[np.ndarray]] = {sym: [] for sym in symbols}
    kept: list[np.ndarray] = []
    total = 0
    for round_no in range(1 + numeric.MAX_EXTRA_ROUNDS):
        points = numeric.sample_points(spec.variables, domains, str(spec.reference), numeric.N_POINTS, round_no)
        env = {ctx.symbols[name]: pts for name, pts in points.items()}
        try:
            values = np.broadcast_to(numeric.evaluate(reference, env, ctx.definitions), (numeric.N_POINTS,))
        except numeric.Unsupported:
            break
        ok = np.isfinite(values) & (np.abs(values) < MAX_REFERENCE)
        for sym in symbols:
            chunks[sym].append(env[sym][ok])
        kept.append(values[ok])
        total += int(ok.sum())
        if total >= TARGET_POINTS or not symbols:
            break
    env_all = {sym: np.concatenate(parts) if parts else np.zeros(0) for sym, parts in chunks.items()}
    return env_all, (np.concatenate(kept) if kept else np.zeros(0))


def read(text: str, spec: AnswerSpec) -> ExprReading:
    ctx = setup_for(spec).ctx
    parsed = ctx.parse(text)
    splits = split_notes(parsed.notes)
    return ExprReading(parsed.expr, linear(parsed.expr), splits)


def values_of(expr: sp.Expr, setup: ExprSetup) -> np.ndarray | None:
    try:
        values = numeric.evaluate(expr, setup.env, setup.ctx.definitions)
        return np.broadcast_to(values, setup.values.shape).astype(np.float64)
    except numeric.Unsupported:
        return None


def equivalent(expr: sp.Expr, target: sp.Expr, setup: ExprSetup, target_values: np.ndarray | None) -> bool:
    """Numbers first: any disagreement at a point where the target is defined is final."""
    if setup.conclusive and target_values is not None:
        values = values_of(expr, setup)
        usable = np.isfinite(target_values)
        if values is not None and int(usable.sum()) >= numeric.MIN_VALID_POINTS:
            got, want = values[usable], target_values[usable]
            agree = bool(np.all(np.isfinite(got)) and np.all(numeric.close(got, want)))
            if agree and log.isEnabledFor(logging.DEBUG):
                log.debug("numeric agreement; cheap proof: %s", _prove(expr, target, setup, thorough=True))
            return agree
    # Too few usable points, or a node numpy cannot evaluate: only a proof decides.
    return _prove(expr, target, setup)


def _prove(a: sp.Expr, b: sp.Expr, setup: ExprSetup, thorough: bool = False) -> bool:
    try:
        return prove_equal(setup.ctx.expand_functions(a), setup.ctx.expand_functions(b), thorough)
    except (TypeError, ValueError, RecursionError, ArithmeticError):
        return False


_HYPERBOLIC = (sp.tanh, sp.cosh, sp.sinh, sp.sech)
_UNSAFE_FOR_PROOFS = (sp.Max, sp.Min, sp.Abs, sp.sign)


def prove_equal(a: sp.Expr, b: sp.Expr, thorough: bool = False) -> bool:
    """Cheap symbolic steps that never report a false "equal"; False means "not proved".

    Used to decide only when the numbers cannot (a reference undefined almost everywhere), and
    then only on rational expressions (expand); `thorough` adds cancel, together and
    rewrite(exp) for the debug log. Bounded on purpose: sympy's cancel() on Max/Min, on large
    powers or on nested functions can run for minutes.
    """
    diff = a - b
    if diff == 0:
        return True
    if sp.count_ops(diff) > MAX_PROOF_OPS or diff.has(*_UNSAFE_FOR_PROOFS):
        return False
    if any(p.exp.is_Number and abs(p.exp) > 8 and p.base.is_Add for p in diff.atoms(sp.Pow)):
        return False  # expanding (x + 1)^64 is not cheap
    has_functions = bool(diff.atoms(sp.Function))
    if has_functions and not thorough:
        return False
    steps: list = [sp.expand]
    if thorough:
        steps += [sp.cancel, sp.together]
        if diff.has(*_HYPERBOLIC):
            steps.append(lambda e: sp.cancel(sp.expand(e.rewrite(sp.exp))))
    for step in steps:
        try:
            if step(diff) == 0:
                return True
        except (TypeError, ValueError, ZeroDivisionError, RecursionError, NotImplementedError):
            continue
    return False


@lru_cache(maxsize=1024)
def mistake_expr(spec: AnswerSpec, text: str) -> tuple[sp.Expr, np.ndarray | None]:
    setup = setup_for(spec)
    expr = setup.ctx.parse(trusted_text(text, spec.variables)).expr
    return expr, values_of(expr, setup)

