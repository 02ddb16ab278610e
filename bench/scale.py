"""Scale benchmark of the store: a synthetic store of 100,000 cards and 1,000,000 reviews.

    .venv/bin/python bench/scale.py [--cards 100000] [--reviews 1000000] [--repeat 25] [--dir DIR]

Prints medians (ms) of: building today's queue, recording one answer (one committed transaction,
synchronous=FULL), dashboard counts, and the full stats report when quizapp.stats.report exists;
then the file size. Targets: queue < 50 ms, answer < 5 ms, dashboard < 100 ms, full stats < 1 s.
Not a timed test: machines are shared and noisy, so read medians and ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.config import Settings  # noqa: E402
from quizapp.deck.library import Library  # noqa: E402
from quizapp.deck.model import CardRef, Item, Topic  # noqa: E402
from quizapp.i18n import Bilingual  # noqa: E402
from quizapp.srs.queue import build_queue  # noqa: E402
from quizapp.stats.dashboard import dashboard  # noqa: E402
from quizapp.store import Store  # noqa: E402
from quizapp.store.records import ReviewRow, to_ms  # noqa: E402

TOPICS = 15
DAY = 86_400_000
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def synthetic_library(n_cards: int) -> Library:
    lib = Library()
    per_topic = -(-n_cards // TOPICS)
    text = Bilingual("q", "问")
    for t in range(TOPICS):
        items = tuple(
            Item(id=f"t{t}-i{i}", kind="flashcard", topic_id=f"topic-{t}", front=text, back=text)
            for i in range(per_topic)
            if t * per_topic + i < n_cards
        )
        topic = Topic(f"topic-{t}", t, Bilingual(f"T{t}", f"T{t}"), text, text, items, Path("."))
        lib.topics.append(topic)
        lib._topics_by_id[topic.id] = topic
        for item in items:
            lib.items[item.id] = item
            ref = CardRef(item.id, item, topic)
            lib.cards.append(ref)
            lib._cards_by_key[ref.key] = ref
    return lib


def card_json(cid: int, state: int, stability: float, difficulty: float, due_ms: int, last_ms: int) -> str:
    due = datetime.fromtimestamp(due_ms / 1000, tz=UTC).isoformat()
    last = datetime.fromtimestamp(last_ms / 1000, tz=UTC).isoformat()
    step = "null" if state == 2 else "0"
    return (f'{{"card_id": {cid}, "state": {state}, "step": {step}, "stability": {stability}, '
            f'"difficulty": {difficulty}, "due": "{due}", "last_review": "{last}"}}')


def build(store: Store, lib: Library, n_reviews: int, seed: int = 1) -> None:
    """Cards (10 % never seen) with review histories over the past year, in one transaction."""
    rng = random.Random(seed)
    now_ms = to_ms(NOW)
    refs = lib.cards
    seen = [i for i in range(len(refs)) if rng.random() < 0.9]
    per_card = max(1, n_reviews // len(seen))
    extra = n_reviews - per_card * len(seen)
    card_rows, review_rows = [], []
    uid = 0
    cols = ReviewRow.COLUMNS
    for pos, ref in enumerate(refs):
        card_rows.append((pos + 1, ref.key, ref.item.id, ref.topic.id, "flashcard", pos))
    for n, pos in enumerate(seen):
        cid = pos + 1
        ref = refs[pos]
        count = per_card + (1 if n < extra else 0)
        ts = now_ms - rng.randrange(30, 365) * DAY
        stability, difficulty, before, state_before, lapses = 0.0, 5.0, None, 0, 0
        for _ in range(count):
            rating = 1 if rng.random() < 0.1 else rng.choice((2, 3, 3, 3, 4))
            lapse = int(state_before == 2 and rating == 1)
            lapses += lapse
            stability = max(0.2, stability * (0.3 if rating == 1 else 2.2) + 0.5)
            state_after = 3 if lapse else 2
            interval = max(1, int(stability))
            due = ts + interval * DAY
            after = card_json(cid, state_after, stability, difficulty, due, ts)
            review_rows.append((
                f"{uid:032x}", cid, ref.key, ref.item.id, ref.topic.id, "flashcard", "", ts, rating,
                rng.randrange(2000, 20000), "", "", "", None, 0, "bench", state_before, state_after,
                before, after, lapse, 0, 0, None,
            ))
            uid += 1
            before, state_before = after, state_after
            ts = min(now_ms - DAY, due + rng.randrange(0, 3) * DAY)
        card_rows[pos] = (*card_rows[pos], state_after, due, stability, difficulty,
                          None if state_after == 2 else 0, ts, count, lapses, before)
    # Bulk load only: the synthetic data is disposable, so skip the per-commit fsync here.
    store.conn.execute("PRAGMA synchronous = OFF")
    conn = store.conn
    with store.transaction():
        conn.executemany(
            "INSERT INTO cards (id, key, item_id, topic, kind, ord, state, due, stability, difficulty, "
            "step, last_review, reps, lapses, fsrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [r for r in card_rows if len(r) > 6],
        )
        conn.executemany(
            "INSERT INTO cards (id, key, item_id, topic, kind, ord) VALUES (?, ?, ?, ?, ?, ?)",
            [r for r in card_rows if len(r) == 6],
        )
        conn.executemany(
            f"INSERT INTO reviews ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", review_rows
        )
    store.conn.execute("PRAGMA synchronous = FULL")
    store.conn.execute("ANALYZE")


def median_ms(fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """(wall, CPU) medians in ms. On a shared, loaded machine the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def line(label: str, times: tuple[float, float], target: str) -> str:
    return f"{label:<42} median {times[0]:8.2f} ms wall {times[1]:8.2f} ms CPU   (target < {target})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--dir", type=Path, help="keep the store here (default: a temp dir)")
    parser.add_argument("--rebuild", action="store_true", help="also time rebuild_cards() (the whole cache from the log)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = args.dir or Path(tmp)
        t0 = time.perf_counter()
        lib = synthetic_library(args.cards)
        store = Store.open(data)
        if store.conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 0:
            build(store, lib, args.reviews)
        build_s = time.perf_counter() - t0
        settings = Settings(language="en")
        n_cards, n_reviews = (store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("cards", "reviews"))
        print(f"store: {n_cards:,} cards, {n_reviews:,} reviews (built in {build_s:.1f} s)")

        t0 = time.perf_counter()
        store.sync_library(lib)
        print(f"sync library with the store (once per start): {(time.perf_counter() - t0) * 1000:.0f} ms")

        live = lib.card
        queue_ms = median_ms(lambda: build_queue(store, settings, NOW, live=lambda k: live(k) is not None), args.repeat)
        size = len(build_queue(store, settings, NOW, live=lambda k: live(k) is not None))
        print(line(f"build today's queue ({size} cards)", queue_ms, "50"))

        from quizapp.study.session import StudySession

        clock_now = [NOW]
        start = median_ms(lambda: StudySession(store, lib, settings, clock=lambda: clock_now[0]), args.repeat)
        print(line("start a study session (sync + queue)", start, "50"))
        session = StudySession(store, lib, settings, clock=lambda: clock_now[0])
        answer_wall, answer_cpu, next_wall = [], [], []
        for i in range(args.repeat * 2):
            t0 = time.perf_counter()
            card = session.next_card()
            next_wall.append((time.perf_counter() - t0) * 1000)
            if card is None:
                break
            session.reveal()
            t0, c0 = time.perf_counter(), time.process_time()
            session.rate(3 if i % 5 else 1)
            answer_wall.append((time.perf_counter() - t0) * 1000)
            answer_cpu.append((time.process_time() - c0) * 1000)
            clock_now[0] += timedelta(seconds=7)
        answer = (statistics.median(answer_wall), statistics.median(answer_cpu))
        print(line("record one answer (commit, synchronous=FULL)", answer, "5"))
        print(f"{'next card':<42} median {statistics.median(next_wall):8.2f} ms wall")

        print(line("dashboard counts", median_ms(lambda: dashboard(store, lib, settings, NOW), args.repeat), "100"))

        try:
            from quizapp.stats.report import report
        except ImportError:
            print("full stats: quizapp.stats.report not available")
        else:
            stats = median_ms(lambda: report(store, lib, settings, NOW), max(3, args.repeat // 5))
            print(line("full stats report (quizapp.stats.report)", stats, "1000"))

        if args.rebuild:
            t0 = time.perf_counter()
            store.rebuild_cards()
            print(f"{'rebuild the card cache from the log':<42} {time.perf_counter() - t0:8.2f} s (offline repair)")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_mb = (data / "quizapp.sqlite3").stat().st_size / 1e6
        print(f"file size: {size_mb:.1f} MB")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
