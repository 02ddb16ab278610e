"""Small helpers shared by the part-A family modules: number formatting and bilingual snippets.

Numbers shown to the learner use unicode minus signs; numbers in answer text (what a learner
would type) use ASCII so the parser reads them back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from quizapp.checking.numtext import number
from quizapp.checking.spec import AnswerSpec, Mistake
from quizapp.exercises.base import Family, Instance, Part
from quizapp.exercises.chain import Chain
from quizapp.i18n import Bilingual

T = TypeVar("T")

MINUS = "\u2212"
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def bi(en: str, zh: str) -> Bilingual:
    return Bilingual(en=en, zh=zh)


def bi_lines(en: Sequence[str], zh: Sequence[str]) -> Bilingual:
    """Two lists of lines (a worked solution, say) as one bilingual text."""
    return bi("\n".join(en), "\n".join(zh))


def stack(*parts: Bilingual) -> Bilingual:
    """Bilingual texts one under the other, e.g. a prompt's setup and its question."""
    return bi_lines([p.en for p in parts], [p.zh for p in parts])


def numbered(items: Sequence[Bilingual]) -> Bilingual:
    """An indented numbered list, '  1. …' per item (the layers of a network in a prompt)."""
    return bi_lines(
        [f"  {i}. {item.en}" for i, item in enumerate(items, 1)],
        [f"  {i}. {item.zh}" for i, item in enumerate(items, 1)],
    )


def pick(rng: Any, choices: Sequence[T]) -> T:
    """One element of a list as a plain Python value (not a numpy scalar)."""
    return choices[int(rng.integers(len(choices)))]


def param_or_draw(rng: Any, params: Mapping[str, Any], key: str, choices: Sequence[T]) -> T:
    """The YAML parameter when given; None (the default) means a fresh draw per seed."""
    value = params.get(key)
    if value is None:
        return pick(rng, choices)
    if value not in choices:
        raise ValueError(f"{key} must be one of {list(choices)}, not {value!r}")
    return value


def sub(n: int | str) -> str:
    """Unicode subscript digits: sub(12) -> '₁₂'."""
    return str(n).translate(SUB)


def sup(n: int | str) -> str:
    return str(n).translate(SUP)


def show(x: float, digits: int = 4) -> str:
    """A number for prompts and solutions: `digits` significant figures, unicode minus."""
    return number(float(x), digits)


def typed(x: float) -> str:
    """A real as a learner would type it: 7 significant figures, well inside a 1e-3 tolerance."""
    return f"{x:.7g}"


def grouped(n: int) -> str:
    """An integer with thousands separators for reading: 1,204,224 (negative with unicode minus)."""
    return f"{n:,}".replace("-", MINUS)


def signed_term(coef: int, body: str) -> str:
    """'2x', '−3x' for display."""
    return f"{coef}{body}".replace("-", MINUS)


HINT_INTEGER = bi("an integer (arithmetic like 2*64*3*3 is fine)", "一个整数（可以写算式，如 2*64*3*3）")
HINT_REAL = bi(
    "a number with at least 4 significant figures (fractions and arithmetic are fine)",
    "一个数，至少 4 位有效数字（可以写分数或算式）",
)


def par(x: float, digits: int = 4) -> str:
    """show(x), in parentheses when negative, for use inside products: 0.5·(−0.18)."""
    text = show(x, digits)
    return f"({text})" if x < 0 else text


def distinct_values(values: Sequence[Any], rtol: float = 1e-2) -> bool:
    """True when no two numbers are equal (integers) or within rtol (reals): each authored
    mistake must be recognisable by its own note, so two mistakes may not share a value."""
    for i, a in enumerate(values):
        for b in values[:i]:
            if isinstance(a, int) and isinstance(b, int):
                if a == b:
                    return False
            elif abs(float(a) - float(b)) <= rtol * max(abs(float(a)), abs(float(b)), 1e-12):
                return False
    return True


def draw_distinct(
    draw_once: Callable[[Any, Mapping[str, Any], int], Instance],
    rng: Any,
    params: Mapping[str, Any],
    seed: int,
    tries: int = 100,
) -> Instance:
    """Call draw_once until the answer and all mistake values are pairwise distinct."""
    inst = draw_once(rng, params, seed)
    for _ in range(tries):
        if distinct_values([inst.spec.reference, *(m.value for m in inst.mistakes)]):
            break
        inst = draw_once(rng, params, seed)
    return inst


class DistinctDrawFamily(Family):
    """A family whose draw() repeats _draw_once() until the answer and every mistake value are
    pairwise distinct (draw_distinct); subclasses implement _draw_once() instead of draw()."""

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        return draw_distinct(self._draw_once, rng, params, seed)

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        raise NotImplementedError



def scalar_instance(
    family: Family,
    seed: int,
    params: Mapping[str, Any],
    answer: int | float,
    *,
    values: Mapping[str, Any],
    mistakes: Sequence[Mistake],
    prompt_text: Bilingual,
    solution_text: Bilingual,
    chain: Chain | None = None,
    answer_steps: tuple[str, ...] = (),
    parts: tuple[Part, ...] = (),
) -> Instance:
    """An instance whose answer is one number: an int is an integer answer (typed as is, hinted
    HINT_INTEGER), a float a real one (typed(), HINT_REAL); the other fields are Instance's."""
    integer = isinstance(answer, int)
    return Instance(
        family=family.name, seed=seed, params=dict(params), values=values,
        spec=AnswerSpec(kind="integer" if integer else "real", reference=answer), mistakes=tuple(mistakes),
        prompt_text=prompt_text, solution_text=solution_text,
        answer_text=str(answer) if integer else typed(answer), answer_hint=HINT_INTEGER if integer else HINT_REAL,
        chain=chain, answer_steps=answer_steps, parts=parts,
    )
