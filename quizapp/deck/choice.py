"""Option letters of choice and select-all questions, as typed (the checking lives with the
review's shuffled options, in quizapp.study.cards)."""

from __future__ import annotations

import re

LETTERS = "abcdefgh"


def parse_choice_input(text: str) -> frozenset[str] | None:
    """'a c', 'A,C', 'ac', 'c; a' -> {'a', 'c'}; None when anything else is typed."""
    cleaned = re.sub(r"[\s,;/、，；]+", "", text.strip().casefold())
    if not cleaned or any(ch not in LETTERS for ch in cleaned):
        return None
    return frozenset(cleaned)
