"""Charts of the scheduler's fit and simulator (textual-plot, like the browser's forgetting curve):
predicted against shown recall (calibration) and a simulated quantity per day at each retention.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from textual.geometry import Offset
from textual.widgets import Static
from textual_plot import HiResMode, LegendLocation, PlotWidget

from quizapp.config import DEFAULT_PRESET, Settings
from quizapp.stats.measures import Calibration
from quizapp.tui.widgets.charts import theme_colour

# Theme colours for successive lines; the first is kept for what the learner uses now.
LINE_COLOURS = ("primary", "warning", "success", "secondary", "accent", "error")
SMOOTH_DAYS = 7
MIN_BIN_REVIEWS = 10  # a calibration point from fewer answers is noise, drawn as if it were not


def moving_mean(values: Sequence[float], window: int = SMOOTH_DAYS) -> list[float]:
    """Trailing means over `window` days: daily reviews jump from day to day, the trend does not."""
    means, total = [], 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        means.append(total / min(i + 1, window))
    return means


class SchedChart(PlotWidget, can_focus=False):
    """A read-only line chart with a legend (no zoom or pan: the screen's keys stay the screen's)."""

    DEFAULT_CSS = """
    SchedChart { height: 14; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_pan_and_zoom=False, **kwargs)

    def colour(self, index: int) -> str:
        return theme_colour(self.app, LINE_COLOURS[index % len(LINE_COLOURS)])

    def show_lines(
        self, lines: Sequence[tuple[str, Sequence[float]]], x_label: str, y_label: str, *, bold: int | None = None,
        legend: LegendLocation = LegendLocation.TOPRIGHT,
    ) -> None:
        """One line per (label, values per day); line `bold` drawn last (on top of the others)."""
        self.clear()
        self.set_xlabel(x_label)
        self.set_ylabel(y_label)
        days = max((len(values) for _label, values in lines), default=0)
        self.set_xlimits(1.0, float(max(days, 2)))
        top = max((max(values, default=0.0) for _label, values in lines), default=0.0)
        self.set_ylimits(0.0, max(1.0, top * 1.05))
        order = [i for i in range(len(lines)) if i != bold] + ([bold] if bold is not None else [])
        for i in order:
            label, values = lines[i]
            xs = [float(day) for day in range(1, len(values) + 1)]
            style = f"bold {self.colour(i)}" if i == bold else self.colour(i)
            self.plot(xs, list(values), line_style=style, hires_mode=HiResMode.BRAILLE, label=label)
        if lines:
            self.place_legend(legend)
        else:
            self.show_legend(is_visible=False)

    def show_calibration(
        self, curves: Sequence[tuple[str, Sequence[Sequence[float]]]], perfect: str, x_label: str, y_label: str
    ) -> int:
        """Recall shown against recall predicted: one curve of bins ([predicted, observed, n];
        those of fewer than MIN_BIN_REVIEWS answers left out) per set of parameters, and the
        diagonal a perfectly calibrated model would follow. Returns how many curves were drawn."""
        self.clear()
        self.set_xlabel(x_label)
        self.set_ylabel(y_label)
        kept = [sorted((b[0], b[1]) for b in bins if len(b) >= 3 and b[2] >= MIN_BIN_REVIEWS) for _l, bins in curves]
        # Most answers are predicted 80-100 %: start the axes a little below the lowest point, so
        # the curves are not squeezed into a corner.
        low = min((v for points in kept for point in points for v in point), default=0.0)
        low = max(0.0, math.floor((low - 0.05) * 10) / 10)
        self.set_xlimits(low, 1.0)
        self.set_ylimits(low, 1.0)
        muted = theme_colour(self.app, "foreground-darken-3", "#777777")
        self.plot([low, 1.0], [low, 1.0], line_style=muted, hires_mode=HiResMode.BRAILLE, label=perfect)
        for i, ((label, _bins), points) in enumerate(zip(curves, kept)):
            if not points:
                continue
            xs, ys = [p for p, _o in points], [o for _p, o in points]
            self.plot(xs, ys, line_style=self.colour(i), hires_mode=HiResMode.BRAILLE, label=label)
            self.scatter(xs, ys, marker="●", marker_style=self.colour(i))
        # Learners mostly recall as well as predicted or better: the lower right (confident and
        # wrong) is the empty corner.
        self.place_legend(LegendLocation.BOTTOMRIGHT)
        return sum(1 for points in kept if points)

    def place_legend(self, corner: LegendLocation) -> None:
        self.show_legend(corner, is_visible=True)

    def _get_legend_origin_coordinates(self, location: LegendLocation) -> Offset:
        """textual-plot (0.10) sizes a legend on the right by len() of its labels; Chinese ones
        take two cells a character and would run off the chart: move it left by the difference."""
        origin = super()._get_legend_origin_coordinates(location)
        if location not in (LegendLocation.TOPRIGHT, LegendLocation.BOTTOMRIGHT):
            return origin
        labels = [label for label in self._labels if label is not None]
        wider = max(map(cell_len, labels), default=0) - max(map(len, labels), default=0)
        return Offset(origin.x - wider, origin.y)


def show_fit_calibration(
    chart: SchedChart, caption: Static, t: Any, settings: Settings, live: Calibration | None
) -> None:
    """The stats screen's calibration curves: the parameters in use on the whole log (the
    predictions made when each answer came), and the last fit's defaults and fitted parameters
    on its held-out reviews, with their figures."""
    record = settings.fsrs_presets.get(DEFAULT_PRESET)
    curves: list[tuple[str, Sequence[Sequence[float]]]] = []
    if live is not None:
        curves.append((t("sched.in-use"), [[b.mean_predicted, b.observed, b.count] for b in live.bins]))
    if record is None:
        caption.update(t("stats.fit-none"))
    else:
        curves += [(t("sched.defaults"), record.defaults.bins), (t("sched.fitted"), record.fitted.bins)]
        caption.update(t(
            "stats.fit-calibration", date=record.fitted_at[:10], held=f"{record.held_out:,}",
            loss0=f"{record.defaults.log_loss:.4f}", rmse0=f"{record.defaults.rmse * 100:.1f} %",
            loss=f"{record.fitted.log_loss:.4f}", rmse=f"{record.fitted.rmse * 100:.1f} %",
        ))
    # A chart of the diagonal alone (no bin with answers enough yet) says nothing: hidden.
    drawn = chart.show_calibration(curves, t("sched.perfect"), t("sched.axis-predicted"), t("sched.axis-observed"))
    chart.display = drawn > 0
