"""A yes/no question over the current screen: enter confirms, escape keeps things as they are."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: 60;
        max-width: 95%;
        height: auto;
        padding: 1 2;
        border: round $primary;
        background: $surface;
    }
    ConfirmScreen #confirm-keys {
        margin-top: 1;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "yes", show=False),
        Binding("escape,n", "answer(False)", "no", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Static(f"enter {self.yes} · esc {self.no}", id="confirm-keys", markup=False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
