"""What the exercise-family tests share: the families straight from their modules, the parameter
variants to run, and the checks every family's instances must pass (test_exercises_*.py)."""

from __future__ import annotations

import importlib
import itertools
import math

import numpy as np

from quizapp.exercises.base import Family, Instance, value_text
from quizapp.exercises.catalog import CATALOG

MALFORMED = ("2*(", "abc$", "x+", "[1, 2")


def get_family(name: str) -> Family:
    """A family straight from its module (the registry would need every module to import)."""
    module = importlib.import_module(f"quizapp.exercises.families.{CATALOG[name].module}")
    matches = [f for f in module.FAMILIES if f.name == name]
    assert len(matches) == 1, f"{module.__name__}.FAMILIES must hold exactly one {name!r}"
    return matches[0]


def param_variants(name: str) -> list[dict[str, object]]:
    """The default (drawn per seed) plus every single catalog value."""
    variants: list[dict[str, object]] = [{}]
    for key, values in CATALOG[name].params.items():
        variants += [{key: v} for v in values]
    return variants


def full_variants(name: str) -> list[dict[str, object]]:
    """Every combination of the catalog values (all parameters fixed)."""
    keys = list(CATALOG[name].params)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(CATALOG[name].params[k] for k in keys))] or [{}]


def reference_at(inst: Instance, points: tuple) -> np.ndarray:  # type: ignore[type-arg]
    """An expression answer evaluated at sample points by the checker's own safe parser."""
    from quizapp.checking import numeric
    from quizapp.checking.parse import context_for

    spec = inst.spec
    ctx = context_for(tuple(spec.variables), tuple(spec.functions), tuple(spec.aliases))
    expr = ctx.expand_functions(ctx.parse(str(spec.reference)).expr)
    cols = np.array(points, dtype=np.float64).reshape(len(points), -1)
    env = {ctx.symbols[v]: cols[:, i] for i, v in enumerate(spec.variables)}
    return np.broadcast_to(numeric.evaluate(expr, env), (len(points),))


def assert_same_answer(inst: Instance, fam: Family, simulated: object) -> None:
    """The closed form (the instance's reference) and the family's independent simulation agree."""
    ref, where = inst.spec.reference, (inst.family, inst.seed, dict(inst.params))
    kind = inst.spec.kind
    if kind == "integer":
        assert isinstance(simulated, int) and not isinstance(simulated, bool) and simulated == ref, (*where, ref, simulated)
    elif kind == "real":
        assert isinstance(ref, float)
        assert math.isclose(float(simulated), ref, rel_tol=1e-9), (*where, ref, simulated)  # type: ignore[arg-type]
    elif kind == "vector":
        assert isinstance(simulated, tuple) and isinstance(ref, tuple) and len(simulated) == len(ref), where
        scale = max(abs(v) for v in ref)
        atol = 1e-12 * scale if scale else 1e-9  # an all-zero answer: the simulation's float dust
        assert np.allclose(simulated, ref, rtol=1e-9, atol=atol), (*where, ref, simulated)
    else:
        assert kind == "expression"
        expected = reference_at(inst, fam.sample_points)  # type: ignore[attr-defined]
        np.testing.assert_allclose(np.asarray(simulated), expected, rtol=1e-12, atol=1e-12, err_msg=str(where))


def assert_checks_as_authored(fam: Family, inst: Instance, malformed: tuple[str, ...] = MALFORMED) -> None:
    """The answer and every other spelling of it are correct, each mistake is recognised by its
    own note and feedback, and malformed input is invalid."""
    where = (inst.family, inst.seed, dict(inst.params))
    verdict = inst.check(inst.answer_text)
    assert verdict.status == "correct", (*where, inst.answer_text, verdict)
    alternatives = fam.alternative_answers(inst)
    assert alternatives and inst.answer_text not in alternatives, where
    for alt in alternatives:
        verdict = inst.check(alt)
        assert verdict.status == "correct", (*where, alt, verdict)
    for mistake in inst.mistakes:
        verdict = inst.check(value_text(mistake.value))
        assert (verdict.status, verdict.note) == ("wrong", mistake.note), (*where, mistake.value, verdict)
        assert verdict.feedback == mistake.feedback
    for bad in malformed:
        assert inst.check(bad).status == "invalid", (*where, bad)
