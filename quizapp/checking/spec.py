"""What an exercise expects as an answer, and the authored mistakes it recognises.

These are plain data: exercise families build them, the checking pipeline reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizapp.checking.domains import DOMAIN_NAMES, DomainSpec, check_domain, variables_and_domains
from quizapp.i18n import Bilingual

__all__ = [
    "DOMAIN_NAMES",
    "AnswerKind",
    "AnswerSpec",
    "DomainSpec",
    "FunctionDef",
    "Mistake",
    "Value",
    "variables_and_domains",
]

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
    # The domain of each variable: a name in DOMAIN_NAMES ("real", "positive", "nonnegative",
    # "unit", "integer", "natural") or a real interval (low, high). Undeclared variables are
    # real. Equivalence samples inside the domain and holds only if both sides agree on all of
    # it, including where each side is defined: declare "positive" for sizes and rates.
    domain: tuple[tuple[str, DomainSpec], ...] = ()
    rtol: float = 1e-3
    atol: float | None = None  # None: the pipeline's floor near zero
    # Component labels for vectors, used when naming the wrong components.
    labels: tuple[str, ...] = ()
    # Significant digits the prompt asks for. Real and vector answers: a value rounded to this
    # many digits is accepted (the tolerance is at least half a unit in the last digit).
    # Expression answers are exact unless this is set: then values within that precision pass.
    digits: int | None = None

    def __post_init__(self) -> None:
        # Fail when an exercise is built, not when a learner answers it.
        checked = tuple((str(name), check_domain(str(name), dom)) for name, dom in self.domain)
        object.__setattr__(self, "domain", checked)  # intervals as float tuples: hashable, comparable
        if self.digits is not None and not (isinstance(self.digits, int) and 1 <= self.digits <= 15):
            raise ValueError(f"digits must be an integer from 1 to 15, not {self.digits!r}")

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
