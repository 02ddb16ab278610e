"""Reading typed math: unicode folding, implicit multiplication, names, limits."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from quizapp.checking.errors import InvalidInput
from quizapp.checking.normalize import fold
from quizapp.checking.parse import context_for
from quizapp.checking.spec import FunctionDef

SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", ("σ",))
x = sp.Symbol("x", real=True)
M, K, N = (sp.Symbol(n, real=True) for n in "MKN")
sigma = sp.Function("sigma", real=True, finite=True)


def parse(text: str, variables: tuple[str, ...] = ("x",), functions=(), aliases=()) -> sp.Expr:
    return context_for(variables, tuple(functions), tuple(aliases)).parse(text).expr


def invalid_note(text: str, variables: tuple[str, ...] = ("x",), functions=()) -> str:
    with pytest.raises(InvalidInput) as info:
        parse(text, variables, functions)
    return info.value.note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2", x**2),
        ("x**2", x**2),
        ("x²", x**2),
        ("x³ + 1", x**3 + 1),
        ("(1+x)²", (1 + x) ** 2),  # NFKC would have turned this into (1+x)*2
        ("2x", 2 * x),
        ("2 x", 2 * x),
        ("x(1-x)", x * (1 - x)),
        ("(x)(x+1)", x * (x + 1)),
        ("(x+1)(x-1)", (x + 1) * (x - 1)),
        ("x·x", x**2),
        ("x×3", 3 * x),
        ("x÷2", x / 2),
        ("1 − x", 1 - x),
        ("√x", sp.sqrt(x)),
        ("√(x+1)", sp.sqrt(x + 1)),
        ("√√x", sp.sqrt(sp.sqrt(x))),
        ("2√x", 2 * sp.sqrt(x)),
        ("π x", sp.pi * x),
        ("pi*x", sp.pi * x),
        ("e^x", sp.exp(x)),
        ("e^-x", sp.exp(-x)),
        ("exp(-x)", sp.exp(-x)),
        ("ln(x)", sp.log(x)),
        ("log(x)", sp.log(x)),
        ("sqrt(x)", sp.sqrt(x)),
        ("abs(x)", sp.Abs(x)),
        ("tanh(x)", sp.tanh(x)),
        ("1-tanh²(x)", 1 - sp.tanh(x) ** 2),
        ("１２＋ｘ", x + 12),  # full-width digits, operator and letter
        ("（x＋1）＊2", 2 * (x + 1)),
        ("0.5x", x / 2),  # decimals are exact rationals
        ("1.2e3", sp.Integer(1200)),
        ("1_000 + x", x + 1000),
        ("-x", -x),
        ("+x", x),
        ("--x", x),
    ],
)
def test_accepted_forms(text: str, expected: sp.Expr) -> None:
    assert sp.simplify(parse(text) - expected) == 0
    assert parse(text) == expected


def test_sigma_function_and_unicode_alias_display_as_sigma() -> None:
    ctx = context_for(("x",), (SIGMA,), (("s", "sigma(x)"),))
    assert ctx.parse("σ(x)").expr == sigma(x)
    assert ctx.parse("sigma(x)*(1-sigma(x))").expr == sigma(x) * (1 - sigma(x))
    assert ctx.parse("s(1-s)").expr == sigma(x) * (1 - sigma(x))
    checked = ctx.expand_functions(ctx.parse("σ(x)").expr)
    assert not checked.has(sigma)
    assert sp.simplify(checked - 1 / (1 + sp.exp(-x))) == 0


def test_bare_sigma_means_sigma_of_the_single_variable() -> None:
    parsed = context_for(("x",), (SIGMA,)).parse("σ(1−σ)")
    assert parsed.expr == sigma(x) * (1 - sigma(x))
    assert ("sigma", "sigma(x)") in parsed.notes
    # A call whose argument does not mention sigma stays a call.
    assert parse("σ(1-x)", functions=(SIGMA,)) == sigma(1 - x)
    assert parse("σ²(x)", functions=(SIGMA,)) == sigma(x) ** 2


def test_name_split_is_recorded() -> None:
    parsed = context_for(("M", "K", "N")).parse("MK(2N−1)")
    assert parsed.expr == M * K * (2 * N - 1)
    assert parsed.notes == (("MK", "M·K"),)


def test_unknown_name_hints_case_and_close_matches() -> None:
    ctx = context_for(("M", "K", "N"))
    with pytest.raises(InvalidInput) as info:
        ctx.parse("m*K")
    assert info.value.note == "invalid.unknown-name"
    assert "did you mean 'M'" in info.value.feedback.en
    assert "M" in info.value.feedback.zh
    with pytest.raises(InvalidInput) as info:
        ctx.parse("mk")
    assert "M·K" in info.value.feedback.en
    with pytest.raises(InvalidInput) as info:
        context_for(("x",), (SIGMA,)).parse("sigm(x)")
    assert "sigma" in info.value.feedback.en


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("", "invalid.empty"),
        ("   ", "invalid.empty"),
        ("x +", "invalid.syntax"),
        ("(x", "invalid.syntax"),
        ("x)", "invalid.syntax"),
        ("2 3", "invalid.syntax"),
        ("exp(1, 2)", "invalid.syntax"),
        ("y", "invalid.unknown-name"),
        ("foo(x)", "invalid.unknown-name"),
        ("x.real", "invalid.syntax"),
        ("x == 1", "invalid.character"),
        ("x; 1", "invalid.syntax"),
        ("1/0", "invalid.undefined"),
        ("sqrt(-4)", "invalid.not-real"),
        ("x" * 400, "invalid.too-long"),
        ("9^9^9", "invalid.too-big"),
        ("((2^64)^64)^64", "invalid.too-big"),
        ("1e400", "invalid.too-big"),
        ("123456789012345678901234567890", "invalid.too-big"),
        ("x^1000", "invalid.too-big"),
        ("x\u202e", "invalid.character"),
    ],
)
def test_rejected_with_note(text: str, note: str) -> None:
    assert invalid_note(text) == note


def test_fold_maps_superscripts_before_nfkc() -> None:
    assert fold("x²") == "x^(2)"
    assert fold("x⁻¹") == "x^(-1)"
    assert fold("σ") == "sigma"
    assert fold("ｘ＋１") == "x+1"
    # superscript letters are exponents too (NFKC would make βᵗ the product β·t)
    assert fold("βᵗ").replace(" ", "") == "beta^(t)"
    assert fold("xᵏ⁺¹") == "x^(k+1)"


def test_importing_checking_does_not_import_sympy() -> None:
    code = (
        "import quizapp.checking, quizapp.checking.worker, quizapp.checking.notes, sys; "
        "assert 'sympy' not in sys.modules and 'numpy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 - tanh²", 1 - sp.tanh(x) ** 2),  # one variable: a bare function means f(x)
        ("1-tanh^2", 1 - sp.tanh(x) ** 2),
        ("1 - tanh^2 x", 1 - sp.tanh(x) ** 2),
        ("tanh x", sp.tanh(x)),  # a function followed by a name or number applies to it
        ("log 2 + x", sp.log(2) + x),
        ("sin x", sp.sin(x)),
    ],
)
def test_function_notation_without_parentheses(text: str, expected: sp.Expr) -> None:
    assert sp.simplify(parse(text) - expected) == 0


def test_bare_function_needs_a_single_variable() -> None:
    with pytest.raises(InvalidInput) as info:
        context_for(("M", "K")).parse("exp + M")
    assert info.value.note == "invalid.syntax"
    assert "exp(x)" in info.value.feedback.en


def test_a_function_followed_by_brackets_is_applied_never_multiplied() -> None:
    # Issue: sigma(sigma(x)) was read as σ(x)² and sigma(sigma(x)+1) as (σ(x) + 1)·σ(x).
    ctx = context_for(("x",), (SIGMA,))
    assert ctx.parse("sigma(sigma(x))").expr == sigma(sigma(x))
    assert ctx.parse("σ(σ(x) + 1)").expr == sigma(sigma(x) + 1)
    assert ctx.parse("σ(2σ(x))").expr == sigma(2 * sigma(x))
    # σ used bare inside the brackets stands for σ(x): the established σ(1 − σ) shorthand.
    assert ctx.parse("σ(1−σ)").expr == sigma(x) * (1 - sigma(x))
    from quizapp.checking import check_expression

    nested = "1/(1 + exp(-1/(1 + exp(-x))))"
    assert check_expression("sigma(sigma(x))", nested, ["x"], [SIGMA]).is_correct
    shifted = "1/(1 + exp(-1/(1 + exp(-x)) - 1))"
    assert check_expression("sigma(sigma(x)+1)", shifted, ["x"], [SIGMA]).is_correct


def _message(text: str, variables: tuple[str, ...] = ("x",)) -> tuple[str, str, str]:
    with pytest.raises(InvalidInput) as info:
        context_for(variables).parse(text)
    return info.value.note, info.value.feedback.en, info.value.feedback.zh


@pytest.mark.parametrize(
    ("text", "variables", "says"),  # variables: names separated by spaces
    [
        ("MK(2N", "M K N", "Unclosed bracket"),
        ("MK(2N", "M K N", "column 3"),
        ("MK(2N", "M K N", "column 5"),
        ("(x+1))", "x", "')' at column 6"),
        ("x + * 2", "x", "'*' (column 5) follows '+' (column 3)"),
        ("2*", "x", "ends with '*' (column 2)"),
        ("* x", "x", "'*' at column 1 has nothing before it"),
        ("x^", "x", "ends with '^' (column 2)"),
        ("()", "x", "Empty brackets at column 1"),
        ("(x+)", "x", "missing after '+' (column 3)"),
        ("x, 2", "x", "comma at column 2"),
        ("max(x,)", "x", "missing after ',' (column 6)"),
        ("x + y", "x", "unknown variable 'y' (column 5)"),
        ("2x ÷ q", "x", "unknown variable 'q' (column 6)"),
        ("x $ 2", "x", "'$' (column 3)"),
    ],
)
def test_invalid_input_says_what_is_wrong_and_where(text: str, variables: str, says: str) -> None:
    note, en, zh = _message(text, tuple(variables.split()))
    assert note.startswith("invalid.")
    assert says in en, (text, en)
    assert "列" in zh


@pytest.mark.parametrize("text", ["import os", "lambda: 0", "print(x)", "os.system", "def f"])
def test_program_code_is_called_code_not_an_unknown_variable(text: str) -> None:
    note, en, zh = _message(text)
    assert note == "invalid.syntax"
    assert "program code" in en and "column 1" in en and "unknown variable" not in en
    assert "程序代码" in zh


def test_lambda_spelled_out_is_the_greek_letter_where_the_exercise_has_one() -> None:
    from quizapp.checking import check_expression

    assert check_expression("2/lambda", "2/lam", ["lam"]).status == "correct"
    late = check_expression("2/lambda**", "2/lam", ["lam"])
    assert late.is_invalid and "column 9" in late.feedback.en  # columns still count what was typed
    code = check_expression("lambda: 0", "2/x", ["x"])  # no λ here: it is program code
    assert code.is_invalid and "program code" in code.feedback.en
