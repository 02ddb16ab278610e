"""Safe checking of typed math: parse without eval, compare, name the mistake.

Public API (see README): check_answer, check_expression, Verdict, AnswerSpec, Mistake.
sympy and numpy are imported lazily by the functions that need them.
"""

from __future__ import annotations

from quizapp.checking.spec import AnswerSpec, FunctionDef, Mistake
from quizapp.checking.verdict import Verdict

__all__ = ["AnswerSpec", "FunctionDef", "Mistake", "Verdict", "check_answer", "check_expression"]


def __getattr__(name: str) -> object:
    # Lazy: importing quizapp.checking must not import sympy.
    if name in ("check_answer", "check_expression", "interpret", "is_separated"):
        from quizapp.checking import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
