"""Figures as data: what a worked solution draws, computed from an Instance's values.

A Figure is either a Plot (numeric series over x, for a chart widget or the braille renderer) or
a Strip (rows of cells over integer positions: a kernel sliding over a padded row, a receptive
field's footprint, two boxes on a grid). Nothing here draws; quizapp.exercises.figures.text does.
Cells are glyphs already (language-neutral); every word a learner reads is Bilingual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizapp.i18n import Bilingual

SeriesStyle = Literal["line", "markers"]


@dataclass(frozen=True)
class Series:
    """Points (x, y) in order of x. A "line" joins them (braille dots in text); "markers" puts
    `glyph` at each point only. A line with a glyph also marks its data points with it."""

    label: Bilingual
    points: tuple[tuple[float, float], ...]
    style: SeriesStyle = "line"
    glyph: str = ""


@dataclass(frozen=True)
class Mark:
    """A vertical guide at x (a threshold, the drawn x₀, the asked step t)."""

    x: float
    label: Bilingual


@dataclass(frozen=True)
class Plot:
    series: tuple[Series, ...]
    x_label: Bilingual
    y_label: Bilingual
    marks: tuple[Mark, ...] = ()
    y_range: tuple[float, float] | None = None  # None: fitted to the data
    log_y: bool = False  # for losses that grow or shrink geometrically


@dataclass(frozen=True)
class StripRow:
    """One row of cells: cells[i] is the glyph at position start + i (a space for nothing)."""

    label: Bilingual
    cells: str
    note: str = ""  # a short language-neutral tail, e.g. "r = 7"


@dataclass(frozen=True)
class Strip:
    start: int  # the position of the first cell of every row
    rows: tuple[StripRow, ...]
    axis: Bilingual  # what a position is, e.g. "input position"
    # glyph -> meaning, in drawing priority (when cells are merged to fit, the first wins)
    legend: tuple[tuple[str, Bilingual], ...]

    @property
    def length(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


@dataclass(frozen=True)
class Figure:
    title: Bilingual
    body: Plot | Strip
    caption: Bilingual | None = None
