"""Figures in worked solutions: data computed from an Instance, and a plain-text renderer.

    figure_for(instance) -> Figure | None      the data (a Plot of series, or a Strip of cells)
    render(figure, lang, width=60) -> str      Unicode text no wider than `width` columns
    worked_solution(instance, lang) -> str     the solution text followed by its figure

Figures are attached by family name (FIGURE_BUILDERS), so a family module needs no change to
get one. Pure Python: no numpy, no sympy, no Textual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from quizapp.exercises.figures.model import Figure, Mark, Plot, Series, Strip, StripRow
from quizapp.exercises.figures.text import WIDTH, render, text_width

if TYPE_CHECKING:
    from quizapp.exercises.base import Instance

__all__ = [
    "Figure", "Mark", "Plot", "Series", "Strip", "StripRow", "figure_builders", "figure_for",
    "render", "text_width", "worked_solution",
]

Builder = Callable[["Instance"], Figure | None]

log = logging.getLogger("quizapp.exercises.figures")
log.addHandler(logging.NullHandler())


@cache
def figure_builders() -> dict[str, Builder]:
    """Family name -> the function that builds its figure from an instance."""
    from quizapp.exercises.figures import gallery, gallery_new

    return {**gallery.BUILDERS, **gallery_new.BUILDERS}


def figure_for(instance: Instance) -> Figure | None:
    builder = figure_builders().get(instance.family)
    return builder(instance) if builder is not None else None


def worked_solution(instance: Instance, lang: str, width: int = WIDTH) -> str:
    """The worked solution with its figure under it, when the family has one.

    A figure is an extra: if building it fails (a bug), the solution is still shown and the
    error is logged, never raised into a study session.
    """
    text = instance.solution(lang)
    try:
        figure = figure_for(instance)
        drawn = render(figure, lang, width) if figure is not None else ""
    except Exception:  # noqa: BLE001 - never lose the solution over a drawing
        log.exception("figure for %s seed %s failed", instance.family, instance.seed)
        drawn = ""
    return f"{text}\n\n{drawn}" if drawn else text
