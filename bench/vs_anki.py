"""quizapp against Anki's own engine (the `anki` package, its Rust backend) on the same collection.

    pip install -e '.[bench]'          # anki: a bench-only extra, never a runtime dependency
    .venv/bin/python bench/vs_anki.py [--cards 100000] [--reviews 1000000] [--repeat 15] [--dir DIR]

Both sides get the history bench/synthetic.py makes (100,000 cards in 15 topics/decks, 1,000,000
answers, FSRS on, 20 new and 200 reviews a day): quizapp through its own import, Anki straight
into its tables. Each operation then runs alternately on the two sides; the table shows medians
(ms) and the quizapp/Anki ratio of medians, with the target of issue 17. Machines here are shared
and noisy: read ratios, and run it twice before believing a close call.
"""

from __future__ import annotations

import argparse
import os
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

import anki_build  # noqa: E402
from synthetic import build_store, history, size_parser  # noqa: E402

from quizapp.config import Settings  # noqa: E402
from quizapp.srs.queue import build_queue  # noqa: E402
from quizapp.stats.report import report  # noqa: E402
from quizapp.store import Store  # noqa: E402
from quizapp.store.db import DB_NAME  # noqa: E402
from quizapp.study.session import StudySession  # noqa: E402

Op = Callable[[], object]


def evict(path: Path) -> None:
    """Drop the file (and its WAL) from the page cache, so the next open reads the disk."""
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


CPU: dict[str, tuple[float, float]] = {}  # operation -> CPU-time medians (ms), quizapp and Anki


def interleaved(ours: Op, theirs: Op, repeat: int, setup: tuple[Op, Op] | None = None,
                name: str = "") -> tuple[float, float]:
    """Medians (ms) of the two, run in turn (the order swapped every round). An op may time
    itself (returning seconds as a float); `setup` runs untimed before each op. The CPU-time
    medians (this process: Anki's engine runs in it too) go to CPU[name]."""
    a: list[float] = []
    b: list[float] = []
    cpu: tuple[list[float], list[float]] = ([], [])
    sides = ((ours, a, setup[0] if setup else None, cpu[0]), (theirs, b, setup[1] if setup else None, cpu[1]))
    for i in range(repeat):
        for fn, out, prepare, cpu_out in sides if i % 2 == 0 else sides[::-1]:
            if prepare is not None:
                prepare()
            t0, c0 = time.perf_counter(), time.process_time()
            result = fn()
            out.append((result if isinstance(result, float) else time.perf_counter() - t0) * 1000)
            cpu_out.append((time.process_time() - c0) * 1000)
    if name:
        CPU[name] = (statistics.median(cpu[0]), statistics.median(cpu[1]))
    return statistics.median(a), statistics.median(b)


def written_bytes() -> int:
    with open("/proc/self/io", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("wchar"))


class Sides:
    """The two engines, open, with the operations the table compares."""

    def __init__(self, store: Store, library: object, anki_path: Path, settings: Settings) -> None:
        from anki.collection import Collection

        self.store, self.library, self.settings = store, library, settings
        self.anki_path = anki_path
        self.col = Collection(str(anki_path))
        self.session = StudySession(store, library, settings)  # type: ignore[arg-type]
        self.pending = None

    # quizapp
    def q_queue(self) -> object:
        live = self.library.card  # type: ignore[attr-defined]
        return build_queue(self.store, self.settings, datetime.now(UTC), live=lambda k: live(k) is not None)

    def q_stats(self) -> object:
        return report(self.store, self.library, self.settings, datetime.now(UTC))  # type: ignore[arg-type]

    def q_counts(self) -> object:
        return self.store.due_overview(datetime.now(UTC), self.settings)

    def q_show(self) -> None:
        if self.session.next_card() is None:
            raise SystemExit("quizapp ran out of cards to answer")
        self.session.intervals()
        self.session.reveal()

    def q_reveal(self) -> None:
        current = self.session.current
        if current is not None and current.phase == "question":
            self.session.reveal()

    def q_answer(self) -> None:
        self.session.rate(3)

    def q_answer_next(self) -> None:
        self.session.rate(3)
        self.session.next_card()
        self.session.intervals()

    # Anki
    def a_queue(self) -> object:
        from anki.collection import Collection

        self.col.close()
        self.col = Collection(str(self.anki_path))  # a fresh queue: Anki caches the one it built
        t0 = time.perf_counter()
        self.col.sched.get_queued_cards(fetch_limit=1)
        return time.perf_counter() - t0

    def a_stats(self) -> object:
        return self.col._backend.graphs(search="", days=0)  # all history, as quizapp's report

    def a_counts(self) -> object:
        return self.col.sched.deck_due_tree()

    def a_show(self) -> None:
        from anki.cards import Card

        queued = self.col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = Card(self.col, backend_card=queued.card)
        card.start_timer()  # as Anki's reviewer does when it shows the card
        self.pending = (card, queued.states)
        self.col.sched.describe_next_states(queued.states)

    def a_answer(self) -> None:
        from anki.scheduler.v3 import CardAnswer

        card, states = self.pending  # type: ignore[misc]
        self.col.sched.answer_card(self.col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD))

    def a_answer_next(self) -> None:
        self.a_answer()
        queued = self.col.sched.get_queued_cards(fetch_limit=1).cards[0]
        self.col.sched.describe_next_states(queued.states)
        from anki.cards import Card

        card = Card(self.col, backend_card=queued.card)
        card.start_timer()
        self.pending = (card, queued.states)

    def raise_limits(self, per_day: int) -> None:
        """Enough cards for the answer runs on both sides (the queue and counts used the defaults)."""
        settings = Settings(language="en", reviews_per_day=per_day)
        self.session = StudySession(self.store, self.library, settings)  # type: ignore[arg-type]
        decks = self.col.decks
        conf = decks.config_dict_for_deck_id(decks.id("Topics"))
        conf["rev"]["perDay"] = per_day
        decks.update_config(conf)

    def close(self) -> None:
        self.col.close()
        self.store.close()


def open_times(store_dir: Path, anki_path: Path, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """(cold, warm) open medians in ms: (quizapp, Anki) each."""
    from anki.collection import Collection

    def ours(cold: bool) -> Op:
        def run() -> float:
            if cold:
                evict(store_dir / DB_NAME)
            t0 = time.perf_counter()
            Store.open(store_dir).close()
            return time.perf_counter() - t0
        return run

    def theirs(cold: bool) -> Op:
        def run() -> float:
            if cold:
                evict(anki_path)
            t0 = time.perf_counter()
            col = Collection(str(anki_path))
            elapsed = time.perf_counter() - t0
            col.close()
            return elapsed
        return run

    return interleaved(ours(True), theirs(True), repeat), interleaved(ours(False), theirs(False), repeat)


def file_bytes(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def log_bytes(path: Path, tables: tuple[str, ...]) -> int:
    """Bytes of the review log and its indexes (SQLite's dbstat)."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        marks = ", ".join("?" for _ in tables)
        names = [r[0] for r in conn.execute(
            f"SELECT name FROM sqlite_master WHERE tbl_name IN ({marks})", tables)]
        marks = ", ".join("?" for _ in names)
        return int(conn.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({marks})", names).fetchone()[0])
    finally:
        conn.close()


def build_both(root: Path, n_cards: int, n_reviews: int, now: datetime) -> tuple[Path, Path, object]:
    """The two collections under root (quizapp/ and anki.anki2), built once and reused."""
    anki_path = root / "anki.anki2"
    root.mkdir(parents=True, exist_ok=True)
    if not anki_path.exists():
        t0 = time.perf_counter()
        count = anki_build.build(anki_path, history(n_cards, n_reviews, now))
        print(f"Anki: {count:,} answers written in {time.perf_counter() - t0:.0f} s", flush=True)
    store, library, seconds = build_store(root, n_cards, n_reviews, now)
    if seconds:
        print(f"quizapp: {store.review_count():,} answers imported in {seconds:.0f} s", flush=True)
    store.close()
    return root / "quizapp", anki_path, library


TARGETS = {
    "build the queue": 0.5, "full statistics (all history)": 0.5, "cold open": 0.5,
    "answer one card + commit": 1.0, "answer + next card with intervals": 1.0,
    "due counts per deck (dashboard)": 1.0, "bytes per review, whole file": 1.5,
}


def row(name: str, ours: float, theirs: float, unit: str = "ms") -> str:
    ratio = ours / theirs if theirs else float("inf")
    target = TARGETS.get(name)
    verdict = "" if target is None else ("ok" if ratio <= target else "MISSED")
    goal = f"<= {target}" if target is not None else ""
    if name.startswith("warm open"):  # an absolute target: quizapp's own time
        goal, verdict = "quizapp < 10 ms", "ok" if ours < 10 else "MISSED"
    return f"| {name} | {ours:,.2f} {unit} | {theirs:,.2f} {unit} | {ratio:.3f} | {goal} | {verdict} |"


def main() -> int:
    parser = size_parser(__doc__, 15)
    parser.add_argument("--answers", type=int, default=100, help="answers timed per answer operation")
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the collections here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        run(root, args)
    return 0


def run(root: Path, args: argparse.Namespace) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    built = build_both(root / "big", args.cards, args.reviews, now)
    small_built = build_both(root / "small", args.cards // 10, args.reviews // 10, now)
    with tempfile.TemporaryDirectory(dir=root) as scratch:
        # Measured on copies: the answers a run records use up the day's limits, so a reused
        # collection would hand the next run an empty queue.
        big = Path(scratch) / "big"
        store_dir, anki_path = working_copy(built[0], built[1], big)
        small_dir, small_anki = working_copy(small_built[0], small_built[1], Path(scratch) / "small")
        measure(args, started, built[2], (store_dir, anki_path), (small_dir, small_anki))


def working_copy(store_dir: Path, anki_path: Path, into: Path) -> tuple[Path, Path]:
    into.mkdir(parents=True)
    shutil.copytree(store_dir, into / store_dir.name)
    shutil.copy2(anki_path, into / anki_path.name)
    return into / store_dir.name, into / anki_path.name


def measure(args: argparse.Namespace, started: float, library: object, big: tuple[Path, Path],
            small: tuple[Path, Path]) -> None:
    store_dir, anki_path = big
    small_dir, small_anki = small
    lines = ["| operation | quizapp | Anki | quizapp/Anki | target | |", "|---|---|---|---|---|---|"]
    for label, (q_dir, a_path) in ((f"{args.reviews:,}", (store_dir, anki_path)),
                                   (f"{args.reviews // 10:,}", (small_dir, small_anki))):
        (cold_q, cold_a), (warm_q, warm_a) = open_times(q_dir, a_path, args.repeat)
        name = "cold open" if q_dir == store_dir else f"cold open at {label} reviews"
        lines.append(row(name, cold_q, cold_a))
        lines.append(row(f"warm open at {label} reviews", warm_q, warm_a))
    sides = Sides(Store.open(store_dir), library, anki_path, Settings(language="en"))
    sides.store.sync_library(library)
    try:
        for name, ours, theirs in (
            ("build the queue", sides.q_queue, sides.a_queue),
            ("due counts per deck (dashboard)", sides.q_counts, sides.a_counts),
            ("full statistics (all history)", sides.q_stats, sides.a_stats),
        ):
            lines.append(row(name, *interleaved(ours, theirs, args.repeat)))
        sides.raise_limits(10 * args.answers + 100)
        for name, ours, theirs, setup in (
            ("answer one card + commit", sides.q_answer, sides.a_answer, (sides.q_show, sides.a_show)),
            # the next card's answer is shown (untimed) before the next round answers it
            ("answer + next card with intervals", sides.q_answer_next, sides.a_answer_next,
             (sides.q_reveal, lambda: None)),
        ):
            if name.startswith("answer +"):
                sides.q_show()
                sides.a_show()
            lines.append(row(name, *interleaved(ours, theirs, args.answers, setup, name)))
            lines.append(row(f"{name}, CPU time", *CPU[name]))
        writes = []
        for show, answer in ((sides.q_show, sides.q_answer), (sides.a_show, sides.a_answer)):
            before = written_bytes()
            for _ in range(20):
                show()
                answer()
            writes.append((written_bytes() - before) / 20 / 1024)
        lines.append(row("bytes written per answer", *writes, unit="KB"))
    finally:
        sides.close()
    reviews = args.reviews
    lines.append(row("bytes per review, whole file", file_bytes(store_dir / DB_NAME) / reviews,
                     file_bytes(anki_path) / reviews, unit="B"))
    lines.append(row("review log + its indexes per review", log_bytes(store_dir / DB_NAME, ("reviews",)) / reviews,
                     log_bytes(anki_path, ("revlog",)) / reviews, unit="B"))
    print(f"\n{args.cards:,} cards, {reviews:,} reviews; medians of {args.repeat} interleaved runs "
          f"({args.answers} for answers); Anki {anki_version()}\n")
    print("\n".join(lines))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


def anki_version() -> str:
    from anki.buildinfo import version

    return version


if __name__ == "__main__":
    raise SystemExit(main())
