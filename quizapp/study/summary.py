"""What a session did: answers, accuracy, time, the mistakes (with the family that wrote each
note, so every front end describes them the same way) and what is due tomorrow."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.i18n import Bilingual
from quizapp.store.db import Store
from quizapp.timing import study_day

if TYPE_CHECKING:
    from quizapp.study.session import Current


@dataclass(frozen=True)
class Mistake:
    family: str  # the exercise family that wrote the note ('' for deck and generic notes)
    note: str
    # A YAML exercise's own words for its mistake (no family describes it); not part of the key.
    text: Bilingual | None = field(default=None, compare=False)


@dataclass
class Done:
    """One answer this session recorded (kept for undo and the summary)."""

    review_id: int
    current: Current
    rating: int
    status: str
    note: str
    family: str
    duration_ms: int
    learning_after: bool

    @property
    def item_id(self) -> str:
        return self.current.view.meta.item_id

    @property
    def correct(self) -> bool:
        # A checked answer counts by its verdict (a wrong answer rated Good is still wrong, and a
        # revealed answer is logged as wrong); a flashcard by the learner's own rating.
        return self.status == "correct" if self.status else self.rating >= 2


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    correct: int
    accuracy: float  # correct / answered (0.0 when nothing was answered)
    seconds: float
    due_tomorrow: int  # cards in this session's scope due during the next study day
    mistakes: list[tuple[Mistake, int]]  # wrong answers' notes, most frequent first
    ended_early: bool = False  # the learner ended it with cards still to study


def summarize(
    done: list[Done], store: Store, now: datetime, *, topic: str | None, ended_early: bool
) -> SessionSummary:
    answered = len(done)
    correct = sum(d.correct for d in done)
    mistakes = Counter(Mistake(d.family, d.note, _own_words(d)) for d in done if d.status == "wrong" and d.note)
    due = store.due_on_day(study_day(now) + 1, topic)
    return SessionSummary(
        answered=answered, correct=correct,
        accuracy=correct / answered if answered else 0.0,
        seconds=sum(d.duration_ms for d in done) / 1000,
        due_tomorrow=int(due), mistakes=mistakes.most_common(), ended_early=ended_early,
    )


def _own_words(done: Done) -> Bilingual | None:
    """The feedback a YAML exercise gave for its named mistake (of the part that made it)."""
    current = done.current
    if done.family or current.view.meta.kind != "exercise" or done.note.startswith(("generic.", "invalid.")):
        return None
    for part in current.parts:
        if part.note == done.note:
            return part.verdict.feedback
    return current.verdict.feedback if current.verdict is not None else None
