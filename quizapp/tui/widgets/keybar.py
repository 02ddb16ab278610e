"""A one-line footer of the keys that apply right now, in the learner's language.

Textual's Footer recomposes (unmounts and mounts a widget per key) on every focus or binding
change, and shows each binding's fixed description. KeyBar renders the active bindings as one
Text and words each from the string table: `key.<binding id>`, or the key a screen gives for a
binding whose meaning depends on its state (`Screen.binding_label(binding) -> str | None`); a
screen may also hide a binding for now (`Screen.binding_shown(binding) -> bool`).
Nothing rewrites Textual's binding maps.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from quizapp import strings


def binding_text(screen: Screen[object], binding: Binding, lang: str) -> str:
    """The words for a binding on `screen`: the screen's choice, its id's string, or its own."""
    label = getattr(screen, "binding_label", None)
    key = label(binding) if callable(label) else None
    if key is None and binding.id:
        key = f"key.{binding.id}"
    if key is not None and key in strings.STRINGS:
        return strings.text(key, lang)
    return binding.description


class KeyBar(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 3;
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
            self.update(self.render_keys(), layout=True)

    def _lang(self) -> str:
        return str(getattr(self.app, "lang", "en"))

    def shown(self) -> list[tuple[str, str]]:
        """(key as displayed, words) for each binding shown, the command palette's last."""
        lang = self._lang()
        shown: list[tuple[str, str]] = []
        palette: tuple[str, str] | None = None
        actions: set[str] = set()
        wanted = getattr(self.screen, "binding_shown", None)
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if callable(wanted) and not wanted(binding):
                continue
            words = binding_text(self.screen, binding, lang)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = (self.app.get_key_display(binding), words)
                continue
            # Two keys with one meaning (q and escape both "End") take the room once.
            if not binding.show or not active.enabled or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append((self.app.get_key_display(binding), words))
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            shown.append(palette)
        return shown

    def on_resize(self) -> None:
        self.update(self.render_keys(), layout=True)

    def render_keys(self) -> Text:
        """Key groups laid out greedily; a group never splits, so a narrow terminal gets a
        second line of keys instead of losing the last ones."""
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        width = self.size.width or self.app.size.width
        text = Text(no_wrap=True, overflow="crop")
        used = 0
        for key, words in self.shown():
            group = cell_len(key) + 2 + cell_len(words)
            if used and used + 1 + group > width:
                text.append("\n")
                used = 0
            elif used:
                text.append(" ", style=description_style)
                used += 1
            text.append(f" {key} ", style=key_style)
            text.append(f"{words}", style=description_style)
            used += group
        return text
