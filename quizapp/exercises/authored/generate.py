"""Instances of YAML exercises. The variables are drawn from the seed (redrawn until `where` holds),
every numeric answer becomes a step of the instance's chain (so parts are marked with error
carried forward and the tolerance covers hand rounding, as for the built-in families), expression
answers get their drawn values substituted, and the texts' {expr} fields are filled in.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from quizapp.checking.errors import InvalidInput
from quizapp.checking.spec import Value
from quizapp.exercises.authored.schema import (
    AnswerDef,
    ExerciseDef,
    VarDef,
    split_where,
)
from quizapp.exercises.authored.text import fill, split_vector
from quizapp.exercises.base import GenerationError, Instance, Part, PartMistake
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.mathexpr import ExprError, Number, compile_expr, evaluate, substitute
from quizapp.exercises.parts import part_mistakes
from quizapp.i18n import Bilingual

MAX_DRAWS = 200
DEFAULT_FIGURES = 3  # a real variable without `digits` is drawn to 3 significant figures

_CMP = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "≤": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "≥": lambda a, b: a >= b,
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "≠": lambda a, b: a != b,
}  # fmt: skip


class AnswerFailure(ValueError):
    """An answer (or mistake) that cannot be computed for a draw: which field, and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Drawn:
    """One draw's values and the chain over them."""

    env: dict[str, Fraction]
    chain: Chain


def draw_vars(defn: ExerciseDef, rng: random.Random) -> dict[str, Fraction]:
    env: dict[str, Fraction] = {}
    for var in defn.vars:
        env[var.name] = _draw(var, rng)
    return env


def _draw(var: VarDef, rng: random.Random) -> Fraction:
    if var.kind == "int":
        return Fraction(rng.randint(int(var.low), int(var.high)))
    if var.kind == "choice":
        return exact(rng.choice(var.choices))
    value = rng.uniform(var.low, var.high)
    if var.digits is not None:
        return Fraction(Decimal(f"{value:.{var.digits}f}"))
    return Fraction(Decimal(f"{value:.{DEFAULT_FIGURES}g}"))


def where_holds(defn: ExerciseDef, env: Mapping[str, Number]) -> bool:
    """Whether every `where` comparison holds; one that cannot be evaluated counts as false."""
    names = defn.var_names
    try:
        for clause in defn.where:
            for left, op, right in split_where(clause):
                a = evaluate(compile_expr(left, names), env)
                b = evaluate(compile_expr(right, names), env)
                if not _CMP[op](a, b):
                    return False
    except ExprError:
        return False
    return True


def numeric(answer: AnswerDef) -> bool:
    return answer.form.kind != "expression"


def step_ids(answer: AnswerDef) -> tuple[str, ...]:
    """The chain steps of an answer: its id, or id_1 … id_n for a vector."""
    if answer.form.kind != "vector":
        return (answer.id,)
    parts = split_vector(answer.answer) or []
    return tuple(f"{answer.id}_{i}" for i in range(1, len(parts) + 1))


def build_chain(defn: ExerciseDef, env: Mapping[str, Fraction]) -> Chain:
    steps: list[Step] = []
    for answer in defn.answers:
        if not numeric(answer):
            continue
        exprs = split_vector(answer.answer) if answer.form.kind == "vector" else [answer.answer]
        for sid, expr in zip(step_ids(answer), exprs or []):
            steps.append(Step(sid, expr, answer.label or answer.id))
    return Chain(tuple(env.items()), tuple(steps))


def compute(defn: ExerciseDef, env: dict[str, Fraction]) -> Drawn:
    """The chain and its values for one draw; AnswerFailure names the answer that fails."""
    chain = build_chain(defn, env)
    try:
        values = chain.values()
    except ExprError as exc:
        failing = next((s.id for s in chain.steps if s.id not in _safe_values(chain)), "answer")
        raise AnswerFailure(failing, str(exc)) from None
    for answer in defn.answers:
        if answer.form.kind == "integer":
            value = values[answer.id]
            if not (isinstance(value, Fraction) and value.denominator == 1):
                raise AnswerFailure(answer.id, f"is {float(value):.6g}, not an integer (use floor() or ceil(), or form: real)")
    return Drawn(env, chain)


def _safe_values(chain: Chain) -> dict[str, Number]:
    """The steps that do evaluate, in order, up to the first that fails."""
    env: dict[str, Number] = dict(chain.inputs)
    for step in chain.steps:
        try:
            env[step.id] = evaluate(compile_expr(step.expr, chain.names), env)
        except ExprError:
            break
    return env


def generate(defn: ExerciseDef, item_id: str, seed: int) -> Instance:
    """The instance for `seed` (deterministic). GenerationError says why no draw worked."""
    from quizapp.exercises.parts import settle

    rng = random.Random(seed)
    reason = "the `where` condition was never true"
    for _ in range(MAX_DRAWS):
        env = draw_vars(defn, rng)
        if not where_holds(defn, env):
            continue
        try:
            drawn = compute(defn, env)
            inst = settle(assemble(defn, item_id, seed, drawn))
        except (AnswerFailure, ExprError) as exc:
            reason = str(exc)
            continue
        except InvalidInput as exc:  # an expression answer the checker cannot read
            raise GenerationError(f"{item_id}: the checker cannot read the answer: {exc.feedback.en}") from None
        if inst is not None:
            return inst
        reason = "every draw had a mistake equal to the answer (or an answer too sensitive to rounding)"
    raise GenerationError(f"{item_id}: no usable draw for seed {seed}: {reason}")


def assemble(defn: ExerciseDef, item_id: str, seed: int, drawn: Drawn) -> Instance:
    values = drawn.chain.values()
    parts = tuple(_part(defn, item_id, a, drawn, values) for a in defn.answers)
    last = parts[-1]
    last_mistakes = part_mistakes(last, values, drawn.chain.names)
    shown = {p.id: p for p in parts}
    prompt = _fill(defn.prompt, values, shown, "prompt")
    solution = _fill(defn.solution, values, shown, "solution") if defn.solution else _default_solution(parts)
    plain = {name: (int(v) if v.denominator == 1 else float(v)) for name, v in drawn.env.items()}
    return Instance(
        family=item_id, seed=seed, params={}, values=plain, spec=last.spec, mistakes=last_mistakes,
        prompt_text=prompt, solution_text=solution, answer_text=last.answer_text, answer_hint=last.answer_hint,
        chain=drawn.chain, answer_steps=last.steps if not defn.multipart else (), parts=parts if defn.multipart else (),
    )


def _part(defn: ExerciseDef, item_id: str, answer: AnswerDef, drawn: Drawn, values: Mapping[str, Number]) -> Part:
    steps = step_ids(answer) if numeric(answer) else ()
    prefix = f"{item_id}.{answer.id}" if defn.multipart else item_id
    if numeric(answer):
        raw = tuple(values[s] for s in steps)
        reference: Value = _value(raw, answer)
        spec = answer.form.spec(reference, labels=tuple(f"{answer.label or answer.id}[{i}]" for i in range(1, len(raw) + 1)))
        mistakes = tuple(
            PartMistake(f"{prefix}.{m.id}", _components(m.answer, answer), _fill(m.note, values, {})) for m in answer.mistakes
        )
        typed = _typed(reference)
    else:
        scope = drawn.chain.names + answer.form.names
        reference = substitute(compile_expr(answer.answer, scope), values)
        spec = answer.form.spec(reference)
        mistakes = tuple(
            PartMistake(f"{prefix}.{m.id}", m.answer, _fill(m.note, values, {}), value=substitute(compile_expr(m.answer, scope), values))
            for m in answer.mistakes
        )
        typed = str(reference)
    prompt = _fill(answer.prompt, values, {}) if answer.prompt else Bilingual("", "")
    hint = answer.hint or answer.form.hint()
    return Part(answer.id, answer.label or answer.id, prompt, spec, typed, hint, steps, mistakes)


def _components(text: str, answer: AnswerDef) -> str | tuple[str, ...]:
    if answer.form.kind == "vector":
        return tuple(split_vector(text) or [text])
    return text


def _value(raw: tuple[Number, ...], answer: AnswerDef) -> Value:
    if answer.form.kind == "vector":
        return tuple(float(v) for v in raw)
    if answer.form.kind == "integer":
        return int(raw[0])
    return float(raw[0])


def _typed(value: Value) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v:.7g}" for v in value) + "]"
    return str(value) if isinstance(value, int) else f"{value:.7g}"




def _fill(text: Bilingual | None, values: Mapping[str, Number], parts: Mapping[str, Part], field: str = "") -> Bilingual:
    if text is None:
        return Bilingual("", "")
    try:
        return Bilingual(fill(text.en, values, parts), fill(text.zh, values, parts))
    except ExprError as exc:
        raise AnswerFailure(field or "prompt", str(exc)) from None


def _default_solution(parts: tuple[Part, ...]) -> Bilingual:
    from quizapp.exercises.display import answer_display

    if len(parts) == 1:
        lines = [answer_display(parts[0].spec)]
    else:
        lines = [f"{p.label} = {answer_display(p.spec)}" for p in parts]
    return Bilingual("Answer: " + "; ".join(lines), "答案：" + "；".join(lines))


__all__ = ["AnswerFailure", "assemble", "compute", "draw_vars", "generate", "where_holds"]
