"""`quizapp` with no subcommand: open the context (settings, content, store) and run QuizApp.

Answers are committed by the session when they are rated, so quitting at any point loses
nothing. The check worker process is started before the app runs (sympy/numpy are imported in
the child, never in this process); if it cannot start, checks run in-process without a limit.
"""

from __future__ import annotations

import argparse
import threading
from typing import Any

from quizapp.checking.verdict import Verdict


class LazyCheckWorker:
    """Starts quizapp.checking.worker.CheckWorker on start() (or first use), thread-safely.

    If the worker module is missing or cannot start, checks run in-process without a time limit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker: Any = None
        self._failed = False

    def _get(self) -> Any:
        with self._lock:
            if self._worker is None and not self._failed:
                try:
                    from quizapp.checking.worker import CheckWorker

                    self._worker = CheckWorker()
                except Exception:  # noqa: BLE001 - fall back to in-process checks
                    self._failed = True
            return self._worker

    def start(self) -> None:
        """Start the worker process now. Call before the app runs: multiprocessing's helper
        processes need the real stderr file descriptor, which Textual replaces while running."""
        self._get()

    def check_instance(self, instance: Any, text: str) -> Verdict:
        worker = self._get()
        if worker is None:
            return instance.check(text)
        return worker.check_instance(instance, text)

    def interpret_spec(self, spec: Any, text: str) -> Any:
        worker = self._get()
        if worker is None:
            from quizapp.checking.pipeline import interpret

            return interpret(text, spec)
        return worker.interpret_spec(spec, text)

    def close(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()


def run(args: argparse.Namespace) -> int:
    from quizapp.cli.context import open_context
    from quizapp.tui.app import QuizApp

    context = open_context(args)
    if isinstance(context, int):  # an exit code: the error was already printed
        return context
    worker = LazyCheckWorker()
    worker.start()  # ~5 ms: the child imports sympy/numpy in its own process
    try:
        QuizApp(context, check_worker=worker).run()
    finally:
        worker.close()
        close = getattr(context.store, "close", None)
        if callable(close):
            close()
    return 0
