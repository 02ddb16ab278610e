"""Browser benchmark: search and sort over 100,000 cards, and the detail pane of a card with
1,000 reviews.

    .venv/bin/python bench/browse.py [--cards 100000] [--reviews 1000000] [--repeat 15]

Prints medians (wall and CPU ms) of:
- loading the card index (one query over the store + one row object per card; done when the
  browser opens and after an action),
- each kind of query over the loaded index (what every keystroke in the search box costs),
  and the same through find_cards (index + query, as `quizapp cards` and custom study do),
- re-sorting the 100,000 results by each column (taken in turns with the reference sort), and
  the same in the browser screen with its table and detail pane,
- the detail pane's data for a card with 1,000 reviews (history query + forgetting curve), and
  the whole pane widget (table of answers + chart) in a headless app.
Targets: a query < 100 ms, a re-sort < 30 ms, the detail pane < 50 ms. Not a timed test: the
machine is shared and noisy, so read medians, and compare a re-sort with the plain sorted() of as
many floats printed beside it (the floor any re-sort of that many rows has on that machine).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scale import median_ms  # noqa: E402
from synthetic import DAY, history, write_export  # noqa: E402

from quizapp.deck.library import Library, Parsed, assemble_library  # noqa: E402
from quizapp.deck.model import Item, Topic  # noqa: E402
from quizapp.i18n import Bilingual  # noqa: E402
from quizapp.search import SORT_COLUMNS, CardIndex, find_cards, parse_query, sort_rows  # noqa: E402
from quizapp.search.history import forgetting_curve  # noqa: E402
from quizapp.store import Store, browse  # noqa: E402
from quizapp.store.records import ReviewRow, to_ms  # noqa: E402
from quizapp.store.transfer import import_json  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)

TOPICS = 15
QUERIES = [
    ("free text (one word, both languages)", "gradient"),
    ("free text, wildcard", "conv*layer"),
    ("tag:", "tag:followup"),
    ("is:due", "is:due"),
    ("prop:r<0.8 (recall now)", "prop:r<0.8"),
    ("prop:lapses>2 -is:new", "prop:lapses>2 -is:new"),
    ("rated:7:1 (answers from the log)", "rated:7:1"),
    ("combined with or, (), -", "(tag:followup or kind:flashcard) -is:suspended prop:due<3"),
]
WORDS = ("gradient", "convolution layer", "receptive field", "softmax", "stride", "注意力", "归一化", "梯度")


def line(label: str, times: tuple[float, float], target: str) -> str:
    return f"{label:<52} median {times[0]:8.2f} ms wall {times[1]:8.2f} ms CPU   (target < {target})"


def synthetic_library(n_cards: int) -> Library:
    """Flashcards with varied bilingual text and tags, across 15 topics."""
    per_topic = -(-n_cards // TOPICS)
    rng = random.Random(7)
    parsed: list[Parsed] = []
    for t in range(TOPICS):
        items = []
        for i in range(min(per_topic, n_cards - t * per_topic)):
            word = rng.choice(WORDS)
            front = Bilingual(f"Card {t}-{i}: what does the {word} do here?", f"卡片 {t}-{i}：这里的 {word} 有什么作用？")
            tags = ("followup",) if i % 7 == 0 else (f"t{i % 5}",)
            items.append(Item(id=f"t{t}-i{i}", kind="flashcard", topic_id=f"topic-{t}", tags=tags,
                              front=front, back=Bilingual("answer", "答案")))
        title = Bilingual(f"T{t}", f"T{t}")
        topic = Topic(f"topic-{t}", t, title, title, title, tuple(items), Path(f"topic-{t}.yaml"))
        parsed.append((topic.source, True, topic, []))
    return assemble_library(parsed)


def build(store: Store, folder: Path, n_cards: int, n_reviews: int) -> None:
    """The shared synthetic history (bench/synthetic.py: the same card keys), through the import."""
    export = folder / "history.json"
    with export.open("w", encoding="utf-8") as fh:
        write_export(history(n_cards, n_reviews, NOW), fh)
    import_json(store, export)
    export.unlink()


def long_history(store: Store, key: str, n: int = 1000) -> None:
    """Give one card n reviews (every ~8 hours over the last year)."""
    cid = store.card(key).id
    start = to_ms(NOW) - 365 * DAY
    stability = 1.0
    with store.transaction():
        for k in range(n):
            ts = start + k * (365 * DAY // n)
            rating = 1 if k % 9 == 0 else 3
            stability = min(365.0, max(0.3, stability * (0.4 if rating == 1 else 1.3)))
            store.insert_review(ReviewRow(
                card_id=cid, ts=ts, rating=rating, state_before=2, state_after=2, duration_ms=5000,
                session="bench", stability=stability, difficulty=5.0, due=ts + int(stability * DAY),
                r_before=0.9,
            ))
        store.rebuild_card(cid)


def detail_widget_ms(library: Library, store: Store, key: str, repeat: int) -> tuple[float, float]:
    """CardDetail.show for the card, inside a headless app (the Textual side of the pane)."""
    from textual.app import App

    from quizapp import strings
    from quizapp.config import Settings
    from quizapp.tui.widgets.card_detail import CardDetail

    row = next(r for r in CardIndex(library, store, NOW).rows if r.key == key)

    the_store = store

    class Host(App[None]):
        lang = "en"
        settings = Settings(language="en")
        store = the_store
        context = SimpleNamespace(library=library, store=the_store)

        def t(self, k: str, **fields: object) -> str:
            return strings.text(k, "en", **fields)

        def now(self):  # noqa: ANN202
            return NOW

        def compose(self):  # noqa: ANN202
            yield CardDetail()

    result: list[tuple[float, float]] = []

    async def run() -> None:
        app = Host()
        async with app.run_test(size=(120, 40)) as pilot:
            pane = app.query_one(CardDetail)
            await pilot.pause()
            result.append(median_ms(lambda: pane.show(row), repeat))

    asyncio.run(run())
    return result[0]


def interleaved_ms(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, tuple[float, float]]:
    """median_ms of each, taken in turns (a load that comes and goes hits them all alike)."""
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    for _ in range(repeat):
        for label, fn in runs.items():
            times[label].append(median_ms(fn, 1))
    return {label: (statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts)) for label, ts in times.items()}


def resort(library: Library, store: Store, index: CardIndex, repeat: int) -> None:
    """Re-sorting every card by each column, descending (the cards without a value go last), as
    the browser does after its background warm-up (CardIndex.warm: sort keys packed), and by due
    right after the index loads; then the same in the browser screen, table and detail pane
    included. Beside them the reference: the plain sorted() of as many random floats."""
    cold = CardIndex(library, store, NOW).find(parse_query(""))
    index.warm()
    rows = index.find(parse_query(""))
    floats = [random.random() for _ in rows]
    runs: dict[str, Callable[[], object]] = {f"(reference: sorted() of {len(rows):,} random floats)": lambda: sorted(floats)}
    runs[f"re-sort {len(rows):,} rows by due, before the warm-up"] = lambda: sort_rows(cold, "due", descending=True)
    for column in SORT_COLUMNS[1:]:
        runs[f"re-sort {len(rows):,} rows by {column}"] = lambda c=column: sort_rows(rows, c, descending=True)
    for label, times in interleaved_ms(runs, repeat).items():
        print(line(label, times, "—" if label.startswith("(") else "30 ms"))
    for label, times in browser_resort_ms(library, store, repeat).items():
        print(line(f"browser re-sort: {label}", times, "—"))


def browser_resort_ms(library: Library, store: Store, repeat: int) -> dict[str, tuple[float, float]]:
    """BrowseScreen.set_sort in a headless app, what a learner waits for after `o` or a click on
    a column header: the call (the sort, the table's first 1,000 rows, the detail pane), and
    until the app is idle again (Textual measuring the new rows, the repaint). It alternates due
    and recall, descending, so that every call really re-orders."""
    from quizapp.config import Settings
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.browse import BrowseScreen

    context = SimpleNamespace(settings=Settings(language="en"), library=library, store=store, lang="en",
                              config_path=Path(tempfile.gettempdir()) / "quizapp-bench-config.json")
    calls: list[tuple[float, float]] = []
    drawn: list[tuple[float, float]] = []

    async def run() -> None:
        app = QuizApp(context, clock=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = BrowseScreen()
            await app.push_screen(screen)
            await pilot.pause()
            await app.workers.wait_for_complete()  # its background warm-up (texts, sort keys)
            for column in ["due", "recall"] * repeat:
                t0, c0 = time.perf_counter(), time.process_time()
                screen.set_sort(column, True)
                calls.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
                await pilot.pause()
                drawn.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))

    asyncio.run(run())
    return {label: (statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts))
            for label, ts in (("the call (sort, 1,000 rows, detail)", calls), ("until idle (+ rows measured, repaint)", drawn))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        library = synthetic_library(args.cards)
        store = Store.open(Path(tmp))
        store.sync_library(library)
        build(store, Path(tmp), args.cards, args.reviews)
        long_key = library.cards[0].key
        long_history(store, long_key)
        print(f"{args.cards:,} cards, {args.reviews:,} reviews (+1,000 on {long_key}); medians of {args.repeat} runs")
        print(line("load the card index", median_ms(lambda: CardIndex(library, store, NOW), args.repeat), "—"))
        index = CardIndex(library, store, NOW)
        index.find(parse_query("warm-up"))  # texts are normalised once per index, on first use
        for label, text in QUERIES:
            query = parse_query(text)
            found = len(index.find(query))
            print(line(f"query {label} [{found:,}]", median_ms(lambda q=query: index.find(q), args.repeat), "100 ms"))
        query = parse_query("tag:followup")
        print(line("find_cards (index + query), tag:followup", median_ms(
            lambda: find_cards(library, store, query, NOW), max(3, args.repeat // 3)), "—"))
        resort(library, store, index, args.repeat)
        print(line("detail data: history + curve (1,000 reviews)", median_ms(
            lambda: forgetting_curve(browse.card_history(store, long_key), NOW), args.repeat), "50 ms"))
        print(line("detail pane widget (history + chart)", detail_widget_ms(library, store, long_key, args.repeat), "50 ms"))
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
