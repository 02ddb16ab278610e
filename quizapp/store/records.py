"""Row objects of the store: a card's cached state and one review-log row."""
# to_ms/from_ms are re-exported for the store's callers (they are the study clock's).

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from fsrs import Card, State

from quizapp.timing import from_ms, to_ms

__all__ = ["CardState", "ReviewRow", "from_ms", "to_ms"]

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}

CARD_COLUMNS = (
    "id", "key", "item_id", "topic", "kind", "ord", "retired", "state", "due", "stability",
    "difficulty", "step", "last_review", "reps", "lapses", "leech", "suspended", "fsrs",
)


def item_of_key(key: str) -> str:
    return key.split("::", 1)[0]


@dataclass
class CardState:
    """One row of `cards`. `fsrs` (exact Card JSON) is authoritative; the other columns index it."""

    id: int
    key: str
    item_id: str
    topic: str = ""
    kind: str = ""
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
    fsrs: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple) -> CardState:
        values = dict(zip(CARD_COLUMNS, tuple(row)))
        values["retired"] = bool(values["retired"])
        values["leech"] = bool(values["leech"])
        values["suspended"] = bool(values["suspended"])
        return cls(**values)

    def as_tuple(self) -> tuple:
        return (
            self.id, self.key, self.item_id, self.topic, self.kind, self.ord, int(self.retired),
            self.state, self.due, self.stability, self.difficulty, self.step, self.last_review,
            self.reps, self.lapses, int(self.leech), int(self.suspended), self.fsrs,
        )

    def fsrs_card(self, now: datetime) -> Card:
        """The fsrs Card to schedule from; a new card is a fresh Learning card with our id."""
        if self.fsrs is None:
            return Card(card_id=self.id, state=State.Learning, due=now)
        return Card.from_json(self.fsrs)

    def set_schedule(self, card: Card | None) -> None:
        """Copy an fsrs Card (or None: back to new) into the scheduling columns."""
        if card is None:
            self.state, self.fsrs = NEW, None
            self.due = self.stability = self.difficulty = self.step = self.last_review = None
            return
        self.state = int(card.state)
        self.fsrs = card.to_json()
        self.due = to_ms(card.due)
        self.stability = card.stability
        self.difficulty = card.difficulty
        self.step = card.step
        self.last_review = to_ms(card.last_review) if card.last_review else None

    def schedule_from_json(self, fsrs_json: str | None) -> None:
        """set_schedule from logged Card JSON, keeping the text byte-for-byte (and fast: rebuilds
        call this once per card)."""
        if not fsrs_json:
            self.set_schedule(None)
            return
        data = json.loads(fsrs_json)
        last = data.get("last_review")
        self.state = int(data["state"])
        self.fsrs = fsrs_json
        self.due = to_ms(datetime.fromisoformat(data["due"]))
        self.stability = float(data["stability"]) if data.get("stability") else None
        self.difficulty = float(data["difficulty"]) if data.get("difficulty") else None
        self.step = data.get("step")
        self.last_review = to_ms(datetime.fromisoformat(last)) if last else None


@dataclass
class ReviewRow:
    """One row of `reviews` (see store.schema for the meaning of each column)."""

    uid: str
    card_id: int
    card_key: str
    item_id: str
    topic: str
    kind: str
    ts: int
    rating: int
    state_before: int
    state_after: int
    family: str = ""
    duration_ms: int = 0
    status: str = ""
    note: str = ""
    answer: str = ""
    seed: int | None = None
    practice: bool = False
    session: str = ""
    card_before: str | None = None
    card_after: str | None = None
    lapse: bool = False
    leech: bool = False
    suspend: bool = False
    r_before: float | None = None
    id: int | None = field(default=None, compare=False)

    COLUMNS = (
        "uid", "card_id", "card_key", "item_id", "topic", "kind", "family", "ts", "rating",
        "duration_ms", "status", "note", "answer", "seed", "practice", "session", "state_before",
        "state_after", "card_before", "card_after", "lapse", "leech", "suspend", "r_before",
    )

    def values(self) -> tuple:
        return tuple(
            int(v) if isinstance(v, bool) else v for v in (getattr(self, c) for c in self.COLUMNS)
        )

    def to_dict(self) -> dict[str, object]:
        data = {c: getattr(self, c) for c in self.COLUMNS}
        for flag in ("practice", "lapse", "leech", "suspend"):
            data[flag] = bool(data[flag])
        return data

    @classmethod
    def from_mapping(cls, data: dict) -> ReviewRow:
        known = {c: data[c] for c in cls.COLUMNS if c in data}
        for flag in ("practice", "lapse", "leech", "suspend"):
            if flag in known:
                known[flag] = bool(known[flag])
        if "id" in data:
            known["id"] = data["id"]
        return cls(**known)


def card_json_with_id(fsrs_json: str | None, card_id: int) -> str | None:
    """The same Card JSON with our local card id (imports come from another database)."""
    if fsrs_json is None:
        return None
    data = json.loads(fsrs_json)
    data["card_id"] = card_id
    return json.dumps(data)
