"""One typography for math shown to the learner (issue 9, item 15): · and −, superscripts, σ,
decimals not fractions, no code form, in the interpreted preview, answers and solutions alike."""

from __future__ import annotations

import re

import pytest

from quizapp.checking import AnswerSpec, FunctionDef, check_answer
from quizapp.checking.display import number, pretty
from quizapp.checking.parse import context_for
from quizapp.exercises import families

SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", aliases=("σ",))
CODE_FORM = re.compile(r"\*|\bsigma\b|⋅|\d+/\d{3,}\b| - ")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2*sigma(2*x)*(1 - sigma(2*x))", "2·σ(2x)·(1 − σ(2x))"),
        ("sigma(2*x)*(1 - sigma(2*x))", "σ(2x)·(1 − σ(2x))"),
        ("2*tanh(-2*x)^2 - 2", "2·tanh(−2x)² − 2"),
        ("M*K*(2*N - 1)", "K·M·(2N − 1)"),
        ("exp(-x)/(1 + exp(-x))^2", "e^(−x)/(1 + e^(−x))²"),
        ("o_k*(1 - o_k)", "oₖ·(1 − oₖ)"),
        ("beta^3", "β³"),
        ("sqrt(x + 1)", "√(x + 1)"),
        ("abs(x - 1)", "|x − 1|"),
        ("0.25*x", "x/4"),
        ("0.818", "0.818"),
        ("-3*x + 2", "2 − 3x"),
    ],
)
def test_pretty_prints_one_typography(typed: str, shown: str) -> None:
    ctx = context_for(("x", "M", "N", "K", "o_k", "beta"), (SIGMA,))
    assert pretty(ctx.parse(typed).expr) == shown


def test_interpreted_preview_uses_the_same_printer() -> None:
    spec = AnswerSpec("expression", "2*sigma(2*x)*(1 - sigma(2*x))", ("x",), (SIGMA,))
    verdict = check_answer("2σ(2x)(1-σ(2x))", spec)
    assert verdict.is_correct and verdict.interpreted == "2·σ(2x)·(1 − σ(2x))"


def test_numbers_are_decimals_with_a_unicode_minus() -> None:
    assert number(-0.0008327138) == "−0.000832714"
    assert number(1e-9) == "1×10⁻⁹"
    assert number(409 / 500) == "0.818"


@pytest.mark.parametrize("name", sorted(families()))
def test_answers_and_solutions_have_no_code_form(name: str) -> None:
    fam = families()[name]
    for seed in range(15):
        inst = fam.generate(seed)
        assert inst.answer_display, (name, seed)
        assert not CODE_FORM.search(inst.shown_answer), (name, seed, inst.shown_answer)
        for lang in ("en", "zh"):
            solution = inst.solution(lang)
            assert "**" not in solution and "⋅" not in solution and not re.search(r"\bsigma\(", solution), (name, lang)
