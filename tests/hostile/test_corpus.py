"""Every hostile file of the corpus through every command that reads it (issue 16).

Each case runs in its own process (tests/hostile/runner.py) under an address-space limit, with a
timer per command. For every command: the expected exit status and message, no traceback, no
hang, no raw control character on stdout or stderr, and bounded CPU time. For every case: bounded
peak memory, every file that existed before the commands byte-identical afterwards (unless the
case says a command may rewrite it), no temporary file left behind.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cases import CONFIG_CASES, DB_CASES, DECK_CASES, Case, Run
from cases_import import IMPORT_CASES

RUNNER = Path(__file__).with_name("runner.py")
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of the whole runner process
PEAK_RSS_MB = 400
CPU_SECONDS = 4.0  # per command; the machines are shared, so CPU time rather than wall time
JOB_TIMEOUT = 20  # seconds before a command counts as hung
# C0 controls but newline and tab, DEL, C1 (UTF-8 C2 80–9F), bidi overrides and isolates.
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")

ALL_CASES: list[Case] = [*DECK_CASES, *CONFIG_CASES, *DB_CASES, *IMPORT_CASES]


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.waits_for)] if case.waits_for else []
    return pytest.param(case, id=case.name, marks=marks)


def _fill(text: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        text = text.replace("{" + key + "}", value)
    return text


def _pattern(regex: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        regex = regex.replace("\\{" + key + "\\}", re.escape(value))
    return regex


def _job(run: Run, places: dict[str, str]) -> dict[str, Any]:
    return {"argv": [_fill(a, places) for a in run.argv], "stdin": run.stdin, "timeout": JOB_TIMEOUT}


def run_case(case: Case, folder: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Build the case in `folder`, run setup, snapshot, commands, snapshot; the runner's results."""
    folder.mkdir(parents=True)
    places = {"dir": str(folder), "data": str(folder / "data"), "config": str(folder / "config.json")}
    places.update(case.build(folder))
    jobs = [_job(r, places) for r in case.setup] + [{"snapshot": str(folder)}]
    jobs += [_job(r, places) for r in case.runs] + [{"snapshot": str(folder)}]
    faults = {key: [_fill(v, places) for v in value] if isinstance(value, list) else value
              for key, value in case.faults.items()}
    spec = folder.parent / "spec.json"
    results_path = folder.parent / "results.json"
    spec.write_text(json.dumps({"memory_limit": MEMORY_LIMIT, "jobs": jobs, **faults}), encoding="utf-8")
    home = folder.parent / "home"
    env = dict(os.environ, QUIZAPP_DATA_DIR=places["data"], QUIZAPP_CONFIG=places["config"], QUIZAPP_LANG="en",
               HOME=str(home), XDG_DATA_HOME=str(home / "xdg-data"), XDG_CONFIG_HOME=str(home / "xdg-config"),
               TZ="UTC", PYTHONDONTWRITEBYTECODE="1")
    try:
        proc = subprocess.run([sys.executable, str(RUNNER), str(spec), str(results_path)], env=env,
                              capture_output=True, text=True, timeout=JOB_TIMEOUT * len(jobs) + 60)
        crash = "" if proc.returncode == 0 else f"runner exit {proc.returncode}: {proc.stderr[-2000:]}"
    except subprocess.TimeoutExpired:
        crash = "the runner itself did not finish"
    results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else []
    assert not crash and len(results) == len(jobs), crash or f"only {len(results)} of {len(jobs)} jobs ran"
    return results, places


def _decode(result: dict[str, Any], name: str) -> bytes:
    return base64.b64decode(result[name])


def check_run(run: Run, result: dict[str, Any], places: dict[str, str], earlier: list[dict[str, Any]]) -> list[str]:
    """Every way this command's outcome can be wrong, as readable lines."""
    out, err = _decode(result, "stdout"), _decode(result, "stderr")
    text = err.decode("utf-8", "replace") + out.decode("utf-8", "replace")
    where = " ".join(result["argv"])
    codes = run.code if isinstance(run.code, tuple) else (run.code,)
    found = []
    if result["code"] not in codes:
        found.append(f"{where}: exit {result['code']}, expected {codes}: {text[-1500:]}")
    if b"Traceback" in err:
        found.append(f"{where}: a traceback: {err.decode('utf-8', 'replace')[-1500:]}")
    for name, data in (("stdout", out), ("stderr", err)):
        raw = RAW_CONTROL.search(data)
        if raw:
            found.append(f"{where}: raw control byte {raw.group()!r} on {name}: {data[max(0, raw.start() - 60):raw.end() + 20]!r}")
    if run.expect and not re.search(_pattern(run.expect, places), text, re.MULTILINE):
        found.append(f"{where}: no match for {_pattern(run.expect, places)!r} in: {text[-1500:]}")
    if result["cpu"] > CPU_SECONDS:
        found.append(f"{where}: {result['cpu']:.1f} s of CPU (at most {CPU_SECONDS})")
    if run.same_output_as is not None and out != _decode(earlier[run.same_output_as], "stdout"):
        found.append(f"{where}: a different answer than `{' '.join(earlier[run.same_output_as]['argv'])}`")
    return found


def check_files(case: Case, before: dict[str, str], after: dict[str, str]) -> list[str]:
    found = [f"{name} changed" for name, digest in before.items()
             if name not in case.may_change and after.get(name) != digest]
    found += [f"temporary file left: {name}" for name in after if name.endswith(".tmp") and name not in before]
    if case.no_new_files_in:
        prefix = case.no_new_files_in + os.sep
        found += [f"new file {name}" for name in after if name.startswith(prefix) and name not in before]
    return found


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_hostile_file(case: Case, tmp_path: Path) -> None:
    results, places = run_case(case, tmp_path / "case")
    setup, rest = results[: len(case.setup)], results[len(case.setup):]
    before, commands, after = rest[0]["snapshot"], rest[1:-1], rest[-1]["snapshot"]
    problems = [f"setup failed: {r['argv']} → {r['code']}" for r in setup if r["code"] != 0]
    for i, (run, result) in enumerate(zip(case.runs, commands, strict=True)):
        problems += check_run(run, result, places, commands[:i])
    peak = max((r["peak_rss_mb"] for r in commands), default=0)
    if peak > PEAK_RSS_MB:
        problems.append(f"peak memory {peak:.0f} MB (at most {PEAK_RSS_MB})")
    problems += check_files(case, before, after)
    assert not problems, "\n".join(problems)
