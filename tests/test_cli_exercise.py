"""`quizapp exercise`: list, one instance, one answer line from stdin, verdict and solution."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from quizapp.cli.exercise_cmd import parse_params
from quizapp.cli.main import main
from quizapp.exercises.base import value_text
from quizapp.exercises.families.ema import EMA
from quizapp.exercises.families.flops import MatmulFlops


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_family_with_topic(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.exercises.catalog import CATALOG

    code, out, _ = run_cli(monkeypatch, capsys, ["exercise", "--list"], "")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(CATALOG)
    row = next(line for line in lines if line.startswith("matmul_flops "))
    assert "flops" in row and "FLOPs of a matrix product" in row
    code, out, _ = run_cli(monkeypatch, capsys, ["exercise", "--list", "--lang", "zh"], "")
    assert "矩阵乘法的 FLOPs" in out


def test_correct_answer(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    inst = MatmulFlops().generate(5)
    code, out, err = run_cli(
        monkeypatch, capsys, ["exercise", "matmul_flops", "--seed", "5", "--in-process"], inst.answer_text + "\n"
    )
    assert code == 0 and not err
    assert inst.prompt("en") in out
    assert "✔ Correct" in out
    assert f"Correct answer: {inst.shown_answer}" in out
    assert inst.solution("en") in out
    assert "quizapp exercise matmul_flops --seed 5" in out


def test_authored_mistake_is_named(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    inst = MatmulFlops().generate(5)
    m, n, k = (inst.values[v] for v in "MNK")
    code, out, _ = run_cli(
        monkeypatch, capsys, ["exercise", "matmul_flops", "--seed", "5", "--in-process"], f"2*{m}*{n}*{k}\n"
    )
    assert code == 0
    assert "✘" in out and "flops.mac-as-two" in out and "N − 1" in out


def test_params_and_chinese(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    inst = EMA().generate(3, corrected=True)
    raw = next(m for m in inst.mistakes if m.note == "ema.no-correction")
    code, out, _ = run_cli(
        monkeypatch, capsys,
        ["exercise", "ema", "--seed", "3", "--param", "corrected=true", "--lang", "zh", "--in-process"],
        value_text(raw.value) + "\n",
    )
    assert code == 0
    assert inst.prompt("zh") in out and inst.solution("zh") in out
    assert "不对" in out and "ema.no-correction" in out and "正确答案" in out


def test_invalid_answer_costs_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, ["exercise", "conv_cost", "--seed", "1", "--in-process"], "2*(\n")
    assert code == 0 and "? Could not read" in out and "Worked solution:" in out


def test_end_of_input_prints_answer_and_solution(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    inst = MatmulFlops().generate(9)
    code, out, _ = run_cli(monkeypatch, capsys, ["exercise", "matmul_flops", "--seed", "9", "--in-process"], "")
    assert code == 0
    assert "No answer given." in out and f"Correct answer: {inst.shown_answer}" in out and inst.solution("en") in out


def test_random_seed_is_printed_and_reproducible(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, ["exercise", "fps_latency", "--in-process"], "")
    assert code == 0
    seed = int(out.split("--seed ", 1)[1].split(")")[0].split()[0])
    from quizapp.exercises.families.fps import FpsLatency

    assert FpsLatency().generate(seed).prompt("en") in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["exercise", "sigmoid_derivatve"], "Did you mean: sigmoid_derivative"),
        (["exercise", "no_such_family"], "unknown exercise family 'no_such_family'"),
        (["exercise"], "give a FAMILY"),
        (["exercise", "ema", "--param", "corrected=maybe"], "corrected must be one of true, false"),
        (["exercise", "ema", "--param", "beta=0.9"], "unknown parameter 'beta'"),
        (["exercise", "ema", "--param", "corrected"], "KEY=VALUE"),
    ],
)
def test_bad_usage_exits_2_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run_cli(monkeypatch, capsys, argv, "")
    assert code == 2
    assert message in err and "Traceback" not in err + out


@pytest.mark.parametrize("seed", ["-3", "abc"])
def test_bad_seed_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seed: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as exc:
        main(["exercise", "ema", "--seed", seed])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "seed must" in err and "Traceback" not in err


def test_parse_params_types() -> None:
    assert parse_params("ema", ["corrected=False"]) == {"corrected": False}
    assert parse_params("conv_cost", ["quantity=MACS"]) == {"quantity": "macs"}
    assert parse_params("matmul_flops", []) == {}


@pytest.mark.slow
def test_installed_command_checks_in_the_worker() -> None:
    inst = MatmulFlops().generate(11)
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "exercise", "matmul_flops", "--seed", "11", "--lang", "en"],
        input=inst.answer_text + "\n", capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "✔ Correct" in proc.stdout and inst.solution("en") in proc.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "quizapp", "exercise", "nope"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "unknown exercise family" in bad.stderr
