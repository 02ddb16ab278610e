"""The Save and Cancel buttons that end the add-card and settings forms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol, cast

from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static


class FormScreen(Protocol):
    def action_save(self) -> None: ...

    def action_cancel(self) -> None: ...


class SaveCancel(Horizontal):
    """#save and #cancel in a row; pressing one runs the screen's save or cancel action (the same
    as ctrl+s and escape)."""

    def __init__(self, *, id: str) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(Button("", id="save", variant="primary"), Button("", id="cancel"), id=id)

    def relabel(self, t: Callable[[str], str]) -> None:
        self.query_one("#save", Button).label = t("key.save")
        self.query_one("#cancel", Button).label = t("key.cancel")

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        cast(FormScreen, self.screen).action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        cast(FormScreen, self.screen).action_cancel()


def form_end(error_id: str, prefix: str) -> Iterator[Widget]:
    """What ends a form: its error line (#`error_id`), the buttons and the key hint below them."""
    yield Static(id=error_id, markup=False)
    yield SaveCancel(id=f"{prefix}-buttons")
    yield Static(id=f"{prefix}-hint", markup=False)
