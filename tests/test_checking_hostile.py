"""Hostile input: every attack is `invalid`, fast, and has no side effect; a fuzz never raises."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.checking import AnswerSpec, FunctionDef, check_answer, interpret
from quizapp.checking.worker import CheckWorker

SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", ("σ",))
EXPR = AnswerSpec("expression", "sigma(x)*(1 - sigma(x))", ("x",), (SIGMA,), (("s", "sigma(x)"),))
SPECS = {
    "expression": EXPR,
    "integer": AnswerSpec("integer", 1152),
    "real": AnswerSpec("real", 0.25),
    "vector": AnswerSpec("vector", (0.1, 0.2, 0.7)),
}
PWNED = "PWNED_PATH"  # replaced by a tmp_path file in the tests
# The pipeline turns an unexpected exception into an 'invalid' verdict with one of these notes, so
# "never raises" alone cannot fail: the tests also require that no input reaches them.
INTERNAL_FAILURES = ("invalid.error", "invalid.reference")

ATTACKS = [
    # attribute access, dunders, reflection
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "x.real",
    "sigma.__globals__",
    "__builtins__",
    "__import__",
    f"__import__('os').system('touch {PWNED}')",
    f'__import__("os").system("touch {PWNED}")',
    "getattr(x, 'real')",
    "globals()",
    "open('/etc/passwd').read()",
    "eval('1')",
    "exec('1')",
    "compile('1', '', 'eval')",
    "sympify('x')",
    "Symbol('x')",
    "S('x')",
    "_a0",
    "_f0(x)",
    "_n0",
    # other Python syntax
    "lambda: 0",
    "(lambda x: x)(1)",
    "[x for x in range(10)]",
    "{x: 1}",
    "{1, 2}",
    "import os",
    "'abc'",
    '"abc"',
    "f'{1}'",
    "(y := 1)",
    "x[0]",
    "*x",
    "max(*[1, 2])",
    "exp(x=1)",
    "x if 1 else 0",
    "1 < 2",
    "x and 1",
    "not x",
    "x @ x",
    "x % 2",
    "x // 2",
    "x << 2",
    "~x",
    "x | 1",
    "\\sigma(x)",
    "$x$",
    "#x",
    "x; import os",
    # resource exhaustion
    "9**9**9**9",
    "9^9^9",
    "((2^64)^64)^64",
    "2^2^2^2^2^2",
    "factorial(10**6)",
    "10**10**10",
    "10^300 * 10^300",
    "x^(10^6)",
    "exp(exp(exp(exp(100))))",
    "sin((7^(exp(exp(exp(10e)))))+1)",
    "(" * 100_000,
    "(" * 50_000 + "x" + ")" * 50_000,
    "(" * 140 + "x" + ")" * 140,
    "-" * 250 + "x",
    "-" * 100_000 + "x",
    "x+" * 5000 + "x",
    "1" * 5000,
    "9" * 200,
    "1e400",
    "1e-400",
    # invisible and odd characters
    "x\x00",
    "\x00",
    "x\u202e1-",
    "\u202ex",
    "x\u200d",
    "x\u200b+1",
    "\ufeffx",
    "x\u0301",
    "x\x1b[31m",
    "٣",
    # undefined / non-real values
    "nan",
    "inf",
    "-inf",
    "oo",
    "zoo",
    "float('nan')",
    "1/0",
    "0/0",
    "log(0)",
    "sqrt(-1)",
    "max(x)",
]


def _substitute(text: str, pwned: Path) -> str:
    return text.replace(PWNED, str(pwned))


@pytest.mark.parametrize("kind", sorted(SPECS))
@pytest.mark.parametrize("attack", ATTACKS, ids=[f"a{i:02d}" for i in range(len(ATTACKS))])
def test_attack_is_invalid_fast_and_harmless(attack: str, kind: str, tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    text = _substitute(attack, pwned)
    # CPU time, not wall time: a loaded machine must not fail this, a runaway computation must.
    # Each attack costs a few ms; a regression that starts evaluating one costs seconds.
    start = time.process_time()
    verdict = check_answer(text, SPECS[kind])
    preview = interpret(text, SPECS[kind])
    cpu = time.process_time() - start
    assert verdict.status == "invalid", (attack[:60], kind, verdict)
    assert verdict.note.startswith("invalid.")
    assert verdict.note not in INTERNAL_FAILURES, (attack[:60], kind, verdict)
    assert verdict.feedback.en and verdict.feedback.zh
    assert preview.is_invalid and preview.note not in INTERNAL_FAILURES
    assert cpu < 2.5
    assert not pwned.exists()


def test_each_kind_of_attack_meets_its_own_guard() -> None:
    """Not one catch-all: syntax, names, characters, sizes and undefined values each stop some."""
    notes = {check_answer(attack, EXPR).note for attack in ATTACKS}
    assert notes == {
        "invalid.syntax", "invalid.unknown-name", "invalid.character", "invalid.too-big",
        "invalid.too-long", "invalid.undefined", "invalid.not-real",
    }


FLOPS = AnswerSpec("expression", "M*K*(2*N - 1)", ("M", "K", "N"))


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("x^x^x^x^x^x^x^x", EXPR),
        ("exp(700)*x", EXPR),
        ("sin(10^300)", EXPR),
        ("x^64 * (x+1)^64", EXPR),
        ("σ(σ(σ(σ(σ(x)))))", EXPR),
        ("1/(x-x+1e-300)", EXPR),
        # found by fuzzing: sympy's automatic evaluation once took 3–20 s on these
        ("log(sech((sigma((0.5)*(1e3)))^(64)))", EXPR),
        ("cos((((1)-((e)-(cosh(K))))*((max(M,-0.5))*(max(tanh(pi),(e)^(10)))))-((1e3)*(tanh((log(K))^(64)))))", FLOPS),
        ("(((7)/(((2)^(-1))-(pi)))-(e))*((((exp(N))/((1e3)^(65)))^(64))+(max((max(1e3,pi))*(K),0.5)))", FLOPS),
        ("max(x,log((-7)/(max((pi)^(65),sigma(pi)))))", EXPR),
        ("(9)/((max(0.5,cos(max(1e3,0.5))))+(log(max(sin(pi),sech(0.5)))))", EXPR),
        ("(e)-((abs((0.5)/(log(4))))/((log((pi)/(pi)))/(log(e))))", EXPR),
    ],
)
def test_valid_but_heavy_inputs_are_marked_quickly(text: str, spec: AnswerSpec) -> None:
    start = time.process_time()  # CPU time: these once took 3–20 s of sympy work
    verdict = check_answer(text, spec)
    assert verdict.status in ("wrong", "invalid")
    assert verdict.note != "invalid.error"
    assert time.process_time() - start < 2.0


@pytest.mark.slow
def test_attacks_through_the_worker_are_invalid_within_the_limit(tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    with CheckWorker(timeout=2.0) as worker:
        worker.ping()
        for attack in ATTACKS:
            verdict = worker.check_spec(EXPR, _substitute(attack, pwned))
            assert verdict.status == "invalid", (attack[:60], verdict)
            # Rejected by the parser's limits, not rescued by the worker's time limit or a crash.
            assert verdict.note not in ("invalid.timeout", "invalid.crash"), (attack[:60], verdict)
        assert worker.restarts == 0
    assert not pwned.exists()


MATHY = list("0123456789xMKNse+-*/^()., σ√²³·×−÷π_[];eE\u202e\x00'\"") + [
    "exp(", "log(", "ln(", "sigma(", "sqrt(", "tanh(", "**", "9**9", "1e300", "__", ".real", "lambda",
]  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MATHY), max_size=40).map("".join), st.sampled_from(sorted(SPECS)))
def test_fuzz_math_alphabet_never_raises(text: str, kind: str) -> None:
    verdict = check_answer(text, SPECS[kind])
    assert verdict.status in ("correct", "wrong", "invalid")
    assert verdict.note not in INTERNAL_FAILURES, (text, verdict)
    assert verdict.feedback.en and verdict.feedback.zh
    preview = interpret(text, SPECS[kind])
    assert isinstance(preview.valid, bool) and preview.note not in INTERNAL_FAILURES, (text, preview)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60), st.sampled_from(sorted(SPECS) + ["choice"]))
def test_fuzz_any_text_never_raises(text: str, kind: str) -> None:
    spec = SPECS.get(kind) or AnswerSpec("choice", frozenset({"A", "C"}))
    verdict = check_answer(text, spec)
    assert verdict.status in ("correct", "wrong", "invalid")
    assert verdict.note not in INTERNAL_FAILURES, (text, verdict)
    preview = interpret(text, spec)
    assert isinstance(preview.valid, bool) and preview.note not in INTERNAL_FAILURES, (text, preview)
