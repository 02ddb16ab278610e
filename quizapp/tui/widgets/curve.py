"""The forgetting curve of one card: recall over days since its first answer (textual-plot)."""

from __future__ import annotations

from typing import Any

from textual_plot import HiResMode, PlotWidget

from quizapp.search.history import Curve
from quizapp.tui.widgets.charts import theme_colour


class ForgettingCurve(PlotWidget, can_focus=False):
    """A read-only chart: no zoom or pan (the browser's keys stay the browser's)."""

    DEFAULT_CSS = """
    ForgettingCurve { height: 12; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_pan_and_zoom=False, **kwargs)

    def show_curve(self, curve: Curve | None, x_label: str, y_label: str, target: float) -> None:
        """Draw the curve (None: an empty chart), the answers as dots, today as a line."""
        self.clear()
        self.set_ylimits(0.0, 1.0)
        self.set_xlabel(x_label)
        self.set_ylabel(y_label)
        if curve is None or not curve.days:
            self.set_xlimits(0.0, 1.0)
            return
        app = self.app
        line, passed, failed = (theme_colour(app, name) for name in ("primary", "success", "error"))
        muted = theme_colour(app, "foreground-darken-3", "#777777")
        self.set_xlimits(0.0, max(curve.days[-1], 1.0))
        self.plot([curve.days[0], curve.days[-1]], [target, target], line_style=muted,
                  hires_mode=HiResMode.BRAILLE)
        self.plot(curve.days, curve.recall, line_style=line, hires_mode=HiResMode.BRAILLE)
        for ok, style in ((True, passed), (False, failed)):
            xs = [d for d, p in zip(curve.answer_days, curve.answer_passed) if p == ok]
            ys = [r for r, p in zip(curve.answer_recall, curve.answer_passed) if p == ok]
            if xs:
                self.scatter(xs, ys, marker="●", marker_style=style)
        self.add_v_line(curve.now_day, muted)
