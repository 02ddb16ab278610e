"""Options of a choice / select-all question: chosen by letter, or moved through with the arrow
keys (j/k) and toggled with space; drawn as plain text (content is never markup)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from quizapp.textflow import wrap


class ChoiceList(Static):
    """Renders (letter, text) options; the screen forwards keys to toggle() / move()."""

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
        self.cursor = 0
        # After answering: which letters are correct, and each option's "why" text.
        self.correct: set[str] | None = None
        self.why: dict[str, str] = {}

    def set_options(self, options: list[tuple[str, str]], *, multi: bool) -> None:
        self.options = options
        self.multi = multi
        self.selected = set()
        self.cursor = 0
        self.correct = None
        self.why = {}
        self.redraw()

    def toggle(self, letter: str) -> bool:
        """Select (single choice) or toggle (multi) an option; False if there is no such letter."""
        letters = [opt_letter for opt_letter, _ in self.options]
        if letter not in letters or self.correct is not None:
            return False
        self.cursor = letters.index(letter)
        if self.multi:
            self.selected ^= {letter}
        else:
            self.selected = {letter}
        self.redraw()
        return True

    def move(self, step: int) -> None:
        if self.options and self.correct is None:
            self.cursor = (self.cursor + step) % len(self.options)
            self.redraw()

    def toggle_cursor(self) -> None:
        if self.options:
            self.toggle(self.options[self.cursor][0])

    def show_result(self, correct: set[str], why: dict[str, str]) -> None:
        self.correct = correct
        self.why = why
        self.redraw()

    def redraw(self) -> None:
        # A grid keeps wrapped option text (and its "why") indented under the option.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True)
        # The option text is wrapped here (CJK-aware), in what the "› a) ○ " column leaves.
        room = max(10, (self.content_size.width or self.app.size.width - 8) - 8)
        for index, (letter, option_text) in enumerate(self.options):
            chosen = letter in self.selected
            boxes = ("☐", "☑") if self.multi else ("○", "◉")
            style = "bold" if chosen else ""
            mark = "›" if index == self.cursor and self.correct is None else " "
            if self.correct is not None:
                if letter in self.correct:
                    mark, style = "✓", "bold green"
                elif chosen:
                    mark, style = "✗", "bold red"
                else:
                    style = "dim"
            body = Text("\n".join(wrap(option_text, room)), style=style, no_wrap=True)
            why = self.why.get(letter)
            if self.correct is not None and why and (chosen or letter in self.correct):
                body.append("\n")
                body.append("\n".join(wrap(why, room)), style="italic")
            grid.add_row(Text(f"{mark} {letter}) {boxes[chosen]}", style=style or "bold"), body)
        self.update(grid)

    def on_resize(self) -> None:
        self.redraw()
