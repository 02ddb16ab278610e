"""Small dialogs of the browser: the actions menu, the flag picker, a due date and the
custom-study choice. Each dismisses with its answer (None: cancelled). Yes/no questions use
quizapp.tui.screens.confirm."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; max-width: 95%; height: auto; max-height: 90%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} .modal-title {{ text-style: bold; color: $accent; }}
{name} .modal-error {{ color: $error; }}
{name} OptionList {{ height: auto; max-height: 14; }}
"""


class ChoiceModal(ModalScreen[str | None]):
    """A title and a list of (id, label) choices; `keys` maps a key to a choice id."""

    DEFAULT_CSS = MODAL_CSS.format(name="ChoiceModal")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], keys: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.keys = keys or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield OptionList(*(Option(label, id=choice_id) for choice_id, label in self.choices))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Any) -> None:
        choice = self.keys.get(event.key) or self.keys.get(getattr(event, "character", None) or "")
        if choice is not None:
            event.stop()
            self.dismiss(choice)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DaysModal(ModalScreen[int | None]):
    """Asks for a whole number of days (0 = today)."""

    DEFAULT_CSS = MODAL_CSS.format(name="DaysModal")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]
    MAX_DAYS = 36500

    def __init__(self, title: str, prompt: str, error: str) -> None:
        super().__init__()
        self.title_text, self.prompt, self.error = title, prompt, error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield Static(self.prompt, markup=False)
            yield Input("0", type="integer", id="days")
            yield Static("", classes="modal-error", id="days-error", markup=False)

    def on_mount(self) -> None:
        days = self.query_one("#days", Input)
        days.cursor_blink = False
        days.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text.lstrip("-").isdigit() and 0 <= int(text) <= self.MAX_DAYS:
            self.dismiss(int(text))
            return
        self.query_one("#days-error", Static).update(self.error)

    def action_cancel(self) -> None:
        self.dismiss(None)
