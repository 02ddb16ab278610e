"""Properties of the equivalence test over random expressions (hypothesis): an expression written
another way is never called wrong, and one off by 10⁻¹² is never called correct.

The rewritings make the exact evaluator work: cosh² − sinh² cancels catastrophically for large
x, sin² + cos² − 1 is exactly 0 only in exact arithmetic, log(e²)/2 is 1 only to the last digit.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.checking import AnswerSpec, check_answer, expressions

ATOMS = ["x", "2", "3", "0.5", "1/3", "e", "7", "10"]
FUNCTIONS = ["exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh", "sin", "cos", "sech"]
REWRITES = [
    "({t})*(cosh(x)^2 - sinh(x)^2)",
    "({t}) + sin(x)^2 + cos(x)^2 - 1",
    "({t})*log(e^2)/2",
    "(({t})*3 + ({t}))/4",
    "({t}) + 0.1 + 0.2 - 0.3",
]


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(ATOMS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]}){t[1]}({t[2]})")
        power = st.tuples(inner, st.sampled_from(["2", "3", "-1", "1/2", "x", "(x/2)"])).map(lambda t: f"({t[0]})^{t[1]}")
        call = st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda t: f"{t[0]}({t[1]})")
        extreme = st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})")
        return binary | power | call | extreme

    return st.recursive(leaves, extend, max_leaves=8)


def _spec(text: str, domain: str) -> AnswerSpec | None:
    spec = AnswerSpec("expression", text, ("x",), domain=(("x", domain),))
    try:
        setup = expressions.setup_for(spec)
    except Exception:  # noqa: BLE001 - a generated reference that does not parse or is undefined
        return None
    return spec if setup.conclusive else None


@pytest.mark.parametrize("domain", ["real", "positive", "natural"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=_expressions(), rewrite=st.sampled_from(REWRITES))
def test_the_same_expression_written_another_way_is_never_wrong(domain: str, text: str, rewrite: str) -> None:
    spec = _spec(text, domain)
    if spec is None:
        return
    verdict = check_answer(rewrite.format(t=text), spec)
    assert verdict.status != "wrong", (text, rewrite, verdict)
    assert verdict.note not in ("invalid.error", "invalid.reference"), verdict


@pytest.mark.parametrize("domain", ["real", "positive"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=_expressions())
def test_an_expression_off_by_a_tiny_constant_is_never_correct(domain: str, text: str) -> None:
    spec = _spec(text, domain)
    if spec is None:
        return
    verdict = check_answer(f"({text}) + 10^-12", spec)
    assert verdict.status != "correct", (text, verdict)
