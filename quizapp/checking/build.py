"""Placeholder source -> sympy, through a whitelist walk of `ast.parse(mode="eval")`.

Nothing is evaluated by Python: every node is checked and turned into a sympy object here,
and numeric sizes are bounded before sympy is asked to compute anything.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

import sympy as sp

from quizapp.checking.errors import InvalidInput, invalid
from quizapp.checking.tokens import Lexed

MAX_NODES = 200
MAX_DEPTH = 60
MAX_LOG10 = 300  # largest exact number we let sympy build, in decimal digits
MAX_SYMBOLIC_EXPONENT = 64
_GROWING = {"exp", "sinh", "cosh"}

BUILTIN_BUILDERS: dict[str, Callable[..., sp.Expr]] = {
    "exp": sp.exp, "log": sp.log, "ln": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs, "tanh": sp.tanh,
    "sinh": sp.sinh, "cosh": sp.cosh, "sech": sp.sech, "sin": sp.sin, "cos": sp.cos, "max": sp.Max, "min": sp.Min,
}  # fmt: skip


def _too_big() -> InvalidInput:
    return invalid(
        "invalid.too-big",
        "That number is too large to check (more than about 300 digits).",
        "这个数太大，无法判定（超过约 300 位）。",
    )


def _syntax() -> InvalidInput:
    return invalid(
        "invalid.syntax",
        "I can't read that as a math expression; use + − * / ^, parentheses and the names in the question.",
        "无法识别为数学表达式；请使用 + − * / ^、括号和题目中给出的名字。",
    )


def number(literal: str) -> sp.Rational:
    """An exact Rational for a decimal literal such as '1.2e6' or '0.25'."""
    try:
        dec = Decimal(literal)
    except InvalidOperation:
        raise _syntax() from None
    sign, digits, exponent = dec.as_tuple()
    assert isinstance(exponent, int)
    mantissa = int("".join(map(str, digits)) or "0")
    if exponent >= 0:
        return sp.Integer(mantissa * 10**exponent)
    return sp.Rational(mantissa, 10**-exponent)


def log10_size(value: sp.Expr) -> float:
    """An upper bound on |log10| of a numeric sympy value (digits of numerator or denominator)."""
    if isinstance(value, sp.Rational):
        p, q = abs(int(value.p)), int(value.q)
        if max(p.bit_length(), q.bit_length()) > 4000:
            return math.inf
        return max(math.log10(p) if p else 0.0, math.log10(q))
    try:
        magnitude = abs(complex(value.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return math.inf
    if magnitude == 0:
        return 0.0
    if not math.isfinite(magnitude):
        return math.inf
    return abs(math.log10(magnitude)) + 1


_MAX_BITS = int(MAX_LOG10 / 0.30103) + 1


def _guard_number(value: sp.Expr) -> sp.Expr:
    """Refuse exact numbers beyond ~300 digits, including coefficients such as (x/10^195)^64."""
    if isinstance(value, sp.Rational):
        if max(int(value.p).bit_length(), int(value.q).bit_length()) > _MAX_BITS:
            raise _too_big()
        return value
    for atom in value.atoms(sp.Rational):
        if max(int(atom.p).bit_length(), int(atom.q).bit_length()) > _MAX_BITS:
            raise _too_big()
    return value


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    if exponent.is_number:
        size = log10_size(exponent)
        if size > 6:
            raise _too_big()
        exp_value = abs(complex(exponent.evalf(15)))
        if base.is_number:
            if exp_value * max(log10_size(base), 0.30103) > MAX_LOG10:  # catches ((2^64)^64)^64
                raise _too_big()
        elif exp_value > MAX_SYMBOLIC_EXPONENT:
            raise invalid(
                "invalid.too-big",
                f"Exponents above {MAX_SYMBOLIC_EXPONENT} are not accepted in an expression.",
                f"表达式中的指数不能超过 {MAX_SYMBOLIC_EXPONENT}。",
            )
    return _guard_number(sp.Pow(base, exponent))


class Builder:
    """Walks the whitelisted AST of a Lexed source and builds the sympy expression."""

    def __init__(
        self,
        lexed: Lexed,
        atoms: Mapping[str, sp.Expr],
        functions: Mapping[str, Callable[..., sp.Expr]],
    ) -> None:
        self.lexed = lexed
        self.atoms = atoms
        self.functions = functions

    def build(self) -> sp.Expr:
        try:
            tree = ast.parse(self.lexed.source, mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            raise _syntax() from None
        if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
            raise invalid(
                "invalid.too-long",
                "That expression is too complicated to check.",
                "表达式太复杂，无法判定。",
            )
        return self._node(tree.body, 0)

    def _node(self, node: ast.AST, depth: int) -> sp.Expr:
        try:
            return self._node_unchecked(node, depth)
        except (ValueError, TypeError, ArithmeticError, KeyError) as exc:
            if isinstance(exc, OverflowError):
                raise
            # sympy could not combine the values (e.g. it cannot order or divide by a value that
            # is numerically zero); the learner sees a clear message, not a traceback.
            raise invalid(
                "invalid.undefined",
                "That expression is undefined (division by zero?).",
                "该表达式无定义（是否除以了零？）。",
            ) from None

    def _node_unchecked(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise invalid("invalid.too-long", "That expression is nested too deeply.", "表达式嵌套太深。")
        if isinstance(node, ast.BinOp):
            left = self._node(node.left, depth + 1)
            right = self._node(node.right, depth + 1)
            if isinstance(node.op, ast.Add):
                return _guard_number(sp.Add(left, right))
            if isinstance(node.op, ast.Sub):
                return _guard_number(sp.Add(left, -right))
            if isinstance(node.op, ast.Mult):
                return _guard_number(sp.Mul(left, right))
            if isinstance(node.op, ast.Div):
                return _guard_number(sp.Mul(left, sp.Pow(right, -1)))
            if isinstance(node.op, ast.Pow):
                return _power(left, right)
            raise _syntax()
        if isinstance(node, ast.UnaryOp):
            operand = self._node(node.operand, depth + 1)
            if isinstance(node.op, ast.USub):
                return -operand
            if isinstance(node.op, ast.UAdd):
                return operand
            raise _syntax()
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            return self._name(node.id)
        raise _syntax()

    def _call(self, node: ast.Call, depth: int) -> sp.Expr:
        if node.keywords or not isinstance(node.func, ast.Name) or not node.func.id.startswith("_f"):
            raise _syntax()
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise _syntax()
        index = _index(node.func.id, "_f", len(self.lexed.funcs))
        name, arity = self.lexed.funcs[index]
        if len(node.args) != arity:
            raise invalid(
                "invalid.syntax",
                f"{name}() takes {arity} argument{'s' if arity != 1 else ''}, not {len(node.args)}.",
                f"{name}() 需要 {arity} 个参数，而不是 {len(node.args)} 个。",
            )
        args = [self._node(arg, depth + 1) for arg in node.args]
        if name in _GROWING and args[0].is_number and log10_size(args[0]) > 2.85:
            # exp(exp(exp(27))) would make sympy's evalf run for ever; |x| > ~700 overflows anyway.
            raise _too_big()
        try:
            # evaluate=False: evaluating cos, tanh, Max… eagerly can set off minutes of assumption queries
            # (cos(tanh(log(K)^64)) expands (re + i·im)^64); checking is numeric anyway.
            if name == "sqrt":  # a Pow: cheap to evaluate, and its size was guarded above
                return _guard_number(self.functions[name](*args))
            return self.functions[name](*args, evaluate=False)
        except (ValueError, TypeError):  # e.g. max() of values sympy cannot order
            raise invalid(
                "invalid.undefined",
                f"{name}() is not defined for that argument.",
                f"{name}() 对该参数无定义。",
            ) from None

    def _name(self, ident: str) -> sp.Expr:
        if ident.startswith("_n"):
            return _guard_number(number(self.lexed.numbers[_index(ident, "_n", len(self.lexed.numbers))]))
        if ident.startswith("_a"):
            return self.atoms[self.lexed.atoms[_index(ident, "_a", len(self.lexed.atoms))]]
        raise _syntax()


def _index(ident: str, prefix: str, size: int) -> int:
    tail = ident[len(prefix) :]
    if not tail.isdigit() or int(tail) >= size:
        raise _syntax()
    return int(tail)
