"""Authored math (YAML exercises, math cloze references, the built-in chains' steps), read by the
checker's whitelisted lexer and evaluated here over plain numbers, without sympy or numpy.

Nothing is evaluated as code: the text is folded and lexed against a vocabulary (the declared
names and the allowed functions), every name becomes a placeholder, and the placeholder source
is walked node by node over a whitelist (numbers, names, + − × ÷ ^, allowed calls). The limits
are the checker's: at most 200 nodes, exponents up to 64 on exact numbers, about 330 digits.
Arithmetic on rationals stays exact (Fraction), so integer answers are exact; functions such as
exp or sigma give floats.

    compiled = compile_expr("n*d + d", ["n", "d"])   # ExprError: unknown name, syntax, …
    evaluate(compiled, {"n": 3, "d": 64})             # Fraction(256)
    substitute(compiled, {"n": 3}, keep=("d",))        # "(3)*d + d": trusted text for the checker
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Any

from quizapp.checking.errors import InvalidInput
from quizapp.checking.normalize import fold
from quizapp.checking.tokens import Vocabulary, lex

Number = Fraction | float

MAX_NODES = 200
MAX_BITS = 1100  # about 330 decimal digits, the checker's size limit
MAX_EXPONENT = 64
# Functions that the checker's lexer does not know are declared per vocabulary.
EXTRA_FUNCTIONS: tuple[tuple[str, str, int], ...] = (
    ("sigma", "sigma", 1), ("floor", "floor", 1), ("ceil", "ceil", 1),
)  # fmt: skip


class ExprError(ValueError):
    """Authored math that cannot be read or evaluated; the message is for the author."""


Env = Mapping[str, "Number | int"]


@dataclass(frozen=True)
class Compiled:
    text: str
    tree: ast.expr
    numbers: tuple[str, ...]
    atoms: tuple[str, ...]
    funcs: tuple[tuple[str, int], ...]
    # The whitelisted tree turned into nested closures once (no code is generated or executed).
    fn: Callable[[Env], Number] = field(compare=False, repr=False, default=lambda env: Fraction(0))

    @property
    def names(self) -> frozenset[str]:
        """The declared names the expression uses (constants e and π are not names)."""
        return frozenset(self.atoms) - {"e", "pi"}


@lru_cache(maxsize=2048)
def _compile(text: str, names: tuple[str, ...]) -> Compiled:
    vocab = Vocabulary(variables=names, functions=EXTRA_FUNCTIONS)
    try:
        lexed = lex(fold(text), vocab)
    except InvalidInput as exc:
        raise ExprError(exc.feedback.en) from None
    if lexed.notes:
        typed, read = lexed.notes[0]
        raise ExprError(f"unknown name '{typed}' (write {read.replace('·', '*')} if you mean a product)")
    try:
        tree = ast.parse(lexed.source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ExprError("not a math expression: use numbers, names, + − * / ^ and parentheses") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ExprError("the expression is too long")
    compiled = Compiled(text, tree.body, tuple(lexed.numbers), tuple(lexed.atoms), tuple(lexed.funcs))
    try:
        return replace(compiled, fn=_build(compiled.tree, compiled))
    except (InvalidOperation, ValueError) as exc:
        raise ExprError(str(exc) if isinstance(exc, ExprError) else "not a math expression") from None


def compile_expr(text: str, names: Sequence[str]) -> Compiled:
    """Read `text` over the given names. Raises ExprError with a message for the author."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("empty expression")
    return _compile(text, tuple(names))


def evaluate(compiled: Compiled, env: Env) -> Number:
    """The value of a compiled expression; ExprError when undefined, not real or too large."""
    try:
        value = compiled.fn(env)
    except ExprError:
        raise
    except ZeroDivisionError:
        raise ExprError("division by zero") from None
    except OverflowError:
        raise ExprError("the value is too large") from None
    except (ValueError, InvalidOperation, TypeError):
        raise ExprError("the value is undefined or not real (log or √ of a negative number?)") from None
    except RecursionError:
        raise ExprError("the expression is nested too deeply") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ExprError("the value is not finite")
    return value


def value_of(text: str, names: Sequence[str], env: Mapping[str, Number | int]) -> Number:
    return evaluate(compile_expr(text, names), env)


def _number(value: Number | int) -> Number:
    if isinstance(value, bool):
        raise ExprError("true/false is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Fraction):
        return value
    return float(value)


def _guard(value: Number) -> Number:
    if isinstance(value, Fraction):
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
            raise OverflowError
        return value
    if not math.isfinite(value):
        raise OverflowError
    return value


def _sigma(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _sqrt(x: Number) -> Number:
    if isinstance(x, Fraction) and x >= 0:
        num, den = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if num * num == x.numerator and den * den == x.denominator:
            return Fraction(num, den)
    return math.sqrt(x)


def _log(x: Number) -> float:
    if x <= 0:
        raise ValueError("log of a non-positive number")
    return math.log(x)


_FLOAT_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp, "tanh": math.tanh, "sigma": _sigma, "sinh": math.sinh, "cosh": math.cosh,
    "sech": lambda v: 1.0 / math.cosh(v), "sin": math.sin, "cos": math.cos,
}  # fmt: skip


def _call(name: str, args: list[Number]) -> Number:
    if name in ("max", "min"):
        return max(args) if name == "max" else min(args)
    (x,) = args
    if name == "abs":
        return -x if x < 0 else x
    if name in ("floor", "ceil"):
        return Fraction(math.floor(x) if name == "floor" else math.ceil(x))
    if name == "sqrt":
        return _sqrt(x)
    if name in ("log", "ln"):
        return _log(x)
    return _FLOAT_FUNCTIONS[name](float(x))


def _power(base: Number, exponent: Number) -> Number:
    if isinstance(exponent, Fraction) and exponent.denominator == 1 and isinstance(base, Fraction):
        power = int(exponent)
        if abs(power) > MAX_EXPONENT and abs(base) != 1:
            raise OverflowError
        if max(base.numerator.bit_length(), base.denominator.bit_length()) * abs(power) > MAX_BITS:
            raise OverflowError
        return base**power
    if float(base) < 0 and not float(exponent).is_integer():
        raise ValueError("a negative number to a fractional power is not real")
    return math.pow(float(base), float(exponent))


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Pow: _power,
}  # fmt: skip


def _build(node: ast.AST, c: Compiled) -> Callable[[Env], Number]:
    """Closures over the whitelisted nodes; a Fraction meeting a float gives a float."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op, left, right = _BINARY[type(node.op)], _build(node.left, c), _build(node.right, c)
        return lambda env: _guard(op(left(env), right(env)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _build(node.operand, c)
        if isinstance(node.op, ast.UAdd):
            return operand
        return lambda env: -operand(env)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name, arity = c.funcs[_index(node.func.id, "_f", len(c.funcs))]
        if len(node.args) != arity:
            raise ExprError(f"{name}() takes {arity} argument{'s' if arity > 1 else ''}")
        args = [_build(arg, c) for arg in node.args]
        return lambda env: _guard(_call(name, [a(env) for a in args]))
    if isinstance(node, ast.Name) and node.id.startswith("_n"):
        const = Fraction(Decimal(c.numbers[_index(node.id, "_n", len(c.numbers))]))
        return lambda env: const
    if isinstance(node, ast.Name):
        return _lookup(c.atoms[_index(node.id, "_a", len(c.atoms))])
    raise ExprError("not a math expression")


def _lookup(name: str) -> Callable[[Env], Number]:
    constant = {"e": math.e, "pi": math.pi}.get(name)

    def get(env: Env) -> Number:
        if name in env:
            return _number(env[name])
        if constant is not None:
            return constant
        raise ExprError(f"'{name}' has no value here")

    return get


def _index(ident: str, prefix: str, size: int) -> int:
    tail = ident[len(prefix) :]
    if not ident.startswith(prefix) or not tail.isdigit() or int(tail) >= size:
        raise ExprError("not a math expression")
    return int(tail)


def number_literal(value: Number | int) -> str:
    """A value as trusted text the checker reads back exactly: '3', '(-1/2)', '0.7310585786300049'."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"({value.numerator}/{value.denominator})"
    text = str(int(value)) if isinstance(value, Fraction | int) else repr(float(value))
    return f"({text})" if text.startswith("-") or "e" in text else text


def _constant(node: ast.AST, c: Compiled, env: Env) -> bool:
    """Whether every name under node has a value in env."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id.startswith("_a"):
            name = c.atoms[_index(sub.id, "_a", len(c.atoms))]
            if name not in env and name not in ("e", "pi"):
                return False
    return True


_OPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}


def substitute(compiled: Compiled, env: Mapping[str, Number | int]) -> str:
    """The expression as ASCII text with the names in `env` replaced by their values; the other
    names stay (an expression answer in x keeps x). Fully parenthesised, so it reads back as is."""
    return _text(compiled.tree, compiled, env)


def _text(node: ast.AST, c: Compiled, env: Mapping[str, Number | int]) -> str:
    if isinstance(node, ast.BinOp):
        return f"({_text(node.left, c, env)} {_OPS[type(node.op)]} {_text(node.right, c, env)})"
    if isinstance(node, ast.UnaryOp):
        sign = "-" if isinstance(node.op, ast.USub) else ""
        return f"({sign}{_text(node.operand, c, env)})"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = c.funcs[_index(node.func.id, "_f", len(c.funcs))][0]
        if name in ("floor", "ceil") and _constant(node, c, env):
            # The checker has no floor(): fold it away when its argument is known (floor(n/2)·x).
            return number_literal(_build(node, c)(env))
        return f"{name}(" + ", ".join(_text(arg, c, env) for arg in node.args) + ")"
    if isinstance(node, ast.Name) and node.id.startswith("_n"):
        return c.numbers[_index(node.id, "_n", len(c.numbers))]
    if isinstance(node, ast.Name):
        name = c.atoms[_index(node.id, "_a", len(c.atoms))]
        return number_literal(env[name]) if name in env else name
    raise ExprError("not a math expression")
