"""Fits and simulations in a child process, for front ends that must stay responsive.

The Rust core holds Python's GIL for the whole of a fit (tens of seconds on a large log), so a
thread would freeze a terminal UI. `run_job` starts a fresh (spawned) process that opens the
store itself, runs one of the jobs below, and reports progress and the result over a pipe;
`cancelled()` is polled ten times a second, and the child is killed when it says so (a store
transaction it had open is rolled back by SQLite; the config is only ever replaced whole).

    report, settings = run_job(fit_job, (data_dir, config_path, settings, now, True), progress, stop.is_set)
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from quizapp.config import Settings
from quizapp.sched.fit import FitReport
from quizapp.sched.items import Progress
from quizapp.sched.simulate import Simulation

POLL_S = 0.1


class JobFailed(Exception):
    """The job raised, or its process died; the message says what happened."""


class JobCancelled(Exception):
    """cancelled() said so and the process was stopped."""


def fit_job(
    data_dir: Path, config_path: Path, settings: Settings, now: datetime, adopt: bool, progress: Progress
) -> tuple[FitReport, Settings | None]:
    """Fit (and adopt, when `adopt` and the fit says so): the report (without its training
    data) and the settings now in force if they changed."""
    from quizapp.sched.adopt import adopt as adopt_fit
    from quizapp.sched.fit import fit
    from quizapp.store import Store

    with Store.open(data_dir) as store:
        report = fit(store, settings, progress)
        updated = None
        if adopt and report.adopt:
            progress("adopt", 0.95)
            updated = adopt_fit(store, settings, report, config_path, now)
    return replace(report, data=None), updated


def reset_job(data_dir: Path, config_path: Path, settings: Settings, now: datetime, progress: Progress) -> Settings:
    """Back to FSRS-6's defaults; the settings now in force."""
    from quizapp.sched.adopt import reset
    from quizapp.store import Store

    progress("adopt", 0.0)
    with Store.open(data_dir) as store:
        return reset(store, settings, config_path, now)


def simulate_job(
    data_dir: Path, settings: Settings, retentions: Sequence[float], days: int, progress: Progress
) -> Simulation:
    from quizapp.sched.simulate import simulate
    from quizapp.store import Store

    with Store.open(data_dir, read_only=True) as store:
        return simulate(store, settings, retentions, days, progress=progress)


def run_job(
    job: Callable[..., Any], args: tuple[Any, ...], progress: Progress, cancelled: Callable[[], bool]
) -> Any:
    """Run `job(*args, progress=…)` in a child process; its result, or JobFailed/JobCancelled."""
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, job, args), daemon=True, name="quizapp-fit")
    _start(child)
    sender.close()
    try:
        while True:
            if cancelled():
                raise JobCancelled
            if not receiver.poll(POLL_S):
                if not child.is_alive() and not receiver.poll():
                    raise JobFailed(f"the job's process ended without a result (exit code {child.exitcode})")
                continue
            try:
                kind, *payload = receiver.recv()
            except EOFError:
                raise JobFailed(f"the job's process ended without a result (exit code {child.exitcode})") from None
            if kind == "progress":
                progress(*payload)
            elif kind == "done":
                return payload[0]
            else:
                raise JobFailed(str(payload[0]))
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        receiver.close()


def _start(child: Any) -> None:
    """Start the child. A terminal UI replaces sys.stderr with an object without a file
    descriptor (Textual's fileno() is -1), which multiprocessing's resource tracker, started with
    the first child, would hand on and fail on: it starts with the real stderr."""
    from multiprocessing import resource_tracker

    saved = sys.stderr
    try:
        if sys.__stderr__ is not None and _fd(saved) < 0:
            sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved
    child.start()


def _fd(stream: Any) -> int:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return -1


def _child(sender: Connection, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    # Nothing may reach the terminal the parent draws on: the pipe carries everything.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)

    def progress(stage: str, fraction: float) -> None:
        sender.send(("progress", stage, fraction))

    try:
        result = job(*args, progress=progress)
    except Exception as exc:  # the parent shows it; the app keeps running
        sender.send(("error", f"{type(exc).__name__}: {exc}"))
    else:
        sender.send(("done", result))
    finally:
        cast(Any, sender).close()
