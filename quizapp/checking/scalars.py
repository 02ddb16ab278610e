"""Number, vector and choice answers: reading typed text into values, and tolerances."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import sympy as sp

from quizapp.checking.display import linear, number_text
from quizapp.checking.errors import InvalidInput, invalid
from quizapp.checking.normalize import fold
from quizapp.checking.numeric import TOLERANCE_MARGIN
from quizapp.checking.parse import context_for
from quizapp.checking.spec import AnswerSpec

DEFAULT_ATOL = 1e-9
MAX_COMPONENTS = 64

# 1,200,000 / 1 200 000 (one kind of separator, groups of three); underscores are handled by the lexer.
_GROUPED = re.compile(r"^([+-]?\d{1,3})((?:([, ])\d{3})(?:\3\d{3})*)(\.\d+)?$")


@dataclass(frozen=True)
class NumberReading:
    expr: sp.Expr
    value: float
    exact_int: int | None  # set when the typed value is a whole number
    interpreted: str
    # For a plain decimal literal ('0.012', '1.2e-3', '1200', '85.7%'): the value of one unit in
    # its last typed digit (0.001) and its significant digits (2; 0 when trailing zeros leave it
    # open, as in 1200), to tell "rounded too coarsely".
    unit: float | None = None
    significant: int = 0


def _ungroup(text: str) -> str:
    m = _GROUPED.match(text)
    if m is None:
        return text
    return m.group(1) + m.group(2).replace(m.group(3), "") + (m.group(4) or "")


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,(\d{1,2}|\d{4,})$")
# A trailing percent sign or SI multiplier: '85.7%', '2.4G', '1.2M', '64k'.
_SUFFIX = re.compile(r"^(.*[0-9)])\s*(%|[kKMGT])$")
_SCALE = {"%": sp.Rational(1, 100), "k": sp.Integer(10**3), "K": sp.Integer(10**3), "M": sp.Integer(10**6), "G": sp.Integer(10**9), "T": sp.Integer(10**12)}  # fmt: skip


def read_number(text: str, folded: bool = False) -> NumberReading:
    """A number typed as a literal or as arithmetic: '1152', '2*64*3*3', '1.2e6', '3/4', 'e^-2',
    with an optional trailing '%' or SI multiplier (k, M, G, T)."""
    plain = text if folded else fold(text)
    if _DECIMAL_COMMA.match(plain):
        raise invalid(
            "invalid.syntax",
            "Use a dot as the decimal point (0.5, not 0,5).",
            "小数点请用英文句点（写 0.5，不要写 0,5）。",
        )
    suffix = _SUFFIX.match(plain)
    body = suffix.group(1).strip() if suffix else plain
    try:
        expr = context_for(()).parse(_ungroup(body)).expr
    except InvalidInput as exc:
        if exc.note != "invalid.unknown-name":
            raise
        raise invalid(
            "invalid.unknown-name",
            f"Type just the number, without units or names ({exc.feedback.en}).",
            f"请只输入数字，不要带单位或名字（{exc.feedback.zh}）。",
        ) from None
    if suffix:
        expr = expr * _SCALE[suffix.group(2)]
    try:
        value_c = complex(expr.evalf(30))
    except (TypeError, ValueError, ArithmeticError):
        raise invalid("invalid.undefined", "That value is undefined (division by zero?).", "该值无定义（是否除以了零？）。") from None
    except OverflowError:
        raise invalid("invalid.too-big", "That number is too large to check.", "这个数太大，无法判定。") from None
    if value_c.imag != 0:
        raise invalid("invalid.not-real", "That value is not a real number.", "该值不是实数。")
    value = value_c.real
    if math.isnan(value):
        raise invalid("invalid.undefined", "That value is undefined (division by zero?).", "该值无定义（是否除以了零？）。")
    if not math.isfinite(value):
        raise invalid("invalid.too-big", "That number is too large to check.", "这个数太大，无法判定。")
    exact: int | None = None
    if expr.is_Integer:
        exact = int(expr)
    elif not expr.is_Rational and abs(value) < 2**53 and abs(value - round(value)) <= 1e-12 * max(1.0, abs(value)):
        exact = round(value)  # e.g. log(8)/log(2)
    shown = _number_shown(expr, value, "/" in body)
    if suffix:
        shown = f"{body}{suffix.group(2)} = {number_text(value) if exact is None else exact}"
    literal = _literal_digits(_ungroup(body), _SCALE[suffix.group(2)] if suffix else sp.Integer(1))
    return NumberReading(expr, value, exact, shown, *(literal or (None, 0)))


_LITERAL = re.compile(r"^[+-]?(?:(\d+)(?:(\.)(\d*))?|(\.)(\d+))(?:[eE]([+-]?\d+))?$")


def _literal_digits(body: str, scale: sp.Expr) -> tuple[float, int] | None:
    """(unit of the last typed digit, significant digits) of a plain decimal literal, else None.
    Trailing zeros of a whole number may or may not be significant: 1200 has unit 100, and its
    count of significant digits is left open (0)."""
    m = _LITERAL.match(body.replace("_", ""))
    if m is None:
        return None
    whole, point, frac = (m.group(1) or ""), (m.group(2) or m.group(4)), (m.group(3) or m.group(5) or "")
    digits = (whole + frac).lstrip("0")
    if not digits:
        return None  # zero: no significant digits to count
    trailing = 0 if point else len(digits) - len(digits.rstrip("0"))
    power = int(m.group(6) or 0) - len(frac) + trailing
    return float(scale) * 10.0**power, 0 if trailing else len(digits)


def _number_shown(expr: sp.Expr, value: float, typed_fraction: bool) -> str:
    """'1152', '0.012' (a decimal as typed, not 3/250), '3/4 = 0.75', 'exp(−2) ≈ 0.1353352832'."""
    if expr.is_Integer:
        return str(int(expr))
    if expr.is_Rational:
        q = int(expr.q)
        decimal = number_text(value)
        if typed_fraction and q <= 1000 and 10 ** len(str(q)) // 10 != q:
            return f"{expr.p}/{q} = {decimal}"
        return decimal
    return f"{linear(expr)} ≈ {number_text(value)}"


def real_tolerance(spec: AnswerSpec, target: float) -> float:
    """How far a real answer may be from `target`: rtol relative, the atol floor near zero, and
    at least half a unit in the last digit when the prompt asks for `digits` significant digits."""
    floor = spec.atol if spec.atol is not None else DEFAULT_ATOL
    tolerance = max(spec.rtol * abs(target), floor)
    if spec.digits is not None and target != 0:
        tolerance = max(tolerance, 0.5 * 10.0 ** (math.floor(math.log10(abs(target))) - spec.digits + 1))
    return tolerance


def digits_needed(spec: AnswerSpec) -> int:
    """Significant digits that are always enough for this spec's tolerance (4 for rtol 1e-3)."""
    if spec.digits is not None:
        return spec.digits
    return max(1, min(15, math.ceil(1 - math.log10(2 * spec.rtol) - 1e-9)))


def within_tolerance(value: float, target: float, spec: AnswerSpec) -> bool:
    return abs(value - target) <= real_tolerance(spec, target) * (1 + TOLERANCE_MARGIN)


@dataclass(frozen=True)
class VectorReading:
    values: tuple[float, ...]
    interpreted: str


def read_vector(text: str) -> VectorReading:
    """'[0.1, 0.2, 0.7]', '0.1 0.2 0.7', '0.1; 0.2; 0.7' -> floats."""
    plain = fold(text).strip()
    if len(plain) >= 2 and (plain[0], plain[-1]) in (("[", "]"), ("(", ")")):
        inner = plain[1:-1].strip()
        if plain[0] == "[" or any(sep in inner for sep in ",;"):
            plain = inner
    if ";" in plain:
        parts = plain.split(";")
    elif "," in plain:
        parts = plain.split(",")
    else:
        parts = plain.split(" ")
    parts = [p.strip() for p in parts]
    if not plain or any(not p for p in parts):
        raise invalid(
            "invalid.syntax",
            "Type the components separated by commas, e.g. [0.1, 0.2, 0.7].",
            "请用逗号分隔各分量，例如 [0.1, 0.2, 0.7]。",
        )
    if len(parts) > MAX_COMPONENTS:
        raise invalid("invalid.too-long", "That vector has too many components.", "向量的分量太多。")
    values = tuple(read_number(p, folded=True).value for p in parts)
    return VectorReading(values, "[" + ", ".join(number_text(v) for v in values) + "]")


@dataclass(frozen=True)
class ChoiceReading:
    letters: frozenset[str]
    interpreted: str


_CHOICE_SEPARATORS = re.compile(r"(?i)[\s,;/&+、，；和]+|\band\b")


def read_choice(text: str) -> ChoiceReading:
    """'a c', 'A,C', 'ca', 'A and C' -> {'A', 'C'}."""
    if len(text) > 200:
        raise invalid("invalid.too-long", "That answer is too long.", "答案太长。")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn") for ch in text if ch not in "\t\n\r"):
        raise invalid("invalid.character", "Your answer contains an invisible control character.", "答案中含有不可见的控制字符。")
    letters = _CHOICE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not letters or not all("A" <= ch <= "Z" for ch in letters):
        raise invalid(
            "invalid.syntax",
            "Type the letters of the options you choose, e.g. A C.",
            "请输入所选选项的字母，例如 A C。",
        )
    chosen = frozenset(letters)
    return ChoiceReading(chosen, ", ".join(sorted(chosen)))
