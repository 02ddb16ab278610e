"""A corpus of equivalence cases, each with its expected verdict: exact fractions and decimals,
polynomials with large values, branch cuts, domain-restricted identities, tolerance boundaries.

The cases are our own; the classes are those in which a float tolerance or skipped points once
gave a false verdict (a rounded decimal accepted for 1/3, sqrt(x−3)·sqrt(x−5) accepted for
sqrt((x−3)(x−5)), sqrt(k/m)·sqrt(m/k) refused for 1 with k, m > 0, 1.05 refused at 5 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import sympy as sp

from quizapp.checking import AnswerSpec, check_answer

_x = sp.Symbol("x")
# Written out by sympy, never by hand: (x + 4)^13 expanded, and the same with the constant off by 1.
POLY13 = str(sp.expand((_x + 4) ** 13))
POLY13_OFF = str(sp.expand((_x + 4) ** 13) + 1)
POLY20 = str(sp.expand((_x - 1) * sum(_x**k for k in range(20))))


@dataclass(frozen=True)
class Case:
    answer: str
    reference: Any
    expect: str  # "correct", "wrong", "invalid"
    variables: str | dict[str, Any] = ""  # "xy" (all real), or {"k": "positive"}
    note: str = ""  # expected note when not correct ("" = any)
    kind: str = "expression"
    options: dict[str, Any] = field(default_factory=dict)

    def spec(self) -> AnswerSpec:
        names = self.variables if isinstance(self.variables, dict) else {v: "real" for v in self.variables}
        return AnswerSpec(
            self.kind,  # type: ignore[arg-type]
            self.reference,
            tuple(names),
            domain=tuple(names.items()) if self.kind == "expression" else (),
            **self.options,
        )


POS = "positive"

EXACT = [
    # numbers typed as expressions: decimals are exact fractions, and must be exactly right
    Case("0.333333333333333", "1/3", "wrong", note="generic.inexact"),
    Case("1/3", "1/3", "correct"),
    Case("2/6", "1/3", "correct"),
    Case("0.99999999", "1", "wrong", note="generic.inexact"),
    Case("0.999999999999999999", "1", "wrong", note="generic.inexact"),
    Case("99999999/10^8", "99999998/99999999", "wrong", note="generic.inexact"),
    Case("99999998/99999999", "99999998/99999999", "correct"),
    Case("1.0000000001", "1", "wrong", note="generic.inexact"),
    Case("0.1 + 0.2", "3/10", "correct"),  # exact decimals, no binary rounding
    Case("1/3 + 1/3 + 1/3", "1", "correct"),
    Case("0.5", "1/2", "correct"),
    Case("1e-3", "1/1000", "correct"),
    Case("2^-1", "0.5", "correct"),
    Case("3/4", "0.75", "correct"),
    Case("sqrt(2)/2", "1/sqrt(2)", "correct"),
    Case("1.41421356237", "sqrt(2)", "wrong", note="generic.inexact"),
    Case("0.7071067811865476", "1/sqrt(2)", "wrong", note="generic.inexact"),
    Case("e^(ln(3))", "3", "correct"),
    Case("3.14159265358979", "pi", "wrong", note="generic.inexact"),
    Case("0.333333333333333x", "x/3", "wrong", "x", note="generic.inexact"),
    Case("(1/3)x", "x/3", "correct", "x"),
    Case("0.5x", "x/2", "correct", "x"),
    Case("2^(0.196078431373 t)", "2^(t/5.1)", "wrong", "t", note="generic.inexact"),
    Case("2^(10t/51)", "2^(t/5.1)", "correct", "t"),
    Case("exp(t ln(2)/5.1)", "2^(t/5.1)", "correct", "t"),
    Case("x/3", "x/3 + 10^-15", "wrong", "x", note="generic.inexact"),
]

POLYNOMIALS = [
    Case("(x+4)^13", POLY13, "correct", {"x": POS}),
    Case(POLY13, "(x+4)^13", "correct", {"x": POS}),
    Case(POLY13_OFF, "(x+4)^13", "wrong", {"x": POS}),  # 1 in 6.7·10⁷ and more: below any float tolerance
    Case("(x+4)^13 + 1", POLY13, "wrong", {"x": POS}),
    Case("(x + 10^6)^2", "x^2 + 2*10^6 x + 10^12", "correct", "x"),
    Case("(x + 10^6)^2", "x^2 + 2*10^6 x + 10^12 + 1", "wrong", "x"),
    Case("x^20 - 1", POLY20, "correct", "x"),
    Case("x^20", POLY20, "wrong", "x", note="generic.off-by-one"),
    Case("(M+N)^8 - M^8", "8M^7 N + 28M^6 N^2 + 56M^5 N^3 + 70M^4 N^4 + 56M^3 N^5 + 28M^2 N^6 + 8M N^7 + N^8",
         "correct", {"M": "natural", "N": "natural"}),
    Case("(M+N)^8 - M^8 + 1", "8M^7 N + 28M^6 N^2 + 56M^5 N^3 + 70M^4 N^4 + 56M^3 N^5 + 28M^2 N^6 + 8M N^7 + N^8",
         "wrong", {"M": "natural", "N": "natural"}),
    Case("2MKN - MK", "M*K*(2*N - 1)", "correct", {"M": "natural", "K": "natural", "N": "natural"}),
    Case("2MKN - MK + 1", "M*K*(2*N - 1)", "wrong", {"M": "natural", "K": "natural", "N": "natural"},
         note="generic.off-by-one"),
    Case("1/(x-1) - 1/(x+1)", "2/(x^2-1)", "correct", "x"),
    Case("1/(x-1) - 1/(x+1)", "2/(x^2-1) + 10^-20", "wrong", "x"),
    Case("(x^2-1)/(x-1)", "x+1", "correct", "x"),  # a removable singularity at 1 is no difference
    Case("(x^3 - y^3)/(x - y)", "x^2 + x y + y^2", "correct", "xy"),
    Case("(1e5 x + 1)^3", "10^15 x^3 + 3*10^10 x^2 + 3*10^5 x + 1", "correct", "x"),
    Case("(1e5 x + 1)^3", "10^15 x^3 + 3*10^10 x^2 + 3*10^5 x", "wrong", "x"),
]

BRANCHES = [
    Case("(a^b)^c", "a^(b*c)", "wrong", "abc"),  # a = −2, b = 2, c = ½: 2 against −2
    Case("(a^b)^c", "a^(b*c)", "correct", {"a": POS, "b": "real", "c": "real"}),
    Case("sqrt((x-3)(x-5))", "sqrt(x-3)*sqrt(x-5)", "wrong", "x"),
    Case("sqrt(x-3)*sqrt(x-5)", "sqrt((x-3)*(x-5))", "wrong", "x"),
    Case("sqrt(x-3)*sqrt(x-5)", "sqrt(x-3)*sqrt(x-5)", "correct", "x"),
    Case("sqrt(x^2)", "x", "wrong", "x"),
    Case("sqrt(x^2)", "x", "correct", {"x": POS}),
    Case("sqrt(x^2)", "x", "correct", {"x": "nonnegative"}),
    Case("sqrt(x^2)", "abs(x)", "correct", "x"),
    Case("log(x^2)", "2*log(x)", "wrong", "x"),
    Case("2log(x)", "log(x^2)", "wrong", "x"),
    Case("log(x^2)", "2*log(x)", "correct", {"x": POS}),
    Case("log(x^2)", "2*log(abs(x))", "correct", "x"),
    Case("sqrt(x)*sqrt(y)", "sqrt(x*y)", "wrong", "xy"),
    Case("sqrt(x)*sqrt(y)", "sqrt(x*y)", "correct", {"x": POS, "y": POS}),
    Case("exp(log(x))", "x", "wrong", "x"),
    Case("exp(log(x))", "x", "correct", {"x": POS}),
    Case("log(exp(x))", "x", "correct", "x"),
    Case("x^(2/3)", "(x^2)^(1/3)", "wrong", "x"),
    Case("x^(2/3)", "(x^2)^(1/3)", "correct", {"x": POS}),
    Case("abs(x)/x", "1", "wrong", "x"),
    Case("abs(x)/x", "1", "correct", {"x": POS}),
    Case("max(x, 0)", "(x + abs(x))/2", "correct", "x"),
    Case("max(x, 2)", "x", "wrong", "x"),
    Case("(-8)^(1/3)", "-2", "invalid"),  # principal branch: not a real number
    Case("tanh(x)", "(exp(2x) - 1)/(exp(2x) + 1)", "correct", "x"),
    Case("sech(x)^2", "1 - tanh(x)^2", "correct", "x"),
    Case("cosh(x)^2 - sinh(x)^2", "1", "correct", "x"),
    Case("sin(x)^2 + cos(x)^2", "1", "correct", "x"),
    Case("log(x - 5)", "ln(x - 5)", "correct", "x"),  # undefined on all of (−3, 3): wider points
    Case("log(5 - x)", "ln(x - 5)", "wrong", "x"),
]

DOMAINS = [
    Case("sqrt(k/m)*sqrt(m/k)", "1", "correct", {"k": POS, "m": POS}),
    Case("sqrt(k/m)*sqrt(m/k)", "1", "wrong", "km"),  # k/m < 0: the answer is undefined there
    Case("(-1)^n cos(x)^n", "(-cos(x))^n", "correct", {"n": "integer", "x": "real"}),
    Case("(-1)^n cos(x)^n", "(-cos(x))^n", "wrong", "nx"),
    Case("cos(pi n)", "(-1)^n", "correct", {"n": "integer"}),
    Case("n(n+1)/2", "(n^2 + n)/2", "correct", {"n": "natural"}),
    Case("(1-p)/p", "1/p - 1", "correct", {"p": "unit"}),
    Case("log(p/(1-p))", "log(p) - log(1-p)", "correct", {"p": "unit"}),
    Case("log(a*b)", "log(a) + log(b)", "correct", {"a": POS, "b": POS}),
    Case("log(a*b)", "log(a) + log(b)", "wrong", "ab"),  # a, b < 0: only the left side exists
    Case("sqrt(x^2 y^2)", "x*y", "correct", {"x": POS, "y": POS}),
    Case("sqrt(x^2 y^2)", "x*y", "wrong", "xy"),
    Case("abs(s)", "s", "correct", {"s": "nonnegative"}),
    Case("(1 - beta^3)/(1 - beta)", "1 + beta + beta^2", "correct", {"beta": "unit"}),
    Case("N(N-1)", "N^2 - N", "correct", {"N": "natural"}),
    Case("2^N", "exp(N*log(2))", "correct", {"N": "natural"}),
    Case("m/(1 - β^t)", "m/(1 - beta^t)", "correct", {"m": "real", "beta": "unit", "t": "natural"}),
    Case("m/(1 - β^t)", "m/(1 - beta^(t+1))", "wrong", {"m": "real", "beta": "unit", "t": "natural"}),
    Case("η g", "eta*g", "correct", {"eta": POS, "g": "real"}),
    Case("x^x", "exp(x*log(x))", "correct", {"x": POS}),
]

TOLERANCES = [
    Case("1.05", 1.0, "correct", kind="real", options={"rtol": 0.05}),  # 0.050000000000000044 in binary
    Case("0.95", 1.0, "correct", kind="real", options={"rtol": 0.05}),
    Case("1.0500001", 1.0, "wrong", kind="real", options={"rtol": 0.05}),
    Case("0.949", 1.0, "wrong", kind="real", options={"rtol": 0.05}),
    Case("101", 100.0, "correct", kind="real", options={"rtol": 0.01}),
    Case("99", 100.0, "correct", kind="real", options={"rtol": 0.01}),
    Case("101.01", 100.0, "wrong", kind="real", options={"rtol": 0.01}),
    Case("0.005", 0.0, "correct", kind="real", options={"atol": 0.005}),
    Case("-0.005", 0.0, "correct", kind="real", options={"atol": 0.005}),
    Case("0.0051", 0.0, "wrong", kind="real", options={"atol": 0.005}),
    Case("0.012", 0.011735, "wrong", kind="real", note="generic.rounding"),
    Case("0.0117", 0.011735, "wrong", kind="real", note="generic.rounding"),
    Case("0.01174", 0.011735, "correct", kind="real"),
    Case("0.0117", 0.011735, "correct", kind="real", options={"digits": 3}),
    Case("0.012", 0.011735, "wrong", kind="real", note="generic.rounding", options={"digits": 3}),
    Case("1.2e-2", 0.011735, "wrong", kind="real", note="generic.rounding"),
    Case("2.4", 2.45, "correct", kind="real", options={"digits": 2}),  # 2.45 in binary is 2.4500000000000002
    Case("2.3", 2.45, "wrong", kind="real", options={"digits": 2}),
    Case("[1.05, 2.1]", (1.0, 2.0), "correct", kind="vector", options={"rtol": 0.05}),
    Case("[1.06, 2]", (1.0, 2.0), "wrong", kind="vector", options={"rtol": 0.05}),
    Case("12.0", 12, "correct", kind="integer"),
    Case("12.000001", 12, "wrong", kind="integer", note="generic.not-integer"),
    Case("0.333x", "x/3", "correct", "x", options={"digits": 3}),
    Case("0.33x", "x/3", "wrong", "x", note="generic.rounding", options={"digits": 3}),
    Case("0.3x", "x/3", "wrong", "x", options={"digits": 3}),
]

CORPUS = EXACT + POLYNOMIALS + BRANCHES + DOMAINS + TOLERANCES


def test_the_corpus_is_large_enough_in_every_class() -> None:
    assert len(CORPUS) >= 80
    for cases in (EXACT, POLYNOMIALS, BRANCHES, DOMAINS, TOLERANCES):
        assert len(cases) >= 15
        assert {c.expect for c in cases} >= {"correct", "wrong"}


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: f"{c.answer}|{c.reference}|{c.variables}|{c.options}"[:90])
def test_corpus_case(case: Case) -> None:
    verdict = check_answer(case.answer, case.spec())
    assert verdict.status == case.expect, (case, verdict)
    if case.note:
        assert verdict.note == case.note, (case, verdict)
