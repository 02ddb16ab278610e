"""CheckWorker: hard time limit, crash recovery, threads, no zombies."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from worker_hooks import allocate

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


def _eventually(condition: Callable[[], bool], within: float = 10.0) -> bool:
    """Poll instead of one fixed sleep: the forkserver reaps its children when it gets to it,
    which on a loaded machine can take longer than any short sleep."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_checks_and_previews(worker: CheckWorker) -> None:
    assert worker.check_spec(FLOPS, "MK(2N-1)").status == "correct"
    assert worker.check_spec(FLOPS, "2MKN").status == "wrong"
    preview = worker.interpret_spec(FLOPS, "MK(2N-1)")
    assert preview.valid and "MK → M·K" in preview.interpreted
    assert worker.interpret_spec(FLOPS, "m").is_invalid


def test_hostile_power_is_refused_by_the_parser_not_the_time_limit(worker: CheckWorker) -> None:
    restarts = worker.restarts
    verdict = worker.check_spec(FLOPS, "9**9**9**9")
    # invalid.timeout would also be 'invalid': the note shows the size limit caught it at once.
    assert (verdict.status, verdict.note) == ("invalid", "invalid.too-big")
    assert worker.restarts == restarts


def test_a_hang_is_killed_and_replaced() -> None:
    with CheckWorker(timeout=0.5) as w:
        old = w.pid
        start = time.perf_counter()
        verdict = w.run(time.sleep, 30)
        elapsed = time.perf_counter() - start
        assert isinstance(verdict, Verdict)
        assert (verdict.status, verdict.note) == ("invalid", "invalid.timeout")
        assert verdict.feedback.en and verdict.feedback.zh
        # Waited for the limit, then gave up long before the 30 s sleep ended (the upper bound is
        # loose on purpose: killing and restarting the child is slow on a loaded machine).
        assert 0.4 < elapsed < 15
        assert not _alive(old)
        assert w.pid != old
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        assert w.restarts == 1
    assert _eventually(lambda: _zombies_of(_parents()) == []), _zombies_of(_parents())


def test_default_limit_is_two_seconds() -> None:
    with CheckWorker() as w:
        assert w.timeout == 2.0
        w.ping()
        start = time.perf_counter()
        assert w.run(time.sleep, 30).note == "invalid.timeout"
        assert 1.9 < time.perf_counter() - start < 15  # loose upper bound: see above


def test_survives_a_crashed_or_killed_child() -> None:
    # A generous time limit: this is about surviving a dead child, and the first check of a new
    # child on a loaded machine may be slow (the time limit has its own tests).
    with CheckWorker(timeout=15) as w:
        first = w.pid
        crashed = w.run(os._exit, 3)
        assert (crashed.status, crashed.note) == ("invalid", "invalid.crash")
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        second = w.pid
        assert second != first
        os.kill(second, 9)
        assert _eventually(lambda: not _alive(second))
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        assert w.pid not in (first, second)
    assert _eventually(lambda: _zombies_of(_parents()) == []), _zombies_of(_parents())


def test_memory_limit_turns_a_blow_up_into_an_invalid_verdict() -> None:
    with CheckWorker() as w:
        w.ping()
        verdict = w.run(allocate, 8 << 30)  # 8 GiB: beyond RLIMIT_AS
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
    assert pid is not None and _alive(pid)
    w.close()
    assert _eventually(lambda: not _alive(pid))
    with pytest.raises(RuntimeError):
        w.check_spec(FLOPS, "x")
    w.close()  # idempotent


def test_an_error_in_a_request_is_a_worker_error(worker: CheckWorker) -> None:
    from quizapp.exercises import get_family

    with pytest.raises(WorkerError):
        worker.run(get_family, "no_such_family")


def test_run_calls_a_function_in_the_child(worker: CheckWorker) -> None:
    from quizapp.exercises import get_family

    assert worker.run(os.getpid) == worker.pid != os.getpid()
    instance = get_family("matmul_flops").generate(7)
    other = get_family("matmul_flops").generate(8)
    assert other.answer_text != instance.answer_text
    # The child draws the same numbers for seed 7 as this process does.
    assert worker.run(get_family("matmul_flops").generate, 7).answer_text == instance.answer_text
    assert worker.check_instance(instance, instance.answer_text).status == "correct"
    assert worker.check_instance(other, instance.answer_text).status == "wrong"


def test_falls_back_to_in_process_checks_when_no_child_can_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_start(self: CheckWorker) -> None:
        raise OSError("no subprocesses here")

    monkeypatch.setattr(CheckWorker, "_start", broken_start)
    w = CheckWorker()
    try:
        assert w.check_spec(FLOPS, "MK(2N-1)").status == "correct"
        assert w.in_process
        assert w.ping() == os.getpid()
        assert w.run(os.getpid) == os.getpid()
    finally:
        w.close()
