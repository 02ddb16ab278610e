"""Quit right after start (issue 17): the real app in a terminal, timed from the quit key to exit.

    .venv/bin/python bench/quit.py [--runs 9] [--delay 0]

Each run starts `python -m quizapp` (the launch path a learner runs) in a pseudo-terminal of
80×24, reads what it draws, and as soon as the dashboard's table is on the screen (its "All
topics" row has been written: the dashboard is interactive from then on) writes ctrl+q, the quit
key; `--delay S` waits S seconds more first (to quit while the check worker or the warm-up is busy).
Prints medians of:
- start → dashboard on the screen (wall, as the learner sees it, in a real terminal);
- ctrl+q → the process has exited (what the learner waits for; every child it waits for, every
  thread, the interpreter's own shutdown included). Target: < 100 ms.
A fresh data directory is made once; the first, uncounted run creates the database and caches.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import startup  # bench/startup.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
READY_TEXT = "All topics"  # the first row of the dashboard's table (QUIZAPP_LANG=en)
QUIT_KEY = b"\x11"  # ctrl+q
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


def child_env(data_dir: Path) -> dict[str, str]:
    """bench/startup.py's environment (its own data, config, cache; English), in a terminal."""
    env = startup.child_env(data_dir)
    env.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
    return env


def _read(fd: int, timeout: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the child closed the terminal
        return b""


def one_run(data_dir: Path, delay: float, limit: float = 60.0) -> tuple[float, float]:
    """(start → dashboard on screen, ctrl+q → exit) in seconds."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizapp"], stdin=slave, stdout=slave, stderr=slave,
        env=child_env(data_dir), cwd=ROOT, start_new_session=True,
    )
    os.close(slave)
    seen = b""
    ready_at = None
    try:
        while ready_at is None:
            if time.perf_counter() - start > limit or proc.poll() is not None:
                raise SystemExit(f"the dashboard never appeared; the screen read:\n{ESCAPES.sub(b'', seen)[-2000:]!r}")
            seen += _read(master, 0.05)
            if READY_TEXT.encode() in ESCAPES.sub(b"", seen):
                ready_at = time.perf_counter()
        if delay:
            until = time.perf_counter() + delay
            while time.perf_counter() < until:
                _read(master, max(0.0, until - time.perf_counter()))
        pressed = time.perf_counter()
        os.write(master, QUIT_KEY)
        while proc.poll() is None:  # keep draining the terminal so the app never blocks writing
            _read(master, 0.002)
            if time.perf_counter() - pressed > limit:
                raise SystemExit("the app did not exit after ctrl+q")
        exited = time.perf_counter()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return ready_at - start, exited - pressed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="timed runs (median)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between the dashboard and ctrl+q")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-quit-") as tmp:
        data_dir = Path(tmp) / "data"
        one_run(data_dir, 0.0)  # creates the database and the parse cache; not counted
        shown, quit_ms = [], []
        for _ in range(max(1, args.runs)):
            ready, gone = one_run(data_dir, args.delay)
            shown.append(ready * 1000)
            quit_ms.append(gone * 1000)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; "
          f"{len(quit_ms)} runs, quit {args.delay:g} s after the dashboard appeared")
    print(f"start → dashboard on the screen (80×24 terminal): median {statistics.median(shown):.0f} ms "
          f"(min {min(shown):.0f}, max {max(shown):.0f})")
    print(f"ctrl+q → process exited: median {statistics.median(quit_ms):.0f} ms "
          f"(min {min(quit_ms):.0f}, max {max(quit_ms):.0f})  target < 100 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
