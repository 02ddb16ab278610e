"""Authored math (YAML exercises, math cloze references, chain steps): read by the checker's
whitelisted lexer, evaluated over exact rationals, never run as code, bounded in size."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizapp.exercises.authored.schema import split_vector, split_where
from quizapp.exercises.authored.text import format_value
from quizapp.exercises.forms import number_value, vector_value
from quizapp.exercises.mathexpr import ExprError, compile_expr, evaluate, substitute, value_of


def test_exact_arithmetic_and_functions() -> None:
    assert value_of("n*d + d", ["n", "d"], {"n": 3, "d": 64}) == 256
    assert value_of("floor((H + 2*P - K)/S) + 1", ["H", "P", "K", "S"], {"H": 32, "P": 1, "K": 3, "S": 2}) == 16
    assert value_of("1/3 + 1/6", [], {}) == Fraction(1, 2)
    assert value_of("sqrt(9/4)", [], {}) == Fraction(3, 2)
    assert value_of("sigma(0)", [], {}) == 0.5
    assert value_of("max(2, min(5, 3))", [], {}) == 3
    assert value_of("2^-2", [], {}) == Fraction(1, 4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nd + d", "unknown name 'nd' (write n*d"),  # no silent name splitting for authors
        ("n*m", "unknown variable 'm'"),
        ("2**", "something is missing after it"),
        ("__import__('os')", "can't read"),
        ("n.__class__", "can't read"),
        ("exp(1000)", "too large"),
        ("2^100000", "too large"),
        ("n^n^n^n", "too large"),
        ("log(0)", "undefined or not real"),
        ("(-8)^(1/3)", "undefined or not real"),
        ("1/(n - n)", "division by zero"),
        ("(" * 50 + "n" + ")" * 50, "too deeply"),
        ("+".join(["n"] * 150), "too long"),
    ],
)
def test_bad_math_is_an_error_with_a_message(text: str, message: str) -> None:
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace("*", r"\*")):
        value_of(text, ["n", "d"], {"n": 9, "d": 2})


def test_substitute_keeps_free_names_and_folds_floor() -> None:
    compiled = compile_expr("a*sigma(a*x)*(1 - sigma(a*x))", ["a", "x"])
    assert substitute(compiled, {"a": -2}) == "(((-2) * sigma(((-2) * x))) * (1 - sigma(((-2) * x))))"
    assert substitute(compile_expr("floor(n/2)*x", ["n", "x"]), {"n": 7}) == "(3 * x)"
    assert evaluate(compile_expr("x^2", ["x"]), {"x": Fraction(1, 2)}) == Fraction(1, 4)


def test_numbers_and_vectors_without_sympy() -> None:
    assert number_value("73,728") == 73728
    assert number_value("3·3·64·128") == 73728
    assert number_value("1/2") == Fraction(1, 2)
    assert number_value("5%") == Fraction(1, 20)
    assert number_value("many") is None and number_value("2**") is None
    assert vector_value("[0.2, 0.5, 0.3]") == (Fraction(1, 5), Fraction(1, 2), Fraction(3, 10))
    assert vector_value("[0.2, x]") is None


def test_where_and_vector_splitting() -> None:
    assert split_where("0 < n < d and d != 64") == [("0", "<", "n"), ("n", "<", "d"), ("d", "!=", "64")]
    assert split_where("min(n, d) >= 2") == [("min(n, d)", ">=", "2")]
    with pytest.raises(ExprError):
        split_where("n")
    assert split_vector("[a + b, min(a, b)]") == ["a + b", "min(a, b)"]
    assert split_vector("a + b") is None and split_vector("[a, ]") is None


def test_values_in_texts() -> None:
    assert format_value(Fraction(256)) == "256"
    assert format_value(Fraction(1204224)) == "1,204,224"
    assert format_value(Fraction(37, 100)) == "0.37"
    assert format_value(Fraction(-1, 3)) == "−0.3333"
    assert format_value(2 / 3, 2) == "0.67"
    assert format_value(1.5e-7) == "1.5×10⁻⁷"
