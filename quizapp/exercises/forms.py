"""Answer forms: how a typed answer is read and marked. Shared by math cloze deletions and YAML
exercises, so the two accept the same YAML:

    form: integer                                  # integer | real | vector | expression
    form: {form: real, rtol: 1e-3, digits: 3}      # digits: significant figures the prompt asks for
    form: {form: expression, in: [x, N]}           # the variables an expression may use
    form: {form: expression, in: {x: real, N: natural}}

Plain data and no sympy or numpy: the deck loader reads forms at start-up. `AnswerForm.spec()`
turns a form and a reference into the checker's AnswerSpec; `number_value()` reads a number or
plain arithmetic ("3·3·64·128", "73,728", "1/2") exactly, through the same whitelisted lexer as
the checker, for references that must be numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from quizapp.checking.spec import DOMAIN_NAMES, AnswerSpec, FunctionDef, Value
from quizapp.exercises.mathexpr import ExprError, Number, value_of
from quizapp.i18n import Bilingual

FORM_KINDS: tuple[str, ...] = ("integer", "real", "vector", "expression")
FORM_KEYS: tuple[str, ...] = ("form", "rtol", "digits", "in")
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
DEFAULT_RTOL = 1e-3

# The functions every authored expression may use (the checker's builtins plus these).
SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", aliases=("σ",))
AUTHOR_FUNCTIONS = ("exp", "log", "sqrt", "abs", "sigma", "tanh", "min", "max", "floor", "ceil")

Problems = list[tuple[tuple[str | int, ...], str]]


@dataclass(frozen=True)
class AnswerForm:
    kind: str = "real"
    rtol: float | None = None  # None: the checker's default, 1e-3
    digits: int | None = None  # significant figures asked for (real, vector)
    variables: tuple[tuple[str, str], ...] = ()  # (name, domain) of an expression's variables

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.variables)

    def tolerance_floor(self, magnitude: float) -> float:
        """Half a unit in the last asked-for digit of a value of this size (0 without digits)."""
        if self.digits is None or magnitude == 0 or not math.isfinite(magnitude):
            return 0.0
        return 0.5 * 10.0 ** (math.floor(math.log10(abs(magnitude))) - self.digits + 1)

    def spec(self, reference: Value, *, atol: float | None = None, labels: tuple[str, ...] = ()) -> AnswerSpec:
        """The checker's AnswerSpec for this form; `atol` widens the floor (propagated rounding)."""
        rtol = DEFAULT_RTOL if self.rtol is None else self.rtol
        if self.kind == "expression":
            return AnswerSpec(
                kind="expression", reference=str(reference), variables=self.names, functions=(SIGMA,),
                aliases=subscript_aliases(self.names), domain=self.domains(), rtol=rtol,
            )
        if self.kind == "integer":
            return AnswerSpec(kind="integer", reference=reference, rtol=rtol)
        if self.kind == "vector":
            assert isinstance(reference, tuple)
            size = max((abs(float(v)) for v in reference), default=0.0)
            floor = max(atol or 0.0, self.tolerance_floor(size)) or None
            return AnswerSpec(kind="vector", reference=reference, rtol=rtol, atol=floor, labels=labels)
        assert isinstance(reference, int | float)
        floor = max(atol or 0.0, self.tolerance_floor(float(reference))) or None
        return AnswerSpec(kind="real", reference=float(reference), rtol=rtol, atol=floor)

    def domains(self) -> tuple[tuple[str, str], ...]:
        return self.variables  # AnswerSpec takes the domain names and samples inside them

    def hint(self) -> Bilingual:
        """How to answer, for the prompt ("an integer", "an expression in x, N")."""
        if self.kind == "integer":
            return Bilingual("an integer (arithmetic like 2*64*3*3 is fine)", "一个整数（可以写算式，如 2*64*3*3）")
        if self.kind == "expression":
            names = ", ".join(self.names)
            return Bilingual(f"an expression in {names}", f"关于 {names} 的表达式") if names else Bilingual(
                "an expression", "一个表达式"
            )
        figures = self.digits or 4
        if self.kind == "vector":
            return Bilingual(
                f"a vector like [0.1, -2, 3.5], each component to {figures} significant figures",
                f"一个向量，如 [0.1, -2, 3.5]，每个分量保留 {figures} 位有效数字",
            )
        return Bilingual(
            f"a number to {figures} significant figures (fractions and arithmetic are fine)",
            f"一个数，保留 {figures} 位有效数字（可以写分数或算式）",
        )


def subscript_aliases(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """o_k may be typed oₖ, which Unicode folding turns into 'ok': read that as o_k too."""
    out: list[tuple[str, str]] = []
    for name in names:
        plain = name.replace("_", "")
        if plain != name and plain not in names and NAME_RE.match(plain):
            out.append((plain, name))
    return tuple(out)


def parse_form(raw: object) -> tuple[AnswerForm | None, Problems]:
    """A form from YAML (shorthand or mapping), or None and the problems (path suffix, message)."""
    if isinstance(raw, str):
        if raw in FORM_KINDS:
            return AnswerForm(kind=raw), []
        return None, [((), f"unknown answer form '{raw}' (use one of: {', '.join(FORM_KINDS)})")]
    if not isinstance(raw, dict):
        return None, [((), "an answer form is one of integer, real, vector, expression, or a mapping like {form: real, rtol: 0.01}")]
    problems: Problems = [((str(k),), f"unknown field '{k}' (allowed: {', '.join(FORM_KEYS)})") for k in raw if k not in FORM_KEYS]
    kind = raw.get("form", "real")
    if kind not in FORM_KINDS:
        problems.append((("form",), f"unknown answer form '{kind}' (use one of: {', '.join(FORM_KINDS)})"))
    rtol = raw.get("rtol")
    if rtol is not None and (isinstance(rtol, bool) or not isinstance(rtol, int | float) or not 0 < rtol < 1):
        problems.append((("rtol",), "must be a number between 0 and 1, like 1e-3"))
    digits = raw.get("digits")
    if digits is not None and (isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 15):
        problems.append((("digits",), "must be a whole number of significant figures from 1 to 15"))
    variables: list[tuple[str, str]] = []
    if "in" in raw:
        if kind != "expression":
            problems.append((("in",), "only an expression form names variables"))
        variables, more = _variables(raw["in"])
        problems += more
    if problems:
        return None, problems
    return AnswerForm(str(kind), None if rtol is None else float(rtol), digits, tuple(variables)), []


def _variables(raw: object) -> tuple[list[tuple[str, str]], Problems]:
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        pairs = [(v, "real") for v in raw]
    elif isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        return [], [(("in",), "must be a list of names [x, N] or a mapping {x: real, N: natural}")]
    problems: Problems = []
    out: list[tuple[str, str]] = []
    for name, domain in pairs:
        if not (isinstance(name, str) and NAME_RE.match(name)):
            problems.append((("in",), f"'{name}' is not a variable name (letters, digits and _, starting with a letter)"))
        elif domain not in DOMAIN_NAMES:
            problems.append((("in", name), f"unknown domain '{domain}' (use one of: {', '.join(DOMAIN_NAMES)})"))
        else:
            out.append((name, str(domain)))
    return out, problems


# ---------------------------------------------------------------- numbers without sympy

_GROUPED = re.compile(r"^([+-]?\d{1,3})((?:([, ])\d{3})(?:\3\d{3})*)(\.\d+)?$")


def number_value(text: str) -> Number | None:
    """A number or arithmetic without names ("3·3·64·128", "73,728", "1/2", "5%", "e^-2"); None
    when the text is not one. Exact (a Fraction) unless a function such as exp is involved."""
    plain = text.strip()
    scale = Fraction(1)
    if plain.endswith("%"):
        plain, scale = plain[:-1].strip(), Fraction(1, 100)
    grouped = _GROUPED.match(plain)
    if grouped is not None:
        plain = grouped.group(1) + grouped.group(2).replace(grouped.group(3), "") + (grouped.group(4) or "")
    try:
        value = value_of(plain, (), {})
    except ExprError:
        return None
    return value * scale if isinstance(value, Fraction) else float(value) * float(scale)


def vector_value(text: str) -> tuple[Number, ...] | None:
    """'[0.2, 0.5, 0.3]', '(1; 2)', '0.2 0.5 0.3' -> the components, or None."""
    plain = text.strip()
    if len(plain) >= 2 and plain[0] in "[(" and plain[-1] in "])":
        plain = plain[1:-1]
    sep = ";" if ";" in plain else ("," if "," in plain else None)
    parts = plain.split(sep) if sep else plain.split()
    values = [number_value(part) for part in parts if part.strip()]
    if not values or any(v is None for v in values):
        return None
    return tuple(v for v in values if v is not None)
