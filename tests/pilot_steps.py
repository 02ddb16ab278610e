"""Steps the Pilot tests share."""

from __future__ import annotations

from typing import Any


async def press(pilot: Any, *keys: str) -> None:
    """Press `keys`, then wait once for the app to handle them (as `pilot.press` + `pilot.pause`)."""
    await pilot.press(*keys)
    await pilot.pause()
