"""Repairing a log that holds values no write of the app makes (a bad import by an older quizapp,
a hand-edited file): such a store is repaired by a rebuild, never left crashing.

- an answer dated in the far future (or before 1970) cannot be placed in anyone's history: it is
  left out (the backup made before an upgrade still has it);
- a duration out of range becomes 0, a predicted recall outside [0, 1] is forgotten;
- an FSRS state that is not a state (stability NaN, infinite, negative or absurd; difficulty
  outside 1–10; a step that is not a small number; a due date no calendar has) is recomputed:
  the card's answers are replayed through FSRS from its ratings and times.
Then the touched cards and the day totals are rebuilt from the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from quizapp.store.base import StoreBase
from quizapp.store.schema import FORGET, SET_DUE
from quizapp.timing import DAY_MS, from_ms, to_ms
from quizapp.timing import now as clock_now

MAX_DUE = 10_413_792_000_000  # 2300-01-01: later than any interval FSRS gives from now
MAX_DURATION_MS = 86_400_000

_BAD_TIME = "id < 0 OR id > :latest"
_BAD_STATE = (
    "practice = 0 AND (after IS NULL OR after NOT IN (1, 2, 3) OR typeof(stability) NOT IN ('real', 'integer') "
    "OR typeof(difficulty) NOT IN ('real', 'integer') OR typeof(interval) != 'integer' "
    "OR NOT stability BETWEEN 1e-6 AND 1e7 OR NOT difficulty BETWEEN 1 AND 10 "
    "OR (step IS NOT NULL AND (typeof(step) != 'integer' OR NOT step BETWEEN 0 AND 1000)) "
    f"OR id + interval < 0 OR id + interval > {MAX_DUE})"
)
_BAD_DURATION = f"typeof(duration) != 'integer' OR NOT duration BETWEEN 0 AND {MAX_DURATION_MS}"
_BAD_RECALL = "r_before IS NOT NULL AND (typeof(r_before) NOT IN ('real', 'integer') OR NOT r_before BETWEEN 0 AND 1)"


@dataclass(frozen=True)
class Repair:
    dropped: int = 0  # answers with an impossible time, left out
    fixed: int = 0  # durations and predicted recalls reset
    replayed: int = 0  # cards whose states were recomputed from their ratings

    @property
    def changed(self) -> bool:
        return bool(self.dropped or self.fixed or self.replayed)


class RepairMixin(StoreBase):
    def latest_answer_ms(self) -> int:
        """The latest time an answer may have (a day ahead: clocks differ): later ones are impossible."""
        return to_ms(clock_now() + timedelta(days=1))

    def invalid_answers(self) -> int:
        """How many answers hold a value no write of the app makes."""
        return int(self._one(
            f"SELECT COUNT(*) FROM reviews WHERE {_BAD_TIME} OR ({_BAD_STATE}) OR {_BAD_DURATION} OR {_BAD_RECALL}",
            {"latest": self.latest_answer_ms()},
        ))

    def repair_log(self) -> Repair:
        """Make every answer of the log one the app could have written (see the module). Call in
        a transaction."""
        params = {"latest": self.latest_answer_ms()}
        cards = {r[0] for r in self.conn.execute(f"SELECT card FROM reviews WHERE {_BAD_TIME}", params)}
        dropped = self.conn.execute(f"DELETE FROM reviews WHERE {_BAD_TIME}", params).rowcount
        self.conn.execute("DELETE FROM parts WHERE review NOT IN (SELECT id FROM reviews)")
        fixed = self.conn.execute(f"UPDATE reviews SET duration = 0 WHERE {_BAD_DURATION}").rowcount
        fixed += self.conn.execute(f"UPDATE reviews SET r_before = NULL WHERE {_BAD_RECALL}").rowcount
        replay = {r[0] for r in self.conn.execute(f"SELECT DISTINCT card FROM reviews WHERE {_BAD_STATE}")}
        for card_id in sorted(replay):
            self._replay(card_id)
        for card_id in sorted(cards | replay):
            self.rebuild_card(card_id)
        if dropped or fixed or replay:
            self.rebuild_daily()
        return Repair(dropped, fixed, len(replay))

    def _replay(self, card_id: int) -> None:
        """Recompute the FSRS state after each of the card's scheduled answers from its ratings
        and times (FSRS's default parameters, no fuzz), events taken into account."""
        from fsrs import Card, Rating, Scheduler, State

        scheduler = Scheduler(enable_fuzzing=False)
        events = self.conn.execute(
            "SELECT id, action, value FROM events WHERE card = ? AND action IN (?, ?) ORDER BY id",
            (card_id, FORGET, SET_DUE),
        ).fetchall()
        card = Card(card_id=card_id, state=State.Learning)
        updates = []
        for rid, rating in self.conn.execute(
            "SELECT id, rating FROM reviews WHERE card = ? AND practice = 0 ORDER BY id", (card_id,)
        ).fetchall():
            while events and events[0][0] < rid:
                _ts, action, value = events.pop(0)
                if action == FORGET:
                    card = Card(card_id=card_id, state=State.Learning)
                elif value is not None and card.last_review is not None:
                    card.due = from_ms(value)
            card, _log = scheduler.review_card(card, Rating(min(4, max(1, int(rating)))), review_datetime=from_ms(rid))
            interval = max(0, to_ms(card.due) - rid) if card.due else DAY_MS
            updates.append((int(card.state), card.step, interval, card.stability, card.difficulty, rid))
        self.conn.executemany(
            "UPDATE reviews SET after = ?, step = ?, interval = ?, stability = ?, difficulty = ? WHERE id = ?",
            updates,
        )
