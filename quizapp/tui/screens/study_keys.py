"""What each key of the study screen does, and may do, in the phase the screen shows.

The rule: a key acts only on what is on screen. While the answer box has the focus, keys type
(enter submits, escape leaves the box, ctrl+z undoes); once an answer is shown, the box is gone
and 1–4/enter rate. A checked answer is recorded, never skipped: `s` and `u` come back once it
is rated. The footer words the keys whose meaning follows the phase.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from quizapp.study.cards import TYPED, Choice, Flashcard
from quizapp.study.session import Current, StudySession

LETTER_KEYS = "abcdefgh"


class StudyKeys(Screen[None]):
    """The study screen's bindings and key policy (the actions live on StudyScreen)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "primary", "primary", id="primary"),
        Binding("space", "space", "space", id="space", show=False),
        *[Binding(str(r), f"rate({r})", f"rate {r}", id=f"rate-{r}", show=False) for r in (1, 2, 3, 4)],
        *[Binding(letter, f"letter('{letter}')", letter, show=False) for letter in LETTER_KEYS],
        Binding("up,k", "move(-1)", "up", show=False),
        Binding("down,j", "move(1)", "down", show=False),
        Binding("tab", "type", "type", id="answer-box"),
        Binding("u", "undo", "undo", id="undo"),
        Binding("ctrl+z", "undo", "undo", id="undo-ctrl"),
        Binding("s", "skip", "skip", id="skip"),
        Binding("at", "suspend", "suspend", id="suspend"),
        Binding("minus", "bury", "bury", id="bury", show=False),
        Binding("asterisk", "flag", "flag", id="flag", show=False),
        Binding("e", "edit", "edit", id="edit"),
        Binding("q", "end", "end", id="end"),
        Binding("escape", "escape", "escape", id="escape"),
    ]

    session: StudySession

    @property
    def current(self) -> Current | None:
        return self.session.current

    def _in_box(self) -> bool:
        return isinstance(self.focused, Input)

    def binding_label(self, binding: Binding) -> str | None:
        """Footer words of the keys whose meaning follows the phase."""
        current = self.current
        if binding.id == "primary" and current is not None:
            if current.phase == "answered":
                return "key.next" if self.session.practice else "key.accept"
            if isinstance(current.view, Flashcard):
                return "key.reveal"
            return "key.submit" if isinstance(current.view, Choice) or self._in_box() else "key.answer-box"
        if binding.id == "escape":
            return "key.leave-box" if self._in_box() else "key.end"
        return None

    def binding_shown(self, binding: Binding) -> bool:
        """u undoes outside the answer box, ctrl+z inside it (where u is a letter); escape is shown
        only where it leaves the box (elsewhere q says End); tab is enter's twin."""
        if binding.id in ("undo", "undo-ctrl"):
            return (binding.id == "undo-ctrl") == self._in_box()
        if binding.id == "escape":
            return self._in_box()
        return binding.id != "answer-box"

    # ---- what each key may do now -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self.current
        if current is None or current.phase == "checking":
            return False
        phase, view, in_box = current.phase, current.view, self._in_box()
        question = phase == "question"
        allowed = {
            "primary": True,
            "space": not in_box and (phase == "answered" or isinstance(view, Flashcard | Choice)),
            "rate": phase == "answered" and (not self.session.practice or parameters in ((1,), (3,))),
            "letter": question and isinstance(view, Choice),
            "move": question and isinstance(view, Choice),
            "type": question and isinstance(view, TYPED) and not in_box,
            "undo": not current.must_rate,
            "skip": not in_box and not current.must_rate,
            "suspend": not in_box,
            "bury": not in_box,
            "flag": not in_box,
            "edit": not in_box,
            "end": not in_box,
            "escape": True,
        }
        return allowed.get(action, True)
