"""The Save and Cancel buttons that end the add-card and settings forms."""

from __future__ import annotations

from collections.abc import Callable

from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.widgets import Button


def save_cancel_buttons(box_id: str) -> Horizontal:
    """The two buttons (#save, #cancel) in a row; `label_save_cancel` words them."""
    return Horizontal(Button("", id="save", variant="primary"), Button("", id="cancel"), id=box_id)


def label_save_cancel(node: DOMNode, t: Callable[[str], str]) -> None:
    node.query_one("#save", Button).label = t("key.save")
    node.query_one("#cancel", Button).label = t("key.cancel")
