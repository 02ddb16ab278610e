"""Exact evaluation at one rational point: Fractions where the value is rational, and otherwise
a ball (an mpmath value with a rigorous bound on its error), with a precise notion of
"undefined" (real semantics, principal branch).

Rational functions with exact coefficients are evaluated exactly, so a degree-13 polynomial
whose constant is off by 1 differs from the factored form even when its values are 10⁹².
For the rest, two values are different when their balls are disjoint (certain), equal when the
balls overlap and are narrower than 10⁻⁵⁰ of the values' size; otherwise the precision is
raised (90, then 300 digits). Error bounds follow Lipschitz constants and mean-value bounds
(|Δ sin| ≤ |Δx|, |Δ eˣ| ≤ eˣ(e^|Δx| − 1), …), so sin π = 0 ± 10⁻⁹⁰ still compares right.
Without eval or lambdify: the same node types as quizapp.checking.numeric, walked by hand.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Union

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from quizapp.checking.numeric import Unsupported, definition

Value = Union[Fraction, mpmath.mpf]  # noqa: UP007 - mpmath.mpf is not a type for `|` at runtime
# (midpoint, radius): an exact Fraction has radius 0; an mpf midpoint is within radius of the truth.
Ball = tuple[Value, mpmath.mpf]

# Decimal digits, raised until the comparison is clear. mpmath's cost hardly depends on the
# precision at this size, so the first is already well beyond EQUAL_TO.
PRECISIONS = (90, 300)
EQUAL_TO = mpmath.mpf(10) ** -50  # relative agreement that counts as equal
MAX_BITS = 60_000  # an exact value larger than this (~18,000 digits) is "too big to tell"
# mpmath keeps binary exponents as Python ints, so e^(10¹⁶) costs nothing; but reducing the
# argument of a transcendental function needs about as many extra bits as the argument has
# (sin(e^61) is cheap, exp(e^(e^40)) is not).
MAX_ARGUMENT_BITS = 2000
ZERO = mpmath.mpf(0)
log = logging.getLogger("quizapp.checking")
_LOCK = threading.Lock()  # mpmath's working precision is global: one evaluation at a time


class Undefined(Exception):
    """The expression has no real value at this point (log 0, √−1, 1/0, (−2)^½)."""


class TooBig(Exception):
    """The value is too large to evaluate exactly in bounded time; the point tells nothing."""


class Unknown(Exception):
    """The ball is too wide to go on at this precision (log of a ball around 0): try more digits.
    `args[0]` is True at a pole (1/x, log x), where a ball around 0 that stays one at every
    precision means the expression is undefined there."""




def _mpf(value: Value) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return value


_ROUNDING = {"u": mpmath.mpf(0)}  # set by value_at for its working precision


def _u() -> mpmath.mpf:
    """A bound on one rounding, relative, at the working precision (a few ulps)."""
    return _ROUNDING["u"]


def _ball(item: Ball) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(midpoint, radius) as mpf: a Fraction is rounded once."""
    v, r = item
    if isinstance(v, Fraction):
        m = _mpf(v)
        return m, abs(m) * _u()
    return v, r


def _made(mid: mpmath.mpf, radius: mpmath.mpf) -> Ball:
    if not (mpmath.isfinite(mid) and mpmath.isfinite(radius)):
        raise TooBig
    return mid, radius + abs(mid) * _u()  # and the rounding of this step


def _exact(value: Fraction) -> Ball:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
        raise TooBig
    return value, ZERO


def _sum(items: list[Ball]) -> Ball:
    if all(isinstance(v, Fraction) for v, _ in items):
        return _exact(sum((v for v, _ in items), Fraction(0)))
    balls = [_ball(item) for item in items]
    return _made(mpmath.fsum(m for m, _ in balls), mpmath.fsum(r for _, r in balls))


def _times(a: Ball, b: Ball) -> Ball:
    if isinstance(a[0], Fraction) and isinstance(b[0], Fraction):
        return _exact(a[0] * b[0])
    (ma, ra), (mb, rb) = _ball(a), _ball(b)
    return _made(ma * mb, abs(ma) * rb + abs(mb) * ra + ra * rb)


def _reciprocal(a: Ball) -> Ball:
    if isinstance(a[0], Fraction):
        if a[0] == 0:
            raise Undefined
        return _exact(1 / a[0])
    m, r = _ball(a)
    if _sign((m, r), pole=True) == 0:
        raise Undefined
    return _made(1 / m, r / (abs(m) * (abs(m) - r)))


def _root(value: Fraction, q: int) -> Fraction | None:
    """The exact q-th root of a non-negative Fraction, when it is rational."""
    if q > 64:
        return None
    roots = []
    for part in (value.numerator, value.denominator):
        if part.bit_length() >= 1000:
            return None
        guess = round(float(part) ** (1.0 / q))
        hit = next((g for g in (guess - 1, guess, guess + 1) if g >= 0 and g**q == part), None)
        if hit is None:
            return None
        roots.append(hit)
    return Fraction(roots[0], roots[1])


def _integer_power(base: Ball, n: int) -> Ball:
    b = base[0]
    if isinstance(b, Fraction):
        if b == 0 and n < 0:
            raise Undefined
        if max(b.numerator.bit_length(), b.denominator.bit_length()) * abs(n) > MAX_BITS:
            raise TooBig
        return _exact(b**n)
    m, r = _ball(base)
    k = abs(n)
    # |(m ± r)^k − m^k| ≤ k·(|m| + r)^(k−1)·r (mean value theorem)
    power = _made(mpmath.power(m, k), k * mpmath.power(abs(m) + r, k - 1) * r if k else ZERO)
    return _reciprocal(power) if n < 0 else power


def _sign(item: Ball, pole: bool = False) -> int:
    """-1, 0 or 1 when the ball is certainly negative, exactly zero or positive; else Unknown."""
    m, r = item
    if isinstance(m, Fraction) or r == 0:
        return (m > 0) - (m < 0)
    if abs(m) <= r:
        raise Unknown(pole)
    return 1 if m > 0 else -1


def _power(base: Ball, exponent: Ball) -> Ball:
    e = exponent[0]
    if isinstance(e, Fraction) and e.denominator == 1:
        return _integer_power(base, e.numerator)
    sign = _sign(base)
    if sign < 0:
        raise Undefined  # principal branch: not real for a non-integer exponent
    if sign == 0:
        if _sign(exponent) > 0:
            return Fraction(0), ZERO
        raise Undefined
    b = base[0]
    if isinstance(b, Fraction) and isinstance(e, Fraction):
        root = _root(b, e.denominator)
        if root is not None:
            return _integer_power((root, ZERO), e.numerator)
    return _exp(_times(exponent, _log(base)))  # b^e = exp(e·ln b)


def _argument(item: Ball) -> tuple[mpmath.mpf, mpmath.mpf]:
    """A transcendental function's argument as an mpf ball, or TooBig when reducing it would be
    slow. A large exact argument keeps all its integer bits: sin(10³⁰⁰) is sin of exactly 10³⁰⁰."""
    value = item[0]
    if isinstance(value, Fraction):
        bits = value.numerator.bit_length() - value.denominator.bit_length()
        if bits > MAX_ARGUMENT_BITS:
            raise TooBig
        with mpmath.workprec(mpmath.mp.prec + max(bits, 0) + 10):
            mid = mpmath.mpf(value.numerator) / value.denominator
        dyadic = value.denominator & (value.denominator - 1) == 0  # then mid is exact
        return mid, ZERO if dyadic else abs(mid) * _u()
    m, r = item
    if m and int(mpmath.mag(m)) > MAX_ARGUMENT_BITS:
        raise TooBig
    return m, r


def _exp(item: Ball) -> Ball:
    if item[0] == 0 and isinstance(item[0], Fraction):
        return Fraction(1), ZERO
    m, r = _argument(item)
    y = mpmath.exp(m)
    return _made(y, y * mpmath.expm1(r))  # |e^(m±r) − e^m| ≤ e^m·(e^r − 1)


def _log(item: Ball) -> Ball:
    v = item[0]
    if isinstance(v, Fraction):
        if v <= 0:
            raise Undefined
        if v == 1:
            return Fraction(0), ZERO
    if _sign(item, pole=True) <= 0:
        raise Undefined
    m, r = _argument(item)
    return _made(mpmath.log(m), mpmath.log(m / (m - r)) if r else ZERO)  # log is steepest at m − r


def _lipschitz(f: Callable[[mpmath.mpf], mpmath.mpf], at_zero: int, slope: Callable[[mpmath.mpf, mpmath.mpf], mpmath.mpf]) -> Callable[[Ball], Ball]:
    """A real function with |f(m ± r) − f(m)| ≤ slope(m, r)·r."""

    def apply(item: Ball) -> Ball:
        if item[0] == 0 and isinstance(item[0], Fraction):
            return Fraction(at_zero), ZERO  # exact: sinh 0 = 0, cos 0 = 1, …
        m, r = _argument(item)
        return _made(f(m), slope(m, r) * r if r else ZERO)

    return apply


def _nearest(m: mpmath.mpf, r: mpmath.mpf) -> mpmath.mpf:
    """The smallest |x| in the ball m ± r."""
    return max(abs(m) - r, ZERO)


# Slopes: the largest |f′| on the ball. tanh′ = sech², |sech′| ≤ sech, both largest nearest 0
# (so sech(e⁷) ≈ 10⁻⁴⁷⁶ keeps a radius far below its value).
_UNARY: dict[type, Callable[[Ball], Ball]] = {
    sp.exp: _exp,
    sp.log: _log,
    sp.sinh: _lipschitz(mpmath.sinh, 0, lambda m, r: mpmath.cosh(abs(m) + r)),
    sp.cosh: _lipschitz(mpmath.cosh, 1, lambda m, r: mpmath.cosh(abs(m) + r)),
    sp.tanh: _lipschitz(mpmath.tanh, 0, lambda m, r: mpmath.sech(_nearest(m, r)) ** 2),
    sp.sech: _lipschitz(mpmath.sech, 1, lambda m, r: mpmath.sech(_nearest(m, r))),
    sp.sin: _lipschitz(mpmath.sin, 0, lambda m, r: mpmath.mpf(1)),
    sp.cos: _lipschitz(mpmath.cos, 1, lambda m, r: mpmath.mpf(1)),
    sp.Abs: lambda item: (abs(item[0]), item[1]),
}


class _Exact:
    def __init__(self, env: Mapping[sp.Symbol, Ball], definitions: Mapping[str, sp.Lambda]) -> None:
        self.env = env
        self.definitions = definitions

    def value(self, expr: sp.Expr) -> Ball:
        if expr.is_Symbol:
            if expr not in self.env:
                raise Unsupported(f"free symbol {expr}")
            return self.env[expr]
        if expr.is_Rational:
            return Fraction(int(expr.p), int(expr.q)), ZERO
        if expr is sp.pi or expr is sp.E:
            constant = +mpmath.pi if expr is sp.pi else +mpmath.e
            return constant, constant * _u()
        if expr.is_Add:
            return _sum([self.value(a) for a in expr.args])
        if expr.is_Mul:
            out = self.value(expr.args[0])
            for arg in expr.args[1:]:
                out = _times(out, self.value(arg))
            return out
        if expr.is_Pow:
            return _power(self.value(expr.args[0]), self.value(expr.args[1]))
        if isinstance(expr, AppliedUndef):
            lam = definition(expr, self.definitions)
            inner = {var: self.value(arg) for var, arg in zip(lam.variables, expr.args)}
            return _Exact(inner, self.definitions).value(lam.expr)
        func = type(expr)
        if func in _UNARY:
            return _UNARY[func](self.value(expr.args[0]))
        if func in (sp.Max, sp.Min):
            return _extreme([self.value(a) for a in expr.args], func is sp.Max)
        raise Unsupported(str(func))


def _extreme(items: list[Ball], largest: bool) -> Ball:
    if all(isinstance(v, Fraction) for v, _ in items):
        values = [v for v, _ in items]
        return (max(values) if largest else min(values)), ZERO
    balls = [_ball(item) for item in items]
    pick = max if largest else min
    mid = pick(m for m, _ in balls)
    return mid, max(r for _, r in balls)  # max and min are 1-Lipschitz in each argument


def value_at(expr: sp.Expr, env: Mapping[sp.Symbol, Value], definitions: Mapping[str, sp.Lambda], digits: int) -> Ball:
    """The value of `expr` at `env` (Fractions): exact where rational, else a ball computed with
    `digits` digits. Raises Undefined, Unknown, TooBig or Unsupported."""
    with _LOCK, mpmath.workdps(digits):
        _ROUNDING["u"] = mpmath.ldexp(1, 4 - mpmath.mp.prec)
        try:
            return _Exact({sym: (v, ZERO) for sym, v in env.items()}, definitions).value(expr)
        except (ZeroDivisionError, ValueError) as exc:  # mpmath: log(0), 1/0 in an mpf
            raise Undefined from exc
        except (OverflowError, MemoryError, RecursionError) as exc:
            raise TooBig from exc


UNDEFINED = "undefined"
UNKNOWN = "unknown"  # too imprecise at this precision
POLE = "pole"  # too imprecise, at a division or logarithm of a ball around 0
Outcome = Union[Ball, str, None]  # noqa: UP007 - a ball, one of the markers, or None (too big)


def outcome(evaluate: Callable[[int], Ball], digits: int) -> Outcome:
    try:
        return evaluate(digits)
    except Undefined:
        return UNDEFINED
    except Unknown as exc:
        return POLE if exc.args and exc.args[0] else UNKNOWN
    except (TooBig, Unsupported):
        return None  # cannot be told exactly: the float test decides at this point
    except (TypeError, ArithmeticError):
        log.exception("exact evaluation failed")  # a bug here: the float test decides
        return None


def same(a: Callable[[int], Outcome], b: Callable[[int], Outcome], scale: float = 0.0) -> bool | None:
    """Whether two expressions have the same value at one point: True, False, or None when
    it cannot be told (a side too big to evaluate, or still too imprecise at 300 digits).

    `a` and `b` give the outcome at a working precision in decimal digits (cached by callers).
    Both undefined counts as the same; one undefined and the other not is a difference. `scale`
    is the typical size of the values (so that 0 and sin π can be called equal).
    """
    for digits in PRECISIONS:
        oa, ob = a(digits), b(digits)
        if oa is None or ob is None:
            return None
        if oa in (UNKNOWN, POLE) or ob in (UNKNOWN, POLE):
            continue
        if isinstance(oa, str) or isinstance(ob, str):
            return oa == ob  # undefined is certain: a domain error, not a rounding
        if isinstance(oa[0], Fraction) and isinstance(ob[0], Fraction):
            return oa[0] == ob[0]
        with mpmath.workdps(digits + 10):
            verdict = _compare(_ball(oa), _ball(ob), scale)
        if verdict is not None:
            return verdict
    return None


def _compare(a: tuple[mpmath.mpf, mpmath.mpf], b: tuple[mpmath.mpf, mpmath.mpf], scale: float) -> bool | None:
    """Disjoint balls: different. Overlapping balls narrower than 10⁻⁵⁰ of the size: equal."""
    (ma, ra), (mb, rb) = a, b
    gap = abs(ma - mb)
    bound = (ra + rb) * (1 + mpmath.mpf(10) ** -10)  # the bound's own rounding
    if gap > bound:
        return False
    size = max(abs(ma), abs(mb), mpmath.mpf(scale))
    if size == 0 or bound <= EQUAL_TO * size:
        return True
    return None


def undefined_constant(expr: sp.Expr, definitions: Mapping[str, sp.Lambda]) -> bool:
    """Whether a constant expression certainly has no real value: log 0, 1/(2 − 2), and
    1/sin(π), which is 1/(0 ± 10⁻⁹⁰), then 1/(0 ± 10⁻³⁰⁰): a divisor that is exactly 0."""
    result: Outcome = None
    for digits in PRECISIONS:
        result = outcome(lambda d: value_at(expr, {}, definitions, d), digits)
        if result not in (UNKNOWN, POLE):
            return result == UNDEFINED
    return result == POLE  # 1/x or log x of a ball around 0 at 300 digits: x is exactly 0
