"""Are two expressions equal on the exercise's domain? Exact where exact, numbers first.

1. Exact test at a few random points of the domain (quizapp.checking.exact): rational values are
   compared as Fractions, others as balls with rigorous error bounds at 90, then 300 digits.
   Any difference there is final: no float tolerance can call 1/3 and 0.333333333333333 equal.
2. Float test at every sample point (a grid of simple values and random points): a value that
   disagrees, or (at a random point) one side defined and the other not, is checked exactly at
   that point, and a confirmed disagreement is final. So sqrt(x−3)·sqrt(x−5) differs from
   sqrt((x−3)(x−5)) for real x, and (a^b)^c from a^(b·c) at a = −2, b = 2, c = ½.
3. Only when the numbers cannot decide (a reference undefined almost everywhere) do cheap
   symbolic steps try to prove equality; they never report a false "equal".
"""

from __future__ import annotations

import logging

import numpy as np
import sympy as sp

from quizapp.checking import exact, numeric
from quizapp.checking.expressions import ExprSetup, exact_outcome, usable, values_of

log = logging.getLogger("quizapp.checking")

MAX_SUSPECTS = 4  # float disagreements re-checked exactly before the floats are believed
MAX_PROOF_OPS = 40


def equivalent(expr: sp.Expr, target: sp.Expr, setup: ExprSetup, target_values: np.ndarray | None) -> bool:
    """Whether `expr` equals `target` at every point of the domain (as far as sampling can tell)."""
    if setup.conclusive and target_values is not None and int(usable(target_values).sum()) >= setup.enough:
        values = values_of(expr, setup)
        if values is not None:
            agree = _decide(expr, target, setup, values, target_values)
            if agree and log.isEnabledFor(logging.DEBUG):
                log.debug("numeric agreement; cheap proof: %s", _prove(expr, target, setup, thorough=True))
            return agree
    # Too few usable points, or a node numpy cannot evaluate: only a proof decides.
    return _prove(expr, target, setup)


def _same_at(setup: ExprSetup, a: sp.Expr, b: sp.Expr, index: int) -> bool | None:
    return exact.same(
        lambda digits: exact_outcome(setup, a, index, digits),
        lambda digits: exact_outcome(setup, b, index, digits),
        setup.scale,
    )


def _decide(expr: sp.Expr, target: sp.Expr, setup: ExprSetup, got: np.ndarray, want: np.ndarray) -> bool:
    settled = 0  # points where the exact test found the two sides equal
    for i in setup.anchors:  # exact even where the float overflowed: 1/(x − x + 10⁻³⁰⁰) is 10³⁰⁰
        verdict = _same_at(setup, expr, target, i)
        if verdict is False:
            return False
        settled += verdict is True
    found = suspects(got, want, setup.generic)
    confirmed = 0
    for i in found[: 3 * MAX_SUSPECTS]:
        verdict = _same_at(setup, expr, target, int(i))
        if verdict is False:
            return False
        # True: the floats were wrong there (cancellation in cosh² − sinh² at x = 60). None: too
        # big or too unstable to evaluate exactly, where the floats are no better.
        confirmed += verdict is True
        if confirmed >= MAX_SUSPECTS:
            break
    # Nothing could be checked exactly, and the floats disagree: believe the floats.
    return not (len(found) and settled == 0 and confirmed == 0)


def suspects(got: np.ndarray, want: np.ndarray, generic: np.ndarray) -> np.ndarray:
    """Indices where the floats say the two sides differ, most telling first: one side with a
    value and the other undefined or overflowing (at random points only: the grid may sit on a
    removable singularity), then values furthest apart."""
    got_ok, want_ok = usable(got), usable(want)
    both = got_ok & want_ok
    gap = np.zeros(got.shape)
    if both.any():
        apart = ~numeric.close(got[both], want[both])
        with np.errstate(all="ignore"):
            rel = np.abs(got[both] - want[both]) / np.maximum(np.abs(want[both]), 1e-300)
        gap[both] = np.where(apart, np.minimum(rel, 1e300), 0.0)
    one_sided = generic & (got_ok != want_ok) & ~(np.isinf(got) & np.isinf(want))
    gap[one_sided] = np.inf
    order = np.argsort(-gap, kind="stable")
    return order[gap[order] > 0]


def within_digits(got: np.ndarray | None, want: np.ndarray, generic: np.ndarray, digits: int) -> bool:
    """Agreement to `digits` significant digits wherever the target is defined, for a spec that
    asks for a rounded answer: |a − b| ≤ ½·10^(1−digits)·|b| (plus the margin), same domain."""
    if got is None:
        return False
    want_ok = usable(want)
    if not want_ok.any() or not usable(got[want_ok]).all():
        return False  # undefined (or overflowing) where the target has a value
    if (generic & usable(got) & np.isnan(want)).any():
        return False  # a value where the target is undefined
    a, b = got[want_ok], want[want_ok]
    rtol = 0.5 * 10.0 ** (1 - digits) * (1 + numeric.TOLERANCE_MARGIN)
    floor = 1e-12 * rtol * float(np.median(np.abs(b)))  # where the target crosses zero
    return bool(np.all(np.abs(a - b) <= rtol * np.abs(b) + floor))


def nearly(got: np.ndarray | None, setup: ExprSetup) -> bool:
    """Float-equal to the reference at every point where it is defined (but not exactly equal):
    a rounded decimal or a tiny term, the "very close" feedback."""
    if got is None or not setup.defined.any():
        return False
    values = got[setup.defined]
    return bool(usable(values).all() and np.all(numeric.close(values, setup.values[setup.defined])))


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
