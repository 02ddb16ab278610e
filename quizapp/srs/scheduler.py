"""FSRS-6 scheduling of one answer, from Settings, plus lapses and leeches.

`SrsScheduler.outcome(card_state, rating, now)` is pure: it returns the new cached state and the
log flags without touching the store, so the four rating buttons can be previewed and the chosen
one recorded with identical results.

fsrs schedules with its fuzz off (its own fuzz draws from the global `random`); we fuzz review
intervals ourselves, with fsrs's public FUZZ_RANGES and a draw fixed by the card id and its
last review, so a preview and the recorded answer on the same day agree and tests are
reproducible. As in Anki, the intervals keep their order for every state:
Again ≤ Hard ≤ Good < Easy (a graduating card's Easy is at least a day longer than its Good).

Lapse: Again on a card in the review state. Leech: the lapse count reaches
settings.leech_threshold, and again every half-threshold after that (as in Anki); the card is then
tagged, and suspended too when settings.leech_action == "suspend".
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from hashlib import blake2b

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from quizapp.config import Settings
from quizapp.forgetting import retrievability
from quizapp.store.records import NEW, REVIEW, CardState, from_ms, to_ms

RATINGS = (1, 2, 3, 4)
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
DAY = timedelta(days=1)


def fuzz_draw(state: CardState) -> float:
    """The card's fuzz draw, uniform in [0, 1): fixed by the card and its schedule, so the buttons
    and the answer that follows agree, in every run (a keyed hash: a seeded Random costs 5x)."""
    text = (f"{state.id}:{state.state}:{state.step}:{state.stability!r}:{state.difficulty!r}:"
            f"{state.due}:{state.last_review}")
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big") / 2**64


def fuzzed_days(days: int, maximum: int, draw: float) -> int:
    """A review interval with fsrs's fuzz ranges applied; `draw` is a uniform number in [0, 1)."""
    if days < 2.5:
        return days
    lo, hi = _fuzz_range(days, maximum)
    return min(round(draw * (hi - lo + 1) + lo), maximum)


@lru_cache(maxsize=4096)
def _fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    """The days a fuzzed interval may take (asked six times per card shown: kept)."""
    delta = 1.0
    for span in FUZZ_RANGES:
        delta += span["factor"] * max(min(float(days), span["end"]) - span["start"], 0.0)
    lo = max(2, round(days - delta))
    hi = min(round(days + delta), maximum)
    return min(lo, hi), hi


@dataclass(frozen=True)
class Outcome:
    rating: int
    card: CardState  # the cached state after the answer
    interval: timedelta  # due - now
    lapse: bool
    leech: bool  # tagged (or re-warned) as a leech by this answer
    suspend: bool  # suspended by this answer
    r_before: float | None


_Step = tuple[Card, timedelta]  # fsrs's card after a rating, and the interval until due


@dataclass
class _Memo:
    """The schedules computed for one card at one elapsed day (see SrsScheduler._key)."""

    key: tuple
    # fsrs's own card and interval, and the interval's days fuzzed (None: not in review)
    raw: dict[int, tuple[Card, timedelta, int | None]] = field(default_factory=dict)
    steps: dict[int, _Step] = field(default_factory=dict)  # fuzzed and kept in order
    draw: float | None = None  # the card's fuzz draw


def is_leech_point(lapses: int, threshold: int) -> bool:
    if lapses < threshold:
        return False
    step = max(1, threshold // 2)
    return (lapses - threshold) % step == 0


class SrsScheduler:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # The learner's fitted parameters when they have adopted some (quizapp optimize).
        parameters = settings.fsrs_weights() or DEFAULT_PARAMETERS
        self.decay = parameters[20]
        self.fsrs = Scheduler(
            parameters=parameters,
            desired_retention=settings.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
            maximum_interval=settings.maximum_interval_days,
            enable_fuzzing=False,
        )
        self._memo: _Memo | None = None

    def _key(self, state: CardState, now: datetime) -> tuple:
        """Everything a rating's schedule depends on. fsrs reads the moment of the answer only as
        whole days since the last review (and puts the due date that far after it), so on the same
        elapsed day the schedule is the same, only shifted: the buttons' previews and the rating
        that follows share one computation."""
        last = state.last_review
        elapsed = None if last is None else (now - from_ms(last)).days
        settings = self.settings
        return (state.id, state.state, state.step, state.stability, state.difficulty, state.due, last,
                elapsed, settings.enable_fuzzing, settings.maximum_interval_days)

    def _steps(self, state: CardState, now: datetime, ratings: tuple[int, ...]) -> dict[int, _Step]:
        """rating -> (fsrs's card after it, the interval), for `ratings` at least (memoized for
        the card on show)."""
        key = self._key(state, now)
        memo = self._memo
        if memo is None or memo.key != key:
            memo = self._memo = _Memo(key)
        steps, raw = memo.steps, memo.raw
        missing = [r for r in ratings if r not in steps]
        if not missing:
            return steps
        # Hard and Easy are bounded by Good, so Good is scheduled too.
        wanted = (*missing, 3) if (2 in missing or 4 in missing) and 3 not in missing else missing
        need = [r for r in wanted if r not in raw]
        if need:
            before = state.fsrs_card(now)
            review, maximum = self.fsrs.review_card, self.settings.maximum_interval_days
            for r in need:
                card = review(before, Rating(r), review_datetime=now)[0]
                interval = card.due - now
                days = interval // DAY if card.state == State.Review else None
                if days is not None and self.settings.enable_fuzzing:
                    if memo.draw is None:
                        memo.draw = fuzz_draw(state)
                    days = fuzzed_days(days, maximum, memo.draw)
                raw[r] = (card, interval, days)
        for r in missing:
            card, interval, _ = raw[r]
            days = self._review_days(memo, r)
            steps[r] = (card, interval if days is None else timedelta(days=days))
        return steps

    def _review_days(self, memo: _Memo, rating: int) -> int | None:
        """The interval in days for `rating` if it leaves the card in review (None otherwise),
        fuzzed and kept in order against the neighbouring ratings."""
        days = memo.raw[rating][2]
        if days is None:
            return None
        good = memo.raw.get(3)
        good_days = good[2] if good is not None else None
        if good_days is not None and rating == 2:
            days = min(days, good_days)
        if rating == 4:
            days = max(days, (good_days or 0) + 1)
        return min(days, self.settings.maximum_interval_days)

    def outcome(self, state: CardState, rating: int, now: datetime) -> Outcome:
        if now.tzinfo is None:
            raise ValueError("scheduling needs a timezone-aware datetime")
        now = now.astimezone(UTC)
        if rating not in RATINGS:
            raise ValueError(f"rating must be 1-4, not {rating!r}")
        after, interval = self._steps(state, now, (rating,))[rating]
        new = copy(state)
        new.state = int(after.state)
        new.due = to_ms(now + interval)
        new.stability, new.difficulty, new.step = after.stability, after.difficulty, after.step
        new.last_review = to_ms(now)
        new.reps = state.reps + 1
        lapse = state.state == REVIEW and rating == 1
        new.lapses = state.lapses + int(lapse)
        leech = lapse and is_leech_point(new.lapses, self.settings.leech_threshold)
        suspend = leech and self.settings.leech_action == "suspend" and not state.suspended
        new.leech = state.leech or leech
        new.suspended = state.suspended or suspend
        r_before = (
            retrievability(state.stability, state.last_review, to_ms(now), self.decay)
            if state.state != NEW and state.due is not None else None
        )
        return Outcome(rating, new, interval, lapse, leech, suspend, r_before)

    def preview(self, state: CardState, now: datetime) -> dict[int, timedelta]:
        """rating -> interval if chosen now (the numbers on the buttons)."""
        if now.tzinfo is None:
            raise ValueError("scheduling needs a timezone-aware datetime")
        now = now.astimezone(UTC)
        steps = self._steps(state, now, RATINGS)
        return {r: steps[r][1] for r in RATINGS}
