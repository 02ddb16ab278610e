"""Safe checking of typed math: parse without eval, compare, name the mistake.

Public API (sympy and numpy are imported lazily, only by the functions that need them):

- ``check_answer(text, spec, mistakes=()) -> Verdict``: the whole pipeline, first match wins:
  invalid (costs no attempt) -> correct -> authored mistakes (same equivalence test) ->
  generic detectors ("generic.sign", "generic.power-of-ten", "generic.factor-2", "generic.factor",
  "generic.off-by-one", "generic.offset", "generic.rounding", "generic.not-integer") ->
  "generic.wrong". Never raises for any text.
- ``check_expression(text, reference, variables, functions=None) -> Verdict``.
- ``interpret(text, spec) -> Interpretation``: parse and validate only, for the live preview.
  It is not a Verdict (nothing is marked): ``.valid``, ``.interpreted``, and when invalid
  ``.note`` / ``.feedback`` (``.is_invalid`` works as on a Verdict).
- ``is_separated(spec, mistake) -> bool``: whether a family's authored mistake is far enough from
  the reference to be told apart (numbers ≥ 10× the tolerance; see pipeline.is_separated).
- ``quizapp.checking.worker.CheckWorker``: the same in a pre-started process with a 2 s hard limit.
- ``quizapp.checking.notes.NOTE_DESCRIPTIONS``: the generic and invalid notes in plain words.

Answer kinds (AnswerSpec.kind): "expression" (reference: trusted text parsed by the same safe
parser; variables must be ASCII names, and Greek letters typed by the learner fold to names:
β -> beta, η -> eta, λ -> lam, σ -> sigma; random points are drawn per variable from
spec.domain, default (-3, 3), or (1, 20) for names starting with a capital letter such as M, K,
N); "integer" (exact); "real" (rtol 1e-3 by default, floor spec.atol or 1e-9; a family that asks
for d decimals should set atol = 0.5·10^-d); "vector" (same tolerance per component; a wrong
length is invalid, "invalid.length"); "choice" (a set of option letters).
"""

from __future__ import annotations

from quizapp.checking.spec import AnswerSpec, FunctionDef, Mistake
from quizapp.checking.verdict import Verdict

__all__ = [
    "AnswerSpec",
    "FunctionDef",
    "Interpretation",
    "Mistake",
    "Verdict",
    "check_answer",
    "check_expression",
    "interpret",
    "is_separated",
]


def __getattr__(name: str) -> object:
    # Lazy: importing quizapp.checking must not import sympy.
    if name in ("check_answer", "check_expression", "interpret", "is_separated", "Interpretation"):
        from quizapp.checking import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
