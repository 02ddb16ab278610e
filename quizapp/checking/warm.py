"""Importing this module runs a few representative checks, so sympy's lazy imports and caches
are filled once. The checking worker's forkserver preloads it; every forked child starts warm."""

from __future__ import annotations

import contextlib

from quizapp.checking.pipeline import check_answer, interpret
from quizapp.checking.spec import AnswerSpec, FunctionDef


def warm_up() -> None:
    # Warming is an optimisation: an error here must never break the forkserver.
    with contextlib.suppress(Exception):
        _checks()


def _checks() -> None:
    sigma = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", ("σ",))
    expr = AnswerSpec("expression", "sigma(x)*(1 - sigma(x))", ("x",), (sigma,), (("s", "sigma(x)"),))
    for text in ("σ(1−σ)", "exp(-x)/(1+exp(-x))^2", "2s(1-s)", "s^2", "1/(4cosh(x/2)^2)"):
        check_answer(text, expr)
    flops = AnswerSpec("expression", "M*K*(2*N - 1)", ("M", "K", "N"))
    check_answer("MK(2N-1)", flops)
    check_answer("2*64*3*3", AnswerSpec("integer", 1152))
    check_answer("e^-2", AnswerSpec("real", 0.1353352832366127))
    check_answer("[0.1, 0.2, 0.7]", AnswerSpec("vector", (0.1, 0.2, 0.7)))
    check_answer("a c", AnswerSpec("choice", frozenset({"A", "C"})))
    interpret("x²", AnswerSpec("expression", "x**2", ("x",)))


warm_up()
