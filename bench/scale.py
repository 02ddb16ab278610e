"""Scale benchmark of the store: 100,000 cards and 1,000,000 reviews (bench/synthetic.py), loaded
through quizapp's own import.

    .venv/bin/python bench/scale.py [--cards 100000] [--reviews 1000000] [--repeat 25] [--dir DIR]

Prints medians (wall and CPU, ms) of: opening the store, building today's queue, starting a
session, recording one answer (one committed transaction, synchronous=FULL), the next card with
its button intervals, the due counts, the dashboard, the full stats report, and (--rebuild)
rebuilding the card cache from the log; then the file size and bytes per review.
Targets: queue < 50 ms, answer < 5 ms, dashboard < 100 ms, full stats < 1 s, warm open < 10 ms.
bench/vs_anki.py compares the same operations with Anki's engine.
Not a timed test: machines are shared and noisy, so read medians and ratios.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from synthetic import build_store, size_parser  # noqa: E402

from quizapp.config import Settings  # noqa: E402
from quizapp.srs.queue import build_queue  # noqa: E402
from quizapp.stats.dashboard import dashboard  # noqa: E402
from quizapp.stats.report import report  # noqa: E402
from quizapp.store import Store  # noqa: E402
from quizapp.study.session import StudySession  # noqa: E402


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(wall, CPU) medians in ms. On a shared, loaded machine the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def line(label: str, times: tuple[float, float], target: str = "") -> str:
    goal = f"   (target < {target} ms)" if target else ""
    return f"{label:<44} median {times[0]:8.2f} ms wall {times[1]:8.2f} ms CPU{goal}"


def answers(store: Store, library: object, settings: Settings, repeat: int) -> list[str]:
    clock = [datetime.now(UTC)]
    session = StudySession(store, library, settings, clock=lambda: clock[0])  # type: ignore[arg-type]
    rate_wall, rate_cpu, next_wall, next_cpu = [], [], [], []
    for i in range(repeat * 2):
        t0, c0 = time.perf_counter(), time.process_time()
        card = session.next_card()
        session.intervals()
        next_wall.append((time.perf_counter() - t0) * 1000)
        next_cpu.append((time.process_time() - c0) * 1000)
        if card is None:
            break
        session.reveal()
        t0, c0 = time.perf_counter(), time.process_time()
        session.rate(3 if i % 5 else 1)
        rate_wall.append((time.perf_counter() - t0) * 1000)
        rate_cpu.append((time.process_time() - c0) * 1000)
        clock[0] += timedelta(seconds=7)
    return [
        line("record one answer (commit, synchronous=FULL)",
             (statistics.median(rate_wall), statistics.median(rate_cpu)), "5"),
        line("next card with its button intervals", (statistics.median(next_wall), statistics.median(next_cpu))),
    ]


def main() -> int:
    parser = size_parser(__doc__, 25)
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the store here (default: a temp dir)")
    parser.add_argument("--rebuild", action="store_true", help="also time rebuild_cards() (the whole cache from the log)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        store, library, seconds = build_store(folder, args.cards, args.reviews, datetime.now(UTC))
        settings = Settings(language="en")
        print(f"store: {store.review_count():,} reviews" + (f" (imported in {seconds:.1f} s)" if seconds else ""))
        now = datetime.now(UTC)
        print(line("warm open", median_ms(lambda: Store.open(folder / "quizapp").close(), args.repeat), "10"))
        live = library.card
        queue = median_ms(lambda: build_queue(store, settings, now, live=lambda k: live(k) is not None), args.repeat)
        print(line(f"build today's queue ({len(build_queue(store, settings, now))} cards)", queue, "50"))
        print(line("start a study session (sync + queue)",
                   median_ms(lambda: StudySession(store, library, settings), args.repeat), "50"))
        print("\n".join(answers(store, library, settings, args.repeat)))
        print(line("due counts (new · learning · review)",
                   median_ms(lambda: store.due_overview(now, settings), args.repeat)))
        print(line("dashboard (due counts, mastery, streak)",
                   median_ms(lambda: dashboard(store, library, settings, now), args.repeat), "100"))
        print(line("full stats report (all history)",
                   median_ms(lambda: report(store, library, settings, now), max(3, args.repeat // 5)), "1000"))
        if args.rebuild:
            t0 = time.perf_counter()
            store.rebuild_cards()
            print(f"{'rebuild the card cache from the log':<44} {time.perf_counter() - t0:8.2f} s (offline repair)")
        store.close()
        size = (folder / "quizapp" / "quizapp.sqlite3").stat().st_size
        print(f"file size: {size / 1e6:.1f} MB ({size / max(1, args.reviews):.0f} bytes per review)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
