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
    # Superscript letters (βᵗ, xᵏ): NFKC alone would turn them into plain letters, βᵗ into β·t.
    "ᵃ": "a", "ᵇ": "b", "ᶜ": "c", "ᵈ": "d", "ᵉ": "e", "ᶠ": "f", "ᵍ": "g", "ʰ": "h", "ⁱ": "i",
    "ʲ": "j", "ᵏ": "k", "ˡ": "l", "ᵐ": "m", "ᵒ": "o", "ᵖ": "p", "ʳ": "r", "ˢ": "s", "ᵗ": "t",
    "ᵘ": "u", "ᵛ": "v", "ʷ": "w", "ʸ": "y", "ᶻ": "z",
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
    return fold_with_columns(text, extra)[0]


def _piece(ch: str) -> str:
    """One typed character (not a superscript) as folded text."""
    if _VULGAR_FRACTION.match(ch):
        return "(" + unicodedata.normalize("NFKC", ch).replace("⁄", "/") + ")"
    # Character by character NFKC (not the whole string) so that each folded character keeps
    # the column it was typed at; they differ only on combining marks, which we refuse anyway.
    return "".join(_SYMBOLS.get(c) or (f" {_GREEK[c]} " if c in _GREEK else c) for c in unicodedata.normalize("NFKC", ch))


def fold_with_columns(text: str, extra: dict[str, str] | None = None) -> tuple[str, list[int]]:
    """fold(), plus for each folded character the 1-based column of the typed character it came
    from, so messages can say where a problem is in what the learner typed."""
    if len(text) > MAX_RAW_CHARS:
        raise _too_long()
    _refuse_invisible(text)
    chars: list[str] = []
    cols: list[int] = []
    extras = sorted((extra or {}).items(), key=lambda kv: -len(kv[0]))
    i = 0
    while i < len(text):
        symbol = next((k for k, _ in extras if k and text.startswith(k, i)), None)
        run = _SUPERSCRIPT_RUN.match(text, i)
        if symbol is not None:
            piece, width = f" {dict(extras)[symbol]} ", len(symbol)
        elif run is not None:
            piece, width = "^(" + "".join(_SUPERSCRIPTS[c] for c in run.group()) + ")", len(run.group())
        else:
            piece, width = _piece(text[i]), 1
        for k, c in enumerate(piece):
            chars.append(c)
            # "^(" of a superscript run points at its first character, each digit at its own.
            cols.append(i + 1 + (min(max(k - 2, 0), width - 1) if run is not None and symbol is None else 0))
        i += width
    return _squeeze(chars, cols)


def _squeeze(chars: list[str], cols: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces and strip the ends (as " ".join(text.split()) would)."""
    out: list[str] = []
    out_cols: list[int] = []
    for c, col in zip(chars, cols):
        if c == " " and (not out or out[-1] == " "):
            continue
        out.append(c)
        out_cols.append(col)
    if out and out[-1] == " ":
        out.pop()
        out_cols.pop()
    text = "".join(out)
    if len(text) > MAX_CHARS:
        raise _too_long()
    for c, col in zip(text, out_cols):
        if c not in _ALLOWED:
            shown = c if c.isprintable() else f"U+{ord(c):04X}"
            raise invalid(
                "invalid.character",
                f"I can't read the character '{shown}' (column {col}) in a math answer.",
                f"数学答案中第 {col} 列的字符「{shown}」无法识别。",
            )
    return text, out_cols


def _too_long() -> Exception:
    return invalid(
        "invalid.too-long",
        f"That answer is too long (at most {MAX_CHARS} characters).",
        f"答案太长（最多 {MAX_CHARS} 个字符）。",
    )
