"""One-line unicode rendering of math for the learner: the "interpreted as" preview, exercise
answers and worked solutions all use `pretty()`, so math has one typography everywhere:
σ(2x)·(1 − σ(2x)), 2·tanh(−2x)² − 2, K·M·(2N − 1), e^(−x)/(1 + e^(−x))², numbers as decimals.
No LaTeX, no code form (*, **, sigma)."""

from __future__ import annotations

import re

import sympy as sp

from quizapp.checking.numtext import MINUS, number

_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lam": "λ", "mu": "μ", "nu": "ν", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "omega": "ω", "xi": "ξ",
}  # fmt: skip
_GREEK_WORD = re.compile(r"\b(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")\b")


def greek(text: str) -> str:
    return _GREEK_WORD.sub(lambda m: _GREEK[m.group()], text)


_SUB = str.maketrans("0123456789aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUBSCRIPTABLE = set("0123456789aehijklmnoprstuvx")


def symbol_text(name: str) -> str:
    """beta -> β, o_k -> oₖ, x_12 -> x₁₂ (a subscript without a Unicode form stays as _in)."""
    head, sep, tail = name.partition("_")
    shown = greek(head)
    if not sep:
        return shown
    if tail and set(tail) <= _SUBSCRIPTABLE:
        return shown + tail.translate(_SUB)
    return f"{shown}_{greek(tail)}"


def pretty(expr: sp.Expr) -> str:
    """One line of unicode math; never raises (falls back to sympy's own string form)."""
    try:
        return _Pretty().show(expr)
    except Exception:  # noqa: BLE001 - odd trees must still show something
        try:
            return sp.sstr(expr)
        except Exception:  # noqa: BLE001
            return "?"


_ADD, _MUL, _POW, _ATOM = 1, 2, 3, 4


class _Pretty:
    """A small precedence printer over the node types the safe parser builds."""

    def show(self, expr: sp.Expr) -> str:
        return self._text(expr)[0]

    def wrapped(self, expr: sp.Expr, above: int) -> str:
        text, level = self._text(expr)
        return f"({text})" if level < above else text

    def _text(self, expr: sp.Expr) -> tuple[str, int]:  # noqa: C901 - one case per node type
        if expr.is_Integer:
            whole = int(expr)
            return number(whole), (_ATOM if whole >= 0 else _ADD)
        if expr.is_Rational and _terminates(int(expr.q)):
            decimal = float(expr)
            return number(decimal, 15), (_ATOM if decimal >= 0 else _ADD)
        if expr.is_Rational:
            text = f"{abs(int(expr.p))}/{int(expr.q)}"
            return (f"{MINUS}{text}" if expr < 0 else text), (_ADD if expr < 0 else _MUL)
        if expr.is_Float:
            value = float(expr)
            return number(value, 10), (_ATOM if value >= 0 else _ADD)
        if expr is sp.E:
            return "e", _ATOM
        if expr is sp.pi:
            return "π", _ATOM
        if expr.is_Symbol:
            return symbol_text(expr.name), _ATOM
        if expr.is_Add:
            return self._add(expr), _ADD
        if expr.is_Mul:
            return self._mul(expr)
        if expr.is_Pow:
            return self._pow(expr)
        return self._call(expr), _ATOM

    def _add(self, expr: sp.Expr) -> str:
        out = ""
        for i, term in enumerate(expr.as_ordered_terms()):
            negative = term.could_extract_minus_sign()
            body = self.wrapped(-term if negative else term, _MUL)
            if i == 0:
                out = f"{MINUS}{body}" if negative else body
            else:
                out += f" {MINUS} {body}" if negative else f" + {body}"
        return out

    def _mul(self, expr: sp.Expr) -> tuple[str, int]:
        if expr.could_extract_minus_sign():
            return f"{MINUS}{self.wrapped(-expr, _MUL)}", _ADD
        num, den = sp.fraction(expr, exact=True)
        if den != 1:
            top = self._product(num) if num.is_Mul else self.wrapped(num, _MUL)
            bottom = self.wrapped(den, _POW) if not den.is_Mul else f"({self._product(den)})"
            return f"{top}/{bottom}", _MUL
        return self._product(expr), _MUL

    def _product(self, expr: sp.Expr) -> str:
        factors = sorted(sp.Mul.make_args(expr), key=_factor_rank)
        out = ""
        for i, factor in enumerate(factors):
            text = self.wrapped(factor, _POW if factor.is_Number else _MUL)
            if i == 0:
                out = text
            elif factors[i - 1].is_Number and factor.is_Symbol:
                out += text  # 2x, 2N: a coefficient is written against a single name
            else:
                out += "·" + text
        return out

    def _pow(self, expr: sp.Expr) -> tuple[str, int]:
        base, exponent = expr.args
        if exponent == sp.S.Half:
            return "√" + self.wrapped(base, _ATOM), _POW
        if exponent.is_Integer and exponent < 0:
            return f"1/{self.wrapped(sp.Pow(base, -exponent), _POW)}", _MUL
        shown_base = self.wrapped(base, _ATOM) if not isinstance(base, sp.Function) else self._call(base)
        if exponent.is_Integer:
            return shown_base + str(int(exponent)).translate(_SUPER), _POW
        return f"{shown_base}^{self.wrapped(exponent, _ATOM)}", _POW

    def _call(self, expr: sp.Expr) -> str:
        name = type(expr).__name__
        args = ", ".join(self.show(a) for a in expr.args)
        if isinstance(expr, sp.exp):
            return "e^" + self.wrapped(expr.args[0], _ATOM)
        if isinstance(expr, sp.Abs):
            return f"|{args}|"
        if name in ("Max", "Min"):
            return f"{name.lower()}({args})"
        return f"{greek(name)}({args})"


def _terminates(q: int) -> bool:
    """Whether p/q is a finite decimal (0.25, 0.818), shown as such rather than as a fraction."""
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    return q == 1


def _factor_rank(factor: sp.Expr) -> tuple[int, str]:
    """Numbers, then names, then calls and powers, then sums: 2x·σ(x)·(1 − σ(x))."""
    if factor.is_Number:
        return (0, "")
    if factor.is_Symbol:
        return (1, factor.name)
    if factor.is_Add:
        return (3, sp.sstr(factor))
    return (2, sp.sstr(factor))


def linear(expr: sp.Expr) -> str:
    """How a parsed answer reads: pretty(), kept for the checker's existing callers."""
    return pretty(expr)


def number_text(value: float) -> str:
    """A checked value in full (10 significant figures), with the unicode minus."""
    return f"{value:.10g}".replace("-", MINUS)


def split_notes(notes: tuple[tuple[str, str], ...]) -> str:
    """Language-neutral record of implicit readings, e.g. "MK → M·K, σ → σ(x)"."""
    seen: dict[str, str] = {}
    for typed, read in notes:
        seen.setdefault(greek(typed), greek(read))
    return ", ".join(f"{typed} → {read}" for typed, read in seen.items())
