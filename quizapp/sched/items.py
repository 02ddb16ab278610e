"""The review log as FSRS training data, built the way Anki builds it for the same Rust core
(rslib/src/scheduler/fsrs/params.rs), adapted to quizapp's log:

- Practice, cram and drill answers left the schedule alone: they are not part of any history.
- A card forgotten by hand (Forget) starts afresh: the answers before and after are separate
  histories. Setting a due date by hand is not a cut, as in Anki: it moves the next review, not
  what the learner remembers, and the next answer's delta_t records the real gap.
- A history must begin with the card new (Anki: "ignore cards that don't have any learning
  steps"); one that does not (an imported partial history) is left out of the fit, and its
  card keeps the memory state its log gives.
- delta_t is the t of quizapp's one recall model (quizapp.forgetting.elapsed_days): whole days
  elapsed since the previous answer, which is how the scheduler (py-fsrs) counts them when it
  predicts recall and updates a card. Anki counts study days instead (its scheduler does too);
  here the fit must learn the curve the app predicts with, and the memory states recomputed
  after adopting must be the ones the scheduler would have reached itself (a test checks it).
  0 for the first answer and for a repeat within a day.
- Each answer a day or more after the card's previous one is one training item: the card's
  answers up to and including it (Anki: `idx >= 1 && delta_t > 0`). Same-day answers stay in
  the history (delta_t 0) and feed FSRS-6's short-term memory, but are not predicted.
- Items are ordered by the time of the answer they predict, so a split by position is a split
  in time (and fsrs-rs's recency weighting sees the latest answers last).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizapp.forgetting import elapsed_days
from quizapp.store.records import NEW

if TYPE_CHECKING:
    from quizapp.store import Store
    from quizapp.store.log import CardHistory

Progress = Callable[[str, float], None]  # (stage, fraction of the whole job done)


def no_progress(stage: str, fraction: float) -> None:
    """The default progress callback: say nothing."""


@dataclass
class History:
    """A card's scheduled answers from new (until it was forgotten, or until now)."""

    card_id: int
    times: list[int] = field(default_factory=list)  # ms, in order
    ratings: list[int] = field(default_factory=list)
    delta_t: list[int] = field(default_factory=list)  # whole days since the previous answer
    current: bool = False  # the card's history now (no Forget after it)

    def item_positions(self) -> Iterator[int]:
        """Indices of the answers a fit predicts: a day or more after the previous answer."""
        return (i for i in range(1, len(self.ratings)) if self.delta_t[i] > 0)


def card_histories(card: CardHistory, forgets: Sequence[int]) -> list[History]:
    """A card's log cut into histories; those not starting with the card new are left out."""
    found: list[History] = []
    history: History | None = None
    previous = 0
    segment = -1
    for entry in card.reviews:
        if entry.practice:
            continue
        # Forgets before this answer (at a tie the answer came first, as the cache replays it).
        starts = bisect.bisect_left(forgets, entry.ts)
        if starts != segment:  # the first answer, or the first after a Forget
            segment = starts
            history = History(card.card_id) if entry.state == NEW else None
            if history is not None:
                found.append(history)
            previous = entry.ts
        if history is None:
            continue
        history.times.append(entry.ts)
        history.ratings.append(entry.rating)
        history.delta_t.append(elapsed_days(entry.ts, previous) if len(history.times) > 1 else 0)
        previous = entry.ts
    if found and segment == len(forgets) and found[-1] is history:
        found[-1].current = True
    return found


@dataclass
class TrainingData:
    """Every usable history, and the training items in time order."""

    histories: list[History]
    order: list[tuple[int, int, int]]  # (time, history index, answer index) of each item
    answers: int  # scheduled answers in the histories (what the fit learned from)

    @property
    def items(self) -> int:
        return len(self.order)

    def current(self) -> Iterator[History]:
        """Each card's history now (for its memory state)."""
        return (h for h in self.histories if h.current)


def training_data(store: Store, progress: Progress = no_progress) -> TrainingData:
    """One pass over the log (Store.card_histories: card by card, constant memory per card)."""
    from quizapp.store.fitting import forget_times

    forgets = forget_times(store)
    histories: list[History] = []
    order: list[tuple[int, int, int]] = []
    answers = 0
    total = max(1, store.review_count())
    seen = 0
    for number, card in enumerate(store.card_histories()):
        seen += len(card.reviews)
        for history in card_histories(card, forgets.get(card.card_id, ())):
            index = len(histories)
            histories.append(history)
            answers += len(history.ratings)
            order.extend((history.times[i], index, i) for i in history.item_positions())
        if number % 2000 == 0:
            progress("read", seen / total)
    order.sort()
    return TrainingData(histories, order, answers)


class ItemBuilder:
    """fsrs_rs_python items for positions of the training data, sharing review objects."""

    def __init__(self, data: TrainingData) -> None:
        import fsrs_rs_python as fsrs

        self._fsrs = fsrs
        self.data = data
        self._reviews: dict[int, list[Any]] = {}

    def reviews(self, index: int) -> list[Any]:
        found = self._reviews.get(index)
        if found is None:
            history = self.data.histories[index]
            found = [self._fsrs.FSRSReview(r, d) for r, d in zip(history.ratings, history.delta_t)]
            self._reviews[index] = found
        return found

    def item(self, index: int, end: int) -> Any:
        """The item of answers [0, end) of history `index`."""
        return self._fsrs.FSRSItem(self.reviews(index)[:end])

    def training(self, positions: Iterable[tuple[int, int, int]]) -> tuple[list[Any], list[int]]:
        """Items (each up to and including its answer) and their card ids, in the given order."""
        items, cards = [], []
        for _ts, index, answer in positions:
            items.append(self.item(index, answer + 1))
            cards.append(self.data.histories[index].card_id)
        return items, cards
