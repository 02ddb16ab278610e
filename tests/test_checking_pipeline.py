"""The marking pipeline: kinds, tolerances, authored mistakes, generic detectors, separation."""

from __future__ import annotations

import pytest

from quizapp.checking import (
    AnswerSpec,
    FunctionDef,
    Mistake,
    check_answer,
    check_expression,
    interpret,
    is_separated,
)
from quizapp.i18n import Bilingual

SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", ("σ",))
SIGMOID_DERIV = AnswerSpec(
    "expression", "sigma(x)*(1 - sigma(x))", ("x",), (SIGMA,), (("s", "sigma(x)"),)
)
FLOPS = AnswerSpec("expression", "M*K*(2*N - 1)", ("M", "K", "N"))
FB = Bilingual("authored", "作者")


def status(text: str, spec: AnswerSpec, mistakes: tuple[Mistake, ...] = ()) -> tuple[str, str]:
    v = check_answer(text, spec, mistakes)
    return v.status, v.note


@pytest.mark.parametrize(
    "text",
    [
        "σ(1−σ)",
        "σ(x)(1−σ(x))",
        "sigma(x)*(1-sigma(x))",
        "exp(-x)/(1+exp(-x))^2",
        "e^(-x)/(1+e^(-x))²",
        "1/(4cosh(x/2)^2)",  # simplify() calls this one wrong; random points must not
        "1/(2+exp(x)+exp(-x))",
        "s(1-s)",
        "s - s^2",
        "σ - σ²",
    ],
)
def test_sigmoid_derivative_correct_forms(text: str) -> None:
    v = check_answer(text, SIGMOID_DERIV)
    assert v.status == "correct", (text, v)
    assert v.score == 1.0
    assert v.interpreted


@pytest.mark.parametrize("text", ["MK(2N−1)", "2MKN − MK", "K*M*(2*N-1)", "M K (2 N - 1)", "2·M·K·N − M·K"])
def test_flops_formula_correct_forms(text: str) -> None:
    assert status(text, FLOPS) == ("correct", "")


def test_interpretation_names_the_split_and_shows_sigma() -> None:
    v = check_answer("MK(2N-1)", FLOPS)
    assert "MK → M·K" in v.interpreted
    assert "K·M·(2N − 1)" in v.interpreted  # the one typography: · and − (issue 9, item 15)
    assert "MK → M·K" in v.feedback.en and "MK → M·K" in v.feedback.zh
    assert "σ(x)" in check_answer("sigma(x)*(1-sigma(x))", SIGMOID_DERIV).interpreted


INTEGER = AnswerSpec("integer", 1_200_000)


@pytest.mark.parametrize(
    ("spec", "text", "note"),
    [
        (SIGMOID_DERIV, "-s(1-s)", "generic.sign"),
        (SIGMOID_DERIV, "2s(1-s)", "generic.factor-2"),
        (SIGMOID_DERIV, "s(1-s)/2", "generic.factor-2"),
        (SIGMOID_DERIV, "100 s(1-s)", "generic.power-of-ten"),
        (SIGMOID_DERIV, "3 s(1-s)", "generic.factor"),
        (SIGMOID_DERIV, "s(1-s) + 1", "generic.off-by-one"),
        (SIGMOID_DERIV, "s(1-s) + 5", "generic.offset"),
        (SIGMOID_DERIV, "s^2", "generic.wrong"),
        (SIGMOID_DERIV, "s(1+s)", "generic.wrong"),
        (INTEGER, "-1200000", "generic.sign"),
        (INTEGER, "12000000", "generic.power-of-ten"),
        (INTEGER, "1200", "generic.power-of-ten"),
        (INTEGER, "600000", "generic.factor-2"),
        (INTEGER, "2400000", "generic.factor-2"),
        (INTEGER, "1200001", "generic.off-by-one"),
        (INTEGER, "1199999", "generic.off-by-one"),
        (INTEGER, "1200000.5", "generic.not-integer"),
        (INTEGER, "1234567", "generic.wrong"),
    ],
)
def test_generic_detectors_name_the_mistake(spec: AnswerSpec, text: str, note: str) -> None:
    assert status(text, spec) == ("wrong", note)


def test_authored_mistakes_first_match_wins_with_their_feedback() -> None:
    mistakes = (
        Mistake("flops.2mkn", "2*M*K*N", Bilingual("You counted N additions.", "你数了 N 次加法。"), 0.5),
        Mistake("flops.mkn", "M*K*N", FB),
        Mistake("flops.dup", "2*N*M*K", FB),  # same value as the first: never reached
    )
    v = check_answer("2MKN", FLOPS, mistakes)
    assert (v.status, v.note, v.score) == ("wrong", "flops.2mkn", 0.5)
    assert v.feedback.zh == "你数了 N 次加法。"
    assert status("M*N*K", FLOPS, mistakes) == ("wrong", "flops.mkn")
    assert status("MN(2K-1)", FLOPS, mistakes) == ("wrong", "generic.wrong")
    assert status("MK(2N-1)", FLOPS, mistakes) == ("correct", "")


def test_check_expression_wrapper() -> None:
    assert check_expression("MK(2N-1)", "M*K*(2*N-1)", ["M", "K", "N"]).is_correct
    assert check_expression("σ(1-σ)", "sigma(x)*(1-sigma(x))", ["x"], [SIGMA]).is_correct
    assert check_expression("x^2", "x**3", ["x"]).status == "wrong"
    assert check_expression("y", "x", ["x"]).is_invalid


def test_expression_domain_skips_points_where_reference_is_undefined() -> None:
    spec = AnswerSpec("expression", "log(x)", ("x",))  # default domain (-3, 3): half undefined
    assert status("ln(x)", spec) == ("correct", "")
    assert status("2*log(sqrt(x))", spec) == ("correct", "")
    assert status("log(x) + 1", spec)[0] == "wrong"
    positive = AnswerSpec("expression", "sqrt(x)", ("x",), domain=(("x", (0.1, 4.0)),))
    assert status("x^(1/2)", positive) == ("correct", "")


def test_large_sizes_do_not_overflow() -> None:
    spec = AnswerSpec("expression", "M*K*(2*N-1)", ("M", "K", "N"), domain=(("M", (1e5, 1e6)), ("K", (1e5, 1e6)), ("N", (1e5, 1e6))))
    assert status("2MKN-MK", spec) == ("correct", "")
    assert status("2MKN", spec)[0] == "wrong"


@pytest.mark.parametrize("text", ["1200000", "1.2e6", "1,200,000", "1 200 000", "1_200_000", "2*600*1000", "12*10^5", "１２０００００"])
def test_integer_accepted_forms(text: str) -> None:
    assert status(text, INTEGER) == ("correct", "")


def test_non_integer_note_explains() -> None:
    v = check_answer("12.5", AnswerSpec("integer", 12))
    assert v.note == "generic.not-integer"
    assert "12.5" in v.feedback.en and "整数" in v.feedback.zh


REAL = AnswerSpec("real", 0.1353352832366127)


@pytest.mark.parametrize("text", ["e^-2", "exp(-2)", "0.1353", "0.13534", "1/e^2", "1/(e*e)"])
def test_real_accepted_forms(text: str) -> None:
    assert status(text, REAL) == ("correct", "")


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("0.135", "generic.rounding"),
        ("0.14", "generic.rounding"),  # 0.1353 rounded to two decimals: right, too coarse
        ("0.15", "generic.wrong"),
        ("1.353", "generic.power-of-ten"),
        ("-0.1353", "generic.sign"),
        ("0.2707", "generic.factor-2"),
        ("0.5", "generic.wrong"),
    ],
)
def test_real_wrong_notes(text: str, note: str) -> None:
    assert status(text, REAL) == ("wrong", note)


def test_real_fractions_and_absolute_floor() -> None:
    assert status("1000/16", AnswerSpec("real", 62.5)) == ("correct", "")
    assert status("3/4", AnswerSpec("real", 0.75)) == ("correct", "")
    assert status("0", AnswerSpec("real", 0.0)) == ("correct", "")
    assert status("1e-12", AnswerSpec("real", 0.0)) == ("correct", "")
    assert status("0.001", AnswerSpec("real", 0.0))[0] == "wrong"
    assert status("0.001", AnswerSpec("real", 0.0, atol=0.005)) == ("correct", "")


def test_real_tolerance_is_relative_1e3_by_default() -> None:
    spec = AnswerSpec("real", 1000.0)
    assert status("1000.9", spec)[0] == "correct"
    assert status("1001.1", spec)[0] == "wrong"
    assert status("1001.1", AnswerSpec("real", 1000.0, rtol=1e-2))[0] == "correct"


VECTOR = AnswerSpec("vector", (0.1, 0.2, 0.7), labels=("x₁", "x₂", "x₃"))


@pytest.mark.parametrize("text", ["[0.1, 0.2, 0.7]", "0.1 0.2 0.7", "0.1; 0.2; 0.7", "(0.1, 0.2, 0.7)", "[1/10, 2/10, 7/10]", "［0.1，0.2，0.7］"])
def test_vector_accepted_forms(text: str) -> None:
    assert status(text, VECTOR) == ("correct", "")


def test_vector_length_and_components() -> None:
    v = check_answer("[0.1, 0.2]", VECTOR)
    assert (v.status, v.note) == ("invalid", "invalid.length")
    assert "3" in v.feedback.en and "2" in v.feedback.en
    v = check_answer("[0.1, 0.3, 0.6]", VECTOR)
    assert (v.status, v.note) == ("wrong", "generic.wrong")
    assert "x₂" in v.feedback.en and "x₃" in v.feedback.en and "x₁" not in v.feedback.en
    v = check_answer("[0.1, 0.3, 0.7]", AnswerSpec("vector", (0.1, 0.2, 0.7)))
    assert "component 2" in v.feedback.en
    assert status("[-0.1, -0.2, -0.7]", VECTOR) == ("wrong", "generic.sign")
    assert status("[1, 2, 7]", VECTOR) == ("wrong", "generic.power-of-ten")
    assert status("[0.2, 0.3, 0.8]", VECTOR) == ("wrong", "generic.offset")


CHOICE = AnswerSpec("choice", frozenset({"A", "C"}))


@pytest.mark.parametrize("text", ["a c", "A,C", "ca", "A and C", "C; A", "ＡＣ", "a、c"])
def test_choice_accepted_forms(text: str) -> None:
    assert status(text, CHOICE) == ("correct", "")


def test_choice_wrong_and_invalid() -> None:
    v = check_answer("A", CHOICE)
    assert v.status == "wrong" and "missing" in v.feedback.en
    v = check_answer("A B C", CHOICE)
    assert v.status == "wrong" and "wrong option" in v.feedback.en
    assert status("1", CHOICE)[0] == "invalid"
    assert status("", CHOICE)[0] == "invalid"
    assert status("B", CHOICE, (Mistake("q.b", frozenset({"B"}), FB),)) == ("wrong", "q.b")


def test_feedback_is_always_bilingual() -> None:
    cases = [
        ("σ(1−σ)", SIGMOID_DERIV), ("-s(1-s)", SIGMOID_DERIV), ("s^2", SIGMOID_DERIV), ("q", SIGMOID_DERIV),
        ("1200001", INTEGER), ("0.135", REAL), ("[1]", VECTOR), ("x", CHOICE), ("9^9^9^9", INTEGER),
    ]  # fmt: skip
    for text, spec in cases:
        v = check_answer(text, spec)
        assert v.feedback.en and v.feedback.zh, (text, v)
        assert v.feedback.en != v.feedback.zh


def test_interpret_is_a_preview_without_marking() -> None:
    ok = interpret("MK(2N-1)", FLOPS)
    assert ok.valid and not ok.is_invalid and "MK → M·K" in ok.interpreted
    bad = interpret("m", FLOPS)
    assert bad.is_invalid and bad.note == "invalid.unknown-name" and "M" in bad.feedback.en
    assert interpret("2MKN", FLOPS).valid  # a wrong answer still previews fine
    assert interpret("1.2e6", INTEGER).interpreted == "1200000"
    assert interpret("[0.1]", VECTOR).note == "invalid.length"


def test_is_separated() -> None:
    assert is_separated(AnswerSpec("integer", 10), Mistake("n", 11, FB))
    assert not is_separated(AnswerSpec("integer", 10), Mistake("n", 10, FB))
    assert is_separated(AnswerSpec("real", 1.0), Mistake("n", 1.02, FB))
    assert not is_separated(AnswerSpec("real", 1.0), Mistake("n", 1.005, FB))  # 0.5 %: only 5× rtol
    assert is_separated(AnswerSpec("vector", (1.0, 2.0)), Mistake("n", (1.0, 2.5), FB))
    assert not is_separated(AnswerSpec("vector", (1.0, 2.0)), Mistake("n", (1.0, 2.001), FB))
    assert is_separated(AnswerSpec("vector", (1.0, 2.0)), Mistake("n", (1.0, 2.0, 3.0), FB))
    assert is_separated(FLOPS, Mistake("n", "2*M*K*N", FB))
    assert not is_separated(FLOPS, Mistake("n", "2*M*K*N - K*M", FB))
    assert is_separated(CHOICE, Mistake("n", frozenset({"A"}), FB))
    assert not is_separated(CHOICE, Mistake("n", frozenset({"c", "a"}), FB))


def test_bad_reference_is_reported_not_raised() -> None:
    v = check_answer("x", AnswerSpec("expression", "x +", ("x",)))
    assert (v.status, v.note) == ("invalid", "invalid.reference")


@pytest.mark.parametrize(("text", "ref"), [("2.4G", 2_400_000_000), ("2400M", 2_400_000_000), ("64k", 64_000), ("1.5T", 1_500_000_000_000)])
def test_si_multipliers_for_numbers(text: str, ref: int) -> None:
    assert status(text, AnswerSpec("integer", ref)) == ("correct", "")


def test_percent_for_reals() -> None:
    spec = AnswerSpec("real", 0.857)
    assert status("85.7%", spec) == ("correct", "")
    assert check_answer("85.7%", spec).interpreted == "85.7% = 0.857"
    assert status("85.7", spec)[0] == "wrong"


def test_numpy_and_float_references_are_accepted() -> None:
    import numpy as np

    assert status("12", AnswerSpec("integer", np.int64(12))) == ("correct", "")
    assert status("12", AnswerSpec("integer", 12.0)) == ("correct", "")
    assert status("12.01", AnswerSpec("integer", np.int64(12)))[1] == "generic.not-integer"
    assert status("0.5", AnswerSpec("real", np.float64(0.5))) == ("correct", "")
    assert is_separated(AnswerSpec("integer", np.int64(12)), Mistake("n", np.int64(13), FB))
    assert not is_separated(AnswerSpec("integer", np.int64(12)), Mistake("n", 12, FB))


def test_authored_float_mistake_for_an_integer_answer() -> None:
    spec = AnswerSpec("integer", 12)
    assert status("12.5", spec, (Mistake("conv.no-floor", 12.5, FB),)) == ("wrong", "conv.no-floor")


def test_reference_written_by_sympy_str_may_spell_e_as_E() -> None:
    spec = AnswerSpec("expression", "E**(-x)", ("x",))
    assert status("e^-x", spec) == ("correct", "")
    assert status("exp(-x)", spec) == ("correct", "")


def test_every_note_the_checker_produces_is_described() -> None:
    import re
    from pathlib import Path

    import quizapp.checking as checking
    from quizapp.checking.notes import NOTE_DESCRIPTIONS

    source = "\n".join(p.read_text() for p in Path(checking.__file__).parent.glob("*.py"))
    produced = set(re.findall(r'"((?:generic|invalid)\.[a-z0-9-]+)"', source))
    assert len(produced) > 15
    assert produced <= set(NOTE_DESCRIPTIONS), produced - set(NOTE_DESCRIPTIONS)
    for text in NOTE_DESCRIPTIONS.values():
        assert text.en and text.zh


def test_reference_undefined_on_the_default_domain_falls_back_to_other_domains() -> None:
    spec = AnswerSpec("expression", "log(x - 5)", ("x",))  # undefined on (-3, 3)
    assert status("ln(x-5)", spec) == ("correct", "")
    assert status("log(x-5) + 1", spec)[0] == "wrong"


def test_constant_expressions_do_not_claim_a_constant_factor() -> None:
    spec = AnswerSpec("expression", "pi/2", ("x",))
    assert status("pi/2", spec) == ("correct", "")
    assert status("3", spec) == ("wrong", "generic.wrong")
    assert status("pi", spec) == ("wrong", "generic.factor-2")


def test_mistake_undefined_where_the_reference_is_defined() -> None:
    spec = AnswerSpec("expression", "x^2 + 1", ("x",))
    mistake = Mistake("m.log", "log(x) + x^2", FB)
    assert is_separated(spec, mistake)
    assert status("log(x) + x^2", spec, (mistake,)) == ("wrong", "m.log")


def test_units_after_a_number_get_a_clear_message() -> None:
    v = check_answer("16.7 ms", AnswerSpec("real", 16.7))
    assert (v.status, v.note) == ("invalid", "invalid.unknown-name")
    assert "without units" in v.feedback.en and "单位" in v.feedback.zh


def test_decimal_comma_and_vulgar_fractions() -> None:
    v = check_answer("0,5", AnswerSpec("real", 0.5))
    assert (v.status, v.note) == ("invalid", "invalid.syntax")
    assert "decimal point" in v.feedback.en
    assert status("1,500", AnswerSpec("integer", 1500)) == ("correct", "")  # thousands, not a decimal
    assert status("½", AnswerSpec("real", 0.5)) == ("correct", "")
    assert status("¾x", AnswerSpec("expression", "3*x/4", ("x",))) == ("correct", "")


def test_rounded_too_coarsely_says_how_many_digits_are_needed() -> None:
    v = check_answer("0.012", AnswerSpec("real", 0.011735))  # issue: this was just "Not correct."
    assert (v.status, v.note) == ("wrong", "generic.rounding")
    assert "rounded too coarsely" in v.feedback.en and "2 significant digits" in v.feedback.en
    assert "at least 4" in v.feedback.en and "4 位" in v.feedback.zh
    assert check_answer("0.012", AnswerSpec("real", 0.011735)).interpreted == "0.012"  # not 3/250
    v = check_answer("60", AnswerSpec("real", 59.88))  # whole number: its digits are left open
    assert v.note == "generic.rounding" and "at least 4" in v.feedback.en and "your answer has" not in v.feedback.en
    assert check_answer("0.0117", AnswerSpec("real", 0.011735, digits=3)).is_correct
    assert "at least 3" in check_answer("0.012", AnswerSpec("real", 0.011735, digits=3)).feedback.en


def test_a_stated_tolerance_includes_its_boundary() -> None:
    assert check_answer("1.05", AnswerSpec("real", 1.0, rtol=0.05)).is_correct  # |1.05 − 1| = 0.050000000000000044
    assert check_answer("[1.05, 0.95]", AnswerSpec("vector", (1.0, 1.0), rtol=0.05)).is_correct
    assert not check_answer("1.0500001", AnswerSpec("real", 1.0, rtol=0.05)).is_correct


def test_a_decimal_for_an_exact_answer_is_judged_by_the_precision_asked() -> None:
    v = check_answer("0.333333333333333", AnswerSpec("expression", "1/3"))
    assert (v.status, v.note) == ("wrong", "generic.inexact")
    assert "0.333333333333333" in v.feedback.en and "exact" in v.feedback.en and "精确" in v.feedback.zh
    v = check_answer("0.3333", AnswerSpec("expression", "1/3", digits=4))
    assert v.is_correct and "4 significant digits" in v.feedback.en
    assert check_answer("0.5", AnswerSpec("expression", "1/2")).is_correct  # an exact decimal is exact
