"""Generic near-miss detectors: sign, 10^k, ×2 / ½, constant factor, offset, rounding.

Each works on float arrays (one value for a number, one per component for a vector, one per
sample point for an expression) and a `near(a, b)` test that says which entries agree.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Near = Callable[[np.ndarray, np.ndarray], np.ndarray]

_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def diagnose(
    student: np.ndarray,
    reference: np.ndarray,
    near: Near,
    *,
    pattern: bool,
    offsets: bool,
    rounding_band: float | None = None,
) -> tuple[str, str] | None:
    """(note, detail) of the first detector that explains `student`, or None.

    pattern: several values, so a constant ratio or offset other than the named ones means
    something (expressions, vectors). offsets: off-by-one is meaningful (not for a lone real).
    """
    s = np.asarray(student, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)
    if s.shape != r.shape or s.size == 0 or not (np.all(np.isfinite(s)) and np.all(np.isfinite(r))):
        return None

    def explains(candidate: np.ndarray) -> bool:
        return bool(np.all(near(s, candidate)))

    with np.errstate(all="ignore"):
        nonzero = r != 0
        if nonzero.any() and explains(-r):
            return "generic.sign", ""
        if nonzero.all() and np.all(s != 0):
            ratio = s / r
            if np.all(ratio > 0):
                k = int(np.round(np.median(np.log10(ratio))))
                if k != 0 and abs(k) <= 15 and explains(r * 10.0**k):
                    return "generic.power-of-ten", "10" + str(k).translate(_SUPER)
            if explains(2 * r):
                return "generic.factor-2", "twice"
            if explains(r / 2):
                return "generic.factor-2", "half"
            if pattern:
                c = float(np.median(ratio))
                if np.isfinite(c) and c != 0 and not explains(r) and explains(c * r):
                    return "generic.factor", _fmt(c)
        if offsets or pattern:
            c = float(np.median(s - r))
            if np.isfinite(c) and c != 0 and explains(r + c):
                if abs(abs(c) - 1) < 1e-9:
                    return "generic.off-by-one", _fmt(c)
                if pattern:
                    return "generic.offset", _fmt(c)
        if rounding_band is not None and nonzero.all() and np.all(np.abs(s - r) <= rounding_band * np.abs(r)):
            return "generic.rounding", ""
    return None
