"""Evaluate sympy expressions at many points with numpy, without lambdify (which execs source).

Only the node types our parser can produce are supported; anything else raises Unsupported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

MIN_VALID_POINTS = 6
# Float agreement only screens: every agreement is confirmed exactly at a few points, every
# disagreement exactly at the point itself (quizapp.checking.equivalence).
AGREE_RTOL = 1e-7
AGREE_ATOL = 1e-10
# A stated tolerance means what it says: |1.05 − 1| is 0.050000000000000044 in binary, and is
# within 5 %. Comparisons against a tolerance allow this fraction of it on top (as STACK does).
TOLERANCE_MARGIN = 1e-9


def within(distance: float, tolerance: float) -> bool:
    return distance <= tolerance * (1 + TOLERANCE_MARGIN)


class Unsupported(Exception):
    """The expression contains a node this evaluator does not know."""


_UNARY: dict[type, Callable[[np.ndarray | float], np.ndarray | float]] = {
    sp.exp: np.exp, sp.log: np.log, sp.Abs: np.abs, sp.tanh: np.tanh, sp.sinh: np.sinh,
    sp.cosh: np.cosh, sp.sin: np.sin, sp.cos: np.cos, sp.sech: lambda v: 1.0 / np.cosh(v),
}  # fmt: skip


def _const(value: sp.Expr) -> float:
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")
    except TypeError:
        raise Unsupported(str(type(value))) from None


def evaluate(
    expr: sp.Expr, env: Mapping[sp.Symbol, np.ndarray], definitions: Mapping[str, sp.Lambda] | None = None
) -> np.ndarray:
    """Values of `expr` at the points in env (one float64 array per symbol).

    Per-exercise functions (sigma) are evaluated through their definitions, so the sympy tree is
    never rebuilt with them substituted (rebuilding re-runs sympy's automatic evaluation).
    """
    with np.errstate(all="ignore"):
        return np.asarray(_Evaluator(env, definitions or {}).value_of(expr), dtype=np.float64)


class _Evaluator:
    def __init__(self, env: Mapping[sp.Symbol, np.ndarray | float], definitions: Mapping[str, sp.Lambda]) -> None:
        self.env = env
        self.definitions = definitions

    def value_of(self, expr: sp.Expr) -> np.ndarray | float:
        if isinstance(expr, AppliedUndef):
            lam = definition(expr, self.definitions)
            inner = {var: self.value_of(arg) for var, arg in zip(lam.variables, expr.args)}
            return _Evaluator(inner, self.definitions).value_of(lam.expr)
        return _eval(expr, self)


def definition(call: AppliedUndef, definitions: Mapping[str, sp.Lambda]) -> sp.Lambda:
    """The definition of a per-exercise function call such as sigma(x), checked for arity."""
    lam = definitions.get(type(call).__name__)
    if lam is None or len(lam.variables) != len(call.args):
        raise Unsupported(f"function {type(call).__name__}")
    return lam


def _eval(expr: sp.Expr, ev: _Evaluator) -> np.ndarray | float:  # noqa: C901 - one case per node type
    env = ev.env
    if expr.is_Symbol:
        if expr not in env:
            raise Unsupported(f"free symbol {expr}")
        return env[expr]
    if expr.is_Number or expr.is_NumberSymbol:
        return _const(expr)
    if expr.is_Add:
        total: np.ndarray | float = 0.0
        for arg in expr.args:
            total = total + ev.value_of(arg)
        return total
    if expr.is_Mul:
        prod: np.ndarray | float = 1.0
        for arg in expr.args:
            prod = prod * ev.value_of(arg)
        return prod
    if expr.is_Pow:
        base, exponent = expr.args
        b = ev.value_of(base)
        if exponent == -1:
            return 1.0 / np.asarray(b, dtype=np.float64)
        if exponent == sp.S.Half:
            return np.sqrt(b)
        return np.power(np.asarray(b, dtype=np.float64), ev.value_of(exponent))
    func = type(expr)
    if func in _UNARY:
        return _UNARY[func](ev.value_of(expr.args[0]))
    if func in (sp.Max, sp.Min):
        values = [np.asarray(ev.value_of(a), dtype=np.float64) for a in expr.args]
        reduce = np.maximum if func is sp.Max else np.minimum
        out = values[0]
        for v in values[1:]:
            out = reduce(out, v)
        return out
    raise Unsupported(str(func))


def close(a: np.ndarray, b: np.ndarray, rtol: float = AGREE_RTOL, atol: float = AGREE_ATOL) -> np.ndarray:
    """Elementwise agreement; the absolute floor scales with the typical size of the values
    (rounding in x² − 1 near x = 1 is relative to the terms, not to the tiny result)."""
    scale = max(1.0, float(np.median(np.abs(b)))) if b.size else 1.0
    with np.errstate(all="ignore"):
        return np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)) + atol * scale
