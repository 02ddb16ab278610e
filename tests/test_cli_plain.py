"""`quizapp study --plain` as a learner or a script drives it, including kill -9 in mid-session,
two copies at once, export/import through the CLI, and clean errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from srs_fixtures import TOPIC_PARTS, assert_store_sound, load, write_library

from quizapp.store import Store
from quizapp.study.scope import scope_problem


def quizapp_cmd(data: Path, content: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "quizapp", "--data-dir", str(data), "--content", str(content), *args]


def run_script(data: Path, content: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        quizapp_cmd(data, content, "study", "--plain", *args),
        input=script, capture_output=True, text=True, timeout=120, env=dict(os.environ, QUIZAPP_LANG="en"),
    )


def library_and_data(tmp_path: Path) -> tuple[Path, Path]:
    """The synthetic library written under tmp_path, and a data dir beside it (created on use)."""
    return write_library(tmp_path), tmp_path / "data"


def logged_keys(data: Path) -> list[str]:
    with Store.open(data) as store:
        return [r.card_key for r in store.reviews()]


def acks(stdout: str) -> list[str]:
    return [line.split()[1] for line in stdout.splitlines() if line.startswith("saved ")]


def start_learner(data: Path, content: Path, *args: str) -> tuple[subprocess.Popen[str], Learner]:
    proc = subprocess.Popen(
        quizapp_cmd(data, content, "study", "--plain", *args),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, QUIZAPP_LANG="en"),
    )
    return proc, Learner(proc)


@pytest.mark.slow
def test_script_session_end_of_input_is_clean(tmp_path):
    content, data = library_and_data(tmp_path)
    proc, learner = start_learner(data, content, "--topic", "alpha")
    try:
        # a-flash: reveal, Enter = Good
        assert learner.next_prompt().startswith("Enter: show")
        learner.send("")
        assert learner.next_prompt().startswith("Rate")
        learner.send("")
        # cloze c1: right answer, accept
        assert learner.next_prompt().startswith("Your answer")
        learner.send("two")
        learner.next_prompt()
        learner.send("")
        # choice: an unreadable letter costs nothing; then the wrong option, changed to Hard
        assert learner.next_prompt().startswith("Option letters")
        learner.send("z")
        learner.next_prompt()
        learner.send(learner.option("not this"))
        assert learner.next_prompt().startswith("Rate")
        learner.send("2")
        # multi: a stray q? then the right letters
        learner.next_prompt()
        learner.send("q?")
        learner.next_prompt()
        learner.send(" ".join(learner.option(t) for t in ("one", "three")))
        learner.next_prompt()
        learner.send("")
        learner.next_prompt()  # the next card is waiting: end of input now
        out, err = proc.communicate("", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert learner.acked == ["a-flash", "a-cloze::c1", "a-choice", "a-multi"]
    text = learner.text + out
    assert "✓ correct" in text and "✗ wrong" in text and "? not read" in text
    # The wrong choice stays wrong in the accuracy even though the learner rated it Hard.
    assert "Session ended early: 4 answered, 3 correct (75%)" in out
    assert logged_keys(data) == ["a-flash", "a-cloze::c1", "a-choice", "a-multi"]
    with Store.open(data) as store:
        rows = store.reviews()
        assert [r.rating for r in rows] == [3, 3, 2, 3]
        assert rows[1].answer == "two" and rows[2].status == "wrong"


@pytest.mark.slow
def test_a_checked_answer_is_recorded_not_skipped_and_q_keeps_it(tmp_path):
    content, data = library_and_data(tmp_path)
    proc, learner = start_learner(data, content, "--topic", "alpha")
    try:
        while not learner.next_prompt().startswith("Option letters"):
            learner.send("s")  # skip until the choice question
        learner.send(learner.option("not this"))
        assert learner.next_prompt().startswith("Rate")
        learner.send("s")  # refused: the answer was checked
        assert learner.next_prompt().startswith("Rate")
        learner.send("u")  # refused too
        assert learner.next_prompt().startswith("Rate")
        out, err = proc.communicate("q\n", timeout=60)  # ends, recording it as Again
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert learner.text.count("rate it first") == 2
    assert "saved a-choice Again" in out
    assert "1 answered, 0 correct" in out
    assert logged_keys(data) == ["a-choice"]


@pytest.mark.slow
def test_a_revealed_answer_is_not_counted_correct(tmp_path):
    content, data = library_and_data(tmp_path)
    out = run_script(data, content, "\n3\n\n3\n\n3\n", "--topic", "alpha", "--limit", "3")
    assert out.returncode == 0, out.stderr
    # the flashcard was rated Good (a self-grade); the cloze and the choice were only revealed
    assert "3 answered, 1 correct (33%)" in out.stdout


@pytest.mark.slow
def test_undo_skip_help_and_quit(tmp_path):
    content, data = library_and_data(tmp_path)
    # answer b-0, b-1; undo (b-1 again), rate it 4; skip b-2; help; quit
    script = "\n3\n\n3\nu\n\n4\ns\n?\nq\n"
    out = run_script(data, content, script, "--topic", "beta")
    assert out.returncode == 0, out.stderr
    assert "undone: b-1" in out.stdout and "Skipped" in out.stdout and "u undo" in out.stdout
    assert logged_keys(data) == ["b-0", "b-1"]
    with Store.open(data) as store:
        assert [r.rating for r in store.reviews()] == [3, 4]


@pytest.mark.slow
def test_practice_flag_and_limit(tmp_path):
    content, data = library_and_data(tmp_path)
    out = run_script(data, content, "\n1\n" * 10, "--topic", "beta", "--practice", "--limit", "3")
    assert out.returncode == 0, out.stderr
    assert "Practice mode" in out.stdout and len(acks(out.stdout)) == 3
    with Store.open(data) as store:
        assert all(r.practice for r in store.reviews()) and len(store.reviews()) == 3
        assert all(c.state == 0 for c in store.all_cards())


@pytest.mark.slow
def test_unknown_topic_and_bad_config_exit_2(tmp_path):
    content = write_library(tmp_path)
    out = run_script(tmp_path / "data", content, "", "--topic", "nope")
    assert out.returncode == 2 and "unknown topic 'nope'" in out.stderr and "Traceback" not in out.stderr
    config = tmp_path / "config.json"
    config.write_text("{not json", encoding="utf-8")
    out = subprocess.run(
        [*quizapp_cmd(tmp_path / "data", content, "--config", str(config), "study", "--plain")],
        capture_output=True, text=True, timeout=60, input="",
    )
    assert out.returncode == 2 and "cannot read settings" in out.stderr and "Traceback" not in out.stderr


class Learner:
    """Drives a running --plain session line by line, the way a person (or expect) would."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.acked: list[str] = []
        self.text = ""  # everything printed so far
        self.card: list[str] = []  # lines printed since the last card header

    def next_prompt(self) -> str | None:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return None
            self.text += line
            line = line.rstrip("\n")
            if line.startswith("["):
                self.card = []
            self.card.append(line)
            if line.startswith("saved "):
                self.acked.append(line.split()[1])
            if line.endswith(">"):
                return line

    def option(self, text: str) -> str:
        """The letter the card on show prints an option under (options are shuffled)."""
        return next(line.split(")")[0].strip() for line in self.card if line.endswith(f") {text}"))

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()


@pytest.mark.slow
def test_every_acknowledged_answer_survives_sigkill(tmp_path):
    content, data = library_and_data(tmp_path)
    proc, learner = start_learner(data, content, "--topic", "beta")
    ratings = iter("1334" * 10)
    try:
        while len(learner.acked) < 7:
            prompt = learner.next_prompt()
            assert prompt is not None, proc.stderr.read() if proc.stderr else ""
            learner.send(next(ratings) if prompt.startswith("Rate") else "")
        # the 8th answer goes in, and the process dies at once, maybe in mid-commit
        prompt = learner.next_prompt()
        if prompt and prompt.startswith("Rate"):
            learner.send("3")
        else:
            learner.send("")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    logged = logged_keys(data)
    assert len(learner.acked) >= 7
    assert logged[: len(learner.acked)] == learner.acked
    assert_store_sound(data)


@pytest.mark.slow
def test_two_copies_answering_at_once(tmp_path):
    content, data = library_and_data(tmp_path)
    Store.open(data).close()
    procs = [
        start_learner(data, content, *args)[0]
        for args in (("--topic", "beta"), ("--practice", "--topic", "alpha", "--limit", "40"))
    ]
    outputs: list[tuple[str, str]] = [("", "")] * 2

    def feed(i: int, proc: subprocess.Popen[str]) -> None:
        outputs[i] = proc.communicate("\n3\n" * 60, timeout=120)

    threads = [threading.Thread(target=feed, args=(i, p)) for i, p in enumerate(procs)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.monotonic() - start < 120
    for proc, (_out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    acked = [acks(out) for out, _ in outputs]
    assert len(acked[0]) >= 12 and len(acked[1]) == 4  # practice: one card per item of alpha
    logged = logged_keys(data)
    assert sorted(logged) == sorted(acked[0] + acked[1])
    assert_store_sound(data)


@pytest.mark.slow
def test_export_import_through_the_cli(tmp_path):
    content, data = library_and_data(tmp_path)
    assert run_script(data, content, "\n3\n" * 8, "--topic", "beta").returncode == 0
    export = tmp_path / "out.json"
    env = dict(os.environ, QUIZAPP_LANG="en")
    out = subprocess.run(quizapp_cmd(data, content, "export", "--json", str(export)),
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    other = tmp_path / "other"
    for expected in ("imported 8 reviews (0 already present)", "imported 0 reviews (8 already present)"):
        out = subprocess.run(quizapp_cmd(other, content, "import", "--json", str(export)),
                             capture_output=True, text=True, timeout=60, env=env)
        assert out.returncode == 0, out.stderr
        assert expected in out.stdout
    out = subprocess.run(quizapp_cmd(data, content, "export", "--csv", str(tmp_path / "pair.csv")),
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    reviews_csv = (tmp_path / "pair.reviews.csv").read_text(encoding="utf-8").splitlines()
    assert len(reviews_csv) == 9 and reviews_csv[0].startswith("time_utc,card_key,ts")
    assert (tmp_path / "pair.cards.csv").exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": 5}]}', encoding="utf-8")
    out = subprocess.run(quizapp_cmd(other, content, "import", "--json", str(bad)),
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2 and "reviews[0].uid" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_chinese_prompts_and_literal_command_letters(tmp_path):
    content, data = library_and_data(tmp_path)
    out = subprocess.run(
        quizapp_cmd(data, content, "--lang", "zh", "study", "--plain", "--topic", "alpha", "--limit", "2"),
        input="\n\n=s\n\n", capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "回车：显示答案" in out.stdout and "正面 A" in out.stdout and "本轮" in out.stdout
    assert acks(out.stdout) == ["a-flash", "a-cloze::c1"]
    with Store.open(data) as store:
        cloze = store.reviews()[-1]
        assert (cloze.answer, cloze.status, cloze.rating) == ("s", "wrong", 1)


@pytest.mark.slow
def test_ctrl_c_prints_the_summary_and_keeps_the_answers(tmp_path):
    content, data = library_and_data(tmp_path)
    proc, learner = start_learner(data, content, "--topic", "beta")
    try:
        while len(learner.acked) < 2:
            prompt = learner.next_prompt()
            assert prompt is not None
            learner.send("3" if prompt.startswith("Rate") else "")
        assert learner.next_prompt() is not None  # waiting for input
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err
    assert "2 answered" in rest
    assert logged_keys(data) == learner.acked


@pytest.mark.slow
def test_stray_bytes_on_stdin_are_just_a_wrong_answer(tmp_path):
    content, data = library_and_data(tmp_path)
    out = subprocess.run(
        quizapp_cmd(data, content, "study", "--plain", "--topic", "alpha", "--limit", "2"),
        input=b"\n3\n\xff\xfe\x00\n\n", capture_output=True, timeout=120,
        env=dict(os.environ, QUIZAPP_LANG="en"),
    )
    assert out.returncode == 0 and b"Traceback" not in out.stderr
    assert acks(out.stdout.decode()) == ["a-flash", "a-cloze::c1"]


@pytest.mark.slow
@pytest.mark.parametrize("command", [("study", "--plain"), ("stats",), ("stats", "--json"), ("export", "--json", "-")])
def test_closed_or_full_stdout_is_an_error_not_a_traceback(tmp_path, command):
    content, data = library_and_data(tmp_path)
    closed = subprocess.run(  # started with stdout closed (`>&-`): nothing is studied unseen
        quizapp_cmd(data, content, *command), input="\n3\n", capture_output=False, stdout=None,
        stderr=subprocess.PIPE, text=True, timeout=120, close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode != 0 and "Traceback" not in closed.stderr, closed.stderr
    assert "standard output" in closed.stderr
    if os.path.exists("/dev/full"):  # the disk behind stdout is full
        with open("/dev/full", "w") as full:
            out = subprocess.run(quizapp_cmd(data, content, *command), input="\n3\n", stdout=full,
                                 stderr=subprocess.PIPE, text=True, timeout=120)
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert "No space left" in out.stderr
    if data.exists():
        assert "study" not in command or logged_keys(data) == []


def test_drill_family_missing_from_the_topic_is_a_usage_error(tmp_path):
    lib = load(tmp_path)
    assert scope_problem(lib, "delta", "receptive_field") is None
    problem = scope_problem(lib, "alpha", "receptive_field")
    assert problem is not None and "'alpha'" in problem


@pytest.mark.slow
@pytest.mark.parametrize("command", [("study", "--plain"), ("exercise", "receptive_field", "--seed", "1")])
def test_closed_stdin_is_end_of_input(tmp_path, command):
    content, data = library_and_data(tmp_path)
    out = subprocess.run(  # started with stdin closed (`<&-`)
        quizapp_cmd(data, content, *command), stdin=None, capture_output=True, text=True,
        timeout=120, preexec_fn=lambda: os.close(0),
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    if command[0] == "study":
        assert "0 answered" in out.stdout


@pytest.mark.slow
def test_line_mode_asks_a_multi_part_exercise_part_by_part(tmp_path):
    content = write_library(tmp_path)
    (content / "parts.yaml").write_text(TOPIC_PARTS, encoding="utf-8")
    data = tmp_path / "data"
    proc, learner = start_learner(data, content, "--topic", "parts")
    try:
        for part in (1, 2, 3):
            learner.next_prompt()
            assert f"Part {part} of 3" in learner.text
            learner.send("1")  # a wrong size, params and FLOPs
        assert learner.next_prompt().startswith("Rate")
        out, err = proc.communicate("\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "saved p-conv Again" in out
    with Store.open(data) as store:
        assert [p.answer for p in store.reviews()[-1].parts] == ["1", "1", "1"]


@pytest.mark.slow
def test_flag_bury_and_suspend_in_line_mode(tmp_path):
    content, data = library_and_data(tmp_path)
    # flag b-0 and answer it; bury b-1; suspend b-2; quit
    out = run_script(data, content, "*\n\n3\n-\n@\nq\n", "--topic", "beta")
    assert out.returncode == 0, out.stderr
    assert "Flagged" in out.stdout and "Buried until tomorrow" in out.stdout and "Suspended" in out.stdout
    assert logged_keys(data) == ["b-0"]
    with Store.open(data) as store:
        assert store.card("b-0").flag == 1
        assert store.card("b-1").buried and not store.card("b-1").suspended
        assert store.card("b-2").suspended


@pytest.mark.slow
def test_practice_says_enter_when_a_rating_is_typed(tmp_path):
    content = write_library(tmp_path)
    out = run_script(tmp_path / "data", content, "1\n3\n\n", "--topic", "delta", "--practice", "--limit", "1")
    assert out.returncode == 0, out.stderr
    assert "Press Enter for the next card" in out.stdout and "Type  (or Enter)" not in out.stdout
