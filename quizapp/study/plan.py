"""Which card a session shows next: the plan drawn when it starts, the learning cards that fall due
while it runs, and what is left (Anki's three numbers).

The plan is fixed at the start (queue, practice, drill or custom study); each pick checks the card
is still wanted, because another window may have answered it, or the learner suspended or buried
it, meanwhile.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.config import Settings
from quizapp.srs.queue import LEARN_AHEAD, Queued, build_queue, practice_queue
from quizapp.store.db import Store
from quizapp.store.queries import LearningRow
from quizapp.store.records import LEARNING, NEW, RELEARNING, REVIEW, CardState
from quizapp.timing import DAY_MS, day_bounds, day_bounds_ms, study_day, to_ms

if TYPE_CHECKING:
    from quizapp.deck import CardRef, Library

DEFAULT_PRACTICE = 20
DEFAULT_DRILL = 10
LEARNING_LIMIT = 50  # learning cards considered at a time, as srs.queue.learning_due


@dataclass(frozen=True)
class Remaining:
    """Anki's three numbers: cards left in this session by state (the card on show included)."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class StudyPlan:
    def __init__(
        self,
        store: Store,
        library: Library,
        settings: Settings,
        now: datetime,
        *,
        topic: str | None,
        limit: int | None,
        practice: bool,
        drill_family: str | None,
        plan_keys: Sequence[str] | None,
    ) -> None:
        self.store = store
        self.library = library
        self.topic = topic
        self.practice = practice
        self.skipped: set[str] = set()
        self.last_state: CardState | None = None  # the row pick() read for the card it returned
        self._custom = None if plan_keys is None else set(plan_keys)
        # (the file's change mark, the day's end, its learning cards) as last read
        self._learning: tuple[tuple[int, int], int, list[LearningRow]] | None = None
        if plan_keys is not None:
            self._queue = self._of_keys(plan_keys)
        elif drill_family is not None:
            self._queue = self._drill(drill_family, limit or DEFAULT_DRILL)
        elif practice:
            self._queue = practice_queue(store, now, limit or DEFAULT_PRACTICE, topic=topic, live=self.live)
        else:
            self._queue = build_queue(store, settings, now, topic=topic, live=self.live,
                                      topics=[t.id for t in library.topics])
        if limit is not None:
            self._queue = self._queue[:limit]

    def live(self, key: str) -> bool:
        return self.library.card(key) is not None and (self._custom is None or key in self._custom)

    def _queued(self, ref: CardRef) -> Queued:
        state = self.store.card(ref.key)
        return Queued(state.id if state else 0, ref.key, ref.item.id, ref.topic.id,
                      state.state if state else NEW)

    def _of_keys(self, keys: Sequence[str]) -> list[Queued]:
        refs = [ref for key in dict.fromkeys(keys) if (ref := self.library.card(key)) is not None]
        return [self._queued(ref) for ref in refs]

    def _drill(self, family: str, count: int) -> list[Queued]:
        refs = [
            ref for ref in self.library.cards
            if ref.kind == "exercise" and ref.item.family == family
            and (self.topic is None or ref.topic.id == self.topic)
        ]
        return [self._queued(refs[i % len(refs)]) for i in range(count)] if refs else []

    def _still_wanted(self, queued: Queued, now: datetime, studied: Container[str]) -> bool:
        if queued.key in self.skipped:
            return False
        if self.practice:
            return True
        state = self.last_state = self.store.card(queued.key)
        if state is None or state.suspended or state.retired or (state.buried or 0) > to_ms(now):
            return False  # suspended or buried (by hand, in this or another window) meanwhile
        if self._custom is not None:  # custom study: due or not, while it is in the queues
            return True
        if queued.item_id in studied:
            return False  # a sibling was answered in this session: buried for today
        if queued.state == NEW:
            return state.state == NEW
        # answered in another window meanwhile?
        _, day_end = day_bounds(now)
        return state.state == REVIEW and state.due is not None and state.due < to_ms(day_end)

    def learning(self, until: datetime) -> list[Queued]:
        """Learning cards due by `until` (none in practice: nothing is rescheduled): the store's
        learning_due, from the learning cards of the day as read while the file is unchanged."""
        if self.practice:
            return []
        until_ms = to_ms(until)
        rows = self._learning_rows(day_bounds_ms(study_day(until))[1])
        due = [r for r in rows if (r[5] <= until_ms or (r[6] is not None and r[5] - r[6] >= DAY_MS))
               and (r[7] is None or r[7] <= until_ms)][:LEARNING_LIMIT]
        return [Queued(*r[:5]) for r in due if self.live(r[1]) and r[1] not in self.skipped]

    def _learning_rows(self, day_end: int) -> list[LearningRow]:
        mark = self.store.change_mark()
        read = self._learning
        if read is None or read[0] != mark or read[1] != day_end:
            read = self._learning = (mark, day_end, self.store.learning_today(day_end, self.topic))
        return read[2]

    def learning_unchanged(self) -> bool:
        """Whether this connection has written nothing since the learning cards were read (other
        connections' commits are seen at the next read: data_version)."""
        return self._learning is not None and self._learning[0][0] == self.store.written()

    def recorded(self, key: str, learning_after: bool, unchanged: bool) -> None:
        """This connection has just recorded an answer to `key` (learning_unchanged() was
        `unchanged` before it): the learning cards read still hold unless the card was or now is
        one of them. Other connections' commits still count (PRAGMA data_version)."""
        read = self._learning
        if read is None or not unchanged or learning_after or any(r[1] == key for r in read[2]):
            self._learning = None
            return
        self._learning = ((self.store.written(), read[0][1]), read[1], read[2])

    def pick(self, now: datetime, studied: Container[str]) -> Queued | None:
        """The next card: a learning card due now, else the plan's next wanted card, else a
        learning card due within the look-ahead (Anki's learn-ahead limit)."""
        self.last_state = None
        due_now = self.learning(now)
        if due_now:
            return due_now[0]
        while self._queue:
            queued = self._queue.pop(0)
            if self._still_wanted(queued, now, studied):
                return queued
            self.last_state = None
        ahead = self.learning(now + LEARN_AHEAD)
        return ahead[0] if ahead else None

    def put_back(self, queued: Queued) -> None:
        """Show this card again next (after an undo brings back an earlier one)."""
        self._queue.insert(0, queued)

    def remaining(self, now: datetime, on_show: Queued | None, room: int | None) -> Remaining:
        """What is left: the plan, the learning cards due within the look-ahead, the card on show;
        at most `room` cards when the session has a limit."""
        keys: dict[str, int] = {q.key: q.state for q in self._queue if q.key not in self.skipped}
        for q in self.learning(now + LEARN_AHEAD):
            keys[q.key] = q.state
        if on_show is not None:
            keys[on_show.key] = on_show.state
        states = list(keys.values())
        if room is not None:
            states = states[: max(0, room)]
        return Remaining(
            new=sum(s == NEW for s in states),
            learning=sum(s in (LEARNING, RELEARNING) for s in states),
            review=sum(s == REVIEW for s in states),
        )


__all__ = ["DEFAULT_DRILL", "DEFAULT_PRACTICE", "Remaining", "StudyPlan"]
