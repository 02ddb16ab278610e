"""Variable domains: which values a variable may take, where equivalence samples it, and what
sympy may assume about it while reading (no sympy or numpy imported here).

A domain is a name (DOMAIN_NAMES) or, for older specs, a closed real interval (low, high).
Sample points are dyadic rationals (k / 2^16), so a float64 point and the exact Fraction of
the same float are the same number: the float test and the exact test look at the same points.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DomainSpec = str | tuple[float, float]

DOMAIN_NAMES: tuple[str, ...] = ("real", "positive", "nonnegative", "unit", "integer", "natural")
DOMAIN_MEANINGS: dict[str, str] = {
    "real": "any real number (the default)",
    "positive": "v > 0: sizes, rates, strides, learning rates",
    "nonnegative": "v ≥ 0",
    "unit": "0 < v < 1: probabilities, dropout rates, β",
    "integer": "…, −2, −1, 0, 1, 2, …",
    "natural": "1, 2, 3, …: counts, channels, layers",
}

# Simple values tried on a grid: negative bases with even and odd integer and half-integer
# exponents are where (a^b)^c and a^(b·c) part, and 0 is where removable singularities sit.
_SIMPLE: dict[str, tuple[float, ...]] = {
    "real": (-3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
    "positive": (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0),
    "nonnegative": (0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    "unit": (0.125, 0.25, 0.5, 0.75, 0.875),
    "integer": (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0),
    "natural": (1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
}
# Ranges of the random points, widened round by round while the reference is defined at too
# few of them (log(x − 5) is undefined on all of (−3, 3)). Open at 0 for positive and unit.
_RANGES: dict[str, tuple[tuple[float, float], ...]] = {
    "real": ((-3.0, 3.0), (-20.0, 20.0), (-200.0, 200.0)),
    "positive": ((0.0, 3.0), (0.0, 20.0), (0.0, 200.0)),
    "nonnegative": ((0.0, 3.0), (0.0, 20.0), (0.0, 200.0)),
    "unit": ((0.0, 1.0),),
    "integer": ((-20.0, 20.0), (-200.0, 200.0)),
    "natural": ((1.0, 64.0), (1.0, 1000.0)),
}
_INTEGRAL = ("integer", "natural")
_GRID_MAX = 256
RANDOM_POINTS = 24
QUANTUM = 2.0**-16


class DomainError(ValueError):
    """A domain that is neither a known name nor an interval (low < high)."""


def check_domain(name: str, domain: object) -> DomainSpec:
    """The domain as stored in an AnswerSpec, or DomainError with a message naming the variable."""
    if isinstance(domain, str):
        if domain in DOMAIN_NAMES:
            return domain
        raise DomainError(f"variable {name!r}: unknown domain {domain!r} (use one of: {', '.join(DOMAIN_NAMES)})")
    if isinstance(domain, tuple | list) and len(domain) == 2:
        low, high = domain
        if isinstance(low, int | float) and isinstance(high, int | float) and float(low) < float(high):
            return (float(low), float(high))
    raise DomainError(f"variable {name!r}: a domain is a name ({', '.join(DOMAIN_NAMES)}) or an interval (low, high)")


def variables_and_domains(value: object) -> tuple[tuple[str, ...], tuple[tuple[str, DomainSpec], ...]]:
    """Read the `in:` of an answer form: a list of names (all real) or a mapping name -> domain.

    ``[x, N]`` -> (("x", "N"), (("x", "real"), ("N", "real"))); ``{x: real, N: natural}`` likewise
    with the given domains. Raises DomainError (a ValueError) with a readable message.
    """
    if isinstance(value, str):
        value = [value]
    if isinstance(value, Mapping):
        pairs = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, Sequence):
        pairs = [(str(v), "real") for v in value]
    else:
        raise DomainError("`in` must be a list of variable names or a mapping name -> domain")
    for name, _ in pairs:
        if not (name.isascii() and name.isidentifier() and not name.startswith("_")):
            raise DomainError(f"variable {name!r}: names are ASCII letters, digits and '_' (not first)")
    checked = tuple((name, check_domain(name, dom)) for name, dom in pairs)
    return tuple(name for name, _ in checked), checked


def assumptions(domain: DomainSpec) -> dict[str, bool]:
    """What sympy may assume of a symbol in this domain (so sqrt(k²) reads as k for positive k)."""
    if isinstance(domain, tuple):
        low = domain[0]
        return {"positive": True} if low > 0 else {"nonnegative": True} if low >= 0 else {"real": True}
    return {
        "real": {"real": True},
        "positive": {"positive": True},
        "nonnegative": {"nonnegative": True},
        "unit": {"positive": True},
        "integer": {"integer": True},
        "natural": {"positive": True, "integer": True},
    }[domain]


@dataclass(frozen=True)
class Samples:
    """Points per variable (float64 arrays of equal length) and which of them are random.

    Random ("generic") points are where a side being defined and the other not is a real
    difference; on the grid of simple values it may be a removable singularity ((x²−1)/(x−1) at 1).
    """

    points: dict[str, np.ndarray]
    generic: np.ndarray
    size: int


def _simple_values(domain: DomainSpec) -> tuple[float, ...]:
    if isinstance(domain, tuple):
        low, high = domain
        inside = tuple(v for v in _SIMPLE["real"] if low <= v <= high)
        return inside + (_quantize(low), _quantize(high), _quantize((low + high) / 2))
    return _SIMPLE[domain]


def _quantize(value: float) -> float:
    return round(value / QUANTUM) * QUANTUM


def _random_values(rng: np.random.Generator, domain: DomainSpec, round_no: int, n: int) -> np.ndarray:
    import numpy as np

    if isinstance(domain, tuple):
        low, high = domain
    else:
        ranges = _RANGES[domain]
        low, high = ranges[min(round_no, len(ranges) - 1)]
    if not isinstance(domain, tuple) and domain in _INTEGRAL:
        return rng.integers(int(low), int(high), size=n, endpoint=True).astype(np.float64)
    raw = np.round(rng.uniform(low, high, size=n) / QUANTUM) * QUANTUM
    # Open ends stay open: 0 for positive, 0 and 1 for unit.
    lowest = low + QUANTUM if domain in ("positive", "unit") else low
    return np.clip(raw, lowest, high - QUANTUM if domain == "unit" else high)


def sample(variables: Sequence[str], domains: Mapping[str, DomainSpec], key: str, round_no: int) -> Samples:
    """Round 0: a grid of simple values (at most 256 combinations) plus random points; later
    rounds: random points from wider ranges only. Seeded by `key`: the same in every process."""
    import numpy as np

    rng = np.random.default_rng([zlib.crc32(key.encode()), round_no])
    doms = [domains.get(v, "real") for v in variables]
    grid: list[tuple[float, ...]] = []
    if round_no == 0 and variables:
        axes = [_simple_values(d) for d in doms]
        total = 1
        for axis in axes:
            total *= len(axis)
        if total <= _GRID_MAX:
            grid = list(itertools.product(*axes))
        else:
            grid = [tuple(axis[int(rng.integers(len(axis)))] for axis in axes) for _ in range(_GRID_MAX)]
    n_random = RANDOM_POINTS if variables else 1
    points: dict[str, np.ndarray] = {}
    for j, (name, dom) in enumerate(zip(variables, doms)):
        fixed = np.array([row[j] for row in grid], dtype=np.float64)
        points[name] = np.concatenate([fixed, _random_values(rng, dom, round_no, n_random)])
    generic = np.concatenate([np.zeros(len(grid), dtype=bool), np.ones(n_random, dtype=bool)])
    return Samples(points, generic, len(grid) + n_random)
