"""An Input that applies a burst of keys in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """An Input whose own editing keys (backspace, ctrl+u, home, enter…) run in order with the
    characters typed around them. Textual runs a bound key's action only after the key has gone
    up to the app, so keys typed in one burst apply out of order: ctrl+u then "0.25" then enter
    submitted "" (the answer counted as given up). Upstream: Textualize/textual#6605."""

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
