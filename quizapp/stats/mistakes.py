"""Mistake notes in plain words (gerund phrases: "forgetting the stride product"), for stats.

A family describes its own authored notes (Family.mistake_notes), quizapp.checking.notes the
pipeline's generic and invalid ones, and DECK_NOTES below those of choice and cloze cards.
"""

from __future__ import annotations

from quizapp.i18n import Bilingual
from quizapp.textsafe import shorten

B = Bilingual

# Notes of the cards the deck checks itself (quizapp.deck.choice / cloze); the checking pipeline
# describes its own generic and invalid notes in quizapp.checking.notes.
DECK_NOTES: dict[str, Bilingual] = {
    "choice.wrong-option": B("picking a wrong option", "选了错误选项"),
    "multi.missed": B("missing a correct option", "漏选了正确选项"),
    "multi.extra": B("selecting a wrong option as well", "多选了错误选项"),
    "multi.missed-and-extra": B("missing a correct option and selecting a wrong one", "既漏选了正确选项又多选了错误选项"),
    "cloze.wrong": B("filling in the blank wrongly", "填空填错"),
}


def describe_note(note: str, family: str | None = None) -> Bilingual:
    """Plain words for a mistake note; the note itself when nobody described it."""
    if family:
        try:
            from quizapp.exercises import get_family

            described = get_family(family).mistake_notes.get(note)
        except Exception:  # an unknown or broken family must not break the stats screen
            described = None
        if described is not None:
            return described
    from quizapp.checking.notes import describe_note as describe_checking_note

    if described := describe_checking_note(note) or DECK_NOTES.get(note):
        return described
    shown = shorten(note, 80)  # a note nobody described (an imported log's): one harmless line
    return B(shown, shown)
