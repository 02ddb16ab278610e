"""The end of a study session: accuracy, time, what is due tomorrow, the mistakes made."""

from __future__ import annotations

from typing import ClassVar

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from quizapp.i18n import Bilingual
from quizapp.study.summary import Mistake, SessionSummary
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.bars import clock_time
from quizapp.tui.widgets.keybar import KeyBar


class SummaryScreen(Screen[None]):
    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Back", id="back"),
        Binding("escape", "close", "Back", show=False),
        Binding("q", "close", "Back", show=False),
    ]

    quiz = getters.app(QuizApp)

    class Described(Message):
        def __init__(self, descriptions: dict[Mistake, Bilingual]) -> None:
            super().__init__()
            self.descriptions = descriptions

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary
        self.descriptions: dict[Mistake, Bilingual] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box"):
            yield Static(id="summary-title", markup=False)
            yield Static(id="summary-numbers", markup=False)
            yield Static(id="summary-mistakes-title", markup=False)
            yield Static(id="summary-mistakes", markup=False)
            yield Static(id="summary-hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.apply_language()
        if self.summary.mistakes:
            self._describe([mistake for mistake, _count in self.summary.mistakes])

    @work(thread=True, exclusive=True)
    def _describe(self, mistakes: list[Mistake]) -> None:
        # Family descriptions import the families (numpy): off the UI thread.
        from quizapp.stats.mistakes import describe_note

        self.post_message(self.Described({m: m.text or describe_note(m.note, m.family) for m in mistakes}))

    def on_summary_screen_described(self, message: Described) -> None:
        self.descriptions = message.descriptions
        self.apply_language()

    def apply_language(self) -> None:
        t, lang, summary = self.quiz.t, self.quiz.lang, self.summary
        self.query_one("#summary-title", Static).update(
            t("summary.title-ended" if summary.ended_early else "summary.title"))
        accuracy = summary.accuracy if summary.answered else None
        lines = [
            t("summary.answered", n=summary.answered),
            t("summary.accuracy", pct="—" if accuracy is None else f"{accuracy:.0%}"),
            t("summary.time", time=clock_time(summary.seconds)),
            t("summary.due-tomorrow", n=summary.due_tomorrow),
        ]
        self.query_one("#summary-numbers", Static).update("\n".join(lines))
        self.query_one("#summary-mistakes-title", Static).update(t("summary.mistakes"))
        if summary.mistakes:
            mistakes = [
                t(
                    "summary.mistake-line",
                    count=count,
                    text=self.descriptions.get(mistake, Bilingual(mistake.note, mistake.note)).get(lang),
                )
                for mistake, count in summary.mistakes
            ]
            text = "\n".join(mistakes)
        else:
            text = t("summary.no-mistakes")
        self.query_one("#summary-mistakes", Static).update(text)
        self.query_one("#summary-hint", Static).update(t("summary.back-hint"))

    def action_close(self) -> None:
        self.dismiss(None)
