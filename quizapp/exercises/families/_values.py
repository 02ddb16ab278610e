"""Helpers for numeric values in the part-B family modules: vectors as text, and a stricter
separation test that draw() uses to redraw until every authored mistake (and every pair of
mistakes) is far apart, so each mistake can be recognised by its own note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar, cast

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.chain import Chain
from quizapp.exercises.families._mathtext import bi, show, typed
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
