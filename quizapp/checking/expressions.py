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
MAX_PROOF_OPS = 80


@dataclass(frozen=True)
class ExprReading:
    expr: sp.Expr  # as typed (sigma kept, for display)
    checked: sp.Expr  # per-exercise functions replaced by their definitions
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
    reference = ctx.expand_functions(ctx.parse(trusted_text(spec.reference, spec.variables)).expr)
    symbols = [ctx.symbols[name] for name in spec.variables]
    domains = dict(spec.domain)
    chunks: dict[sp.Symbol, list[np.ndarray]] = {sym: [] for sym in symbols}
    kept: list[np.ndarray] = []
    total = 0
    for round_no in range(1 + numeric.MAX_EXTRA_ROUNDS):
        points = numeric.sample_points(spec.variables, domains, str(spec.reference), numeric.N_POINTS, round_no)
        env = {ctx.symbols[name]: pts for name, pts in points.items()}
        try:
            values = np.broadcast_to(numeric.evaluate(reference, env), (numeric.N_POINTS,))
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
    values_all = np.concatenate(kept) if kept else np.zeros(0)
    return ExprSetup(ctx, reference, env_all, values_all, len(values_all) >= numeric.MIN_VALID_POINTS)


def read(text: str, spec: AnswerSpec) -> ExprReading:
    ctx = setup_for(spec).ctx
    parsed = ctx.parse(text)
    splits = split_notes(parsed.notes)
    return ExprReading(parsed.expr, ctx.expand_functions(parsed.expr), linear(parsed.expr), splits)


def values_of(expr: sp.Expr, setup: ExprSetup) -> np.ndarray | None:
    try:
        return np.broadcast_to(numeric.evaluate(expr, setup.env), setup.values.shape).astype(np.float64)
    except numeric.Unsupported:
        return None


def equivalent(expr: sp.Expr, target: sp.Expr, setup: ExprSetup, target_values: np.ndarray | None) -> bool:
    """Numbers first: any disagreement at a point where the target is defined is final."""
    if setup.conclusive and target_values is not None:
        values = values_of(expr, setup)
        if values is not None:
            agree = bool(np.all(np.isfinite(values)) and np.all(numeric.close(values, target_values)))
            if agree and log.isEnabledFor(logging.DEBUG):
                log.debug("numeric agreement; cheap proof: %s", prove_equal(expr, target))
            return agree
    # Too few usable points, or a node numpy cannot evaluate: only a proof decides.
    return prove_equal(expr, target)


def prove_equal(a: sp.Expr, b: sp.Expr) -> bool:
    """Cheap symbolic steps that never report a false "equal"; False means "not proved"."""
    diff = a - b
    if diff == 0:
        return True
    if sp.count_ops(diff) > MAX_PROOF_OPS:
        return False
    steps = (
        sp.expand,
        sp.cancel,
        sp.together,
        lambda e: sp.cancel(sp.expand(e.rewrite(sp.exp))),
    )
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
    expr = setup.ctx.expand_functions(setup.ctx.parse(trusted_text(text, spec.variables)).expr)
    return expr, values_of(expr, setup)


def describe(expr: sp.Expr) -> str:
    return linear(expr)
