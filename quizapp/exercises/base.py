"""The exercise-family contract: generate(seed) -> Instance; Instance.check(text) -> Verdict.

A family draws parameters from a numpy Generator seeded with `seed`, redraws until every authored
mistake is far from the answer (checking.is_separated), and computes its answer key. It also
offers `simulate(instance)`: the same answer computed an independent way (loops, finite
differences, impulse propagation, running the optimiser) that the tests compare on many seeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.checking.verdict import Verdict
from quizapp.i18n import Bilingual

MAX_DRAWS = 200


class GenerationError(RuntimeError):
    """A family could not draw parameters that keep its mistakes distinguishable."""


@dataclass(frozen=True)
class Instance:
    family: str
    seed: int
    params: Mapping[str, Any]  # the YAML options the instance was generated with
    values: Mapping[str, Any]  # the drawn parameters (for solutions, tests and the log)
    spec: AnswerSpec
    mistakes: tuple[Mistake, ...]
    prompt_text: Bilingual
    solution_text: Bilingual
    answer_text: str  # the reference answer as a learner would type it
    # How to answer, e.g. "an integer", "a number to 4 significant digits", "an expression in x".
    answer_hint: Bilingual = field(default_factory=lambda: Bilingual("", ""))

    def prompt(self, lang: str = "en") -> str:
        return self.prompt_text.get(lang)

    def solution(self, lang: str = "en") -> str:
        return self.solution_text.get(lang)

    def check(self, text: str) -> Verdict:
        """Check in this process (no time limit); the app uses checking.worker for the limit."""
        from quizapp.checking.pipeline import check_answer

        return check_answer(text, self.spec, self.mistakes)


class Family:
    """Base class: subclasses set the class attributes and implement draw() and simulate()."""

    name: ClassVar[str]
    topic: ClassVar[str]
    title: ClassVar[Bilingual]
    param_defaults: ClassVar[dict[str, Any]] = {}
    # Plain-words description of each authored mistake note, for stats ("you most often …").
    mistake_notes: ClassVar[dict[str, Bilingual]] = {}

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        """Draw one candidate instance from rng (a numpy.random.Generator)."""
        raise NotImplementedError

    def simulate(self, instance: Instance) -> Value:
        """The answer computed independently of the closed form used in draw()."""
        raise NotImplementedError

    def alternative_answers(self, instance: Instance) -> list[str]:
        """Other correct ways to type the answer; the tests check that each is marked correct."""
        raise NotImplementedError

    def generate(self, seed: int, **params: Any) -> Instance:
        import numpy as np

        from quizapp.checking.pipeline import is_separated

        unknown = set(params) - set(self.param_defaults)
        if unknown:
            raise ValueError(f"{self.name}: unknown parameter(s) {sorted(unknown)}")
        merged = {**self.param_defaults, **params}
        rng = np.random.default_rng(seed)
        for _ in range(MAX_DRAWS):
            inst = self.draw(rng, merged, seed)
            if all(is_separated(inst.spec, m) for m in inst.mistakes):
                return inst
        raise GenerationError(f"{self.name}: no separable draw for seed {seed}")


def value_text(value: Value) -> str:
    """A value as a learner would type it (tests feed mistakes and references through the parser)."""
    if isinstance(value, frozenset):
        return " ".join(sorted(value))
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(float(v)) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)
