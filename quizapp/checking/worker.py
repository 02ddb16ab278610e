"""A pre-started checking process with a hard time limit.

Signal timeouts cannot interrupt sympy's C-level big-integer work, so checks run in a child
process that is killed and replaced when one takes longer than `timeout` seconds. The child
imports sympy and numpy once; with the forkserver start method the server preloads them, so a
replacement is a cheap fork. A dead child (MemoryError, segfault, kill) is replaced on the next
call. Calls are serialised by a lock, so `check` and `interpret` may be called from any thread.
If no child process can be started at all (a sandbox without subprocesses), the worker logs a
warning and checks in-process, without the time limit, rather than failing every check.

    worker = CheckWorker()
    verdict = worker.check_spec(spec, "2*64*3*3", mistakes)      # plain spec and mistakes
    verdict = worker.check_instance(instance, "13")              # an exercise instance's spec
    preview = worker.interpret_spec(spec, "MK(2N-1)")            # Interpretation
    value = worker.run(module_level_function, arg)               # anything else, same limit
    worker.close()

Exercise parts and YAML exercise generation are added by quizapp.exercises.worker.ExerciseWorker.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import weakref
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from typing import Any, cast

from quizapp.checking import messages
from quizapp.checking.spec import AnswerSpec, Mistake
from quizapp.checking.verdict import Verdict

log = logging.getLogger("quizapp.checking")

DEFAULT_TIMEOUT = 2.0
STARTUP_TIMEOUT = 60.0
CLOSE_WAIT = 0.05  # seconds close() gives an idle, ready child to stop by itself
# Address space the child may add on top of what it uses after importing sympy and numpy.
DEFAULT_MEMORY_HEADROOM = 1 << 30
_PRELOAD = ["numpy", "sympy", "quizapp.checking.pipeline", "quizapp.checking.warm"]


def _timeout_verdict() -> Verdict:
    return Verdict("invalid", note="invalid.timeout", feedback=messages.TIMEOUT)


def _crash_verdict() -> Verdict:
    return Verdict("invalid", note="invalid.crash", feedback=messages.CRASH)


def _limit_memory(headroom: int | None) -> None:
    if headroom is None:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + headroom
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no RLIMIT_AS here: the time limit still holds


def _handle(request: tuple[Any, ...]) -> Any:
    """Answer one request (in the child, or in this process after the fallback)."""
    from quizapp.checking.pipeline import check_answer, interpret

    op = request[0]
    if op == "check_spec":
        _, spec, mistakes, text = request
        return check_answer(text, spec, tuple(mistakes))
    if op == "interpret_spec":
        _, spec, text = request
        return interpret(text, spec)
    if op == "run":
        _, fn, args = request
        return fn(*args)
    if op == "ping":
        return os.getpid()
    raise ValueError(f"unknown request {op!r}")


def _serve(conn: Connection, memory_headroom: int | None) -> None:
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import numpy  # noqa: F401
    import sympy  # noqa: F401

    import quizapp.checking.warm  # noqa: F401 - imports sympy/numpy and fills caches

    _limit_memory(memory_headroom)
    try:
        conn.send(("ready", os.getpid()))
    except OSError:
        return  # the parent gave up on us (closed or replaced) before we were ready
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            result: Any = ("ok", _handle(request))
        except MemoryError:
            # The heap may be in a bad state: answer, then let the parent replace this process.
            result = ("restart", Verdict("invalid", note="invalid.too-big", feedback=messages.CRASH))
        except Exception as exc:  # noqa: BLE001 - report, never die on one request
            result = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(result)
        except (OSError, ValueError):
            return


def _shutdown(proc: Any, conn: Connection | None, *, grace: float = 0.5) -> None:
    """Ask the child to stop, wait `grace` seconds for it, then kill it."""
    if conn is not None:
        with contextlib.suppress(OSError, ValueError):
            conn.send(None)
        with contextlib.suppress(OSError):
            conn.close()
    if proc is not None:
        proc.join(grace)
        if proc.is_alive():
            proc.kill()
        proc.join(2)


class WorkerError(RuntimeError):
    """A request the child could not serve (e.g. an unknown family); not a learner's fault."""


class CheckWorker:
    """Thread-safe front end to one checking process with a hard per-check time limit."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        start_method: str | None = None,
        memory_headroom: int | None = DEFAULT_MEMORY_HEADROOM,
        start: bool = True,
    ) -> None:
        self.timeout = timeout
        self.memory_headroom = memory_headroom
        methods = multiprocessing.get_all_start_methods()
        method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
        # The stubs type get_context(str) as BaseContext, which lacks Process; both methods used
        # here give a context that has it.
        self._ctx = cast(SpawnContext, multiprocessing.get_context(method))
        if method == "forkserver":
            self._ctx.set_forkserver_preload(_PRELOAD)
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Connection | None = None
        self._ready = False
        self._closed = False
        self.restarts = 0
        self.in_process = False  # set when no child process can be started here
        self._finalizer: weakref.finalize | None = None
        self._starting: threading.Thread | None = None
        if start:
            self.start()
        else:
            # Whoever starts the process later may run while sys.stderr is replaced (Textual's
            # capture has no file number), and multiprocessing hands stderr's number to its
            # resource tracker when it starts it: start the tracker now, while stderr is real.
            from multiprocessing import resource_tracker

            with contextlib.suppress(Exception):  # the first call retries, then falls back
                resource_tracker.ensure_running()

    def start(self) -> None:
        """Start the checking process in the background, if it is not started yet (the
        constructor does, unless given start=False: the full-screen app starts it once its
        first screen is drawn, so sympy's import does not compete with drawing it)."""
        if self._starting is None and not self._closed:
            # Starting the forkserver (which imports sympy) takes about a second: in the
            # background, so it never blocks the UI; the first call waits for it.
            self._starting = threading.Thread(
                target=self._start_if_needed, name="quizapp-check-start", daemon=True
            )
            self._starting.start()

    def _start_if_needed(self) -> None:
        with self._lock:
            if self._proc is None and not self._closed:
                try:
                    self._start()
                except Exception as exc:  # noqa: BLE001 - the first call retries, then falls back
                    log.warning("could not start the checking process: %s", exc)
            if self._closed:  # closed while the process was starting: close() did not wait for us
                self._stop()

    # ------------------------------------------------------------ process management

    def _start(self) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_serve, args=(child, self.memory_headroom), name="quizapp-check", daemon=True
        )
        proc.start()
        child.close()
        self._proc, self._conn, self._ready = proc, parent, False
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _shutdown, proc, parent)

    def _kill(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc, self._conn, self._ready = None, None, False
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if proc is not None:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                proc.kill()
            proc.join(5)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()

    def _restart(self) -> None:
        self._kill()
        self.restarts += 1
        self._start()

    def _ensure_ready(self) -> Connection:
        if self._closed:
            raise RuntimeError("CheckWorker is closed")
        if self._proc is None:
            self._start()
        elif not self._proc.is_alive():
            self._restart()
        assert self._conn is not None
        if not self._ready:
            if not self._conn.poll(STARTUP_TIMEOUT):
                raise RuntimeError("the checking process did not start")
            tag, _ = self._conn.recv()
            if tag != "ready":
                raise RuntimeError(f"unexpected message from the checking process: {tag!r}")
            self._ready = True
        return self._conn

    @property
    def pid(self) -> int | None:
        """The child's process id (for tests and diagnostics)."""
        with self._lock:
            self._ensure_ready()
            return self._proc.pid if self._proc is not None else None

    def _connect(self) -> Connection | None:
        """A ready child's connection, or None once we have fallen back to in-process checks."""
        if self._closed:
            raise RuntimeError("CheckWorker is closed")
        if self.in_process:
            return None
        try:
            try:
                return self._ensure_ready()
            except (EOFError, OSError, ValueError):
                self._restart()
                return self._ensure_ready()
        except Exception as exc:  # noqa: BLE001 - no subprocesses here: keep checking anyway
            log.warning("checking process unavailable (%s); checking in-process without a time limit", exc)
            self._kill()
            self.in_process = True
            return None

    def _call(self, request: tuple[Any, ...], timeout: float | None = None) -> Any:
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            conn = self._connect()
            if conn is None:
                return self._call_in_process(request)
            try:
                conn.send(request)
                if not conn.poll(limit):
                    self._restart()
                    return _timeout_verdict()
                tag, payload = conn.recv()
            except (EOFError, OSError, ValueError):
                self._restart()
                return _crash_verdict()
            if tag == "restart":
                self._restart()
            if self._closed:  # closed while this check ran: close() left the process to us
                self._stop()
        if tag == "error":
            raise WorkerError(payload)
        return payload

    def _call_in_process(self, request: tuple[Any, ...]) -> Any:
        try:
            return _handle(request)
        except Exception as exc:  # noqa: BLE001
            raise WorkerError(f"{type(exc).__name__}: {exc}") from exc

    # ------------------------------------------------------------ public API

    def check_spec(self, spec: AnswerSpec, text: str, mistakes: Sequence[Mistake] = ()) -> Verdict:
        return self._call(("check_spec", spec, tuple(mistakes), text))

    def check_instance(self, instance: Any, text: str) -> Verdict:
        """Check against an already generated exercise Instance (sends its spec and mistakes)."""
        return self.check_spec(instance.spec, text, instance.mistakes)

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """fn(*args) in the child under the time limit: fn's result, or the timeout or crash
        Verdict. fn travels by name (a module-level function; the child imports its module), so
        a layer above can add its own requests (quizapp.exercises.worker) without this module
        importing it."""
        return self._call(("run", fn, args))

    def interpret_spec(self, spec: AnswerSpec, text: str) -> Any:
        return self._call(("interpret_spec", spec, text))

    def ping(self) -> int:
        """The child's pid once it is ready (our own pid when checking in-process)."""
        return int(self._call(("ping",), timeout=STARTUP_TIMEOUT))

    def close(self) -> None:
        """Stop the checking process; returns at once, whatever the process is doing. If another
        thread holds the worker (still starting the process, or waiting for a check), that thread
        stops the process as soon as it lets go."""
        self._closed = True
        # No waiting for the lock: whoever holds it (a check, the start) may hold it for seconds,
        # and quitting takes < 100 ms in all (issue 17). The holder sees _closed when it lets go.
        if not self._lock.acquire(blocking=False):
            return
        try:
            self._stop()
        finally:
            self._lock.release()

    def _stop(self) -> None:
        """Shut the process down (the lock is held). A process not yet ready is killed: it may be
        importing sympy for another second and would not hear the request to stop."""
        proc, conn, ready = self._proc, self._conn, self._ready
        self._proc, self._conn, self._ready = None, None, False
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        _shutdown(proc, conn, grace=CLOSE_WAIT if ready else 0.0)

    def __enter__(self) -> CheckWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
