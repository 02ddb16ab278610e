"""Quitting right after start is instant (issue 17): the terminal driver's input thread stops the
moment input is disabled, the checking process is started only once the dashboard is drawn, and
the process ends without tearing down its heap (atexit handlers still run, output still flushed)."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import threading
import time
import tty
from pathlib import Path
from typing import Any

from textual import events

from quizapp.tui.driver import QuickExitDriver

ROOT = Path(__file__).resolve().parent.parent


def _wait_until(condition: Any, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())


async def test_the_input_thread_reads_keys_and_ends_as_soon_as_input_is_disabled() -> None:
    received: list[object] = []

    class Recording(QuickExitDriver):
        def process_message(self, message: Any) -> None:
            received.append(message)

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT, signal.SIGWINCH)}
    master, slave = pty.openpty()
    tty.setraw(slave)  # keys arrive one by one, as in the app (no line editing)
    driver = Recording(None, mouse=False)  # type: ignore[arg-type] - the app is not used here
    try:
        driver.fileno = slave  # a terminal of its own, not the test's stdin
        thread = threading.Thread(target=driver.run_input_thread)
        driver._key_thread = thread
        thread.start()
        os.write(master, b"a")
        assert _wait_until(lambda: any(isinstance(m, events.Key) and m.key == "a" for m in received))
        time.sleep(0.02)  # the thread is back waiting on the terminal
        start = time.perf_counter()
        driver.disable_input()
        elapsed = time.perf_counter() - start
        assert not thread.is_alive()
        # Textual's own thread takes at least 0.1 s here (its last wait has nothing to watch)
        assert elapsed < 0.08
    finally:
        driver.exit_event.set()
        driver.close()
        os.close(master)
        os.close(slave)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_the_app_uses_the_quick_driver_in_a_terminal() -> None:
    from textual.drivers.linux_driver import LinuxDriver

    from quizapp.tui.app import QuizApp

    assert issubclass(QuickExitDriver, LinuxDriver)
    app = QuizApp.__new__(QuizApp)  # get_driver_class reads only the platform and environment
    assert app.get_driver_class() is QuickExitDriver


async def test_the_checker_starts_once_the_dashboard_is_drawn(tmp_path: Path) -> None:
    from textual.widgets import DataTable
    from tui_app_fixtures import make_app

    starts: list[tuple[str, int]] = []

    class LateWorker:
        def start(self) -> None:  # what was on the screen when the app started the checker
            starts.append((type(app.screen).__name__, app.screen.query_one(DataTable).row_count))

        def close(self) -> None:
            pass

    app = make_app(tmp_path)
    app.check_worker = LateWorker()  # type: ignore[assignment]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(starts) == 1
        assert starts[0][0] == "DashboardScreen" and starts[0][1] > 0


def test_the_command_flushes_its_output_and_runs_atexit_handlers(tmp_path: Path) -> None:
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('atexit ran', flush=True))\n"
        "from quizapp.cli.main import entry\n"
        "sys.argv = ['quizapp', 'validate', '--summary']\n"
        "entry()\n"
    )
    env = dict(os.environ, QUIZAPP_DATA_DIR=str(tmp_path / "data"), QUIZAPP_CONFIG=str(tmp_path / "c.json"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "backpropagation" in out.stdout  # printed before the exit, flushed
    assert out.stdout.rstrip().endswith("atexit ran")


async def test_the_first_screen_turns_the_collector_back_on(tmp_path: Path) -> None:
    import gc

    from tui_app_fixtures import make_app

    app = make_app(tmp_path)
    gc.disable()  # as the launcher leaves it for start-up
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects: never scanned again
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_launcher_runs_the_app_without_the_collector_and_turns_it_back_on(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import gc

    from quizapp.cli import launch
    from quizapp.cli.main import build_parser
    from quizapp.tui.app import QuizApp

    seen: list[bool] = []

    class Worker:
        def __init__(self, *, start: bool = True) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(QuizApp, "run", lambda self: seen.append(gc.isenabled()))
    monkeypatch.setattr("quizapp.exercises.worker.ExerciseWorker", Worker)
    args = build_parser().parse_args(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.json")])
    assert launch.run(args) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_the_warm_up_runs_on_a_daemon_thread_that_quitting_does_not_wait_for(monkeypatch: Any) -> None:
    from quizapp.tui.app import QuizApp

    started: list[tuple[str, bool]] = []

    class Thread:
        def __init__(self, *, target: Any, name: str, daemon: bool) -> None:
            started.append((name, daemon))

        def start(self) -> None:
            pass

    monkeypatch.setattr("quizapp.tui.app.threading.Thread", Thread)
    QuizApp.__new__(QuizApp)._warm_up_exercises()  # a Textual thread worker made the exit wait for it
    assert started == [("quizapp-warm-up", True)]
