"""Small terminal charts drawn with block characters and the theme's colours (no dependency)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.color import Color
from textual.reactive import reactive
from textual.widget import Widget

EIGHTHS_H = " ▏▎▍▌▋▊▉█"
EIGHTHS_V = " ▁▂▃▄▅▆▇█"


def theme_colour(app: Any, name: str, fallback: str = "#888888") -> str:
    """A theme variable as a solid hex colour (translucent ones blended onto the background)."""
    variables = app.theme_variables
    try:
        colour = Color.parse(variables.get(name, fallback))
        if colour.a < 1:
            colour = Color.parse(variables.get("background", "#000000")) + colour
        return colour.hex
    except Exception:
        return fallback


def hbar(fraction: float | None, width: int, style: str, rest_style: str = "") -> Text:
    """A horizontal bar of `width` cells filled to `fraction`, with eighth-cell resolution."""
    text = Text(no_wrap=True)
    if fraction is None:
        text.append("·" * width, style=rest_style)
        return text
    eighths = round(min(1.0, max(0.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    text.append("█" * full, style=style)
    if full < width:
        text.append(EIGHTHS_H[part] if part else "", style=style)
        text.append("░" * (width - full - (1 if part else 0)), style=rest_style)
    return text


def column_rows(values: Sequence[float], height: int) -> list[str]:
    """Vertical bars, one character per value, top row first, scaled to the largest value."""
    peak = max(values, default=0) or 1
    rows: list[str] = []
    for level in range(height - 1, -1, -1):
        row = []
        for value in values:
            eighths = round(value / peak * height * 8)
            filled = eighths - level * 8
            row.append("█" if filled >= 8 else EIGHTHS_V[max(0, filled)])
        rows.append("".join(row))
    return rows


class ColumnChart(Widget):
    """Columns for a short series (e.g. due cards per day), each `bar_width` cells wide.

    The value of the tallest column is printed on the top row; `labels` (first, last) below.
    """

    DEFAULT_CSS = """
    ColumnChart { height: 6; width: 1fr; }
    """

    values: reactive[tuple[float, ...]] = reactive(tuple, layout=True)

    def __init__(self, values: Sequence[float] = (), *, labels: tuple[str, str] = ("", ""),
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(ColumnChart.values, tuple(values))
        self.labels = labels

    def render(self) -> Text:
        bar_style = theme_colour(self.app, "primary", "#0178D4")
        muted = theme_colour(self.app, "foreground-muted")
        values = list(self.values)
        if not values:
            return Text("")
        chart_height = max(1, self.size.height - 1)
        room = max(1, self.size.width - 6)
        bar_width = max(1, min(3, room // len(values)))
        gap = 1 if bar_width >= 2 else 0
        cell = bar_width - gap
        peak = max(values)
        text = Text(no_wrap=True, overflow="crop")
        for index, row in enumerate(column_rows(values, chart_height)):
            axis = f"{int(peak):>4} " if index == 0 else "     "
            text.append(axis, style=muted)
            for ch in row:
                text.append(ch * max(1, cell) + " " * gap, style=bar_style)
            text.append("\n")
        first, last = self.labels
        span = len(values) * bar_width
        text.append("     " + first + " " * max(1, span - cell_len(first) - cell_len(last)) + last, style=muted)
        return text
