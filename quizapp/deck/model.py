"""Topics, items and cards: the content model. Plain dataclasses, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from quizapp.exercises.authored.schema import ExerciseDef
from quizapp.exercises.forms import AnswerForm
from quizapp.i18n import Bilingual
from quizapp.textsafe import one_line

Kind = Literal["flashcard", "cloze", "choice", "multi", "exercise"]
KINDS: tuple[str, ...] = ("flashcard", "cloze", "choice", "multi", "exercise")
# Cards whose answer the app checks (and so proposes a rating for).
AUTO_CHECKED: frozenset[str] = frozenset({"cloze", "choice", "multi", "exercise"})

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class Option:
    text: Bilingual
    correct: bool
    why: Bilingual


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    topic_id: str
    tags: tuple[str, ...] = ()
    # flashcard
    front: Bilingual | None = None
    back: Bilingual | None = None
    reverse: bool = False
    # cloze
    text: Bilingual | None = None
    extra: Bilingual | None = None
    # Deletions checked as math (number -> answer form); the others are compared as text.
    math: dict[int, AnswerForm] = field(default_factory=dict)
    # choice / multi
    question: Bilingual | None = None
    options: tuple[Option, ...] = ()
    # exercise: a built-in family with its params, or a YAML exercise
    family: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    exercise: ExerciseDef | None = None
    # Where the item's id sits in its file, and its index in items (for cross-file reports).
    line: int = field(default=1, compare=False)
    col: int = field(default=1, compare=False)
    index: int = field(default=0, compare=False)
    # Set when the item overrides a built-in one: the user's file it comes from (else its topic's).
    source: Path | None = field(default=None, compare=False)
    # Positions of the fields a later check may report on ("math.c1", "answer", "parts[0].answer"):
    # kept only for math clozes and YAML exercises, whose checks run after loading.
    spots: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def spot(self, dotted: str) -> tuple[int, int]:
        """(line, col) of a field of this item, else of its closest recorded parent, else of the id."""
        probe = dotted
        while probe:
            if probe in self.spots:
                return self.spots[probe]
            probe = probe[: max(probe.rfind("."), probe.rfind("["), 0)]
        return self.line, self.col

    def cloze_numbers(self) -> list[int]:
        if self.text is None:
            return []
        return sorted({int(m.group(1)) for m in CLOZE_RE.finditer(self.text.en)})

    def card_siblings(self) -> list[str]:
        """The sibling suffixes of this item's cards: "" is the item's own single card."""
        if self.kind == "cloze":
            return [f"c{n}" for n in self.cloze_numbers()]
        if self.kind == "flashcard" and self.reverse:
            return ["", "reverse"]
        return [""]


@dataclass(frozen=True)
class Topic:
    id: str
    order: int
    title: Bilingual
    summary: Bilingual
    notes: Bilingual
    items: tuple[Item, ...]
    source: Path
    builtin: bool = True


@dataclass(frozen=True)
class CardRef:
    """One schedulable card. Progress is keyed by `key`, which derives from the YAML id only."""

    key: str
    item: Item
    topic: Topic
    sibling: str = ""

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def cloze_number(self) -> int | None:
        return int(self.sibling[1:]) if self.sibling.startswith("c") else None


def card_key(item_id: str, sibling: str = "") -> str:
    return f"{item_id}::{sibling}" if sibling else item_id


@dataclass(frozen=True)
class Problem:
    """One content problem, printed as FILE:LINE:COL: field.path: message (line, col 1-based)."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        # One harmless line: a file name (or a key quoted in the message) may hold control characters.
        where = f"{self.path}: " if self.path else ""
        return one_line(f"{self.file}:{self.line}:{self.col}: {where}{self.message}")
