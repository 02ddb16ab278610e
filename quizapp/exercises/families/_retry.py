"""The redraw loop every family shares: a RetryFamily names no parameters and writes no loop;
it draws one candidate in attempt(), says whether to keep it and how to build its instance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.catalog import CATALOG
from quizapp.exercises.families._mathtext import param_or_draw, pick, scalar_instance
from quizapp.exercises.families._values import MAX_TRIES, mistakes_from
from quizapp.i18n import Bilingual

# A candidate draw: whether it is kept, and how to build its instance from (params, seed); None
# for a candidate dropped before it was complete.
Build = Callable[[Mapping[str, Any], int], Instance]
Attempt = tuple[bool, Build | None]


class RetryFamily(Family):
    """A family that draws candidates until one is kept. Every parameter the catalog lists for it
    is a choice: drawn per seed when an item leaves it out (from the values the catalog allows),
    before the first candidate. attempt(rng, **chosen) draws one candidate; after MAX_TRIES the
    last complete one is kept (generate() and is_separated have the last word)."""

    choices: ClassVar[tuple[str, ...]] = ()
    # Drawn per seed after the choices, but no item may set them (e.g. which quantity is asked).
    drawn: ClassVar[dict[str, tuple[Any, ...]]] = {}
    # One candidate drawn from rng with the chosen parameters as keywords (their names vary).
    attempt: Callable[..., Attempt]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            cls.choices = tuple(CATALOG[cls.name].params)
            cls.param_defaults = dict.fromkeys(cls.choices)

    def choose(self, rng: Any, params: Mapping[str, Any]) -> dict[str, Any]:
        """What every candidate of one draw shares: each choice (the item's value, else drawn),
        then each of `drawn`."""
        allowed = CATALOG[self.name].params
        chosen = {key: param_or_draw(rng, params, key, allowed[key]) for key in self.choices}
        return chosen | {key: pick(rng, options) for key, options in self.drawn.items()}

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        chosen = self.choose(rng, params)
        build: Build | None = None
        for _ in range(MAX_TRIES):
            kept, candidate = self.attempt(rng, **chosen)
            build = candidate or build
            if kept:
                break
        assert build is not None, f"{self.name}: no complete candidate in {MAX_TRIES} tries"
        return build(params, seed)


def scalar_build(
    family: Family,
    answer: int | float,
    values: Mapping[str, Any],
    mistakes: tuple[Mapping[str, Bilingual], Mapping[str, Value]],
    prompt: Callable[[Mapping[str, Any]], Bilingual],
    solution: Callable[[Mapping[str, Any], Any], Bilingual],
) -> Build:
    """The build of a one-number answer whose prompt and solution are written from its values
    (the solution also from the answer); mistakes: the feedback table and note -> value."""
    feedback, wrong = mistakes

    def build(params: Mapping[str, Any], seed: int) -> Instance:
        return scalar_instance(
            family, seed, params, answer, values=values, mistakes=mistakes_from(feedback, wrong),
            prompt_text=prompt(values), solution_text=solution(values, answer),
        )

    return build
