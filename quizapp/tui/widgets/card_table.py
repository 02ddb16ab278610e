"""The browser's table of cards: which columns fit the width, and the cells of one card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text

from quizapp.search.cards import CardRow
from quizapp.search.display import due_days, front_text, one_line, short_days

# column key -> the sort column it orders by (quizapp.search.cards.SORT_KEYS)
SORT_OF = {
    "card": "key", "topic": "topic", "kind": "kind", "state": "state", "due": "due",
    "interval": "interval", "recall": "recall", "lapses": "lapses", "stability": "stability",
    "difficulty": "difficulty", "reps": "reps", "sel": "flag",
}
ALWAYS = ("sel", "card", "state", "due", "recall")
# Added in this order while the card column keeps at least MIN_CARD cells.
OPTIONAL = ("interval", "kind", "lapses", "topic", "stability", "difficulty", "reps")
MIN_CARD = 30
FLAG_STYLES = {1: "bold red", 2: "bold dark_orange", 3: "bold green", 4: "bold blue"}
T = Callable[..., str]


DUR_KEYS = {"m": "dur.min", "h": "dur.hour", "d": "dur.day", "mo": "dur.month", "y": "dur.year"}


def days_text(days: float | None, t: T) -> str:
    """short_days in the learner's language (the study screen's duration words)."""
    return short_days(days, lambda unit, number: t(DUR_KEYS[unit], n=number), t("browse.none"))


def fixed_width(column: str, t: T) -> int:
    """Cells a column needs (its widest value or its header)."""
    widths = {
        "sel": 2, "state": max(cell_len(t(f"topic.state.{s}")) for s in ("new", "learning", "review", "relearning")) + 1,
        "due": 6, "recall": 4, "interval": 5, "kind": max(cell_len(t(f"study.kind.{k}")) for k in ("flashcard", "cloze", "exercise")),
        "lapses": 3, "topic": 18, "stability": 5, "difficulty": 4, "reps": 4,
    }
    return max(widths.get(column, 6), cell_len(t(f"browse.col.{column}")))


def choose_columns(width: int, t: T) -> tuple[list[str], int]:
    """The columns for a table `width` cells wide, and the width left for the card's text."""
    columns = list(ALWAYS)

    def card_room(cols: list[str]) -> int:
        others = [c for c in cols if c != "card"]
        # cell padding on both sides, the vertical scrollbar (2) once the rows overflow, a margin
        return width - sum(fixed_width(c, t) for c in others) - 2 * len(cols) - 3

    for extra in OPTIONAL:
        if card_room([*columns, extra]) >= MIN_CARD:
            columns.append(extra)
    return columns, max(10, card_room(columns))


def state_text(row: CardRow, t: T) -> Text:
    if row.suspended:
        text = Text(t("topic.state.suspended"), style="dim")
    elif row.buried:
        text = Text(t("browse.state.buried"), style="dim")
    else:
        text = Text(t(f"topic.state.{row.state_name}"), style="italic" if row.state == 0 else "")
    if row.leech:
        text.append("!", style="bold red")
    return text


def due_text(row: CardRow, now: datetime, t: T) -> str:
    days = due_days(row, now)
    if days is None:
        return t("browse.none")
    return t("browse.due.today") if days == 0 else t("browse.due.days", n=days)


def row_cells(row: CardRow, columns: list[str], card_width: int, selected: bool,
              now: datetime, lang: str, t: T) -> list[Text]:
    """The cells of one card, in `columns` order; all plain text (content never read as markup)."""
    none = t("browse.none")
    cells: list[Text] = []
    for column in columns:
        if column == "sel":
            cell = Text("✓" if selected else " ", style="bold")
            cell.append("●" if row.flag else " ", style=FLAG_STYLES.get(row.flag, ""))
        elif column == "card":
            cell = Text(one_line(front_text(row.ref, lang), card_width))
        elif column == "state":
            cell = state_text(row, t)
        elif column == "due":
            cell = Text(due_text(row, now, t))
        elif column == "recall":
            cell = Text(none if row.recall is None else f"{row.recall:.0%}")
        elif column == "interval":
            cell = Text(days_text(row.interval_days, t))
        elif column == "kind":
            cell = Text(one_line(t(f"study.kind.{row.kind}"), fixed_width("kind", t)))
        elif column == "topic":
            cell = Text(one_line(row.ref.topic.title.get(lang), fixed_width("topic", t)))
        elif column == "stability":
            cell = Text(days_text(row.stability, t))
        elif column == "difficulty":
            cell = Text(none if row.difficulty is None else f"{row.difficulty:.1f}")
        else:
            cell = Text(str(getattr(row, column)))
        cells.append(cell)
    return cells
