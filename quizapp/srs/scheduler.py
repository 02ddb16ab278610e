"""FSRS-6 scheduling of one answer, from Settings, plus lapses and leeches.

`SrsScheduler.outcome(card_state, rating, now)` is pure: it returns the new cached state and the
log flags without touching the store, so the four rating buttons can be previewed and the chosen
one recorded with identical results.

fsrs schedules with its fuzz off (its own fuzz draws from the global `random`); we fuzz review
intervals ourselves, with fsrs's public FUZZ_RANGES and a generator seeded by the card id and its
last review, so a preview and the recorded answer on the same day agree and tests are
reproducible. As in Anki, the intervals keep their order for every state:
Again ≤ Hard ≤ Good < Easy (a graduating card's Easy is at least a day longer than its Good).

Lapse: Again on a card in the review state. Leech: the lapse count reaches
settings.leech_threshold, and again every half-threshold after that (as in Anki); the card is then
tagged, and suspended too when settings.leech_action == "suspend".
"""

from __future__ import annotations

import random
from copy import copy
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

from quizapp.config import Settings
from quizapp.forgetting import retrievability
from quizapp.store.records import REVIEW, CardState, to_ms

RATINGS = (1, 2, 3, 4)
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
DAY = timedelta(days=1)


def fuzzed_days(days: int, maximum: int, rng: random.Random) -> int:
    """A review interval with fsrs's fuzz ranges applied, drawn from `rng`."""
    if days < 2.5:
        return days
    delta = 1.0
    for span in FUZZ_RANGES:
        delta += span["factor"] * max(min(float(days), span["end"]) - span["start"], 0.0)
    lo = max(2, round(days - delta))
    hi = min(round(days + delta), maximum)
    lo = min(lo, hi)
    return min(round(rng.random() * (hi - lo + 1) + lo), maximum)


@dataclass(frozen=True)
class Outcome:
    rating: int
    card: CardState  # the cached state after the answer
    interval: timedelta  # due - now
    lapse: bool
    leech: bool  # tagged (or re-warned) as a leech by this answer
    suspend: bool  # suspended by this answer
    r_before: float | None


def is_leech_point(lapses: int, threshold: int) -> bool:
    if lapses < threshold:
        return False
    step = max(1, threshold // 2)
    return (lapses - threshold) % step == 0


class SrsScheduler:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fsrs = Scheduler(
            desired_retention=settings.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
            maximum_interval=settings.maximum_interval_days,
            enable_fuzzing=False,
        )

    def _review_days(self, state: CardState, now: datetime, raw: dict[int, Card], rating: int) -> int | None:
        """The interval in days for `rating` if it leaves the card in review (None otherwise),
        fuzzed and kept in order against the neighbouring ratings."""
        card = raw[rating]
        if card.state != State.Review:
            return None
        days = (card.due - now) // DAY
        good = raw.get(3)
        good_days = (good.due - now) // DAY if good is not None and good.state == State.Review else None
        maximum = self.settings.maximum_interval_days
        if self.settings.enable_fuzzing:
            seed = f"{state.id}:{state.fsrs}"
            days = fuzzed_days(days, maximum, random.Random(seed))
            if good_days is not None:
                good_days = fuzzed_days(good_days, maximum, random.Random(seed))
        if good_days is not None and rating == 2:
            days = min(days, good_days)
        if rating == 4:
            days = max(days, (good_days or 0) + 1)
        return min(days, maximum)

    def _raw(self, state: CardState, now: datetime, ratings: tuple[int, ...]) -> dict[int, Card]:
        before = state.fsrs_card(now)
        return {r: self.fsrs.review_card(before, Rating(r), review_datetime=now)[0] for r in ratings}

    def outcome(self, state: CardState, rating: int, now: datetime) -> Outcome:
        if now.tzinfo is None:
            raise ValueError("scheduling needs a timezone-aware datetime")
        now = now.astimezone(UTC)
        if rating not in RATINGS:
            raise ValueError(f"rating must be 1-4, not {rating!r}")
        # Hard and Easy are bounded by Good, so Good is scheduled too.
        raw = self._raw(state, now, (rating, 3) if rating in (2, 4) else (rating,))
        return self._outcome(state, rating, now, raw)

    def _outcome(self, state: CardState, rating: int, now: datetime, raw: dict[int, Card]) -> Outcome:
        after = raw[rating]
        days = self._review_days(state, now, raw, rating)
        if days is not None:
            after = copy(after)  # the raw cards are shared by the four previews
            after.due = now + timedelta(days=days)
        new = replace(state)
        new.set_schedule(after)
        new.reps = state.reps + 1
        lapse = state.state == REVIEW and rating == 1
        new.lapses = state.lapses + int(lapse)
        leech = lapse and is_leech_point(new.lapses, self.settings.leech_threshold)
        suspend = leech and self.settings.leech_action == "suspend" and not state.suspended
        new.leech = state.leech or leech
        new.suspended = state.suspended or suspend
        r_before = (
            retrievability(state.stability, state.last_review, to_ms(now)) if state.fsrs else None
        )
        return Outcome(rating, new, after.due - now, lapse, leech, suspend, r_before)

    def preview(self, state: CardState, now: datetime) -> dict[int, timedelta]:
        """rating -> interval if chosen now (the numbers on the buttons)."""
        if now.tzinfo is None:
            raise ValueError("scheduling needs a timezone-aware datetime")
        now = now.astimezone(UTC)
        raw = self._raw(state, now, RATINGS)
        return {r: self._outcome(state, r, now, raw).interval for r in RATINGS}
