"""One-line unicode rendering of parsed answers for "interpreted as" (no LaTeX, no raw **)."""

from __future__ import annotations

import re

import sympy as sp

_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lam": "λ", "mu": "μ", "nu": "ν", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "omega": "ω", "xi": "ξ",
}  # fmt: skip
_GREEK_WORD = re.compile(r"\b(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")\b")


def greek(text: str) -> str:
    return _GREEK_WORD.sub(lambda m: _GREEK[m.group()], text)


def linear(expr: sp.Expr) -> str:
    """sympy's unicode pretty print when it fits on one line, else a tidy linear form."""
    try:
        pretty = sp.pretty(expr, use_unicode=True)
    except Exception:  # noqa: BLE001 - the printers can fail on odd trees; show something plain
        try:
            return sp.sstr(expr)
        except Exception:  # noqa: BLE001
            return "?"
    if "\n" not in pretty:
        return pretty
    text = sp.sstr(expr)
    text = re.sub(r"\*\*(\d{1,2})\b(?!\.)", lambda m: m.group(1).translate(_SUPER), text)
    text = text.replace("**", "^").replace("*", "·").replace("sqrt(", "√(")
    text = re.sub(r"\bE\b", "e", text)
    return greek(text).replace("-", "−")


def number_text(value: float) -> str:
    return f"{value:.10g}"


def split_notes(notes: tuple[tuple[str, str], ...]) -> str:
    """Language-neutral record of implicit readings, e.g. "MK → M·K, σ → σ(x)"."""
    seen: dict[str, str] = {}
    for typed, read in notes:
        seen.setdefault(greek(typed), greek(read))
    return ", ".join(f"{typed} → {read}" for typed, read in seen.items())


def with_notes(shown: str, notes: tuple[tuple[str, str], ...]) -> str:
    extra = split_notes(notes)
    return f"{shown}   [{extra}]" if extra else shown
