"""Options of a choice / select-all question, toggled by letter keys and drawn as plain text."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static


class ChoiceList(Static):
    """Renders (letter, text) options; the screen owns the selection and calls set_state()."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.options: list[tuple[str, str]] = []
        self.selected: set[str] = set()
        self.multi = False
        # After answering: which letters are correct, and each option's "why" text.
        self.correct: set[str] | None = None
        self.why: dict[str, str] = {}

    def set_options(self, options: list[tuple[str, str]], *, multi: bool) -> None:
        self.options = options
        self.multi = multi
        self.selected = set()
        self.correct = None
        self.why = {}
        self.redraw()

    def toggle(self, letter: str) -> bool:
        """Select (single choice) or toggle (multi) an option; False if there is no such letter."""
        if letter not in {opt_letter for opt_letter, _ in self.options} or self.correct is not None:
            return False
        if self.multi:
            self.selected ^= {letter}
        else:
            self.selected = {letter}
        self.redraw()
        return True

    def show_result(self, correct: set[str], why: dict[str, str]) -> None:
        self.correct = correct
        self.why = why
        self.redraw()

    def redraw(self) -> None:
        # A grid keeps wrapped option text (and its "why") indented under the option.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for letter, option_text in self.options:
            chosen = letter in self.selected
            boxes = ("☐", "☑") if self.multi else ("○", "◉")
            box = boxes[chosen]
            style = "bold" if chosen else ""
            mark = " "
            if self.correct is not None:
                if letter in self.correct:
                    mark, style = "✓", "bold green"
                elif chosen:
                    mark, style = "✗", "bold red"
                else:
                    style = "dim"
            body = Text(option_text, style=style)
            why = self.why.get(letter)
            if self.correct is not None and why and (chosen or letter in self.correct):
                body.append("\n")
                body.append(why, style="italic")
            grid.add_row(Text(f"{mark} {letter}) {box}", style=style or "bold"), body)
        self.update(grid)

    def plain(self) -> str:
        """The options as plain lines (tests, screen readers)."""
        return "\n".join(f"{letter}) {text}" for letter, text in self.options)
