"""The exercise contract: generate(seed) -> Instance; Instance.check(text) -> Verdict.

A family draws parameters from a numpy Generator seeded with `seed`, redraws until every authored
mistake is far from the answer (checking.is_separated), and computes its answer key. It also
offers `simulate(instance)`: the same answer computed an independent way (loops, finite
differences, impulse propagation, running the optimiser) that the tests compare on many seeds.

An instance may carry its chain (exercises.chain: the inputs as shown and the intermediate steps
a learner computes). generate() then widens the tolerance by the rounding of those steps to the
precision the prompt asks for, and redraws answers that near-cancellation makes hostage to it.

An instance may have parts (multi-part, error carried forward): each part is one step of the
chain with its own prompt, answer form and mistakes. A front end asks them in order, checks each
with `check_part(i, text, earlier)` (or ExerciseWorker.check_part) where `earlier` maps the ids of
the parts answered so far to the learner's values, records each PartAnswer, and proposes the
rating of the weakest part (`exercises.parts.proposed_rating`). A later part is marked against
the learner's own earlier values: "correct from your value of o₁".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.checking.verdict import Verdict
from quizapp.exercises.catalog import CATALOG
from quizapp.exercises.chain import Chain
from quizapp.i18n import Bilingual

if TYPE_CHECKING:
    from quizapp.exercises.parts import PartAnswer

MAX_DRAWS = 200


class GenerationError(RuntimeError):
    """A family could not draw parameters that keep its mistakes distinguishable."""


@dataclass(frozen=True)
class PartMistake:
    """An authored mistake of a part, as math over the chain: re-evaluated from the learner's own
    earlier values when a later part is marked with error carried forward."""

    note: str
    expr: str | tuple[str, ...]  # one expression, or one per vector component
    feedback: Bilingual
    value: Value | None = None  # fixed value (expression answers, which the chain cannot evaluate)


@dataclass(frozen=True)
class Part:
    """One step of a multi-part instance, asked on its own."""

    id: str  # stable within the exercise ("out", "delta_out"); the PartAnswer and the log use it
    label: str  # how the quantity is named in feedback: "o₁"
    prompt_text: Bilingual
    spec: AnswerSpec  # against the true values
    answer_text: str  # as a learner would type it
    answer_hint: Bilingual
    steps: tuple[str, ...]  # the chain steps that give the answer (one per vector component)
    mistakes: tuple[PartMistake, ...] = ()
    answer_display: str = ""  # the answer pretty-printed for the learner

    def prompt(self, lang: str = "en") -> str:
        return self.prompt_text.get(lang)

    @property
    def shown_answer(self) -> str:
        return self.answer_display or self.answer_text


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
    # The answer pretty-printed for the learner ("2·σ(2x)·(1 − σ(2x))"); answer_text is typed form.
    answer_display: str = ""
    chain: Chain | None = None  # inputs and intermediate steps, when the family gives them
    answer_steps: tuple[str, ...] = ()  # the chain steps that give the answer
    parts: tuple[Part, ...] = ()  # multi-part: asked in order; the last one is the answer

    def prompt(self, lang: str = "en") -> str:
        return self.prompt_text.get(lang)

    def solution(self, lang: str = "en") -> str:
        return self.solution_text.get(lang)

    @property
    def shown_answer(self) -> str:
        """The answer as shown to the learner (pretty-printed when the family gives it)."""
        return self.answer_display or self.answer_text

    def check(self, text: str) -> Verdict:
        """Check in this process (no time limit); the app uses checking.worker for the limit."""
        from quizapp.checking.pipeline import check_answer

        return check_answer(text, self.spec, self.mistakes)

    def check_part(self, index: int, text: str, earlier: Mapping[str, Value] | None = None) -> PartAnswer:
        """Check part `index` against the learner's own values of the earlier parts (in this
        process; ExerciseWorker.check_part adds the time limit)."""
        from quizapp.exercises.parts import check_part

        return check_part(self, index, text, earlier or {})


# Each family's title and the plain words for its mistake notes, by family name: data, not code.
DECLARATIONS = os.path.join(os.path.dirname(__file__), "families", "declarations.json")


@cache
def _declarations() -> dict[str, Any]:
    import json  # the app has it already (settings); a bare `import quizapp.exercises.base` need not

    with open(DECLARATIONS, encoding="utf-8") as file:
        data: dict[str, Any] = json.load(file)
    return data


class Family:
    """Base class: subclasses set `name` (and param_defaults) and implement draw() and simulate().

    A subclass that sets a catalogued name gets its topic from the catalog and its title and
    mistake notes from declarations.json, once, when the class is defined."""

    name: ClassVar[str]
    topic: ClassVar[str]
    title: ClassVar[Bilingual]
    param_defaults: ClassVar[dict[str, Any]] = {}
    # Plain-words description of each authored mistake note, for stats ("you most often …").
    mistake_notes: ClassVar[dict[str, Bilingual]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = _declarations().get(cls.__dict__.get("name", ""))
        if declared is not None:
            cls.topic = CATALOG[cls.name].topic
            cls.title = Bilingual(*declared["title"])
            cls.mistake_notes = {note: Bilingual(*words) for note, words in declared["notes"].items()}

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

        from quizapp.exercises.parts import settle

        unknown = set(params) - set(self.param_defaults)
        if unknown:
            raise ValueError(f"{self.name}: unknown parameter(s) {sorted(unknown)}")
        merged = {**self.param_defaults, **params}
        rng = np.random.default_rng(seed)
        for _ in range(MAX_DRAWS):
            inst = settle(self.draw(rng, merged, seed))
            if inst is not None:
                return inst
        raise GenerationError(f"{self.name}: no separable, well-conditioned draw for seed {seed}")


def value_text(value: Value) -> str:
    """A value as a learner would type it (tests feed mistakes and references through the parser)."""
    if isinstance(value, frozenset):
        return " ".join(sorted(value))
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(float(v)) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)
