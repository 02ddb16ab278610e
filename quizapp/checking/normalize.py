"""Unicode folding of typed math into a small ASCII alphabet (no sympy here).

Superscripts are mapped before NFKC, because NFKC turns '²' into a plain '2' and
'(1+x)²' would silently become '(1+x)2'.
"""

from __future__ import annotations

import re
import unicodedata

from quizapp.checking.errors import invalid

MAX_RAW_CHARS = 1000  # refuse before doing any work
MAX_CHARS = 300  # after folding

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
    "⁹": "9", "⁺": "+", "⁻": "-", "⁽": "(", "⁾": ")", "ⁿ": "n", "ˣ": "x",
}  # fmt: skip
_SUPERSCRIPT_RUN = re.compile("[" + "".join(_SUPERSCRIPTS) + "]+")
_VULGAR_FRACTION = re.compile("[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]")

# Folded after NFKC (NFKC already maps full-width digits, letters, parentheses and operators).
_SYMBOLS = {
    "−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "﹣": "-",
    "×": "*", "·": "*", "⋅": "*", "∙": "*", "•": "*", "∗": "*", "✕": "*", "・": "*",
    "÷": "/", "∕": "/", "、": ",", "；": ";",
    "\t": " ", "\n": " ", "\r": " ",
}  # fmt: skip
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "η": "eta", "θ": "theta", "λ": "lam", "μ": "mu", "ν": "nu", "π": "pi", "ρ": "rho",
    "σ": "sigma", "τ": "tau", "φ": "phi", "ϕ": "phi", "ω": "omega", "ξ": "xi",
}  # fmt: skip
# Characters a learner may legitimately have in a folded answer (vectors use [ ] ;).
_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-*/^(),._[];√%")
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def _refuse_invisible(text: str) -> None:
    for ch in text:
        if ch in "\t\n\r":
            continue
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
            code = f"U+{ord(ch):04X}"
            raise invalid(
                "invalid.character",
                f"Your answer contains an invisible control character ({code}); please retype it.",
                f"答案中含有不可见的控制字符（{code}），请重新输入。",
            )


def fold(text: str, extra: dict[str, str] | None = None) -> str:
    """Fold `text` to ASCII math; `extra` maps exercise-specific symbols (e.g. "σ") to names first.

    Raises InvalidInput for control characters, over-long input and characters we cannot read.
    """
    if len(text) > MAX_RAW_CHARS:
        raise _too_long()
    _refuse_invisible(text)
    text = _VULGAR_FRACTION.sub(lambda m: "(" + unicodedata.normalize("NFKC", m.group()).replace("⁄", "/") + ")", text)
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^(" + "".join(_SUPERSCRIPTS[c] for c in m.group()) + ")", text)
    for symbol, name in (extra or {}).items():
        text = text.replace(symbol, f" {name} ")
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_SYMBOLS.get(ch) or (f" {_GREEK[ch]} " if ch in _GREEK else ch) for ch in text)
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        raise _too_long()
    for ch in text:
        if ch not in _ALLOWED:
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            raise invalid(
                "invalid.character",
                f"I can't read the character '{shown}' in a math answer.",
                f"数学答案中不能识别字符「{shown}」。",
            )
    return text


def _too_long() -> Exception:
    return invalid(
        "invalid.too-long",
        f"That answer is too long (at most {MAX_CHARS} characters).",
        f"答案太长（最多 {MAX_CHARS} 个字符）。",
    )
