"""One study session: the single place where a study step happens. The TUI and `study --plain`
only render it and forward keys.

    session = StudySession(store, library, settings, topic=None, limit=None, practice=False)
    while (current := session.next_card()) is not None:
        match current.view: ...               # Flashcard | Cloze | Choice | Exercise (study.cards)
        session.reveal()                       # flashcard; on a typed/choice card: give up (Again)
        verdict = session.answer(text)         # typed text or option letters; invalid -> nothing
                                               # changes (also `await session.answer_async(text)`)
        session.intervals()                    # {1: timedelta, ...} for the rating buttons
        session.rate()                         # None = the proposed rating; ONE transaction
        session.undo()                         # pops this session's last answer
    session.end()                              # records a checked answer still unrated

Phases of the current card: "question" (waiting for an answer or a reveal), "checking" (an
answer is being checked on a thread), "answered" (verdict or answer shown: rate it).
An answer that was checked, or a typed/choice card whose answer was revealed, is data: it is
recorded (with the proposed rating if the learner does not choose one) when the session ends,
and it cannot be skipped or silently replaced by an undo.

- `limit` caps the number of answers in the session.
- `practice=True` (cram) records attempts with practice=1 and changes no schedule; intervals() is {}.
- `drill_family="receptive_field"`: `limit` (default 10) fresh instances of one exercise family.
- `plan_keys`: study exactly these cards (custom study, quizapp.search.custom), in this order: due
  or not, rescheduled from the answer unless `practice`; learning steps stay within the plan.
- Exercise cards get a fresh random seed each time they are shown, choice cards a seed that
  shuffles their options; the seed is logged.
- `clock()` must return UTC-aware datetimes (tests pass a frozen clock).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from quizapp.checking.verdict import Verdict
from quizapp.config import Settings
from quizapp.srs.queue import Queued
from quizapp.srs.scheduler import SrsScheduler
from quizapp.store.db import Store, new_uid
from quizapp.store.records import NEW, STATE_NAMES, CardState
from quizapp.study.answering import StudyError, check_answer, check_next_part, parts_verdict
from quizapp.study.cards import (
    CardMeta,
    CardView,
    Cloze,
    Exercise,
    Flashcard,
    build_view,
)
from quizapp.study.checker import Checker, InProcessChecker
from quizapp.study.plan import Remaining, StudyPlan
from quizapp.study.recording import Answered, ReviewResult, record_answer
from quizapp.study.summary import Done, SessionSummary, summarize
from quizapp.timing import now as utc_now

if TYPE_CHECKING:
    from quizapp.checking.pipeline import Interpretation
    from quizapp.deck import Library
    from quizapp.exercises.base import Instance, Part
    from quizapp.exercises.parts import PartAnswer

GAVE_UP = "generic.gave-up"  # the note logged when the answer was shown without one

Phase = Literal["question", "checking", "answered"]


@dataclass
class Current:
    """The card on show and where its study step stands."""

    view: CardView
    queued: Queued = field(repr=False)
    seed: int
    shown_at: datetime
    phase: Phase = "question"
    verdict: Verdict | None = None
    response: str = ""
    gave_up: bool = False  # a typed/choice card whose answer was shown without one
    proposed: int | None = None  # the rating Enter accepts
    parts: list[PartAnswer] = field(default_factory=list)  # a multi-part exercise's answers so far

    @property
    def key(self) -> str:
        return self.view.meta.key

    @property
    def part(self) -> Part | None:
        """The part being asked, for a multi-part exercise still in its question phase."""
        view = self.view
        if not isinstance(view, Exercise) or self.phase == "answered":
            return None
        parts = view.instance.parts
        return parts[len(self.parts)] if len(self.parts) < len(parts) else None

    @property
    def must_rate(self) -> bool:
        """A checked answer (or a give-up) is data: it is recorded, never skipped."""
        return self.phase == "answered" and (self.verdict is not None or self.gave_up)


class StudySession:
    def __init__(
        self,
        store: Store,
        library: Library,
        settings: Settings,
        *,
        topic: str | None = None,
        limit: int | None = None,
        practice: bool = False,
        drill_family: str | None = None,
        plan_keys: Sequence[str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        checker: Checker | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.settings = settings
        self.topic = topic
        self.limit = limit
        self.drill_family = drill_family
        self.practice = practice or drill_family is not None
        self.clock = clock
        self.checker: Checker = checker or InProcessChecker()
        self.id = new_uid()
        self.scheduler = SrsScheduler(settings)
        self.current: Current | None = None
        self.problems: list[str] = []  # cards that could not be shown (e.g. an exercise failed)
        self.ended = False
        self._done: list[Done] = []
        self._studied: Counter[str] = Counter()  # item ids answered in this session (siblings wait)
        self._rng = random.SystemRandom()
        self.plan = StudyPlan(store, library, settings, self._now(), topic=topic, limit=limit,
                              practice=self.practice, drill_family=drill_family, plan_keys=plan_keys)

    # ---- helpers ------------------------------------------------------------------------
    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the session clock must return timezone-aware datetimes")
        return now

    def _make_card(self, queued: Queued, now: datetime, state: CardState | None = None) -> Current | None:
        """The card to show for `queued`; `state` is its row when the plan has just read it."""
        ref = self.library.card(queued.key)
        if ref is None:
            return None
        if state is None or state.key != queued.key:
            state = self.store.card(queued.key)
        meta = CardMeta(
            key=ref.key, item_id=ref.item.id, kind=ref.kind, topic_id=ref.topic.id,
            topic_title=ref.topic.title, state=STATE_NAMES[state.state if state else NEW],
            family=ref.item.family or "",
        )
        seed = self._rng.randrange(2**31)
        instance: Instance | None = None
        if ref.kind == "exercise":
            try:
                from quizapp.exercises import generate_item

                instance = generate_item(ref.item, seed)  # a family, or a YAML exercise
            except Exception as exc:  # a broken family must not end the session
                self.problems.append(f"{queued.key}: cannot generate an exercise (seed {seed}): {exc}")
                return None
        view = build_view(ref, meta, seed=seed, instance=instance)
        return Current(view=view, queued=queued, seed=seed, shown_at=now)

    def use_library(self, library: Library) -> None:
        """The decks were reloaded (an edit): later cards come from `library`, and the card on
        show is redrawn from it if it has not been answered yet (same seed, same exercise)."""
        self.library = library
        current = self.current
        if current is None or current.phase != "question":
            return
        ref = library.card(current.key)
        if ref is None:
            return  # gone from the decks: it stays on show until rated or skipped
        instance = current.view.instance if isinstance(current.view, Exercise) else None
        current.view = build_view(ref, current.view.meta, seed=current.seed, instance=instance)

    def _require(self, *phases: Phase) -> Current:
        current = self.current
        if current is None:
            raise StudyError("no current card: call next_card() first")
        if phases and current.phase not in phases:
            raise StudyError(f"not possible while the card is in the {current.phase!r} phase")
        return current

    # ---- the study step -----------------------------------------------------------------
    def next_card(self) -> Current | None:
        """The card to show (the same one until it is rated or skipped); None when over."""
        if self.current is not None:
            return self.current
        if self.ended or (self.limit is not None and len(self._done) >= self.limit):
            return None
        now = self._now()
        while (queued := self.plan.pick(now, self._studied)) is not None:
            current = self._make_card(queued, now, self.plan.last_state)
            if current is not None:
                self.current = current
                return current
            self.plan.skipped.add(queued.key)
        return None

    def reveal(self) -> None:
        """Show the answer: a flashcard's back, or (giving up) a typed/choice card's answer."""
        current = self._require("question")
        current.phase = "answered"
        if isinstance(current.view, Flashcard):
            current.proposed = 3
        else:
            current.gave_up = True
            current.proposed = 1

    def answer(self, response: str) -> Verdict:
        """Check an answer (of a multi-part exercise: of the part being asked) here and now (line
        mode); invalid answers change nothing."""
        current = self._require("question")
        if current.part is not None:
            return self._apply_part(current, self._check_part(current, response))
        return self._apply(current, response, check_answer(current.view, response, self.library, self.checker))

    async def answer_async(self, response: str) -> Verdict:
        """answer() with the check on a thread, so the UI stays live (phase "checking")."""
        current = self._require("question")
        current.phase = "checking"
        try:
            if current.part is not None:
                part = await asyncio.to_thread(self._check_part, current, response)
            else:
                verdict = await asyncio.to_thread(check_answer, current.view, response, self.library, self.checker)
        finally:
            current.phase = "question"
        if current.part is not None:
            return self._apply_part(current, part)
        return self._apply(current, response, verdict)

    def _check_part(self, current: Current, response: str) -> PartAnswer:
        assert isinstance(current.view, Exercise)
        return check_next_part(current.view, current.parts, response, self.checker)

    def _apply_part(self, current: Current, answer: PartAnswer) -> Verdict:
        if answer.status == "invalid":
            return answer.verdict  # costs nothing: the learner types again
        current.parts.append(answer)
        current.response = "; ".join(a.answer for a in current.parts)
        assert isinstance(current.view, Exercise)
        if len(current.parts) == len(current.view.instance.parts):
            from quizapp.exercises.parts import proposed_rating

            current.verdict = parts_verdict(current.view.instance.parts, current.parts)
            current.phase = "answered"
            current.proposed = proposed_rating(current.parts, len(current.parts))
        return answer.verdict

    def _apply(self, current: Current, response: str, verdict: Verdict) -> Verdict:
        if verdict.is_invalid:
            return verdict  # costs nothing: the learner types again
        current.verdict = verdict
        current.response = response
        current.phase = "answered"
        current.proposed = 3 if verdict.is_correct else 1
        return verdict

    def interpret(self, text: str) -> Interpretation | None:
        """How a typed answer reads (the live preview), for math answers; blocking."""
        current = self.current
        if current is None:
            return None
        if current.part is not None:
            return self.checker.interpret_spec(current.part.spec, text)
        match current.view:
            case Exercise(instance=instance):
                return self.checker.interpret_spec(instance.spec, text)
            case Cloze(spec=spec) if spec is not None:
                return self.checker.interpret_spec(spec, text)
        return None

    def intervals(self) -> dict[int, timedelta]:
        """rating 1..4 -> next interval if chosen now; {} in practice mode or with no card."""
        if self.current is None or self.practice:
            return {}
        state = self.store.card(self.current.key)
        return self.scheduler.preview(state, self._now()) if state else {}

    def rate(self, rating: int | None = None) -> ReviewResult:
        """Record the answer in ONE transaction; when this returns, it is on disk."""
        current = self._require("answered")
        rating = current.proposed if rating is None else rating
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1, 2, 3 or 4, not {rating!r}")
        verdict = current.verdict
        status, note = (verdict.status, verdict.note) if verdict else ("", "")
        if current.gave_up:
            status, note = "wrong", GAVE_UP
        view = current.view
        instance = view.instance if isinstance(view, Exercise) else None
        answered = Answered(
            key=current.key, item_id=view.meta.item_id, topic=view.meta.topic_id, kind=view.meta.kind,
            family=view.meta.family, rating=rating, status=status, note=note,
            response=current.response, seed=instance.seed if instance else current.seed,
            practice=self.practice, session=self.id, shown_at=current.shown_at,
            params=self._item_params(view.meta.item_id) if instance else None,
            parts=tuple((a.answer, a.status, a.note) for a in current.parts),
        )
        unchanged = self.plan.learning_unchanged()
        review_id, result, learning_after = record_answer(self.store, self.scheduler, answered, self._now)
        self.plan.recorded(current.key, learning_after, unchanged)
        self._studied[view.meta.item_id] += 1
        self._done.append(Done(
            review_id=review_id, current=current, rating=rating, status=status, note=note,
            family=view.meta.family, duration_ms=result.duration_ms, learning_after=learning_after,
        ))
        self.current = None
        return result

    def _item_params(self, item_id: str) -> dict[str, object] | None:
        """The exercise item's own params (not the family's defaults): with the seed they redraw
        the instance shown."""
        item = self.library.items.get(item_id)
        return dict(item.params) if item is not None and item.params else None

    def skip(self) -> None:
        """Leave the current card for this session (nothing is recorded): before answering only."""
        current = self._require("question", "answered")
        if current.must_rate:
            raise StudyError("this answer was checked: rate it (it is recorded) instead of skipping")
        self.plan.skipped.add(current.key)
        self.current = None

    def set_aside(self, how: Literal["suspend", "bury"]) -> None:
        """Take the card on show out of the queues (suspend: until unsuspended; bury: until the
        next study day) and move on; a checked answer on show is recorded first (it is data)."""
        current = self._require("question", "answered")
        if current.must_rate:
            self.rate()
        else:
            self.plan.skipped.add(current.key)
            self.current = None
        change = self.store.suspend if how == "suspend" else self.store.bury
        change(current.key, now=self._now())

    def toggle_flag(self, colour: int = 1) -> int:
        """Flag the card on show (Anki's colours 1-4), or clear the flag it already has; returns
        the flag it now has (0: none). The card stays on show."""
        current = self._require()
        state = self.store.card(current.key)
        flag = 0 if state is not None and state.flag == colour else colour
        self.store.flag(current.key, flag, now=self._now())
        return flag

    def undo(self) -> bool:
        """Delete this session's last answer, restore the card exactly and make it current again."""
        if self.current is not None and (self.current.phase == "checking" or self.current.must_rate):
            raise StudyError("rate the answer on show before undoing the previous one")
        if not self._done:
            return False
        done = self._done.pop()
        self._studied[done.item_id] -= 1
        if not self._studied[done.item_id]:
            del self._studied[done.item_id]
        with self.store.transaction():
            self.store.delete_review(done.review_id)
        if self.current is not None:
            self.plan.put_back(self.current.queued)  # shown again after the undone card
        again = done.current
        again.phase, again.verdict, again.response = "question", None, ""
        again.gave_up, again.proposed, again.parts = False, None, []
        again.shown_at = self._now()
        self.plan.skipped.discard(again.key)
        self.current = again
        return True

    def end(self) -> SessionSummary:
        """End the session; a checked answer still on show is recorded with its proposed rating."""
        if self.current is not None and self.current.must_rate:
            self.rate()
        self.current = None
        self.ended = True
        return self.summary()

    # ---- progress -----------------------------------------------------------------------
    @property
    def answered(self) -> int:
        return len(self._done)

    def remaining(self) -> Remaining:
        """What is left: the plan, the learning cards due within the look-ahead, the card on show."""
        room = None if self.limit is None else self.limit - len(self._done)
        on_show = self.current.queued if self.current is not None else None
        return self.plan.remaining(self._now(), on_show, room)

    def summary(self) -> SessionSummary:
        return summarize(self._done, self.store, self._now(), topic=self.topic, ended_early=self._ended_early())

    def _ended_early(self) -> bool:
        if not self.ended:
            return False
        return self.remaining().total > 0


__all__ = ["Current", "Remaining", "ReviewResult", "SessionSummary", "StudyError", "StudySession"]
