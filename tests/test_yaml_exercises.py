"""Exercises as data: a deck of YAML exercises written from the README alone validates, runs in
`quizapp exercise ID` and in a study session, names its mistakes; broken ones are reported with
FILE:LINE:COL and never crash anything."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lazy_imports import sympy_numpy_loaded_after

from quizapp.cli.main import main
from quizapp.deck.library import build_library, content_files, load_library
from quizapp.exercises import generate_item
from quizapp.exercises.base import GenerationError, value_text

FIXTURES = Path(__file__).parent / "fixtures" / "yaml_exercises"
DECK = FIXTURES / "deck"
BROKEN = FIXTURES / "broken.yaml"
IDS = ["yx-linear-params", "yx-dropout-scale", "yx-softmax", "yx-scaled-sigmoid", "yx-neuron-grad"]


@pytest.fixture(scope="module")
def items():  # type: ignore[no-untyped-def]
    lib = build_library([(p, False) for p in content_files([DECK])])
    assert lib.problems == []
    return lib.items


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_deck_has_one_exercise_of_each_form_and_a_multipart(items) -> None:  # type: ignore[no-untyped-def]
    forms = {items[i].exercise.answers[0].form.kind for i in IDS[:4]}
    assert forms == {"integer", "real", "vector", "expression"}
    assert items["yx-neuron-grad"].exercise.multipart and len(items["yx-neuron-grad"].exercise.answers) == 3


def test_validate_accepts_the_deck(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DECK)]) == 0
    assert "OK: 1 topics, 5 items" in capsys.readouterr().out


@pytest.mark.parametrize("item_id", IDS)
def test_every_seed_checks_its_own_answer_and_names_its_mistakes(items, item_id: str) -> None:  # type: ignore[no-untyped-def]
    for seed in range(30):
        inst = generate_item(items[item_id], seed)
        assert inst == generate_item(items[item_id], seed)  # deterministic per seed
        assert inst.check(inst.answer_text).is_correct, (item_id, seed, inst.answer_text)
        for mistake in inst.mistakes:
            verdict = inst.check(value_text(mistake.value))
            assert (verdict.status, verdict.note) == ("wrong", mistake.note), (item_id, seed, mistake)
            assert verdict.note.startswith(f"{item_id}.") and "{" not in verdict.feedback.en
        for lang in ("en", "zh"):
            assert "{" not in inst.prompt(lang) + inst.solution(lang)


def test_texts_show_values_as_the_learner_reads_them(items) -> None:  # type: ignore[no-untyped-def]
    inst = generate_item(items["yx-linear-params"], 3)
    n, d = inst.values["n"], inst.values["d"]
    assert inst.prompt("en") == f"A linear layer maps {n} inputs to {d} outputs. How many parameters?"
    assert inst.solution("zh") == f"权重 {n * d}，偏置 {d}：共 {n * d + d}。"
    sig = generate_item(items["yx-scaled-sigmoid"], 0)
    k = sig.values["k"]
    shown_k = str(k).replace("-", "−")
    assert f"σ({shown_k}x)" in sig.prompt("en") and sig.shown_answer == f"{shown_k}·σ({shown_k}x)·(1 − σ({shown_k}x))"
    assert sig.check(f"{k}σ({k}x)(1-σ({k}x))").is_correct
    assert sig.check(f"σ({k}x)(1-σ({k}x))").note == "yx-scaled-sigmoid.no-chain"


def test_multipart_marks_later_parts_from_the_learners_own_values(items) -> None:  # type: ignore[no-untyped-def]
    inst = generate_item(items["yx-neuron-grad"], 1)
    w, x, t = (inst.values[k] for k in ("w", "x", "t"))
    wrong_out = 0.5
    first = inst.check_part(0, "0.5")
    assert first.status == "wrong"
    own_delta = (wrong_out - t) * wrong_out * (1 - wrong_out)
    second = inst.check_part(1, f"{own_delta:.4g}", {first.part_id: first.value})
    assert second.status == "correct" and second.carried == ("out",)
    assert "from your value of o (0.5)" in second.verdict.feedback.en
    third = inst.check_part(2, f"{own_delta * x:.4g}", {"out": first.value, "delta": second.value})
    assert third.status == "correct"
    named = inst.check_part(1, f"{wrong_out - t:.4g}", {"out": first.value})
    assert named.note == "yx-neuron-grad.delta.no-prime"
    assert w != 0


def test_exercise_command_runs_deck_items_by_id(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], items) -> None:  # type: ignore[no-untyped-def]
    inst = generate_item(items["yx-dropout-scale"], 7)
    mistake = next(m for m in inst.mistakes if m.note.endswith("times-keep"))
    code, out, err = run_cli(monkeypatch, capsys, ["exercise", "yx-dropout-scale", "--content", str(DECK), "--seed", "7", "--in-process"],
                             value_text(mistake.value) + "\n")
    assert code == 0 and not err
    assert inst.prompt("en") in out and "✘" in out and "[yx-dropout-scale.times-keep]" in out
    assert inst.mistakes[0].feedback.en in out and inst.solution("en") in out
    assert f"quizapp exercise yx-dropout-scale --seed 7 --content {DECK}" in out


def test_exercise_command_asks_part_by_part(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], items) -> None:  # type: ignore[no-untyped-def]
    inst = generate_item(items["yx-neuron-grad"], 2)
    answers = [p.answer_text for p in inst.parts]
    stdin = "\n".join(["2**", *answers]) + "\n"  # an unreadable answer first: asked again, costs nothing
    code, out, _ = run_cli(monkeypatch, capsys, ["exercise", "yx-neuron-grad", "--content", str(DECK), "--seed", "2", "--in-process"], stdin)
    assert code == 0
    assert out.count("✔ Correct") == 3 and "? Could not read" in out
    assert "Part 1/3: (a) o" in out and "Part 3/3: (c) ∂L/∂w" in out
    assert "Parts correct: 3/3" in out and "Proposed rating (the weakest part): 3 Good" in out


def test_unknown_item_id_suggests_close_ones(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(monkeypatch, capsys, ["exercise", "yx-softmx", "--content", str(DECK)], "")
    assert code == 2 and "Did you mean: yx-softmax" in err and "Traceback" not in err


EXPECTED_BROKEN = [
    (10, "items[0].answer: cannot be computed on", "division by zero"),
    (16, "items[1].where: is true in only", "draws"),
    (28, "items[2].mistakes[0].answer: equals the answer on 50 of 50 seeds", ""),
    (34, "items[3].answer: unknown variable 'm'", ""),
    (42, "items[4].parts[0].answer: names the later part 'second'", ""),
    (49, "items[5].answer: cannot be computed on", "not an integer"),
    (54, "items[6].vars.n.int: must be [low, high]", ""),
    (62, "items[7].answer: I can't read the character", ""),
    (68, "items[8].answer: cannot be computed on", "too large"),
]


def test_broken_exercises_are_reported_with_positions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BROKEN)]) == 1
    lines = capsys.readouterr().out.splitlines()
    for line_no, text, detail in EXPECTED_BROKEN:
        hits = [ln for ln in lines if ln.startswith(f"{BROKEN}:{line_no}:") and text in ln]
        assert hits and detail in hits[0], (line_no, text, lines)
    assert not any("yb-fine" in ln or ":7" + "1:" in ln for ln in lines)
    assert lines[-1] == f"{len(EXPECTED_BROKEN)} problems found."


def test_broken_exercises_never_crash_a_session_or_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.config import Settings
    from quizapp.store import Store
    from quizapp.study.session import StudySession

    lib = load_library([BROKEN], include_builtin=False)
    assert {i for i in lib.items} == {"yb-not-finite", "yb-rare-where", "yb-mistake-equal", "yb-not-whole", "yb-huge", "yb-fine"}
    store = Store.open(tmp_path / "data")
    store.sync_library(lib)
    session = StudySession(store, lib, Settings(), practice=True, limit=20,
                           clock=lambda: datetime(2026, 1, 5, 12, tzinfo=UTC))
    from quizapp.study.cards import Exercise

    shown = set()
    while (current := session.next_card()) is not None:
        view = current.view
        assert isinstance(view, Exercise)
        shown.add(view.meta.item_id)
        assert session.answer(view.instance.answer_text).is_correct
        session.rate()
    store.close()
    assert "yb-fine" in shown and "yb-mistake-equal" not in shown  # it cannot be generated: skipped
    assert any("yb-mistake-equal" in p for p in session.problems)
    code, _, err = run_cli(monkeypatch, capsys, ["exercise", "yb-mistake-equal", "--content", str(BROKEN), "--in-process"], "")
    assert code == 1 and "cannot generate" in err and "Traceback" not in err


def test_family_and_yaml_fields_do_not_mix(tmp_path: Path) -> None:
    path = tmp_path / "mix.yaml"
    path.write_text(textwrap.dedent("""\
        id: mix
        title: {en: Mix, zh: 混}
        items:
          - id: m1
            kind: exercise
            family: ema
            answer: "3"
          - id: m2
            kind: exercise
            vars: {n: {int: [1, 3]}}
            answer: "n"
        """), encoding="utf-8")
    problems = [str(p).split(":", 1)[1] for p in build_library([(path, False)]).problems]
    assert any(p.startswith("7:5: items[0].answer: 'answer' belongs to a YAML exercise") for p in problems)
    assert any("items[1]: a YAML exercise needs a prompt" in p for p in problems)


def test_generation_error_when_no_draw_works(items) -> None:  # type: ignore[no-untyped-def]
    lib = load_library([BROKEN], include_builtin=False)
    with pytest.raises(GenerationError, match="yb-mistake-equal"):
        generate_item(lib.items["yb-mistake-equal"], 0)


@pytest.mark.slow
def test_installed_command_generates_and_checks_in_the_worker() -> None:
    lib = build_library([(p, False) for p in content_files([DECK])])
    inst = generate_item(lib.items["yx-softmax"], 11)
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "exercise", "yx-softmax", "--content", str(DECK), "--seed", "11", "--lang", "zh"],
        input=inst.answer_text + "\n", capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "✔ 正确" in proc.stdout and inst.solution("zh") in proc.stdout


def test_loading_yaml_exercises_imports_neither_sympy_nor_numpy() -> None:
    code = (
        "from pathlib import Path\nfrom quizapp.deck.library import load_library\n"
        f"lib = load_library([Path({str(DECK)!r}), Path({str(BROKEN)!r})])\n"
        "assert lib.items['yx-neuron-grad'].exercise is not None and lib.problems\n"
    )
    assert sympy_numpy_loaded_after(code) == ["False", "False"]


def test_the_session_summary_names_a_yaml_exercises_mistakes_in_its_own_words(tmp_path: Path) -> None:
    from quizapp.config import Settings
    from quizapp.store import Store
    from quizapp.study.session import StudySession

    lib = load_library([DECK], include_builtin=False)
    store = Store.open(tmp_path / "data")
    store.sync_library(lib)
    session = StudySession(store, lib, Settings(), practice=True, limit=20,
                           clock=lambda: datetime(2026, 1, 5, 12, tzinfo=UTC))
    session._rng = random.Random(7)  # the same draws every run
    made: dict[str, str] = {}  # note -> the feedback the learner saw
    while (current := session.next_card()) is not None:
        instance = current.view.instance
        if instance.parts:
            for part in instance.parts:
                answer = value_text(part.mistakes[0].value) if part.mistakes and not made else part.answer_text
                verdict = session.answer(answer)
                if verdict.status == "wrong":
                    made[verdict.note] = verdict.feedback.en
        elif instance.mistakes:  # a draw may leave no mistake apart from the answer
            verdict = session.answer(value_text(instance.mistakes[0].value))
            made[verdict.note] = verdict.feedback.en
        else:
            session.answer(instance.answer_text)
        session.rate()
    summary = session.end()
    store.close()
    assert made and {m.note: m.text.en for m, _ in summary.mistakes if m.text} == made
