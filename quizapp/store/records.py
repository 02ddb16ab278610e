"""Row objects of the store: a card's cached state and one answer of the review log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fsrs import Card, State

from quizapp.timing import from_ms, to_ms

__all__ = ["CardState", "Part", "ReviewRow", "from_ms", "to_ms"]  # to_ms/from_ms: the clock's

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}

CARD_COLUMNS = (
    "id", "key", "item_id", "topic", "kind", "family", "ord", "retired", "state", "due", "stability",
    "difficulty", "step", "last_review", "reps", "lapses", "leech", "suspended", "buried", "flag",
    "last_answer",
)
_FLAG_INDEXES = tuple(CARD_COLUMNS.index(name) for name in ("retired", "leech", "suspended"))


def _json(value: float | int | None) -> str:
    return "null" if value is None else repr(value)


def item_of_key(key: str) -> str:
    return key.split("::", 1)[0]


@dataclass
class CardState:
    """One row of `cards`: who the card is, and its scheduling state (a cache of the log)."""

    id: int
    key: str
    item_id: str
    topic: str = ""
    kind: str = ""
    family: str = ""
    ord: int = 0
    retired: bool = False
    state: int = NEW
    due: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    step: int | None = None
    last_review: int | None = None
    reps: int = 0
    lapses: int = 0
    leech: bool = False
    suspended: bool = False
    buried: int | None = None  # buried by hand until then (ms)
    flag: int = 0  # 0 none, 1-4 colours
    last_answer: int | None = None  # last answer of any kind (practice included)

    @classmethod
    def from_row(cls, row: Any) -> CardState:
        values = list(row)  # in CARD_COLUMNS order (read for every card the session shows)
        for index in _FLAG_INDEXES:
            values[index] = bool(values[index])
        return cls(*values)

    def as_tuple(self) -> tuple:
        return tuple(int(v) if isinstance(v, bool) else v for v in (getattr(self, c) for c in CARD_COLUMNS))

    @property
    def fsrs(self) -> str | None:
        """The scheduling state as fsrs Card JSON (None for a new card). Written out by hand: the
        scheduler reads it for every button's preview, and json.dumps would cost 4x as much."""
        if self.state == NEW or self.due is None:
            return None
        # Kept with the values it was made from (read up to 9 times per answer; the fields may change)
        key = (self.id, self.state, self.step, self.stability, self.difficulty, self.due, self.last_review)
        made = self.__dict__.get("_fsrs_text")
        if made is not None and made[0] == key:
            return str(made[1])
        last = f'"{from_ms(self.last_review).isoformat()}"' if self.last_review is not None else "null"
        text = (
            f'{{"card_id": {self.id}, "state": {self.state}, "step": {_json(self.step)}, '
            f'"stability": {_json(self.stability)}, "difficulty": {_json(self.difficulty)}, '
            f'"due": "{from_ms(self.due).isoformat()}", "last_review": {last}}}'
        )
        self.__dict__["_fsrs_text"] = (key, text)
        return text

    def fsrs_card(self, now: datetime) -> Card:
        """The fsrs Card to schedule from; a new card is a fresh Learning card with our id."""
        if self.state == NEW or self.due is None:
            return Card(card_id=self.id, state=State.Learning, due=now)
        return Card(
            card_id=self.id, state=State(self.state), step=self.step, stability=self.stability,
            difficulty=self.difficulty, due=from_ms(self.due),
            last_review=from_ms(self.last_review) if self.last_review is not None else None,
        )

    def set_schedule(self, card: Card | None) -> None:
        """Copy an fsrs Card (or None: back to new) into the scheduling columns."""
        if card is None:
            self.state = NEW
            self.due = self.stability = self.difficulty = self.step = self.last_review = None
            return
        self.state = int(card.state)
        self.due = to_ms(card.due)
        self.stability = card.stability
        self.difficulty = card.difficulty
        self.step = card.step
        self.last_review = to_ms(card.last_review) if card.last_review else None


@dataclass
class Part:
    """One part of a multi-part exercise answer."""

    answer: str = ""
    status: str = ""
    note: str = ""


_FLAG_FIELDS = ("practice", "lapse", "leech", "suspend")


@dataclass
class ReviewRow:
    """One answer of the log (see store.schema). When read back, card_key, item_id, topic, kind and
    family come from the card; `uid` is the answer's stable id, "<ts>@<card key>"."""

    card_id: int
    ts: int
    rating: int
    state_before: int
    state_after: int
    uid: str = ""
    card_key: str = ""
    item_id: str = ""
    topic: str = ""
    kind: str = ""
    family: str = ""
    duration_ms: int = 0
    status: str = ""
    note: str = ""
    answer: str = ""
    seed: int | None = None
    params: dict[str, Any] | None = None
    parts: tuple[Part, ...] = ()
    practice: bool = False
    session: str = ""
    lapse: bool = False
    leech: bool = False
    suspend: bool = False
    r_before: float | None = None
    # The FSRS state after the answer (None for practice answers, which change nothing).
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: int | None = None
    id: int | None = field(default=None, compare=False)

    EXPORTED = (
        "card_key", "ts", "rating", "duration_ms", "state_before", "state_after", "step", "stability",
        "difficulty", "due", "r_before", "practice", "lapse", "leech", "suspend", "status", "note",
        "answer", "seed", "params", "parts", "session", "item_id", "topic", "kind", "family",
    )

    def set_after(self, after: CardState) -> None:
        """Take the state after the answer from the card as it will be cached."""
        self.state_after = after.state
        self.step, self.stability, self.difficulty, self.due = (
            after.step, after.stability, after.difficulty, after.due,
        )

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {name: getattr(self, name) for name in self.EXPORTED}
        for name in _FLAG_FIELDS:
            data[name] = bool(data[name])
        data["parts"] = [vars(p) for p in self.parts]
        return data
