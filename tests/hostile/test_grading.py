"""Wrong grading (issue 16 item 12): a function given per exercise, applied to a parenthesised
argument, is application — never multiplication."""

from __future__ import annotations

import pytest

from quizapp.checking import FunctionDef, check_expression

SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", aliases=("σ",))


@pytest.mark.parametrize(("typed", "reference"), [
    ("sigma(sigma(x))", "1/(1 + exp(-1/(1 + exp(-x))))"),
    ("σ(σ(x))", "1/(1 + exp(-1/(1 + exp(-x))))"),
    ("sigma(sigma(x)+1)", "1/(1 + exp(-(1/(1 + exp(-x)) + 1)))"),
    ("σ(x)(1-σ(x))", "sigma(x)*(1 - sigma(x))"),  # a product of two applications stays a product
])
def test_a_function_applied_to_parentheses_is_application(typed: str, reference: str) -> None:
    verdict = check_expression(typed, reference, ["x"], functions=[SIGMA])
    assert verdict.status == "correct", verdict.interpreted
