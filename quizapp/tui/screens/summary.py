"""The end of a study session: accuracy, time, what is due tomorrow, the mistakes made."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizapp.i18n import Bilingual
from quizapp.tui.widgets.bars import clock_time


def describe_mistake(note: str, families: list[str]) -> Bilingual:
    """Plain words for a mistake note: the family that authored it, else the generic table."""
    from quizapp.stats.mistakes import describe_note

    generic = describe_note(note)
    if generic.en != note:
        return generic
    for family in families:
        described = describe_note(note, family)
        if described.en != note:
            return described
    return generic


class SummaryScreen(Screen[None]):
    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Back", id="back"),
        Binding("escape", "close", "Back", show=False),
        Binding("q", "close", "Back", show=False),
    ]

    class Described(Message):
        def __init__(self, descriptions: dict[str, Bilingual]) -> None:
            super().__init__()
            self.descriptions = descriptions

    def __init__(self, summary: Any) -> None:
        super().__init__()
        self.summary = summary
        self.descriptions: dict[str, Bilingual] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box"):
            yield Static(id="summary-title", markup=False)
            yield Static(id="summary-numbers", markup=False)
            yield Static(id="summary-mistakes-title", markup=False)
            yield Static(id="summary-mistakes", markup=False)
            yield Static(id="summary-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.apply_language()
        notes = [note for note, _count in self.summary.mistakes]
        if notes:
            families = sorted(
                {item.family for item in self.app.library.items.values() if item.family}  # type: ignore[attr-defined]
            )
            self._describe(notes, families)

    @work(thread=True, exclusive=True)
    def _describe(self, notes: list[str], families: list[str]) -> None:
        # Family descriptions import the families (numpy): off the UI thread.
        self.post_message(self.Described({note: describe_mistake(note, families) for note in notes}))

    def on_summary_screen_described(self, message: Described) -> None:
        self.descriptions = message.descriptions
        self.apply_language()

    def apply_language(self) -> None:
        app: Any = self.app
        t, lang, summary = app.t, app.lang, self.summary
        self.query_one("#summary-title", Static).update(t("summary.title"))
        accuracy = getattr(summary, "accuracy", None)
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
                    text=self.descriptions.get(note, Bilingual(note, note)).get(lang),
                )
                for note, count in summary.mistakes
            ]
            text = "\n".join(mistakes)
        else:
            text = t("summary.no-mistakes")
        self.query_one("#summary-mistakes", Static).update(text)
        self.query_one("#summary-hint", Static).update(t("summary.back-hint"))

    def action_close(self) -> None:
        self.dismiss(None)
