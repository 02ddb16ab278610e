"""Numbers as the learner reads them (no sympy here, so exercise modules can use it freely)."""

from __future__ import annotations

MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def number(value: float | int, digits: int = 6) -> str:
    """A number for the learner: decimals (never p/q), at most `digits` significant figures,
    unicode minus, ×10ⁿ for very large or small values."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).replace("-", MINUS)
    if value == 0:
        return "0"
    text = f"{float(value):.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
    return text.replace("-", MINUS)
