"""The scheduler screen (opened from the settings): the parameters in use and how they were
chosen, Optimize (fit on the learner's own log, evaluated on the later reviews, adopted only if
better) with a progress bar, back to the defaults, the calibration of defaults against the fit,
and the workload simulator (quizapp.tui.widgets.simulator_panel).

The fit, reset and simulation run in a child process (quizapp.tui.jobs); this screen renders
what comes back. Leaving the screen stops a job still running (nothing half-done is kept).
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, ProgressBar, Static

from quizapp.config import DEFAULT_PRESET, Evaluation, FittedParameters, Settings
from quizapp.sched.fit import ADOPT, MIN_REVIEWS, TOO_FEW, FitReport
from quizapp.tui.app import QuizApp
from quizapp.tui.jobs import JobDone, JobError, JobProgress, show_progress, start_job
from quizapp.tui.widgets.keybar import KeyBar
from quizapp.tui.widgets.prose import Prose
from quizapp.tui.widgets.sched_charts import SchedChart
from quizapp.tui.widgets.simulator_panel import SimulatorPanel

FIT, RESET = "fit", "reset"


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


class SchedulerScreen(Screen[None]):
    CSS_PATH = "scheduler.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("o", "optimize", "Optimize", id="optimize"),
        Binding("m", "simulate", "Simulate", id="simulate"),
        # The buttons and inputs keep the focus; the page still scrolls to the charts below.
        Binding("pagedown", "scroll('down')", show=False),
        Binding("pageup", "scroll('up')", show=False),
        Binding("ctrl+end", "scroll('end')", show=False),
        Binding("ctrl+home", "scroll('home')", show=False),
    ]

    quiz = getters.app(QuizApp)
    report: FitReport | None = None  # the fit run on this screen, if any
    outcome: str = ""  # string key of what the last job did
    error: str = ""  # why the last job failed

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sched-body"):
            yield Static(id="sched-title", classes="sched-heading", markup=False)
            yield Prose(id="sched-status")
            yield Prose(id="sched-note")
            with Horizontal(id="sched-buttons"):
                yield Button("", id="optimize", variant="primary")
                yield Button("", id="reset")
            yield ProgressBar(total=100, show_eta=False, id="sched-progress")
            yield Static(id="sched-stage", markup=False)
            yield Prose(id="sched-result")
            yield Static(id="sched-table")
            yield Static(id="sched-calibration-title", classes="sched-caption", markup=False)
            yield SchedChart(id="sched-calibration")
            yield SimulatorPanel(id="simulator")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget_id in ("#sched-progress", "#sched-stage", "#sched-result"):
            self.query_one(widget_id).display = False
        self.query_one("#optimize", Button).focus()
        self.apply_language()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#sched-body", VerticalScroll)
        moves = {"down": body.scroll_page_down, "up": body.scroll_page_up, "end": body.scroll_end,
                 "home": body.scroll_home}
        moves[how](animate=False)

    def action_simulate(self) -> None:
        self.query_one(SimulatorPanel).simulate()

    # ---- rendering -----------------------------------------------------------------------------
    def apply_language(self) -> None:
        t = self.quiz.t
        self.refresh_bindings()
        self.sub_title = t("settings.title")
        self.query_one("#sched-title", Static).update(t("sched.title"))
        self.query_one("#sched-note", Prose).update(t("sched.figures-note"))
        self.query_one("#optimize", Button).label = t("sched.optimize")
        self.query_one("#reset", Button).label = t("sched.reset")
        self._render_status()
        self._render_result()
        apply = getattr(self.query_one(SimulatorPanel), "apply_language", None)
        if callable(apply):
            apply()

    def _record(self) -> FittedParameters | None:
        return self.quiz.settings.fsrs_presets.get(DEFAULT_PRESET)

    def _render_status(self) -> None:
        t, record = self.quiz.t, self._record()
        status = self.query_one("#sched-status", Prose)
        self.query_one("#reset", Button).disabled = record is None
        if record is None:
            status.update(t("sched.status-default", min=MIN_REVIEWS))
        else:
            status.update(t(
                "sched.status-fitted", date=record.fitted_at[:10], reviews=f"{record.reviews:,}",
                held=f"{record.held_out:,}", loss=f"{record.fitted.log_loss:.4f}",
                loss0=f"{record.defaults.log_loss:.4f}", rmse=_pct(record.fitted.rmse),
                rmse0=_pct(record.defaults.rmse),
            ))
        self._render_calibration()

    def _render_calibration(self) -> None:
        """Defaults against fitted on the held-out reviews: this screen's fit, else the adopted one's."""
        t = self.quiz.t
        report, record = self.report, self._record()
        if report is not None and report.defaults is not None and report.fitted is not None:
            pair: tuple[Evaluation, Evaluation] | None = (report.defaults, report.fitted)
        else:
            pair = (record.defaults, record.fitted) if record is not None else None
        chart = self.query_one("#sched-calibration", SchedChart)
        title = self.query_one("#sched-calibration-title", Static)
        chart.display = title.display = pair is not None
        if pair is None:
            return
        title.update(t("sched.calibration"))
        drawn = chart.show_calibration(
            [(t("sched.defaults"), pair[0].bins), (t("sched.fitted"), pair[1].bins)],
            t("sched.perfect"), t("sched.axis-predicted"), t("sched.axis-observed"),
        )
        chart.display = title.display = drawn > 0

    def _render_result(self) -> None:
        t, report = self.quiz.t, self.report
        result = self.query_one("#sched-result", Prose)
        table = self.query_one("#sched-table", Static)
        if not self.outcome:
            table.update("")
            return
        result.display = True
        if report is None or self.outcome in ("sched.reset-done", "sched.failed"):
            result.update(t(self.outcome, error=self.error))
            table.update("")
            return
        baseline, fitted = report.baseline, report.fitted
        result.update(t(
            self.outcome, min=MIN_REVIEWS, have=report.reviews, answers=report.answers,
            reviews=f"{report.reviews:,}", loss=f"{fitted.log_loss:.4f}" if fitted else "",
            base=f"{baseline.log_loss:.4f}" if baseline else "",
        ))
        table.update(self._figures(report) if report.verdict != TOO_FEW else "")

    def _figures(self, report: FitReport) -> Table:
        t = self.quiz.t
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_row(*(Text(t(k), style="bold") for k in ("sched.col.params", "sched.col.loss", "sched.col.rmse")))
        for key, figures in (("sched.row.defaults", report.defaults), ("sched.row.in-use", report.in_use),
                             ("sched.row.fitted", report.fitted)):
            if figures is not None:
                table.add_row(Text(t(key)), Text(f"{figures.log_loss:.4f}"), Text(_pct(figures.rmse)))
        return table

    # ---- jobs ----------------------------------------------------------------------------------
    def _studying(self) -> bool:
        from quizapp.tui.screens.study import StudyScreen

        return any(isinstance(screen, StudyScreen) for screen in self.app.screen_stack)

    def _start(self, name: str, job: object, args: tuple[object, ...]) -> None:
        # One job at a time (a key must not restart one, a simulation must not see half a fit).
        if any(self.query_one(b, Button).disabled for b in ("#optimize", "#simulate")):
            return
        if self._studying():
            self.notify(self.quiz.t("sched.busy-study"), severity="warning", markup=False)
            return
        for button in (*self.query_one("#sched-buttons").query(Button), self.query_one("#simulate", Button)):
            button.disabled = True
        self._progress("read" if name == FIT else "adopt", 0.0)
        start_job(self, name, job, args)  # type: ignore[arg-type]

    def action_optimize(self) -> None:
        from quizapp.sched.process import fit_job


        context, now = self.quiz.context, self.quiz.now()
        self._start(FIT, fit_job, (self.quiz.store.path.parent, context.config_path, context.settings, now, True))

    @on(Button.Pressed, "#optimize")
    def _optimize_pressed(self) -> None:
        self.action_optimize()

    @on(Button.Pressed, "#reset")
    def _reset_pressed(self) -> None:
        from quizapp.sched.process import reset_job

        context = self.quiz.context
        self._start(RESET, reset_job, (self.quiz.store.path.parent, context.config_path, context.settings,
                                       self.quiz.now()))

    def _progress(self, stage: str, fraction: float) -> None:
        show_progress(self.query_one("#sched-progress", ProgressBar), self.query_one("#sched-stage", Static),
                      self.quiz.t(f"sched.stage.{stage}"), fraction)

    def on_job_progress(self, message: JobProgress) -> None:
        if message.job in (FIT, RESET):
            self._progress(message.stage, message.fraction)

    def on_job_done(self, message: JobDone) -> None:
        if message.job == FIT:
            self.report, settings = message.result
            self.outcome = {ADOPT: "sched.adopted", TOO_FEW: "sched.too-few"}.get(self.report.verdict,
                                                                                "sched.no-better")
            if settings is not None:
                self._apply(settings)
        elif message.job == RESET:
            self.report, self.outcome = None, "sched.reset-done"
            self._apply(message.result)
        self._finished()

    def on_job_error(self, message: JobError) -> None:
        if message.job in (FIT, RESET):
            self.outcome, self.error = "sched.failed", message.error
            self._finished()

    def _apply(self, settings: Settings) -> None:
        """The child process saved these settings; the running app takes them as they are."""
        self.quiz.context.settings = settings

    def _finished(self) -> None:
        for widget_id in ("#sched-progress", "#sched-stage"):
            self.query_one(widget_id).display = False
        self.query_one("#optimize", Button).disabled = self.query_one("#simulate", Button).disabled = False
        self._render_status()
        self._render_result()
