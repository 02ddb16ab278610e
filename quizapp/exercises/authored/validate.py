"""`quizapp validate` for YAML exercises: each is drawn on 50 seeds, and what would go wrong for a
learner is reported against its field: an answer that is undefined or not finite, an integer
answer that is not whole, a `where` that is rarely true, a mistake equal to the answer, an
expression answer the checker cannot read, and anything else that stops an instance from being
generated. Unknown names and a part that names a later part are found when the deck loads.

Findings are (field, message) pairs; the deck turns the field into FILE:LINE:COL.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from quizapp.checking.errors import InvalidInput
from quizapp.exercises.authored.generate import (
    AnswerFailure,
    assemble,
    compute,
    draw_vars,
    step_ids,
    where_holds,
)
from quizapp.exercises.authored.schema import ExerciseDef
from quizapp.exercises.base import Instance
from quizapp.exercises.mathexpr import ExprError

SEEDS = 50
WHERE_TRIALS = 400
RARE_WHERE = 0.05  # `where` true in fewer than 5 % of draws is reported
EQUAL_SHARE = 0.1  # a mistake equal to the answer on 10 % of the seeds or more is reported
MAX_TRIES = 200


@dataclass(frozen=True)
class Finding:
    field: str  # "answer", "where", "parts[1].answer", "mistakes[0].answer", "" for the item
    message: str


def answer_field(defn: ExerciseDef, step_or_answer: str, suffix: str = "answer") -> str:
    """The YAML field of an answer (or of one of its steps, "z_2"), or a text field."""
    if step_or_answer in ("prompt", "solution"):
        return step_or_answer
    for i, answer in enumerate(defn.answers):
        if step_or_answer == answer.id or step_or_answer in step_ids(answer):
            return f"parts[{i}].{suffix}" if defn.multipart else suffix
    return suffix


def check_exercise(defn: ExerciseDef, item_id: str) -> list[Finding]:
    """Never raises: anything unexpected is itself a finding."""
    try:
        findings = _where_findings(defn)
        findings += _seed_findings(defn, item_id)
    except Exception as exc:  # noqa: BLE001 - a broken exercise must be reported, not crash validate
        return [Finding("", f"cannot check this exercise: {type(exc).__name__}: {exc}")]
    return findings


def _where_findings(defn: ExerciseDef) -> list[Finding]:
    if not defn.where:
        return []
    rng = random.Random(0)
    true = sum(1 for _ in range(WHERE_TRIALS) if where_holds(defn, draw_vars(defn, rng)))
    if true == 0:
        return [Finding("where", f"is never true in {WHERE_TRIALS} draws of the variables")]
    if true < RARE_WHERE * WHERE_TRIALS:
        return [Finding("where", f"is true in only {true} of {WHERE_TRIALS} draws: widen the variables' ranges or relax it")]
    return []


def _first_draw(defn: ExerciseDef, seed: int) -> dict | None:
    rng = random.Random(seed)
    for _ in range(MAX_TRIES):
        env = draw_vars(defn, rng)
        if where_holds(defn, env):
            return env
    return None


def _seed_findings(defn: ExerciseDef, item_id: str) -> list[Finding]:
    failed: dict[str, tuple[int, str]] = {}
    counts: Counter[str] = Counter()
    equal: Counter[str] = Counter()
    for seed in range(SEEDS):
        env = _first_draw(defn, seed)
        if env is None:
            continue
        try:
            inst = assemble(defn, item_id, seed, compute(defn, env))
        except AnswerFailure as exc:
            field = answer_field(defn, exc.field)
            counts[field] += 1
            failed.setdefault(field, (seed, f"{exc.message} (seed {seed}: {_shown(env)})"))
            continue
        except (ExprError, InvalidInput) as exc:
            field = answer_field(defn, _expression_answer(defn))
            message = exc.feedback.en if isinstance(exc, InvalidInput) else str(exc)
            return [Finding(field, f"the checker cannot read this answer: {message}")]
        problem = _reference_problem(inst)
        if problem:
            return [Finding(problem[0], problem[1])]
        equal.update(_equal_mistakes(defn, inst))
    findings = [
        Finding(field, f"cannot be computed on {counts[field]} of {SEEDS} seeds, e.g. {why}")
        for field, (_, why) in failed.items()
    ]
    findings += [
        Finding(field, f"equals the answer on {n} of {SEEDS} seeds: it can never be told apart there (those draws are skipped)")
        for field, n in equal.items() if n >= EQUAL_SHARE * SEEDS
    ]
    return findings


def _expression_answer(defn: ExerciseDef) -> str:
    return next((a.id for a in defn.answers if a.form.kind == "expression"), defn.answers[-1].id)


def _shown(env: dict) -> str:
    return ", ".join(f"{k} = {float(v):g}" for k, v in env.items())


def _reference_problem(inst: Instance) -> tuple[str, str] | None:
    """An expression answer the checker cannot read (floor() in an expression, say)."""
    from quizapp.checking.errors import InvalidInput
    from quizapp.checking.expressions import setup_for

    parts = inst.parts or ()
    specs = [(f"parts[{i}].answer", p.spec) for i, p in enumerate(parts)] if parts else [("answer", inst.spec)]
    for field, spec in specs:
        if spec.kind != "expression":
            continue
        try:
            setup_for(spec)
        except InvalidInput as exc:
            return field, f"the checker cannot read this answer: {exc.feedback.en}"
    return None


def _equal_mistakes(defn: ExerciseDef, inst: Instance) -> list[str]:
    from quizapp.checking.pipeline import is_separated
    from quizapp.exercises.parts import part_mistakes

    out: list[str] = []
    chain = inst.chain
    env = chain.values() if chain is not None else {}
    names = chain.names if chain is not None else ()
    parts = inst.parts or ()
    for index, answer in enumerate(defn.answers):
        spec = parts[index].spec if parts else inst.spec
        mistakes = part_mistakes(parts[index], env, names) if parts else inst.mistakes
        by_note = {m.note.rsplit(".", 1)[-1]: m for m in mistakes}
        for j, authored in enumerate(answer.mistakes):
            mistake = by_note.get(authored.id)
            if mistake is not None and not is_separated(spec, mistake):
                out.append(answer_field(defn, answer.id, f"mistakes[{j}].answer"))
    return out
