"""Run quizapp commands one after another in this process, for the hostile-file corpus.

    python runner.py SPEC.json RESULTS.json

SPEC = {"memory_limit": bytes, "unreadable": [dir, ...],
        "jobs": [{"argv": [...], "stdin": "...", "timeout": seconds} | {"snapshot": root}]}

Each command job runs `quizapp.cli.main.main(argv)` with stdin, stdout and stderr replaced by
in-memory streams (what the terminal would have received, as bytes), under a hard address-space
limit for the whole process and a timer per job: a hang becomes code "hang", an exception that
escapes main() code "traceback" (with the traceback in stderr). A snapshot job records the
sha256 of every file under a folder (the test compares them: hostile files must stay byte-identical).

Fault injection, so the corpus runs the same as root or not:
- `unreadable`: listing these folders raises PermissionError (root ignores chmod 000).
Speed: the built-in topics (never hostile) are parsed once per process, not once per command.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import io
import json
import os
import pathlib
import resource
import signal
import sys
import time
import traceback
from typing import Any


class Hang(BaseException):
    """The job's timer fired: the command would have hung."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise Hang


def _install_faults(spec: dict[str, Any]) -> None:
    unreadable = {os.path.realpath(p) for p in spec.get("unreadable", [])}
    if unreadable:
        real_iterdir = pathlib.Path.iterdir

        def iterdir(self: pathlib.Path) -> Any:
            if os.path.realpath(self) in unreadable:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_iterdir(self)

        pathlib.Path.iterdir = iterdir  # type: ignore[method-assign]
    from quizapp.deck import library
    from quizapp.paths import builtin_content_dir

    builtin = os.path.realpath(builtin_content_dir())
    parse = library.parse_topic_file
    cache: dict[tuple[str, bool], Any] = {}

    def cached(path: pathlib.Path, *, builtin_file: bool = False, **kw: Any) -> Any:
        real = os.path.realpath(path)
        if not real.startswith(builtin + os.sep):
            return parse(path, builtin=builtin_file, **kw)
        key = (real, builtin_file)
        if key not in cache:
            cache[key] = parse(path, builtin=builtin_file, **kw)
        return cache[key]

    library.parse_topic_file = lambda path, *, builtin=False, **kw: cached(path, builtin_file=builtin, **kw)


def _snapshot(root: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            try:
                if not os.path.isfile(path):  # a FIFO or socket: its kind is its content
                    found[rel] = "special"
                    continue
                with open(path, "rb") as fh:
                    found[rel] = hashlib.sha256(fh.read()).hexdigest()
            except OSError as exc:
                found[rel] = f"unreadable: {exc.strerror}"
    return found


def _run(job: dict[str, Any]) -> dict[str, Any]:
    from quizapp.cli.main import main

    out, err = io.BytesIO(), io.BytesIO()
    streams = (sys.stdin, sys.stdout, sys.stderr)
    # Kept referenced: a wrapper that is collected closes the buffer under it.
    wrappers = (io.TextIOWrapper(io.BytesIO(job.get("stdin", "").encode("utf-8")), encoding="utf-8"),
                io.TextIOWrapper(out, encoding="utf-8", write_through=True),
                io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = wrappers
    before = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, float(job.get("timeout", 30)))
    code: Any
    try:
        code = main(job["argv"])
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except Hang:
        code = "hang"
    except BaseException:  # noqa: BLE001 - MemoryError and RecursionError are findings too
        code = "traceback"
        traceback.print_exc(file=sys.stderr)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for wrapper in wrappers[1:]:
            wrapper.flush()
        written = out.getvalue(), err.getvalue()
        sys.stdin, sys.stdout, sys.stderr = streams
    after = resource.getrusage(resource.RUSAGE_SELF)
    kids_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
           + kids_after.ru_utime - kids.ru_utime + kids_after.ru_stime - kids.ru_stime)
    return {
        "argv": job["argv"], "code": code, "cpu": cpu, "seconds": time.perf_counter() - started,
        "peak_rss_mb": after.ru_maxrss / 1024,
        "stdout": base64.b64encode(written[0]).decode("ascii"),
        "stderr": base64.b64encode(written[1]).decode("ascii"),
    }


def main() -> None:
    spec_path, results_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    limit = int(spec.get("memory_limit", 0))
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    _install_faults(spec)
    results = []
    for job in spec["jobs"]:
        if "snapshot" in job:
            results.append({"snapshot": _snapshot(job["snapshot"])})
        else:
            results.append(_run(job))
        with open(results_path, "w", encoding="utf-8") as fh:  # partial results survive a crash
            json.dump(results, fh)


if __name__ == "__main__":
    main()
