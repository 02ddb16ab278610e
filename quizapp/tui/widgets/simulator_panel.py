"""The workload simulator panel: desired retentions and days in, then the reviews and minutes per
day over time and the knowledge retained as charts (one line per retention, the optimal one in
bold), a small table, and the optimal retention. The simulation runs in a child process
(quizapp.tui.jobs); this panel only renders it."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Static
from textual_plot import LegendLocation

from quizapp.sched.simulate import DEFAULT_DAYS, MAX_DAYS, Simulation, Workload
from quizapp.tui.app import QuizApp
from quizapp.tui.jobs import JobDone, JobError, JobProgress, show_progress, start_job
from quizapp.tui.widgets.sched_charts import SchedChart, moving_mean

PANEL_RETENTIONS = (0.80, 0.85, 0.90, 0.95)
JOB = "simulate"
CHARTS = ("reviews", "minutes", "retained")


def parse_retentions(text: str) -> list[float] | None:
    """The retentions typed (space or comma separated, 0.70–0.99), or None if any is not one."""
    try:
        values = [float(part) for part in text.replace(",", " ").split()]
    except ValueError:
        return None
    if not values or len(values) > 8 or not all(0.70 <= v <= 0.99 for v in values):
        return None
    return sorted(set(values))


class SimulatorPanel(Vertical):
    DEFAULT_CSS = """
    SimulatorPanel { height: auto; }
    SimulatorPanel .sim-row { height: auto; }
    SimulatorPanel .sim-row Label { margin: 1 1 0 0; color: $text-muted; }
    SimulatorPanel #sim-retentions { width: 1fr; max-width: 40; }
    SimulatorPanel #sim-days { width: 10; margin-right: 2; }
    SimulatorPanel #sim-error { color: $error; height: auto; }
    SimulatorPanel #sim-summary, SimulatorPanel #sim-table { height: auto; margin-top: 1; }
    SimulatorPanel .sim-caption { height: auto; margin-top: 1; text-style: bold; }
    SimulatorPanel ProgressBar, SimulatorPanel #sim-stage { height: auto; }
    """

    quiz = getters.app(QuizApp)
    simulation: Simulation | None = None

    def compose(self) -> ComposeResult:
        settings = self.quiz.settings
        retentions = sorted({*PANEL_RETENTIONS, round(settings.desired_retention, 2)})
        yield Static(id="sim-title", classes="sched-heading", markup=False)
        # Two rows, so that the inputs and the button fit a 60-column terminal.
        with Horizontal(classes="sim-row"):
            yield Label(id="sim-retentions-label", markup=False)
            yield Input(" ".join(f"{r:.2f}" for r in retentions), id="sim-retentions")
        with Horizontal(classes="sim-row"):
            yield Label(id="sim-days-label", markup=False)
            yield Input(str(DEFAULT_DAYS), id="sim-days", type="integer")
            yield Button("", id="simulate")
        yield ProgressBar(total=100, show_eta=False, id="sim-progress")
        yield Static(id="sim-stage", markup=False)
        yield Static(id="sim-error", markup=False)
        yield Static(id="sim-summary", markup=False)
        yield Static(id="sim-table")
        for name in CHARTS:
            yield Static(id=f"sim-{name}-title", classes="sim-caption", markup=False)
            yield SchedChart(id=f"sim-{name}")

    def on_mount(self) -> None:
        for widget_id in ("#sim-progress", "#sim-stage", "#sim-error"):
            self.query_one(widget_id).display = False
        for name in CHARTS:
            self.query_one(f"#sim-{name}").display = self.query_one(f"#sim-{name}-title").display = False
        for box in self.query(Input):
            box.cursor_blink = False
        self.apply_language()

    def apply_language(self) -> None:
        t = self.quiz.t
        self.query_one("#sim-title", Static).update(t("sched.sim-title"))
        self.query_one("#sim-retentions-label", Label).update(t("sched.sim-retentions"))
        self.query_one("#sim-days-label", Label).update(t("sched.sim-days"))
        self.query_one("#simulate", Button).label = t("sched.simulate")
        self.render_simulation()

    # ---- running -------------------------------------------------------------------------------
    @on(Button.Pressed, "#simulate")
    def simulate(self) -> None:
        from quizapp.sched.process import simulate_job

        if self.query_one("#simulate", Button).disabled:  # a job is running: the key starts nothing
            return
        t = self.quiz.t
        error = self.query_one("#sim-error", Static)
        retentions = parse_retentions(self.query_one("#sim-retentions", Input).value)
        days_text = self.query_one("#sim-days", Input).value.strip()
        days = int(days_text) if days_text.isdigit() else 0
        problem = (t("sched.sim-bad-retentions") if retentions is None
                   else t("sched.sim-bad-days", max=MAX_DAYS) if not 1 <= days <= MAX_DAYS else "")
        error.update(problem)
        error.display = bool(problem)
        if problem or retentions is None:
            return
        self.query_one("#simulate", Button).disabled = True
        self._show_progress("simulate", 0.0)
        store_dir = self.quiz.store.path.parent
        start_job(self, JOB, simulate_job, (store_dir, self.quiz.settings, retentions, days))

    def _show_progress(self, stage: str, fraction: float) -> None:
        show_progress(self.query_one("#sim-progress", ProgressBar), self.query_one("#sim-stage", Static),
                      self.quiz.t(f"sched.stage.{stage}"), fraction)

    def on_job_progress(self, message: JobProgress) -> None:
        if message.job == JOB:
            message.stop()
            self._show_progress(message.stage, message.fraction)

    def on_job_done(self, message: JobDone) -> None:
        if message.job == JOB:
            message.stop()
            self._finished()
            self.simulation = message.result
            self.render_simulation()
            self.query_one("#sim-summary").scroll_visible(top=True)

    def on_job_error(self, message: JobError) -> None:
        if message.job == JOB:
            message.stop()
            self._finished()
            error = self.query_one("#sim-error", Static)
            error.update(self.quiz.t("sched.failed", error=message.error))
            error.display = True

    def _finished(self) -> None:
        self.query_one("#simulate", Button).disabled = False
        self.query_one("#sim-progress").display = False
        self.query_one("#sim-stage").display = False

    # ---- rendering -----------------------------------------------------------------------------
    def render_simulation(self) -> None:
        sim = self.simulation
        if sim is None:
            return
        t, settings = self.quiz.t, self.quiz.settings
        optimal = "—" if sim.optimal is None else f"{sim.optimal:.2f}"
        self.query_one("#sim-summary", Static).update(t(
            "sched.sim-summary", days=sim.days, cards=f"{sim.deck_size:,}",
            params=t("sched.params-fitted" if sim.fitted else "sched.params-default"),
            new=settings.new_per_day, reviews=settings.reviews_per_day, optimal=optimal,
            desired=f"{settings.desired_retention:.2f}",
        ))
        shown = sim.shown()
        self.query_one("#sim-table", Static).update(self._table(sim, shown))
        bold = next((i for i, w in enumerate(shown) if self._is_optimal(sim, w)), None)
        labels = [self._label(sim, w) for w in shown]
        # Workload peaks while the deck is being learnt, then settles low; knowledge climbs: each
        # legend goes where its lines are not.
        for name, key, values, corner in (
            ("reviews", "sched.chart-reviews", [moving_mean(w.reviews) for w in shown], LegendLocation.TOPRIGHT),
            ("minutes", "sched.chart-minutes", [moving_mean(w.minutes) for w in shown], LegendLocation.TOPRIGHT),
            ("retained", "sched.chart-retained", [list(w.retained) for w in shown], LegendLocation.BOTTOMRIGHT),
        ):
            title = self.query_one(f"#sim-{name}-title", Static)
            title.update(t(key))
            chart = self.query_one(f"#sim-{name}", SchedChart)
            chart.display = title.display = True
            chart.show_lines(list(zip(labels, values)), t("sched.axis-day"), "", bold=bold, legend=corner)

    @staticmethod
    def _is_optimal(sim: Simulation, workload: Workload) -> bool:
        return sim.optimal is not None and abs(workload.retention - sim.optimal) < 1e-9

    def _label(self, sim: Simulation, workload: Workload) -> str:
        mark = f" {self.quiz.t('sched.optimal-mark')}" if self._is_optimal(sim, workload) else ""
        return f"{workload.retention:.2f}{mark}"

    def _table(self, sim: Simulation, shown: list[Workload]) -> Table:
        t = self.quiz.t
        table = Table.grid(padding=(0, 2))
        for _ in range(5):
            table.add_column(justify="right", no_wrap=True)
        table.add_row(*(Text(t(f"sched.col.{c}"), style="bold")
                        for c in ("retention", "reviews", "minutes", "retained", "per-card")))
        for w in shown:
            per_card = w.minutes_per_card()
            style: Any = "bold" if self._is_optimal(sim, w) else ""
            table.add_row(
                Text(self._label(sim, w), style=style), Text(f"{w.mean_reviews():.1f}", style=style),
                Text(f"{w.mean_minutes():.1f}", style=style),
                Text(f"{w.retained[-1] if w.retained else 0:,.0f}", style=style),
                Text("—" if per_card == float("inf") else f"{per_card:.2f}", style=style),
            )
        return table
