"""Safe checking of typed math: parse without eval, compare, name the mistake.

Public API (sympy and numpy are imported lazily, only by the functions that need them):

- ``check_answer(text, spec, mistakes=()) -> Verdict``: the whole pipeline, first match wins:
  invalid (costs no attempt) -> correct -> authored mistakes (same equivalence test) ->
  generic detectors ("generic.sign", "generic.power-of-ten", "generic.factor-2", "generic.factor",
  "generic.off-by-one", "generic.offset", "generic.rounding", "generic.inexact",
  "generic.not-integer") ->
  "generic.wrong". Never raises for any text.
- ``check_expression(text, reference, variables, functions=None, digits=None) -> Verdict``;
  ``variables`` is a list of names (all real) or a mapping name -> domain.
- ``interpret(text, spec) -> Interpretation``: parse and validate only, for the live preview.
  It is not a Verdict (nothing is marked): ``.valid``, ``.interpreted``, and when invalid
  ``.note`` / ``.feedback`` (``.is_invalid`` works as on a Verdict).
- ``is_separated(spec, mistake) -> bool``: whether a family's authored mistake is far enough from
  the reference to be told apart (numbers ≥ 10× the tolerance; see pipeline.is_separated).
- ``quizapp.checking.worker.CheckWorker``: the same in a pre-started process with a 2 s hard limit.
- ``quizapp.checking.notes.NOTE_DESCRIPTIONS``: the generic and invalid notes in plain words.

Answer kinds (AnswerSpec.kind): "expression" (reference: trusted text parsed by the same safe
parser; variables must be ASCII names, and Greek letters typed by the learner fold to names:
β -> beta, η -> eta, λ -> lam, σ -> sigma). An expression answer is exact: it must equal the
reference on the whole of each variable's declared domain (spec.domain: "real" by default,
"positive", "nonnegative", "unit", "integer", "natural", or an interval), where each side is
defined as well as where they agree; values are compared exactly (Fractions, or mpmath balls
with rigorous error bounds), after a float screen over a grid of simple values and random
points. With spec.digits set, agreement to that many significant digits also passes.
"integer" (exact); "real" (rtol 1e-3 by default, floor spec.atol or 1e-9, at least half a unit
in the last digit when spec.digits is set; a tolerance allows 1e-9 of itself for rounding);
"vector" (same tolerance per component; a wrong length is invalid, "invalid.length");
"choice" (a set of option letters).

Domains for YAML answer forms: ``spec.variables_and_domains(value)`` reads ``in: [x, N]`` or
``in: {x: real, N: natural}`` into (variables, domain) for an AnswerSpec, raising a ValueError
with a readable message.
"""

from __future__ import annotations

from quizapp.checking.spec import (
    DOMAIN_NAMES,
    AnswerSpec,
    FunctionDef,
    Mistake,
    variables_and_domains,
)
from quizapp.checking.verdict import Verdict

__all__ = [
    "DOMAIN_NAMES",
    "AnswerSpec",
    "FunctionDef",
    "Interpretation",
    "Mistake",
    "Verdict",
    "check_answer",
    "check_expression",
    "interpret",
    "is_separated",
    "variables_and_domains",
]


def __getattr__(name: str) -> object:
    # Lazy: importing quizapp.checking must not import sympy.
    if name in ("check_answer", "check_expression", "interpret", "is_separated", "Interpretation"):
        from quizapp.checking import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
