"""FSRS-6 scheduling of one answer, from Settings, plus lapses and leeches.

`SrsScheduler.outcome(card_state, rating, now)` is pure: it returns the new cached state and the
log flags without touching the store, so the four rating buttons can be previewed and the chosen
one recorded with identical results. Fuzz is drawn from a generator seeded by the card id and
its last review (instead of fsrs's global `random`), so a preview and the recorded answer on the
same day agree, and tests are reproducible.

Lapse: Again on a card in the review state. Leech: the lapse count reaches
settings.leech_threshold, and again every half-threshold after that (as in Anki); the card is then
tagged, and suspended too when settings.leech_action == "suspend".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from fsrs import Rating, Scheduler
from fsrs.scheduler import FUZZ_RANGES

from quizapp.config import Settings
from quizapp.forgetting import retrievability
from quizapp.store.records import REVIEW, CardState, to_ms

RATINGS = (1, 2, 3, 4)
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class _SeededFuzzScheduler(Scheduler):
    """fsrs.Scheduler whose fuzz comes from `self.fuzz_rng` (same ranges as fsrs)."""

    fuzz_rng: random.Random = random.Random(0)

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        delta = 1.0
        for rng in FUZZ_RANGES:
            delta += rng["factor"] * max(min(float(days), rng["end"]) - rng["start"], 0.0)
        lo = max(2, round(days - delta))
        hi = min(round(days + delta), self.maximum_interval)
        lo = min(lo, hi)
        fuzzed = self.fuzz_rng.random() * (hi - lo + 1) + lo
        return timedelta(days=min(round(fuzzed), self.maximum_interval))


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
        self.fsrs = _SeededFuzzScheduler(
            desired_retention=settings.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
            maximum_interval=settings.maximum_interval_days,
            enable_fuzzing=settings.enable_fuzzing,
        )

    def outcome(self, state: CardState, rating: int, now: datetime) -> Outcome:
        if now.tzinfo is None:
            raise ValueError("scheduling needs a timezone-aware datetime")
        now = now.astimezone(UTC)
        if rating not in RATINGS:
            raise ValueError(f"rating must be 1-4, not {rating!r}")
        before = state.fsrs_card(now)
        self.fsrs.fuzz_rng = random.Random(f"{state.id}:{state.fsrs}")
        after, _log = self.fsrs.review_card(before, Rating(rating), review_datetime=now)
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
        return {r: self.outcome(state, r, now).interval for r in RATINGS}


def format_interval(delta: timedelta) -> str:
    """Short text for a button: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return f"{max(0, round(seconds))}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
