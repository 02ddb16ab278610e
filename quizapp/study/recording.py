"""Recording one answer: schedule it and append it to the log in ONE transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from quizapp.srs.scheduler import SrsScheduler
from quizapp.store.db import Store, new_uid
from quizapp.store.records import NEW, REVIEW, Part, ReviewRow, from_ms, to_ms

MAX_DURATION = timedelta(minutes=3)  # a learner who walks away should not inflate time stats
MAX_ANSWER_CHARS = 4000  # what the log keeps of a typed answer


@dataclass(frozen=True)
class Answered:
    """What the session knows about an answer when the learner rates it."""

    key: str
    item_id: str
    topic: str
    kind: str
    family: str
    rating: int
    status: str  # correct | wrong | '' (a self-graded flashcard)
    note: str
    response: str
    seed: int | None
    practice: bool
    session: str
    shown_at: datetime
    params: dict[str, object] | None = None  # the exercise item's params (replays the instance)
    parts: tuple[tuple[str, str, str], ...] = ()  # (answer, status, note) of each part, in order


@dataclass(frozen=True)
class ReviewResult:
    key: str
    rating: int
    interval: timedelta  # until due (timedelta(0) in practice mode)
    leech: bool  # this answer made the card a leech: tell the learner
    suspended: bool  # ... and suspended it
    due: datetime | None = None
    practice: bool = False
    duration_ms: int = 0


def record_answer(
    store: Store, scheduler: SrsScheduler, answer: Answered, clock: Callable[[], datetime]
) -> tuple[int, ReviewResult, bool]:
    """(review id, result, whether the card is still in (re)learning) once it is on disk."""
    with store.transaction():
        found = store.card_to_answer(answer.key)
        if found is None:
            raise LookupError(f"card {answer.key} is not in the store")
        state, last_ts = found
        # The time is read under the write lock and never before this card's last logged answer
        # (another window may have committed one meanwhile): the log's time order is then the
        # commit order, which rebuilds and undo replay.
        now = clock()
        if last_ts is not None and to_ms(now) < last_ts:
            now = from_ms(last_ts)
        duration = max(timedelta(0), min(MAX_DURATION, now - answer.shown_at))
        duration_ms = int(duration.total_seconds() * 1000)
        if answer.practice:
            after, outcome = state, None
        else:
            outcome = scheduler.outcome(state, answer.rating, now)
            after = outcome.card
        row = ReviewRow(
            uid=new_uid(), card_id=state.id, card_key=answer.key, item_id=answer.item_id,
            topic=answer.topic, kind=answer.kind, family=answer.family,
            ts=max(to_ms(now), last_ts or 0), rating=answer.rating, duration_ms=duration_ms,
            status=answer.status, note=answer.note, answer=answer.response[:MAX_ANSWER_CHARS],
            seed=answer.seed, practice=answer.practice, session=answer.session,
            params=answer.params, parts=tuple(Part(*p) for p in answer.parts),
            state_before=state.state, state_after=after.state,
            lapse=bool(outcome and outcome.lapse), leech=bool(outcome and outcome.leech),
            suspend=bool(outcome and outcome.suspend),
            r_before=outcome.r_before if outcome else None,
        )
        review_id = store.record_answer(row, None if answer.practice else after, previous=last_ts)
    result = ReviewResult(
        key=answer.key, rating=answer.rating,
        interval=outcome.interval if outcome else timedelta(0),
        leech=bool(outcome and outcome.leech), suspended=bool(outcome and outcome.suspend),
        due=from_ms(after.due) if after.due is not None else None, practice=answer.practice,
        duration_ms=duration_ms,
    )
    return review_id, result, after.state not in (NEW, REVIEW) and not answer.practice
