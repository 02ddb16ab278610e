"""Plain text for a card row, shared by `quizapp cards` and the browser: the front on one line,
due dates and intervals in short words. Content may come from a user's file, so control
characters never get through (they would drive the terminal)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from quizapp.deck.model import CardRef
from quizapp.search.cards import CardRow
from quizapp.textflow import cells, char_width
from quizapp.timing import study_day

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def one_line(text: str, width: int) -> str:
    """The text on one line without control characters, cut with … to `width` cells."""
    flat = _SPACES.sub(" ", _UNSAFE.sub("", text)).strip()
    if flat.isascii():  # one cell a character (controls are gone): no per-character widths
        return flat if len(flat) <= width else flat[:max(width - 1, 0)] + "…"
    if cells(flat) <= width:
        return flat
    out: list[str] = []
    used = 0
    for ch in flat:
        used += char_width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def front_text(ref: CardRef, lang: str) -> str:
    """What the card asks, as plain text (the cloze with its own deletion hidden)."""
    item = ref.item
    if item.kind == "flashcard":
        side = item.back if ref.sibling == "reverse" else item.front
        return side.get(lang) if side else item.id
    if item.kind == "cloze":
        from quizapp.deck.cloze import cloze_prompt

        return cloze_prompt(item, ref.cloze_number or 1, lang)
    if item.kind in ("choice", "multi"):
        return item.question.get(lang) if item.question else item.id
    return exercise_label(item.family or item.id)


def exercise_label(family: str) -> str:
    """An exercise family by name (its own title would import numpy/sympy on the UI thread)."""
    return family.replace("_", " ")


def due_days(row: CardRow, now: datetime) -> int | None:
    """Study days from today to the card's due day (negative: overdue); None for a new card."""
    if row.due is None or row.state == 0:
        return None
    return study_day(datetime.fromtimestamp(row.due / 1000, tz=now.tzinfo)) - study_day(now)


def _unit(unit: str, number: str) -> str:
    return f"{number}{unit}"


def short_days(days: float | None, unit: Callable[[str, str], str] = _unit, none: str = "—") -> str:
    """An interval in the unit that reads best: 45m, 3h, 12d, 4.5mo, 2.1y (`unit(name, number)`
    words it in another language); `none` for no interval."""
    if days is None:
        return none
    minutes = days * 1440
    if minutes < 60:
        return unit("m", str(max(1, round(minutes))))
    if days < 1:
        return unit("h", str(round(minutes / 60)))
    if days < 60:
        return unit("d", str(round(days)))
    if days < 365:
        return unit("mo", f"{days / 30:.1f}")
    return unit("y", f"{days / 365:.1f}")
