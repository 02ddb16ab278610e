"""Start-up and responsiveness of the terminal app (a script, not a timed test).

    .venv/bin/python bench/startup.py [--runs 7] [--keys 40]

Prints medians of:
- process start → first frame of a hello-world Textual app (one Static), measured the same way in
  the same run, runs interleaved with the dashboard's: the floor any Textual app pays (importing
  Textual is most of it). Target (issue 17): dashboard ≤ 1.5 × hello-world.
- process start → interactive dashboard: a fresh `python` process runs the real launch path
  (quizapp.cli.launch.run: settings, built-in content, store, check worker, QuizApp) headless and
  reports ready when the first frame with the dashboard's table filled has been written; timed from
  just before the process is spawned. The check worker's process (sympy, numpy) is started by the
  app once that frame is drawn, so it does not compete with it. Quitting: bench/quit.py. Also its CPU time by then (immune to other processes' load;
  compared with hello-world's CPU time by its first frame) and whether sympy / numpy were imported.
  Children run with Python's bytecode cache on, as an installed app does.
- keypress → repaint on the study screen: Pilot presses (reveal, rate, skip) in a headless app,
  timed from posting the key to the first frame written after it (Screen._compositor_refresh),
  with the process CPU time spent by then.
- peak memory (ru_maxrss) of the app process, and of the check-worker process (sympy, numpy).
Targets (issue 6): dashboard < 0.6 s, repaint < 50 ms, peak memory < 150 MB.
Machines are shared and noisy: compare medians, run it twice.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DASHBOARD_CHILD = textwrap.dedent(
    """
    import resource, sys, time, json
    from textual.app import App
    from textual.screen import Screen
    from quizapp.cli.main import build_parser
    from quizapp.cli import launch
    from quizapp.tui.app import QuizApp

    report = {}
    original_refresh = Screen._compositor_refresh

    def refresh_and_report(self):
        # READY as soon as a frame with the dashboard's filled table has been written.
        result = original_refresh(self)
        if "ready" not in report and type(self).__name__ == "DashboardScreen":
            from textual.widgets import DataTable
            if self.query_one(DataTable).row_count:
                report["ready"] = True
                report["sympy"] = "sympy" in sys.modules
                report["numpy"] = "numpy" in sys.modules
                usage = resource.getrusage(resource.RUSAGE_SELF)
                report["cpu_s"] = usage.ru_utime + usage.ru_stime  # immune to other processes' load
                print("READY", flush=True)
        return result

    Screen._compositor_refresh = refresh_and_report

    async def leave(pilot):
        for _ in range(400):
            if "ready" in report:
                break
            await pilot.pause(0.01)
        pilot.app.exit()

    original_run = App.run

    def headless_run(self, *args, **kwargs):
        return original_run(self, headless=True, size=(100, 30), auto_pilot=leave)

    QuizApp.run = headless_run
    code = launch.run(build_parser().parse_args(sys.argv[1:]))
    report["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report["exit"] = code
    print("REPORT " + json.dumps(report), flush=True)
    """
)

HELLO_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Static

    original_refresh = Screen._compositor_refresh
    done = []

    def refresh_and_report(self):
        result = original_refresh(self)
        if not done:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            done.append(usage.ru_utime + usage.ru_stime)
            print("READY", flush=True)
        return result

    Screen._compositor_refresh = refresh_and_report

    class Hello(App):
        def compose(self):
            yield Static("hello")

    async def leave(pilot):
        for _ in range(400):
            if done:
                break
            await pilot.pause(0.01)
        pilot.app.exit()

    Hello().run(headless=True, size=(100, 30), auto_pilot=leave)
    print("REPORT " + json.dumps({"cpu_s": done[0] if done else 0.0}), flush=True)
    """
)

REPAINT_CHILD = textwrap.dedent(
    """
    import asyncio, json, resource, statistics, sys, time
    from textual.screen import Screen
    from quizapp.cli.main import build_parser
    from quizapp.context import open_context
    from quizapp.tui.app import QuizApp

    KEYS = int(sys.argv[1])
    frames = []  # (wall, cpu) each time a frame was composed and written
    original_refresh = Screen._compositor_refresh

    def refresh_and_note(self):
        result = original_refresh(self)
        frames.append((time.perf_counter(), time.process_time()))
        return result

    def descendants_peak_mb():
        # Peak RSS (VmHWM) of every process below this one: the check worker and its helpers.
        import os
        children = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(pid))
        peak, todo = 0.0, list(children.get(os.getpid(), []))
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]) / 1024)
            except OSError:
                pass
        return peak

    Screen._compositor_refresh = refresh_and_note

    async def main():
        from quizapp.exercises.worker import ExerciseWorker

        opened = open_context(build_parser().parse_args(sys.argv[2:]))
        context = opened.__enter__()
        worker = ExerciseWorker()  # as the real app: checks and previews in another process
        app = QuizApp(context, check_worker=worker)
        samples = {}
        cpu = {}

        async def timed(pilot, label, key):
            # From posting the key to the frame it caused (Pilot's idle detection excluded).
            # First frame after the key: what the learner waits for. Later frames (a preview from
            # a worker, a cursor blink) are not the key's repaint.
            frames.clear()
            start, cpu_start = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            if frames:
                wall, cpu_at = frames[0]
                samples.setdefault(label, []).append((wall - start) * 1000)
                cpu.setdefault(label, []).append((cpu_at - cpu_start) * 1000)

        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.start_study(practice=True, limit=KEYS)
            await pilot.pause()
            await pilot.pause()
            screen = app.screen
            for _ in range(KEYS):
                card = screen.session.current
                if card is None:
                    break
                if card.view.meta.kind == "flashcard":
                    await timed(pilot, "reveal (space)", "space")
                    await timed(pilot, "rate → next card (3)", "3")
                    continue
                if card.view.meta.kind in ("choice", "multi"):
                    await timed(pilot, "toggle an option (a)", "a")
                else:  # typed answers: a character into the input, then leave the input
                    await timed(pilot, "type a character (1)", "1")
                    await timed(pilot, "leave the input (escape)", "escape")
                await timed(pilot, "skip → next card (s)", "s")
        worker_peak = descendants_peak_mb()
        worker.close()
        opened.__exit__(None, None, None)
        report = {k: {"n": len(v), "median_ms": statistics.median(v), "cpu_ms": statistics.median(cpu[k]),
                      "p90_ms": sorted(v)[int(0.9 * (len(v) - 1))]} for k, v in samples.items()}
        report["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report["worker_peak_mb"] = worker_peak
        print("REPORT " + json.dumps(report), flush=True)

    asyncio.run(main())
    """
)


def child_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Bytecode as an installed app has it (pip compiles it; Textual's is compiled already): a
    # shell that sets PYTHONDONTWRITEBYTECODE would otherwise make quizapp alone compile its
    # sources at every start. The first, uncounted run writes it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({
        "QUIZAPP_DATA_DIR": str(data_dir),
        "QUIZAPP_CONFIG": str(data_dir / "config.json"),
        # its own parse cache: another checkout's code on this machine would invalidate a shared one
        "QUIZAPP_CACHE_DIR": str(data_dir / "cache"),
        "QUIZAPP_LANG": "en",
        "TEXTUAL_ANIMATIONS": "none",
    })
    return env


def time_dashboard(data_dir: Path, child: str = DASHBOARD_CHILD) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", child], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=child_env(data_dir), cwd=ROOT,
    )
    assert proc.stdout is not None
    ready_at = None
    report: dict[str, object] = {}
    for line in proc.stdout:
        if line.startswith("READY") and ready_at is None:
            ready_at = time.perf_counter()
        elif line.startswith("REPORT "):
            report = json.loads(line[len("REPORT "):])
    proc.wait(timeout=60)
    if ready_at is None:
        raise SystemExit(f"the dashboard never became ready:\n{proc.stderr.read() if proc.stderr else ''}")
    return ready_at - start, report


def run_repaint(data_dir: Path, keys: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", REPAINT_CHILD, str(keys)], capture_output=True, text=True,
        env=child_env(data_dir), cwd=ROOT, timeout=600,
    )
    for line in out.stdout.splitlines():
        if line.startswith("REPORT "):
            return json.loads(line[len("REPORT "):])
    raise SystemExit(f"the repaint benchmark failed:\n{out.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="start-up runs (median; at least 5)")
    parser.add_argument("--keys", type=int, default=40, help="cards to step through for the repaint figures")
    args = parser.parse_args()
    runs = max(5, args.runs)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        time_dashboard(data_dir)  # first run creates the database; not counted
        times: list[float] = []
        hello: list[float] = []
        hello_cpu: list[float] = []
        reports: list[dict[str, object]] = []
        for _ in range(runs):
            hello_elapsed, hello_report = time_dashboard(data_dir, HELLO_CHILD)
            hello.append(hello_elapsed)
            hello_cpu.append(float(hello_report.get("cpu_s", 0.0)))  # type: ignore[arg-type]
            elapsed, report = time_dashboard(data_dir)
            times.append(elapsed)
            reports.append(report)
        repaint = run_repaint(data_dir, args.keys)

    def flag(name: str) -> str:
        return "yes" if any(r.get(name) for r in reports) else "no"

    rss = max(float(r.get("maxrss_mb", 0.0)) for r in reports)  # type: ignore[arg-type]
    worker_rss = max(float(r.get("children_maxrss_mb", 0.0)) for r in reports)  # type: ignore[arg-type]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(f"process start → hello-world Textual app: median {statistics.median(hello) * 1000:.0f} ms "
          f"(min {min(hello) * 1000:.0f}, max {max(hello) * 1000:.0f})")
    print(f"process start → interactive dashboard: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs)  target < 600 ms")
    print(f"  dashboard / hello-world: {statistics.median(times) / statistics.median(hello):.2f}  target <= 1.5")
    cpu = statistics.median(float(r.get("cpu_s", 0.0)) for r in reports)  # type: ignore[arg-type]
    print(f"  CPU time of that process by then: median {cpu * 1000:.0f} ms (what a quiet machine's wall time approaches); "
          f"hello-world's {statistics.median(hello_cpu) * 1000:.0f} ms; ratio {cpu / statistics.median(hello_cpu):.2f}")
    print(f"  sympy imported by then: {flag('sympy')}   numpy imported by then: {flag('numpy')}")
    print("keypress → repaint on the study screen (headless Pilot):")
    for label, figures in repaint.items():
        if isinstance(figures, dict):
            print(f"  {label:<26} median {figures['median_ms']:6.1f} ms (CPU {figures['cpu_ms']:5.1f} ms)   "
                  f"p90 {figures['p90_ms']:6.1f} ms   n={figures['n']}   target < 50 ms")
    worker_rss = max(worker_rss, float(repaint.get("worker_peak_mb", 0.0)))  # type: ignore[arg-type]
    print(f"peak memory (ru_maxrss): app {rss:.0f} MB at the dashboard, "
          f"{float(repaint['maxrss_mb']):.0f} MB after studying  target < 150 MB;"  # type: ignore[arg-type]
          f" check-worker processes (sympy, numpy; separate) {worker_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
