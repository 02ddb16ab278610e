"""Helpers for numeric values in the part-B family modules: vectors as text, and a stricter
separation test that draw() uses to redraw until every authored mistake (and every pair of
mistakes) is far apart, so each mistake can be recognised by its own note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar, cast

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.catalog import CATALOG
from quizapp.exercises.chain import Chain
from quizapp.exercises.families._mathtext import bi, param_or_draw, scalar_instance, show, typed
from quizapp.i18n import Bilingual

# A mistake's value before `convert` puts it in the answer's form (a list, an array, a Value).
Raw = TypeVar("Raw")

# How many candidate draws a family tries before keeping the last one (is_separated then decides).
MAX_TRIES = 100

# Twice the pipeline's 10×rtol rule (rtol 1e-3), so is_separated() rarely has to redraw.
FAR_RTOL = 2e-2

HINT_VECTOR = bi(
    "a vector like [0.1, -2, 3.5], each component with at least 4 significant figures",
    "一个向量，如 [0.1, -2, 3.5]，每个分量至少 4 位有效数字",
)


def bracketed(items: Iterable[str]) -> str:
    """Components written out as one vector: [a, b, c]."""
    return "[" + ", ".join(items) + "]"


def show_vec(xs: Sequence[float], digits: int = 4) -> str:
    """A vector for prompts and solutions: [1.5, −0.25, 3]."""
    return bracketed(show(float(x), digits) for x in xs)


def tidy_vec(xs: Sequence[float]) -> tuple[float, ...]:
    """Float dust (1e-17 where the exact answer is 0) and -0.0 become 0.0, so the answer reads cleanly."""
    scale = max([abs(float(x)) for x in xs] or [0.0])
    return tuple(0.0 if abs(float(x)) <= 1e-12 * scale else float(x) for x in xs)


def typed_vec(xs: Sequence[float]) -> str:
    """A vector as a learner would type it."""
    return bracketed(typed(float(x)) for x in xs)


def other_vec_spellings(reference: Value) -> tuple[str, str]:
    """A vector answer typed two other ways the parser accepts: space-separated (6 significant
    figures) and semicolon-separated (6 decimals)."""
    assert isinstance(reference, tuple)
    return " ".join(f"{v:.6g}" for v in reference), "; ".join(f"{v:.6f}" for v in reference)


def _far_real(a: float, b: float, scale: float) -> bool:
    return abs(a - b) > FAR_RTOL * max(abs(a), abs(b), scale)


def far(a: Value, b: Value) -> bool:
    """True when a and b cannot be confused by a checker with relative tolerance ~1e-3."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            return True
        # A component counts as far only relative to the vector's own size, so a mistake that
        # differs from the answer by 1e-9 in a zero component is not called "far".
        scale = 1e-3 * max([abs(float(v)) for v in (*a, *b)] or [1.0])
        return any(_far_real(float(x), float(y), scale) for x, y in zip(a, b))
    if isinstance(a, int) and isinstance(b, int):
        return a != b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return _far_real(float(a), float(b), 1e-9)
    return a != b


def all_far(values: Sequence[Value]) -> bool:
    """Every pair in values is far apart (the reference first, then the mistakes)."""
    return all(far(values[i], values[j]) for i in range(len(values)) for j in range(i + 1, len(values)))


def mistakes_from(
    feedback: Mapping[str, Bilingual],
    wrong: Mapping[str, Raw],
    convert: Callable[[Raw], Value] | None = None,
) -> tuple[Mistake, ...]:
    """One Mistake per entry of wrong (note -> value), with the note's feedback from the table;
    convert, when given, turns each raw value into the answer's form (e.g. tidy_vec)."""
    return tuple(
        Mistake(note=note, value=cast(Value, value) if convert is None else convert(value),
                feedback=feedback[note])
        for note, value in wrong.items()
    )



def vector_instance(
    family: Family,
    seed: int,
    params: Mapping[str, object],
    answer: Sequence[float],
    labels: tuple[str, ...],
    mistakes: tuple[Mapping[str, Bilingual], Mapping[str, Sequence[float]]],
    *,
    values: Mapping[str, object],
    prompt_text: Bilingual,
    solution_text: Bilingual,
    chain: Chain | None = None,
    answer_steps: tuple[str, ...] = (),
) -> Instance:
    """An instance whose answer is a vector: the answer and each mistake (the feedback table and
    note -> value) are tidied the same way (tidy_vec), typed as a learner would, hinted HINT_VECTOR."""
    feedback, wrong = mistakes
    ref = tidy_vec(answer)
    return Instance(
        family=family.name, seed=seed, params=dict(params), values=values,
        spec=AnswerSpec(kind="vector", reference=ref, labels=labels),
        mistakes=mistakes_from(feedback, wrong, tidy_vec), prompt_text=prompt_text, solution_text=solution_text,
        answer_text=typed_vec(ref), answer_hint=HINT_VECTOR, chain=chain, answer_steps=answer_steps,
    )


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
    # One candidate drawn from rng with the chosen parameters as keywords (their names vary).
    attempt: Callable[..., Attempt]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            cls.choices = tuple(CATALOG[cls.name].params)
            cls.param_defaults = dict.fromkeys(cls.choices)

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        allowed = CATALOG[self.name].params
        chosen = {key: param_or_draw(rng, params, key, allowed[key]) for key in self.choices}
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
