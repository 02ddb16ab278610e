"""CheckWorker: hard time limit, crash recovery, threads, no zombies."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from quizapp.checking import AnswerSpec
from quizapp.checking.verdict import Verdict
from quizapp.checking.worker import CheckWorker, WorkerError

pytestmark = pytest.mark.slow

FLOPS = AnswerSpec("expression", "M*K*(2*N - 1)", ("M", "K", "N"))


@pytest.fixture(scope="module")
def worker():
    w = CheckWorker(timeout=2.0)
    w.ping()
    yield w
    w.close()


def _zombies_of(parents: set[int]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z" and int(fields[1]) in parents:
            found.append(int(entry.name))
    return found


def _parents() -> set[int]:
    import multiprocessing.forkserver as fs

    parents = {os.getpid()}
    server = getattr(fs._forkserver, "_forkserver_pid", None)
    if server:
        parents.add(server)
    return parents


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_checks_and_previews(worker: CheckWorker) -> None:
    assert worker.check_spec(FLOPS, "MK(2N-1)").status == "correct"
    assert worker.check_spec(FLOPS, "2MKN").status == "wrong"
    preview = worker.interpret_spec(FLOPS, "MK(2N-1)")
    assert preview.valid and "MK → M·K" in preview.interpreted
    assert worker.interpret_spec(FLOPS, "m").is_invalid


def test_hostile_power_is_invalid_quickly(worker: CheckWorker) -> None:
    start = time.perf_counter()
    assert worker.check_spec(FLOPS, "9**9**9**9").status == "invalid"
    assert time.perf_counter() - start < 2.5


def test_a_hang_is_killed_and_replaced() -> None:
    with CheckWorker(timeout=0.5) as w:
        old = w.pid
        start = time.perf_counter()
        verdict = w._call(("sleep", 30))
        elapsed = time.perf_counter() - start
        assert isinstance(verdict, Verdict)
        assert (verdict.status, verdict.note) == ("invalid", "invalid.timeout")
        assert verdict.feedback.en and verdict.feedback.zh
        assert 0.4 < elapsed < 2.5
        assert not _alive(old)
        assert w.pid != old
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        assert w.restarts == 1
    time.sleep(0.2)
    assert _zombies_of(_parents()) == []


def test_default_limit_is_two_seconds() -> None:
    with CheckWorker() as w:
        w.ping()
        start = time.perf_counter()
        assert w._call(("sleep", 30)).note == "invalid.timeout"
        assert 1.9 < time.perf_counter() - start < 2.5


def test_survives_a_crashed_or_killed_child() -> None:
    with CheckWorker() as w:
        first = w.pid
        crashed = w._call(("exit",))
        assert (crashed.status, crashed.note) == ("invalid", "invalid.crash")
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        second = w.pid
        assert second != first
        os.kill(second, 9)
        time.sleep(0.1)
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        assert w.pid not in (first, second)
    time.sleep(0.2)
    assert _zombies_of(_parents()) == []


def test_memory_limit_turns_a_blow_up_into_an_invalid_verdict() -> None:
    with CheckWorker() as w:
        w.ping()
        verdict = w._call(("alloc", 8 << 30))  # 8 GiB: beyond RLIMIT_AS
        assert verdict.status == "invalid"
        assert verdict.note in ("invalid.too-big", "invalid.crash")
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"


def test_thread_safe() -> None:
    results: list[str] = []
    with CheckWorker() as w:

        def run(text: str) -> None:
            for _ in range(15):
                results.append(w.check_spec(FLOPS, text).status)

        threads = [threading.Thread(target=run, args=(t,)) for t in ["MK(2N-1)", "2MKN-MK"] * 3]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert results == ["correct"] * 90


def test_close_stops_the_child_and_refuses_more_work() -> None:
    w = CheckWorker()
    pid = w.pid
    w.close()
    time.sleep(0.2)
    assert not _alive(pid)
    with pytest.raises(RuntimeError):
        w.check_spec(FLOPS, "x")
    w.close()  # idempotent


def test_unknown_family_is_a_worker_error(worker: CheckWorker) -> None:
    with pytest.raises(WorkerError):
        worker.check("no_such_family", 1, {}, "1")


def test_family_checks_regenerate_the_instance(worker: CheckWorker) -> None:
    try:
        from quizapp.exercises import families

        fams = families()
    except Exception as exc:  # noqa: BLE001 - the families are written in parallel
        pytest.skip(f"exercise families not available yet: {exc}")
    name, family = next(iter(fams.items()))
    instance = family.generate(7)
    verdict = worker.check(name, 7, {}, instance.answer_text)
    assert verdict.status == "correct", verdict
    assert worker.check_instance(instance, instance.answer_text).status == "correct"
    assert worker.interpret(name, 7, {}, instance.answer_text).valid


def test_falls_back_to_in_process_checks_when_no_child_can_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_start(self: CheckWorker) -> None:
        raise OSError("no subprocesses here")

    monkeypatch.setattr(CheckWorker, "_start", broken_start)
    w = CheckWorker()
    try:
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        assert w.in_process
        assert w.ping() == os.getpid()
        with pytest.raises(WorkerError):
            w._call(("exit",))
    finally:
        w.close()
