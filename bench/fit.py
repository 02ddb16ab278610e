"""Benchmark of the scheduler fit and the simulator on a large log: 100,000 cards and 1,000,000
reviews (bench/synthetic.py, the store bench/scale.py builds), through quizapp's own code.

    .venv/bin/python bench/fit.py [--cards 100000] [--reviews 1000000] [--repeat 3] [--dir DIR]

Prints medians (wall and CPU, s) of: the whole fit (reading the log, the fit on the earlier
80 %, predicting the later 20 % with both parameter sets, the fit on everything), the memory-state
recomputation that adopting or resetting runs (one pass over the log, written in one
transaction), simulating 365 days at one retention, and the optimal retention; and the peak
resident memory of the process. Targets: fit < 60 s on 2 cores, memory < 1 GB, simulate < 5 s.
Not a timed test: machines are shared and noisy, so read medians.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from synthetic import build_store, size_parser  # noqa: E402

from quizapp.config import Settings  # noqa: E402
from quizapp.sched.adopt import recompute  # noqa: E402
from quizapp.sched.fit import default_weights, fit  # noqa: E402
from quizapp.sched.simulate import simulate  # noqa: E402


def median_s(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(wall, CPU) medians in seconds, and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), result


def line(label: str, wall: float, cpu: float, target: str = "") -> str:
    goal = f"   (target < {target} s)" if target else ""
    return f"{label:<52} median {wall:7.2f} s wall {cpu:7.2f} s CPU{goal}"


def main() -> int:
    parser = size_parser(__doc__, 3)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the store here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        store, _library, seconds = build_store(folder, args.cards, args.reviews, datetime.now(UTC))
        settings = Settings(language="en")
        print(f"store: {store.review_count():,} reviews of {args.cards:,} cards"
              + (f" (imported in {seconds:.1f} s)" if seconds else ""))
        wall, cpu, report = median_s(lambda: fit(store, settings), args.repeat)
        print(line("fit: read, fit 80 %, evaluate 20 %, fit 100 %", wall, cpu, "60"))
        print(f"  {report.reviews:,} reviews to learn from ({report.answers:,} answers), "  # type: ignore[attr-defined]
              f"{report.held_out:,} held out; verdict: {report.verdict}")  # type: ignore[attr-defined]
        now = datetime.now(UTC)
        wall, cpu, _ = median_s(lambda: recompute(store, default_weights(), now), args.repeat)
        print(line("memory states of every card, recomputed and written", wall, cpu))
        wall, cpu, sim = median_s(
            lambda: simulate(store, settings, [0.9], args.days, optimal=False), args.repeat)
        print(line(f"simulate {args.days} days at one retention ({sim.deck_size:,} cards)", wall, cpu, "5"))  # type: ignore[attr-defined]
        wall, cpu, sim = median_s(lambda: simulate(store, settings, [], args.days), max(1, args.repeat // 2))
        print(line(f"optimal retention ({sim.optimal})", wall, cpu))  # type: ignore[attr-defined]
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:,.0f} MB (target < 1,024 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
