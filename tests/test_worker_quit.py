"""Quitting at any moment is instant: closing the checker while its process is still starting
(importing sympy, about a second) or while a check runs returns at once, and the process goes."""

from __future__ import annotations

import time

from quizapp.checking.worker import CheckWorker


def _wait_until(condition, seconds: float = 10.0) -> bool:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_close_right_after_start_is_instant() -> None:
    worker = CheckWorker()
    time.sleep(0.05)  # the starting thread is inside the process start now
    t0 = time.perf_counter()
    worker.close()
    assert time.perf_counter() - t0 < 0.1
    # the thread that was starting the process stops it when it is done
    assert _wait_until(lambda: worker._proc is None and not worker._lock.locked())


def test_close_while_the_process_is_loading_kills_it() -> None:
    worker = CheckWorker()
    assert _wait_until(lambda: worker._proc is not None)
    proc = worker._proc
    t0 = time.perf_counter()
    worker.close()
    assert time.perf_counter() - t0 < 0.1
    assert _wait_until(lambda: not proc.is_alive())


def test_close_does_not_wait_for_a_busy_worker() -> None:
    worker = CheckWorker(start=False)
    with worker._lock:  # a check, or the start of the process, in progress on another thread
        t0 = time.perf_counter()
        worker.close()
        elapsed = time.perf_counter() - t0
    assert elapsed < 0.02  # it used to wait 50 ms for the lock, half of the quit budget
    assert worker._closed


def test_a_worker_made_not_to_start_starts_when_told() -> None:
    worker = CheckWorker(start=False)
    try:
        time.sleep(0.1)
        assert worker._proc is None and worker._starting is None
        worker.start()
        worker.start()  # once only
        assert _wait_until(lambda: worker._proc is not None)
        assert worker.ping() > 0
    finally:
        worker.close()
