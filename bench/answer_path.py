"""CPU time of the answer path, step by step: what one study step costs in the session.

    .venv/bin/python bench/answer_path.py --dir DIR [--answers 300] [--profile]

DIR holds a collection bench/vs_anki.py built (DIR/big/quizapp, reused), or gets a smaller one
(--cards, --reviews) built here. The answers run on a copy, so DIR is never changed. Each round
is what the study screen does: next_card(), intervals() (the buttons), reveal(), rate(3). Prints
the CPU (process) time and wall time of each step in µs; --profile adds the top functions
of a cProfile run over the same loop. Compare two versions by their CPU medians, in turn.
"""

from __future__ import annotations

import cProfile
import pstats
import shutil
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
from quizapp.store import Store  # noqa: E402
from quizapp.study.session import StudySession  # noqa: E402

STEPS = ("next_card", "intervals", "reveal", "rate")


def steps(session: StudySession) -> dict[str, Callable[[], object]]:
    return {"next_card": session.next_card, "intervals": session.intervals,
            "reveal": session.reveal, "rate": lambda: session.rate(3)}


def run(session: StudySession, answers: int) -> dict[str, tuple[list[float], list[float]]]:
    """CPU and wall times (µs) of each step over `answers` rounds."""
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in STEPS}
    calls = steps(session)
    for _ in range(answers):
        for name in STEPS:
            c0, t0 = time.process_time(), time.perf_counter()
            result = calls[name]()
            times[name][1].append((time.perf_counter() - t0) * 1e6)
            times[name][0].append((time.process_time() - c0) * 1e6)
            if name == "next_card" and result is None:
                raise SystemExit("ran out of cards: raise --answers' limit or use a bigger collection")
    return times


def main() -> int:
    parser = size_parser(__doc__)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    built, library, _ = build_store(args.dir / "big", args.cards, args.reviews, datetime.now(UTC))
    built.close()
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        copy = Path(scratch) / "quizapp"
        shutil.copytree(args.dir / "big" / "quizapp", copy)
        store = Store.open(copy)
        store.sync_library(library)
        settings = Settings(language="en", reviews_per_day=10 * args.answers + 100)
        session = StudySession(store, library, settings)  # type: ignore[arg-type]
        run(session, 20)  # warm up: caches, prepared statements
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU time, as the figures below
            profiler.enable()
            run(session, args.answers)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        times = run(session, args.answers)
        store.close()
    print(f"{args.answers} answers; µs per step: CPU median, CPU 10th percentile (the least disturbed "
          "on a busy machine), wall median")
    sums = [0.0, 0.0]
    for name in STEPS:
        cpu, wall = times[name]
        figures = (statistics.median(cpu), statistics.quantiles(cpu, n=10)[0], statistics.median(wall))
        sums = [sums[0] + figures[0], sums[1] + figures[1]]
        print(f"  {name:10} {figures[0]:8.0f} {figures[1]:8.0f} {figures[2]:8.0f}")
    print(f"  {'sum':10} {sums[0]:8.0f} {sums[1]:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
