"""The answer box of a typed card: the input line and, under it, how the answer reads so far.

It owns its messages: `AnswerBox.Submitted(text)` on enter and, after a short quiet spell of
typing, `AnswerBox.PreviewWanted(text)`; the screen answers the latter with `show_preview()`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from quizapp.tui.widgets.ordered_input import OrderedInput

PREVIEW_DELAY = 0.15  # seconds of quiet typing before the preview is recomputed


class AnswerBox(Vertical):
    DEFAULT_CSS = """
    AnswerBox {
        height: auto;
    }
    AnswerBox > #preview {
        color: $accent;
        padding: 0 1;
        display: none;
    }
    AnswerBox > #preview.-invalid {
        color: $warning;
    }
    """

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class PreviewWanted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield OrderedInput(id="answer-input", select_on_focus=False)
        yield Static(id="preview", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#answer-input", Input)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    def on_mount(self) -> None:
        self.input.cursor_blink = False

    def reset(self, placeholder: str) -> None:
        """A fresh, empty box for a new card."""
        self.input.value = ""
        self.input.placeholder = placeholder
        self.show_preview("")

    def focus_input(self) -> None:
        self.input.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()  # the answer is being checked: no preview of it now
        self.post_message(self.Submitted(event.value.strip()))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        text = event.value.strip()
        self.show_preview("")
        if text:
            self._timer = self.set_timer(PREVIEW_DELAY, lambda: self.post_message(self.PreviewWanted(text)))

    def show_preview(self, text: str, *, invalid: bool = False) -> None:
        """Show how the answer reads; stale previews (the learner kept typing) are ignored."""
        preview = self.query_one("#preview", Static)
        preview.update(text)
        preview.set_class(invalid, "-invalid")
        preview.display = bool(text)
