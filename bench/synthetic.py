"""A synthetic study history shared by the benchmarks: N cards in 15 topics, 90 % of them studied
over the past year, M answers in all, in the mix a learner makes (new → learning step → review,
lapses → relearning step → review), every card ending in the review state.

`history(n_cards, n_reviews, now)` yields one `CardHistory` per card; `write_export` turns it into
a quizapp export file (version 2) and `synthetic_library` into the matching content, so quizapp
loads it through its own import; bench/vs_anki.py writes the same histories into Anki's tables.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from quizapp.deck.library import Library
from quizapp.deck.model import CardRef, Item, Topic
from quizapp.i18n import Bilingual
from quizapp.timing import day_bounds

TOPICS = 15
DAY = 86_400_000
MINUTE = 60_000


@dataclass(frozen=True)
class Answer:
    ts: int  # ms, unique across the whole history
    rating: int
    state_before: int
    state_after: int
    step: int | None
    stability: float
    difficulty: float
    due: int
    duration_ms: int


@dataclass(frozen=True)
class CardHistory:
    index: int  # position in the library (0-based)
    key: str
    topic: int
    answers: tuple[Answer, ...]


def card_key(index: int, n_cards: int) -> tuple[str, int]:
    per_topic = -(-n_cards // TOPICS)
    topic = index // per_topic
    return f"t{topic}-i{index - topic * per_topic}", topic


def synthetic_library(n_cards: int) -> Library:
    lib = Library()
    text = Bilingual("q", "问")
    per_topic = -(-n_cards // TOPICS)
    for t in range(TOPICS):
        items = tuple(
            Item(id=card_key(i, n_cards)[0], kind="flashcard", topic_id=f"topic-{t}", front=text, back=text)
            for i in range(t * per_topic, min(n_cards, (t + 1) * per_topic))
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


class _Clock:
    """Unique answer times (ms): a tie moves 1 ms later, as both apps do."""

    def __init__(self) -> None:
        self.taken: set[int] = set()

    def at(self, ts: int) -> int:
        while ts in self.taken:
            ts += 1
        self.taken.add(ts)
        return ts


def _card(rng: random.Random, clock: _Clock, count: int, now_ms: int, today_ms: int) -> list[Answer]:
    ts = now_ms - rng.randrange(30, 365) * DAY + rng.randrange(DAY)
    stability, difficulty = rng.uniform(0.5, 3.0), rng.uniform(3.0, 7.0)
    answers: list[Answer] = []
    state, previous = 0, 0
    # this card's last answer is before then: nothing answered yet today, on either side
    end = today_ms - rng.randrange(3_600_000, 20 * DAY)
    while len(answers) < count or state != 2:
        # every answer before now, in order: a history longer than the year is crammed at its end
        ts = clock.at(max(previous + MINUTE, min(ts, end - MINUTE * (count + 5 - len(answers)))))
        previous = ts
        if state in (0, 1, 3):  # a learning or relearning step: Good, back to review in days
            rating = 3 if state else rng.choice((1, 3, 3, 3, 4))
            after = 1 if state == 0 and rating == 1 else 2
            interval = 10 * MINUTE if after == 1 else max(1, int(stability)) * DAY
        else:
            rating = 1 if rng.random() < 0.1 else rng.choice((2, 3, 3, 3, 4))
            stability = max(0.2, stability * (0.3 if rating == 1 else rng.uniform(1.8, 3.0)))
            difficulty = min(10.0, max(1.0, difficulty + (0.6 if rating == 1 else -0.1)))
            after = 3 if rating == 1 else 2
            interval = 10 * MINUTE if after == 3 else max(1, int(stability)) * DAY
        answers.append(Answer(ts, rating, state, after, 0 if after in (1, 3) else None, stability,
                              difficulty, ts + interval, rng.randrange(2000, 20000)))
        state = after
        ts += interval + (0 if after in (1, 3) else rng.randrange(0, 3) * DAY + rng.randrange(-3, 4) * 3600_000)
    return answers


def history(n_cards: int, n_reviews: int, now: datetime, seed: int = 1) -> Iterator[CardHistory]:
    rng = random.Random(seed)
    now_ms = int(now.timestamp() * 1000)
    today_ms = int(day_bounds(now)[0].timestamp() * 1000)
    seen = [i for i in range(n_cards) if rng.random() < 0.9]
    per_card = max(2, n_reviews // max(1, len(seen)))
    budget = n_reviews
    clock = _Clock()
    seen_set = set(seen)
    for index in range(n_cards):
        key, topic = card_key(index, n_cards)
        answers: tuple[Answer, ...] = ()
        if index in seen_set and budget > 0:
            answers = tuple(_card(rng, clock, min(budget, per_card), now_ms, today_ms))
            budget -= len(answers)
        yield CardHistory(index, key, topic, answers)


def write_export(histories: Iterator[CardHistory], fh: IO[str]) -> int:
    """A quizapp export (version 2) of the histories; returns the number of answers."""
    fh.write('{"format": "quizapp-export", "version": 2, "schema": 3,\n"reviews": [')
    count = 0
    for card in histories:
        for a in card.answers:
            fh.write(",\n" if count else "\n")
            fh.write(json.dumps({
                "card_key": card.key, "ts": a.ts, "rating": a.rating, "duration_ms": a.duration_ms,
                "state_before": a.state_before, "state_after": a.state_after, "step": a.step,
                "stability": a.stability, "difficulty": a.difficulty, "due": a.due, "session": "bench",
                "topic": f"topic-{card.topic}", "kind": "flashcard",
            }))
            count += 1
    fh.write("\n],\n\"events\": []}\n")
    return count


def build_store(folder: Path, n_cards: int, n_reviews: int, now: datetime) -> tuple[Any, Library, float]:
    """A quizapp store in folder/quizapp holding the history, loaded through quizapp's own import
    (reused when it is there already); returns (store, library, seconds the import took)."""
    from quizapp.store import Store
    from quizapp.store.transfer import import_json

    library = synthetic_library(n_cards)
    seconds = 0.0
    if not (folder / "quizapp" / "quizapp.sqlite3").exists():
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / "history.json"
        with export.open("w", encoding="utf-8") as fh:
            write_export(history(n_cards, n_reviews, now), fh)
        start = time.perf_counter()
        with Store.open(folder / "quizapp") as store:
            import_json(store, export)
            store.sync_library(library)
        seconds = time.perf_counter() - start
        export.unlink()
    store = Store.open(folder / "quizapp")
    store.sync_library(library)
    return store, library, seconds


def size_parser(doc: str | None, repeat: int | None = None) -> argparse.ArgumentParser:
    """The options of every benchmark on a synthetic log: its size (and how many timed runs)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    if repeat is not None:
        parser.add_argument("--repeat", type=int, default=repeat)
    return parser
