"""One study session: the single place where a study step happens. The TUI and `study --plain`
only render it and forward keys.

    session = StudySession(store, library, settings, topic=None, limit=None, practice=False)
    while (card := session.next_card()) is not None:
        card.front(lang)                       # plain text; card.options(lang) for choice/multi
        session.reveal()                       # flashcard (or give up: proposes Again)
        verdict = session.answer(text)         # cloze / exercise typed text, choice letters "a c";
                                               # invalid -> nothing changes, answer again
        session.intervals()                    # {1: timedelta, ...} for the rating buttons
        result = session.rate()                # None = accept proposed_rating (wrong 1, right 3;
                                               # revealed flashcard 3); ONE committed transaction
        session.undo()                         # pops this session's last answer, card is current again
    session.summary()

- `limit` caps the number of answers in the session.
- `practice=True` (cram) records attempts with practice=1 and changes no schedule; intervals() is {}.
- `drill_family="receptive_field"`: `limit` (default 10) fresh instances of one exercise family,
  practice-like.
- Exercise cards get a fresh random seed each time they are shown; it is stored in the log.
- `checker(instance, text) -> Verdict` lets the UI route checks through a time-limited worker.
- `clock()` must return UTC-aware datetimes (tests pass a frozen clock).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quizapp.checking.verdict import Verdict
from quizapp.config import Settings
from quizapp.deck.choice import check_choice, option_letters, parse_choice_input
from quizapp.deck.cloze import check_cloze, cloze_answer_text, cloze_prompt
from quizapp.i18n import Bilingual
from quizapp.srs.days import day_bounds, utc_now
from quizapp.srs.queue import LEARN_AHEAD, Queued, build_queue, learning_due, practice_queue
from quizapp.srs.scheduler import SrsScheduler
from quizapp.store.db import Store, new_uid
from quizapp.store.records import NEW, REVIEW, STATE_NAMES, ReviewRow, from_ms, to_ms

if TYPE_CHECKING:
    from quizapp.deck import CardRef, Item, Library, Topic
    from quizapp.exercises.base import Instance

MAX_DURATION = timedelta(minutes=3)  # a learner who walks away should not inflate time stats
DEFAULT_PRACTICE = 20
MAX_ANSWER_CHARS = 4000  # what the log keeps of a typed answer
DEFAULT_DRILL = 10

Checker = Callable[["Instance", str], Verdict]


class StudyError(RuntimeError):
    """A session method was called at the wrong moment (a front-end bug, not a learner error)."""


def default_checker(instance: Instance, text: str) -> Verdict:
    return instance.check(text)


@dataclass
class StudyCard:
    key: str
    ref: CardRef
    state: str  # "new" | "learning" | "review" | "relearning" when shown
    instance: Instance | None = None
    revealed: bool = False
    verdict: Verdict | None = None
    response: str = ""
    shown_at: datetime | None = field(default=None, repr=False)
    queued: Queued | None = field(default=None, repr=False)  # where it came from (for undo)

    @property
    def item(self) -> Item:
        return self.ref.item

    @property
    def topic(self) -> Topic:
        return self.ref.topic

    @property
    def topic_id(self) -> str:
        return self.ref.topic.id

    @property
    def kind(self) -> str:
        return self.ref.kind

    @property
    def sibling(self) -> str:
        return self.ref.sibling

    def front(self, lang: str) -> str:
        item = self.item
        if self.kind == "flashcard":
            side = item.back if self.sibling == "reverse" else item.front
            return side.get(lang) if side else ""
        if self.kind == "cloze":
            return cloze_prompt(item, self.ref.cloze_number or 1, lang)
        if self.kind in ("choice", "multi"):
            return item.question.get(lang) if item.question else ""
        if self.instance is not None:
            hint = self.instance.answer_hint.get(lang)
            prompt = self.instance.prompt(lang)
            label = "作答格式" if lang == "zh" else "Answer as"
            sep = "：" if lang == "zh" else ": "
            return f"{prompt}\n{label}{sep}{hint}" if hint else prompt
        return ""

    def back(self, lang: str) -> str:
        item = self.item
        if self.kind == "flashcard":
            side = item.front if self.sibling == "reverse" else item.back
            return side.get(lang) if side else ""
        if self.kind == "cloze":
            text = cloze_answer_text(item, self.ref.cloze_number or 1, lang)
            return f"{text}\n\n{item.extra.get(lang)}" if item.extra else text
        if self.kind in ("choice", "multi"):
            lines = []
            for letter, opt in zip(option_letters(item), item.options):
                mark = "✓" if opt.correct else "✗"
                why = opt.why.get(lang) if opt.why else ""
                lines.append(f"{letter}) {mark} {opt.text.get(lang)}" + (f" — {why}" if why else ""))
            return "\n".join(lines)
        if self.instance is not None:
            label = "答案：" if lang == "zh" else "Answer: "
            return f"{label}{self.instance.shown_answer}\n\n{self.instance.solution(lang)}"
        return ""

    def options(self, lang: str) -> list[tuple[str, str]]:
        if self.kind not in ("choice", "multi"):
            return []
        return [(letter, opt.text.get(lang)) for letter, opt in zip(option_letters(self.item), self.item.options)]


@dataclass(frozen=True)
class ReviewResult:
    key: str
    rating: int
    interval: timedelta  # until due (timedelta(0) in practice mode)
    leech: bool  # this answer made the card a leech: tell the learner
    suspended: bool  # ... and suspended it
    due: datetime | None = None
    practice: bool = False


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    correct: int  # rated Hard, Good or Easy
    accuracy: float  # correct / answered (0.0 when nothing was answered)
    seconds: float
    due_tomorrow: int  # cards in this session's scope due by the end of the next study day
    mistakes: list[tuple[str, int]]  # verdict notes of wrong answers, most frequent first


@dataclass
class _Done:
    review_id: int
    card: StudyCard
    rating: int
    status: str
    note: str
    duration_ms: int
    learning_after: bool


INVALID_CHOICE = Verdict(
    "invalid",
    note="invalid.letters",
    feedback=Bilingual("Type option letters, for example: a   or   a c", "请输入选项字母，例如：a 或 a c"),
)


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
        self.checker: Checker = checker or default_checker
        self.id = new_uid()
        self.scheduler = SrsScheduler(settings)
        self.current: StudyCard | None = None
        self.proposed_rating: int | None = None
        self.problems: list[str] = []  # cards that could not be shown (e.g. an exercise failed to generate)
        self._done: list[_Done] = []
        self._skipped: set[str] = set()
        self._rng = random.SystemRandom()
        store.sync_library(library)
        now = self._now()
        if drill_family is not None:
            self._plan = self._drill_plan(drill_family, limit or DEFAULT_DRILL)
        elif self.practice:
            self._plan = practice_queue(store, now, limit or DEFAULT_PRACTICE, topic=topic, live=self._live)
        else:
            self._plan = build_queue(store, settings, now, topic=topic, live=self._live)
            if limit is not None:
                self._plan = self._plan[:limit]

    # ---- helpers ------------------------------------------------------------------------
    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the session clock must return timezone-aware datetimes")
        return now

    def _live(self, key: str) -> bool:
        return self.library.card(key) is not None

    def _drill_plan(self, family: str, count: int) -> list[Queued]:
        refs = [
            ref for ref in self.library.cards
            if ref.kind == "exercise" and ref.item.family == family
            and (self.topic is None or ref.topic.id == self.topic)
        ]
        if not refs:
            return []
        plan: list[Queued] = []
        for i in range(count):
            ref = refs[i % len(refs)]
            state = self.store.card(ref.key)
            plan.append(Queued(state.id if state else 0, ref.key, ref.item.id, ref.topic.id, NEW))
        return plan

    def _studied_items(self) -> set[str]:
        return {d.card.item.id for d in self._done}

    def _still_wanted(self, queued: Queued, day_end: datetime, studied: set[str]) -> bool:
        if queued.key in self._skipped:
            return False
        if self.practice:
            return True
        if queued.item_id in studied:
            return False  # a sibling was answered in this session: buried for today
        state = self.store.card(queued.key)
        if state is None or state.suspended or state.retired:
            return False
        if queued.state == NEW:
            return state.state == NEW
        # answered in another window meanwhile?
        return state.state == REVIEW and state.due is not None and state.due < to_ms(day_end)

    def _pick(self, now: datetime) -> Queued | None:
        if not self.practice:
            for q in learning_due(self.store, now, topic=self.topic, live=self._live):
                if q.key not in self._skipped:
                    return q
        _, day_end = day_bounds(now)
        studied = self._studied_items()
        while self._plan:
            queued = self._plan.pop(0)
            if self._still_wanted(queued, day_end, studied):
                return queued
        if not self.practice:
            for q in learning_due(self.store, now + LEARN_AHEAD, topic=self.topic, live=self._live):
                if q.key not in self._skipped:
                    return q
        return None

    def _make_card(self, queued: Queued, now: datetime) -> StudyCard | None:
        ref = self.library.card(queued.key)
        if ref is None:
            return None
        state = self.store.card(queued.key)
        card = StudyCard(
            key=queued.key, ref=ref, state=STATE_NAMES[state.state if state else NEW],
            shown_at=now, queued=queued,
        )
        if ref.kind == "exercise":
            seed = self._rng.randrange(2**31)
            try:
                from quizapp.exercises import generate_item

                card.instance = generate_item(ref.item, seed)  # a family, or a YAML exercise
            except Exception as exc:  # a broken family must not end the session
                self.problems.append(f"{queued.key}: cannot generate an exercise (seed {seed}): {exc}")
                return None
        return card

    def _require_current(self) -> StudyCard:
        if self.current is None:
            raise StudyError("no current card: call next_card() first")
        return self.current

    # ---- the study step -----------------------------------------------------------------
    def next_card(self) -> StudyCard | None:
        """The card to show (the same one until it is rated or skipped); None when the session is over."""
        if self.current is not None:
            return self.current
        if self.limit is not None and len(self._done) >= self.limit:
            return None
        now = self._now()
        while (queued := self._pick(now)) is not None:
            card = self._make_card(queued, now)
            if card is not None:
                self.current = card
                self.proposed_rating = None
                return card
            self._skipped.add(queued.key)
        return None

    def reveal(self) -> None:
        card = self._require_current()
        card.revealed = True
        if card.kind != "flashcard" and card.verdict is None:
            self.proposed_rating = 1  # shown the answer without giving one: Again

    def answer(self, response: str) -> Verdict:
        card = self._require_current()
        if card.kind == "flashcard":
            raise StudyError("flashcards are revealed and self-rated, not answered")
        if card.verdict is not None:
            raise StudyError("this card is answered already: rate it (or undo)")
        verdict = self._check(card, response)
        if verdict.is_invalid:
            return verdict  # costs nothing: the learner types again
        card.verdict = verdict
        card.response = response
        card.revealed = True
        self.proposed_rating = 3 if verdict.is_correct else 1
        return verdict

    def _check(self, card: StudyCard, response: str) -> Verdict:
        if card.kind == "cloze":
            return check_cloze(card.item, card.ref.cloze_number or 1, response)
        if card.kind in ("choice", "multi"):
            selected = parse_choice_input(response)
            return INVALID_CHOICE if selected is None else check_choice(card.item, selected)
        assert card.instance is not None
        try:
            return self.checker(card.instance, response)
        except Exception as exc:  # the checker failing is our bug; let the learner rate by hand
            return Verdict(
                "invalid", note="invalid.checker-error",
                feedback=Bilingual(f"The answer could not be checked ({exc}); rate it yourself.",
                                   f"无法检查这个答案（{exc}）；请自己评分。"),
            )

    def intervals(self) -> dict[int, timedelta]:
        """rating 1..4 -> next interval if chosen now; {} in practice mode or with no card."""
        if self.current is None or self.practice:
            return {}
        state = self.store.card(self.current.key)
        return self.scheduler.preview(state, self._now()) if state else {}

    def rate(self, rating: int | None = None) -> ReviewResult:
        """Record the answer in ONE transaction; when this returns, it is on disk."""
        card = self._require_current()
        if rating is None:
            rating = self.proposed_rating
            if rating is None:
                if not card.revealed:
                    raise StudyError("reveal or answer the card before accepting a rating")
                rating = 3
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1, 2, 3 or 4, not {rating!r}")
        verdict = card.verdict
        with self.store.transaction():
            state = self.store.card(card.key)
            if state is None:
                raise StudyError(f"card {card.key} is not in the store")
            # The time is read under the write lock and never before this card's last logged
            # answer (another window may have committed one meanwhile): the log's time order is
            # then the commit order, which rebuilds and undo replay.
            now = self._now()
            last_ts = self.store.conn.execute(
                "SELECT MAX(ts) FROM reviews WHERE card_id = ?", (state.id,)
            ).fetchone()[0]
            if last_ts is not None and to_ms(now) < last_ts:
                now = from_ms(last_ts)
            shown = card.shown_at or now
            duration = max(timedelta(0), min(MAX_DURATION, now - shown))
            duration_ms = int(duration.total_seconds() * 1000)
            if self.practice:
                after, outcome = state, None
            else:
                outcome = self.scheduler.outcome(state, rating, now)
                after = outcome.card
                self.store.write_card(after)
            row = ReviewRow(
                uid=new_uid(), card_id=state.id, card_key=card.key, item_id=card.item.id,
                topic=card.topic_id, kind=card.kind, family=card.item.family or "",
                ts=max(to_ms(now), last_ts or 0), rating=rating, duration_ms=duration_ms,
                status=verdict.status if verdict else "", note=verdict.note if verdict else "",
                answer=card.response[:MAX_ANSWER_CHARS], seed=card.instance.seed if card.instance else None,
                practice=self.practice, session=self.id,
                state_before=state.state, state_after=after.state,
                card_before=state.fsrs, card_after=after.fsrs,
                lapse=bool(outcome and outcome.lapse), leech=bool(outcome and outcome.leech),
                suspend=bool(outcome and outcome.suspend),
                r_before=outcome.r_before if outcome else None,
            )
            review_id = self.store.insert_review(row)
        self._done.append(
            _Done(review_id, card, rating, row.status, row.note, duration_ms,
                  learning_after=after.state not in (NEW, REVIEW) and not self.practice)
        )
        self.current = None
        self.proposed_rating = None
        return ReviewResult(
            key=card.key, rating=rating,
            interval=outcome.interval if outcome else timedelta(0),
            leech=bool(outcome and outcome.leech), suspended=bool(outcome and outcome.suspend),
            due=from_ms(after.due) if after.due is not None else None, practice=self.practice,
        )

    def skip(self) -> None:
        """Leave the current card for this session (nothing is recorded)."""
        card = self._require_current()
        self._skipped.add(card.key)
        self.current = None
        self.proposed_rating = None

    def undo(self) -> bool:
        """Delete this session's last answer, restore the card exactly and make it current again."""
        if not self._done:
            return False
        done = self._done.pop()
        with self.store.transaction():
            self.store.delete_review(done.review_id)
        if self.current is not None and self.current.queued is not None:
            self._plan.insert(0, self.current.queued)  # shown again after the undone card
        card = done.card
        card.revealed = False
        card.verdict = None
        card.response = ""
        card.shown_at = self._now()
        self._skipped.discard(card.key)
        self.current = card
        self.proposed_rating = None
        return True

    # ---- progress -----------------------------------------------------------------------
    @property
    def answered(self) -> int:
        return len(self._done)

    @property
    def progress(self) -> tuple[int, int]:
        """(answered, planned): planned counts answers so far + the queue + cards still in learning."""
        answered = len(self._done)
        pending = {d.card.key for d in self._done if d.learning_after}
        if self.current is not None:
            pending.discard(self.current.key)
        planned = answered + len(self._plan) + len(pending) + (1 if self.current else 0)
        if self.limit is not None:
            planned = min(planned, self.limit)
        return answered, max(planned, answered)

    def summary(self) -> SessionSummary:
        answered = len(self._done)
        # A checked answer counts by its verdict (a wrong answer rated Good is still wrong); a
        # flashcard or a revealed answer counts by the learner's own rating (Hard or better).
        correct = sum(
            1 for d in self._done
            if (d.status == "correct" if d.status in ("correct", "wrong") else d.rating >= 2)
        )
        mistakes = Counter(d.note for d in self._done if d.status == "wrong" and d.note)
        now = self._now()
        _, today_end = day_bounds(now)
        _, tomorrow_end = day_bounds(today_end + timedelta(hours=1))
        clause, params = (" AND topic = ?", (self.topic,)) if self.topic else ("", ())
        due = self.store.conn.execute(
            "SELECT COUNT(*) FROM cards WHERE state != 0 AND due < ? AND suspended = 0 "
            f"AND retired = 0{clause}",
            (to_ms(tomorrow_end), *params),
        ).fetchone()[0]
        return SessionSummary(
            answered=answered, correct=correct,
            accuracy=correct / answered if answered else 0.0,
            seconds=sum(d.duration_ms for d in self._done) / 1000,
            due_tomorrow=int(due), mistakes=mistakes.most_common(),
        )

    def info(self) -> dict[str, Any]:
        """Small facts for a status line."""
        return {"session": self.id, "practice": self.practice, "topic": self.topic}
