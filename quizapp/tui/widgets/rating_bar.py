"""The rating row under an answered card: one cell per choice, with the next interval on each.

Cells are clicked or keyed (1–4, enter), never focused, so focus stays free for keys. Each cell
wraps its own text, so the row never breaks at 60 columns. The bar posts `RatingBar.Rated`.
"""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from quizapp import strings

NARROW = 64  # below this width each rating cell is too narrow for "4 Easy · 11d" on one line


class RatingCell(Static):
    DEFAULT_CSS = """
    RatingCell {
        width: 1fr;
        height: auto;
        padding: 0 1;
        margin: 0 1 0 0;
        background: $boost;
        text-align: center;
    }
    RatingCell.-proposed {
        background: $primary;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, rating: int) -> None:
        super().__init__(id=f"rate-{rating}", markup=False)
        self.rating = rating

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(RatingBar.Rated(self.rating))


class RatingBar(Horizontal):
    DEFAULT_CSS = """
    RatingBar {
        height: auto;
        padding: 0 1;
        display: none;
    }
    """

    class Rated(Message):
        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating in (1, 2, 3, 4):
            yield RatingCell(rating)

    def show_ratings(self, intervals: dict[int, timedelta], proposed: int, lang: str) -> None:
        """The four ratings, each with its next interval, the proposed one highlighted."""
        # On a narrow row the interval goes under the name rather than wrapping after a "·".
        joint = " · " if (self.size.width or self.app.size.width) >= NARROW else "\n"
        for cell in self.query(RatingCell):
            label = f"{cell.rating} {strings.text(f'rating.{cell.rating}', lang)}"
            if cell.rating in intervals:
                label += joint + strings.interval_text(intervals[cell.rating], lang)
            cell.update(label)
            cell.display = True
            cell.set_class(cell.rating == proposed, "-proposed")
        self.display = True

    def show_practice(self, *, self_graded: bool, lang: str) -> None:
        """Practice changes no schedule: a checked answer only moves on; a flashcard asks
        whether it was known (1 = forgot, enter = knew it)."""
        for cell in self.query(RatingCell):
            cell.display = cell.rating == 3 or (self_graded and cell.rating == 1)
            key = "practice.knew" if self_graded and cell.rating == 3 else "practice.forgot"
            if cell.rating == 3 and not self_graded:
                key = "practice.next"
            cell.update(strings.text(key, lang))
            cell.set_class(cell.rating == 3, "-proposed")
        self.display = True

    def hide(self) -> None:
        self.display = False
