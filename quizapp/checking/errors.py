"""The one exception the parser raises: an input we refuse, with a stable note and bilingual text."""

from __future__ import annotations

from quizapp.i18n import Bilingual


class InvalidInput(Exception):
    """Typed text that cannot be marked. `note` is a stable tag such as "invalid.syntax"."""

    def __init__(self, note: str, feedback: Bilingual) -> None:
        super().__init__(f"{note}: {feedback.en}")
        self.note = note
        self.feedback = feedback


def invalid(note: str, en: str, zh: str) -> InvalidInput:
    return InvalidInput(note, Bilingual(en, zh))
