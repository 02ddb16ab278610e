"""A one-line footer of the keys that apply right now, cheap to update.

Textual's Footer recomposes (unmounts and mounts a widget per key) on every focus or binding
change; on the study screen that happens on every reveal, answer and rating and cost about two
thirds of the keypress-to-repaint time. KeyBar renders the same information as one Text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.update(self.render_keys(), layout=False)

    def _shown(self) -> tuple[list[Binding], Binding | None]:
        """The bindings to show, in order, and the command palette's (kept for the end)."""
        shown: list[Binding] = []
        actions: set[str] = set()
        descriptions: set[str] = set()
        palette = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding
                continue
            if not binding.show or not active.enabled:
                continue
            # Two keys with one meaning (q and escape both "End") take the room once.
            if binding.action in actions or binding.description in descriptions:
                continue
            actions.add(binding.action)
            descriptions.add(binding.description)
            shown.append(binding)
        return shown, palette

    def render_keys(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        text = Text(no_wrap=True, overflow="ellipsis")
        shown, palette = self._shown()
        for binding in shown:
            text.append(f" {self.app.get_key_display(binding)} ", style=key_style)
            text.append(f"{binding.description} ", style=description_style)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            text.append(" ")
            text.append(f" {self.app.get_key_display(palette)} ", style=key_style)
            text.append(f"{palette.description} ", style=description_style)
        return text

    def plain_keys(self) -> list[str]:
        """The descriptions shown, in order (for tests)."""
        return [binding.description for binding in self._shown()[0]]
