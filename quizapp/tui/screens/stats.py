"""The stats screen: activity heatmap, 30-day forecast, mastery per topic, true retention against
the target, exercise accuracy, the most common mistakes in plain words, and calibration.

The report (quizapp.stats.report) is computed in a thread worker on its own read-only SQLite
connection and posted back as a message; the screen only renders it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from quizapp.stats.measures import MIN_CALIBRATION_REVIEWS
from quizapp.stats.report import StatsReport, report
from quizapp.stats.text import pct
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.charts import ColumnChart, hbar, theme_colour
from quizapp.tui.widgets.heatmap import ActivityHeatmap
from quizapp.tui.widgets.keybar import KeyBar
from quizapp.tui.widgets.sched_charts import SchedChart, show_fit_calibration

BAR = 12


def _titled(name: str, body: Widget, caption: str | None = None) -> Iterator[Widget]:
    """A section's heading (`name`-title), its body and its caption, if it has one."""
    yield Static(id=f"{name}-title", classes="stats-heading", markup=False)
    yield body
    if caption is not None:
        yield Static(id=caption, classes="stats-caption", markup=False)


class StatsScreen(Screen[None]):
    CSS_PATH = "stats.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("q", "back", "Back", show=False),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    class ReportReady(Message):
        def __init__(self, stats: StatsReport) -> None:
            super().__init__()
            self.stats = stats

    class ReportFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    stats: StatsReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static(id="stats-status", markup=False)
            yield Static(id="stats-today", markup=False)
            yield Static(id="stats-cards", markup=False)
            with Horizontal(id="stats-charts"):
                with Vertical(id="heatmap-box", classes="stats-section"):
                    yield from _titled("heatmap", ActivityHeatmap(id="heatmap"), "heatmap-caption")
                with Vertical(id="forecast-box", classes="stats-section"):
                    yield from _titled("forecast", ColumnChart(id="forecast"), "forecast-caption")
            with Horizontal(id="stats-columns"):
                with Vertical(id="stats-left", classes="stats-section"):
                    yield from _titled("mastery", Static(id="mastery-table"), "mastery-note")
                    yield from _titled("retention", Static(id="retention-table"), "retention-note")
                with Vertical(id="stats-right", classes="stats-section"):
                    yield from _titled("exercises", Static(id="exercises-table"))
                    yield from _titled("mistakes", Static(id="mistakes-list"))
                    yield Static(id="calibration-title", classes="stats-heading", markup=False)
                    yield Static(id="calibration-summary", markup=False)
                    yield Static(id="calibration-table")
                    yield Static(id="fit-calibration-caption", classes="stats-caption", markup=False)
                    yield SchedChart(id="fit-calibration")
        yield KeyBar()

    quiz = getters.app(QuizApp)

    def on_mount(self) -> None:
        self.query_one("#stats-body").focus()
        self.apply_language()
        # Bars and tables carry theme colours baked in: draw them again when the theme changes.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.render_report())
        self.compute()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.compute()

    # ---- the worker ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def compute(self) -> None:
        app = self.quiz
        try:
            with app.store.reading() as store:  # its own read-only connection for this thread
                stats = report(store, app.library, app.settings, app.now())
        except Exception as exc:  # shown on the screen; the app keeps running
            self.post_message(self.ReportFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.ReportReady(stats))

    def on_stats_screen_report_ready(self, message: ReportReady) -> None:
        self.stats = message.stats
        self.render_report()

    def on_stats_screen_report_failed(self, message: ReportFailed) -> None:
        status = self.query_one("#stats-status", Static)
        status.update(self.quiz.t("stats.failed", error=message.error))
        status.display = True

    # ---- rendering -----------------------------------------------------------------------------
    def apply_language(self) -> None:
        t = self.quiz.t
        self.refresh_bindings()
        self.sub_title = t("stats.title")
        for key in ("heatmap", "forecast", "mastery", "retention", "exercises", "mistakes", "calibration"):
            self.query_one(f"#{key}-title", Static).update(t(f"stats.{key}"))
        self.query_one("#heatmap", ActivityHeatmap).lang = self.quiz.lang
        status = self.query_one("#stats-status", Static)
        if self.stats is None:
            status.update(t("stats.loading"))
        else:
            self.render_report()

    def render_report(self) -> None:
        stats = self.stats
        if stats is None:
            return
        t = self.quiz.t
        self.query_one("#stats-status", Static).display = False

        self.query_one("#stats-today", Static).update(t(
            "stats.today", reviews=stats.reviews_today, again=stats.again_today, new=stats.new_today,
            minutes=round(stats.seconds_today / 60), streak=stats.streak_days, total=stats.total_reviews,
        ))
        counts = stats.card_counts
        self.query_one("#stats-cards", Static).update(t("stats.cards", **{
            k: counts.get(k, 0) for k in ("total", "new", "learning", "review", "relearning", "suspended", "leech")
        }))

        heatmap = self.query_one("#heatmap", ActivityHeatmap)
        heatmap.lang = self.quiz.lang
        heatmap.days = [(d.day, d.reviews) for d in stats.heatmap]
        study_days = sum(1 for d in stats.heatmap if d.reviews)
        peak = max((d.reviews for d in stats.heatmap), default=0)
        self.query_one("#heatmap-caption", Static).update(t("stats.heatmap-caption", days=study_days, peak=peak))

        forecast = self.query_one("#forecast", ColumnChart)
        forecast.labels = (t("stats.forecast-axis"), "+30")
        forecast.values = tuple(float(n) for n in stats.forecast)
        self.query_one("#forecast-caption", Static).update(t(
            "stats.forecast-caption", today=stats.forecast[0], week=sum(stats.forecast[:7]),
            month=sum(stats.forecast), peak=max(stats.forecast, default=0),
        ))

        self.query_one("#mastery-table", Static).update(self._mastery_table(stats))
        self.query_one("#mastery-note", Static).update(t("stats.mastery-note"))
        self.query_one("#retention-table", Static).update(self._retention_table(stats))
        self.query_one("#retention-note", Static).update(t("stats.retention-note", target=pct(stats.desired_retention)))
        self._render_exercises(stats)
        self._render_mistakes(stats)
        self._render_calibration(stats)

    def _colours(self) -> tuple[str, str, str]:
        app = self.quiz
        return theme_colour(app, "success"), theme_colour(app, "error"), theme_colour(app, "foreground-muted")

    def _mastery_table(self, stats: StatsReport) -> Table:
        t, lang = self.quiz.t, self.quiz.lang
        good, _bad, muted = self._colours()
        # The title column gives way (wrapping) before any number does: each number column keeps
        # at least its own width.
        coverage_head = t("stats.col.coverage")
        mastery = Table.grid(padding=(0, 1))
        mastery.add_column(ratio=1, overflow="fold")
        mastery.add_column(no_wrap=True, min_width=BAR)
        mastery.add_column(justify="right", no_wrap=True, min_width=4)
        mastery.add_column(justify="right", no_wrap=True, min_width=max(4, cell_len(coverage_head)))
        mastery.add_row(
            Text(t("stats.col.topic"), style="bold"), Text(t("stats.col.mastery"), style="bold"),
            Text(""), Text(t("stats.col.coverage"), style="bold"),
        )
        for topic in stats.topics:
            mastery.add_row(
                Text(topic.title.get(lang)), hbar(topic.mastery, BAR, good, muted),
                Text(pct(topic.mastery)), Text(pct(topic.coverage)),
            )
        return mastery

    def _retention_table(self, stats: StatsReport) -> Table:
        t = self.quiz.t
        good, bad, muted = self._colours()
        retention = Table.grid(padding=(0, 1))
        for _ in range(4):
            retention.add_column(no_wrap=True)
        target = stats.desired_retention
        for window in stats.retention:
            rate = window.retention.rate
            if rate is None:
                retention.add_row(Text(t("stats.retention-row", days=window.days)), hbar(None, BAR, good, muted),
                                  Text(t("stats.retention-none"), style=muted), Text(""))
                continue
            diff = round((rate - target) * 100)
            sign = f"+{diff}" if diff > 0 else str(diff)
            retention.add_row(
                Text(t("stats.retention-row", days=window.days)),
                hbar(rate, BAR, good if rate >= target else bad, muted),
                Text(f"{pct(rate)}  " + t("stats.retention-n", n=window.retention.reviews)),
                Text(t("stats.retention-vs", diff=t("stats.pp", n=sign)), style=good if diff >= 0 else bad),
            )
        return retention

    def _render_exercises(self, stats: StatsReport) -> None:
        t, lang = self.quiz.t, self.quiz.lang
        good, _bad, muted = self._colours()
        exercises = self.query_one("#exercises-table", Static)
        if stats.families:
            counts = [t("stats.exercise-n", correct=f.correct, n=f.attempts) for f in stats.families]
            table = Table.grid(padding=(0, 1))
            table.add_column(ratio=1, overflow="fold")
            table.add_column(no_wrap=True, min_width=BAR)
            table.add_column(justify="right", no_wrap=True, min_width=4)
            table.add_column(justify="right", no_wrap=True, min_width=max(map(cell_len, counts)))
            for family in stats.families:
                table.add_row(
                    Text(family.title.get(lang)), hbar(family.accuracy, BAR, good, muted),
                    Text(pct(family.accuracy)),
                    Text(t("stats.exercise-n", correct=family.correct, n=family.attempts), style=muted),
                )
            exercises.update(table)
        else:
            exercises.update(Text(t("stats.no-exercises"), style=muted))


    def _render_mistakes(self, stats: StatsReport) -> None:
        t, lang = self.quiz.t, self.quiz.lang
        muted = self._colours()[2]
        mistakes_widget = self.query_one("#mistakes-list", Static)
        if stats.top_mistakes:
            # A grid keeps each bullet beside its text (Chinese has no spaces to wrap at).
            bullets = Table.grid(padding=(0, 1))
            bullets.add_column(no_wrap=True)
            bullets.add_column(ratio=1, overflow="fold")
            for mistake in stats.top_mistakes:
                bullets.add_row(Text("•"), Text(mistake.sentence(lang)))
            mistakes_widget.update(bullets)
        else:
            mistakes_widget.update(Text(t("stats.no-mistakes"), style=muted))


    def _render_calibration(self, stats: StatsReport) -> None:
        t = self.quiz.t
        show_fit_calibration(self.query_one("#fit-calibration", SchedChart),
                             self.query_one("#fit-calibration-caption", Static), t, self.quiz.settings,
                             stats.calibration)
        good, bad, muted = self._colours()
        cal = stats.calibration
        summary = self.query_one("#calibration-summary", Static)
        table_widget = self.query_one("#calibration-table", Static)
        if cal is None:
            summary.update(t("stats.calibration-none", min=MIN_CALIBRATION_REVIEWS))
            table_widget.update("")
            return
        summary.update(t(
            "stats.calibration-summary", n=cal.reviews, pred=pct(cal.mean_predicted), obs=pct(cal.observed),
            rmse=t("stats.pp", n=f"{cal.rmse * 100:.1f}"), loss=f"{cal.log_loss:.3f}",
        ))
        bins = Table.grid(padding=(0, 1))
        for _ in range(4):
            bins.add_column(no_wrap=True)
        for b in cal.bins:
            close = abs(b.observed - b.mean_predicted) <= 0.05
            bins.add_row(
                Text(t("stats.calibration-bin", lo=pct(b.lower), hi=pct(b.upper))),
                hbar(b.observed, BAR, good if close else bad, muted),
                Text(pct(b.observed)),
                Text(str(b.count), style=muted),
            )
        table_widget.update(bins)
