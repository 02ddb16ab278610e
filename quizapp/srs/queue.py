"""Today's queue, from the store's indexed candidate queries (no per-card Python over the table).

Order (Anki-like):
1. learning/relearning cards whose step is due now (asked for by the session between cards);
2. review cards due today (before the next 04:00 rollover), most overdue first, interleaved
   round-robin across topics so a session never turns into topic blocks;
3. new cards in library order, up to settings.new_per_day minus the new cards already introduced
   today;
4. when nothing else is left, a learning card due within LEARN_AHEAD (20 min) is shown early.
Reviews + new cards together stay within settings.reviews_per_day minus the new/review cards
already answered today (learning steps are not capped: they must come back).
Siblings (a reversed flashcard, other cloze deletions) of an item studied today are buried until the
next study day, and at most one card per item enters a day's queue. Suspended and retired cards
(no longer in the content) never enter, nor do cards buried by hand (the study screen, the browser)
until their day ends. The store's `due_counts` counts exactly these cards.
Practice (cram) queues take the weakest cards (lowest predicted recall) first, then unseen ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.config import Settings
from quizapp.store.db import Store
from quizapp.store.queries import LEARN_AHEAD, KeyFilter, take, turns

__all__ = ["LEARN_AHEAD", "Queued", "build_queue", "interleave", "learning_due", "practice_queue"]

@dataclass(frozen=True)
class Queued:
    id: int
    key: str
    item_id: str
    topic: str
    state: int


def interleave(cards: Iterable[Queued]) -> list[Queued]:
    """Round-robin across topics, keeping each topic's order; topics in order of first appearance."""
    by_topic: dict[str, list[Queued]] = {}
    for card in cards:
        by_topic.setdefault(card.topic, []).append(card)
    return turns(list(by_topic.values()))


def build_queue(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    topic: str | None = None,
    live: KeyFilter | None = None,
    exclude_items: Iterable[str] = (),
    topics: Sequence[str] = (),
) -> list[Queued]:
    """Today's review + new cards (learning cards are fetched separately by learning_due).

    New cards come in library order within a topic; across the `topics` given (all of them, in
    library order) they take turns, so a first "review everything" is not all one topic."""
    reviews, new = store.queue_candidates(
        now, settings, topic, live=live, exclude_items=exclude_items, topics=topics,
    )
    return interleave(Queued(*r) for r in reviews) + [Queued(*r) for r in new]


def learning_due(
    store: Store,
    until: datetime,
    *,
    topic: str | None = None,
    live: KeyFilter | None = None,
    limit: int = 50,
) -> list[Queued]:
    """Learning/relearning cards due by `until`, earliest first."""
    rows = store.learning_due(until, topic, limit)
    return [Queued(*r) for r in rows if live is None or live(r[1])]


def practice_queue(
    store: Store,
    now: datetime,
    limit: int,
    *,
    topic: str | None = None,
    live: KeyFilter | None = None,
) -> list[Queued]:
    """Weakest seen cards first (lowest predicted recall), then unseen ones; nothing is buried."""
    chosen: list[Queued] = []
    for rows in (store.weakest_cards(now, topic), store.new_cards(now, topic)):
        chosen += [Queued(*r) for r in take(rows, limit - len(chosen), live, set(), set())]
        rows.close()
    return interleave(chosen)
