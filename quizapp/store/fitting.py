"""What fitting the scheduler asks of the log besides `Store.card_histories()` (all SQL stays in
quizapp.store): when cards were forgotten by hand, what each kind of answer costs, and how many
cards a learner studies.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.store.db import Store
from quizapp.store.schema import FORGET

# Durations outside (0, 20 min) are a card left on screen, not the cost of an answer (fsrs-rs
# leaves them out of its simulator's costs the same way).
MAX_COST_MS = 1_200_000


def forget_times(store: Store) -> dict[int, list[int]]:
    """card id -> when it was forgotten by hand (ms, in order): a card starts afresh there."""
    found: dict[int, list[int]] = {}
    for card, ts in store.conn.execute("SELECT card, id FROM events WHERE action = ? ORDER BY card, id", (FORGET,)):
        found.setdefault(card, []).append(ts)
    return found


@dataclass(frozen=True)
class AnswerCost:
    """Scheduled answers given to cards in one state with one rating, and their time."""

    state: int  # before the answer: 0 new, 1 learning, 2 review, 3 relearning
    rating: int
    answers: int
    timed: int  # answers with a plausible duration
    seconds: float  # their total time


def answer_costs(store: Store) -> list[AnswerCost]:
    """Scheduled answers (practice left out) by state before and rating: one scan of the log."""
    rows = store.conn.execute(
        "SELECT state, rating, COUNT(*), SUM(duration > 0 AND duration < ?), "
        "TOTAL(CASE WHEN duration > 0 AND duration < ? THEN duration END) "
        "FROM reviews WHERE practice = 0 GROUP BY state, rating",
        (MAX_COST_MS, MAX_COST_MS),
    ).fetchall()
    return [AnswerCost(s, r, n, int(timed or 0), total / 1000) for s, r, n, timed, total in rows]


def deck_size(store: Store) -> int:
    """Cards of the loaded content that are not suspended (what a simulation schedules)."""
    return int(store.conn.execute("SELECT COUNT(*) FROM cards WHERE retired = 0 AND suspended = 0").fetchone()[0])
