"""What an exercise expects as an answer, and the authored mistakes it recognises.

These are plain data: exercise families build them, the checking pipeline reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizapp.i18n import Bilingual

AnswerKind = Literal["integer", "real", "expression", "vector", "choice"]

# Reference values by kind:
#   integer    -> int
#   real       -> float
#   expression -> str, a sympy-parsable expression written by the family author (trusted text)
#                 in the variables and functions declared below, e.g. "sigma(x)*(1 - sigma(x))"
#   vector     -> tuple[float, ...]
#   choice     -> frozenset[str] of option letters
Value = int | float | str | tuple[float, ...] | frozenset[str]


@dataclass(frozen=True)
class FunctionDef:
    """A per-exercise function the learner may type, e.g. sigma(x), with its meaning for checking."""

    name: str  # canonical name, e.g. "sigma"
    arity: int
    definition: str  # trusted sympy text in the dummy args a0, a1, ..., e.g. "1/(1 + exp(-a0))"
    aliases: tuple[str, ...] = ()  # other spellings of the function, e.g. ("σ",)


@dataclass(frozen=True)
class AnswerSpec:
    kind: AnswerKind
    reference: Value
    variables: tuple[str, ...] = ()
    functions: tuple[FunctionDef, ...] = ()
    # Names that stand for a whole expression, e.g. {"s": "sigma(x)"} when the prompt says so.
    aliases: tuple[tuple[str, str], ...] = ()
    # Sampling interval per variable for random-point equivalence, e.g. {"x": (-3, 3)}.
    domain: tuple[tuple[str, tuple[float, float]], ...] = ()
    rtol: float = 1e-3
    atol: float | None = None  # None: the pipeline's floor near zero
    # Component labels for vectors, used when naming the wrong components.
    labels: tuple[str, ...] = ()

    @property
    def number(self) -> float:
        """The reference of an integer or real answer, as a float."""
        if isinstance(self.reference, int | float):
            return float(self.reference)
        raise TypeError(f"a {self.kind} answer has no numeric reference")

    @property
    def integer(self) -> int:
        """The reference of an integer answer."""
        if isinstance(self.reference, int):
            return self.reference
        raise TypeError(f"a {self.kind} answer has no integer reference")


@dataclass(frozen=True)
class Mistake:
    """An authored wrong answer: matched with the same equivalence test as the reference."""

    note: str  # stable tag, e.g. "flops.mul-only"
    value: Value
    feedback: Bilingual
    score: float = 0.0
