"""A year of review activity as a weeks × weekdays grid, coloured with the theme's colours."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.color import Color
from textual.reactive import reactive
from textual.widget import Widget

from quizapp.tui.widgets.charts import theme_colour

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = {"en": ("Mon", "", "Wed", "", "Fri", "", ""), "zh": ("一", "", "三", "", "五", "", "")}
LEGEND = {"en": ("less", "more"), "zh": ("少", "多")}
LABEL_WIDTH = 4
LEVELS = 4  # non-empty intensity levels


def level_of(count: int, peak: int) -> int:
    """0 for no reviews, else 1..LEVELS by the share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(LEVELS, -(-count * LEVELS // peak)))


def week_columns(days: list[tuple[date, int]]) -> list[list[tuple[date, int] | None]]:
    """Split consecutive days into Monday-first weeks; None pads before the first and after the last day."""
    if not days:
        return []
    columns: list[list[tuple[date, int] | None]] = []
    week: list[tuple[date, int] | None] = [None] * days[0][0].weekday()
    for entry in days:
        week.append(entry)
        if len(week) == 7:
            columns.append(week)
            week = []
    if week:
        columns.append(week + [None] * (7 - len(week)))
    return columns


class ActivityHeatmap(Widget):
    """GitHub-style calendar of reviews per day. Set `days` (oldest first) and `lang`."""

    DEFAULT_CSS = """
    ActivityHeatmap { height: 10; width: 1fr; }
    """

    days: reactive[list[tuple[date, int]]] = reactive(list, layout=True)
    lang: reactive[str] = reactive("en")

    def __init__(self, days: list[tuple[date, int]] | None = None, *, lang: str = "en",
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(ActivityHeatmap.days, list(days or []))
        self.set_reactive(ActivityHeatmap.lang, lang)

    def palette(self) -> list[str]:
        variables = self.app.theme_variables
        empty = Color.parse(variables.get("panel", "#333333"))
        high = Color.parse(variables.get("success", "#4EBF71"))
        low = Color.parse(variables.get("surface", "#1e1e1e"))
        colours = [empty.hex]
        for level in range(1, LEVELS + 1):
            colours.append(low.blend(high, 0.25 + 0.75 * level / LEVELS).hex)
        return colours

    def render(self) -> Text:
        lang = "zh" if self.lang == "zh" else "en"
        columns = week_columns(self.days)
        width = max(self.size.width, LABEL_WIDTH + 1)
        cell = 2 if LABEL_WIDTH + 2 * len(columns) <= width else 1
        fit = max(1, (width - LABEL_WIDTH) // cell)
        columns = columns[-fit:]  # narrow terminals keep the most recent weeks
        peak = max((n for _, n in self.days), default=0)
        colours = self.palette()
        muted = theme_colour(self.app, "foreground-muted")
        text = Text(no_wrap=True, overflow="crop")
        text.append(self._month_row(columns, cell, lang, width) + "\n", style=muted)
        glyph = "■ " if cell == 2 else "▪"
        for weekday in range(7):
            text.append(WEEKDAYS[lang][weekday].ljust(LABEL_WIDTH - (1 if lang == "zh" and WEEKDAYS[lang][weekday] else 0)), style=muted)
            for column in columns:
                entry = column[weekday]
                if entry is None:
                    text.append(" " * cell)
                else:
                    text.append(glyph, style=colours[level_of(entry[1], peak)])
            text.append("\n")
        less, more = LEGEND[lang]
        text.append(" " * LABEL_WIDTH + less + " ", style=muted)
        for colour in colours:
            text.append(glyph, style=colour)
        text.append(" " + more, style=muted)
        return text

    @staticmethod
    def _month_row(columns: list[list[tuple[date, int] | None]], cell: int, lang: str, width: int) -> str:
        row = [" "] * (LABEL_WIDTH + cell * len(columns))
        last_month = None
        for index, column in enumerate(columns):
            first = next((entry[0] for entry in column if entry is not None), None)
            if first is None or first.month == last_month:
                continue
            last_month = first.month
            start = LABEL_WIDTH + index * cell
            # "11月" where it fits, else "11" (next to "10月" the meaning is plain), a week later
            # if need be: a month is never left unnamed.
            long = MONTHS_EN[first.month - 1] if lang == "en" else f"{first.month}月"
            for label, at in ((lab, start + shift) for shift in (0, cell) for lab in dict.fromkeys((long, long.rstrip("月")))):
                span = len(label) + (1 if label.endswith("月") else 0)  # CJK takes two cells
                # A label needs its own cells and a blank before it, or it would run into the last;
                # the last month's label may run past the grid's end, not past the widget's.
                if at + span > width:
                    continue
                row.extend(" " * max(0, at + span - len(row)))
                if all(ch == " " for ch in row[max(0, at - 1):at + span]):
                    row[at:at + span] = list(label) + ([""] if label.endswith("月") else [])
                    break
        return "".join(row).rstrip()


def year_of_days(counts: dict[date, int], today: date, days: int = 365) -> list[tuple[date, int]]:
    """The last `days` days ending today, oldest first, zero where nothing was reviewed."""
    start = today - timedelta(days=days - 1)
    return [(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0)) for i in range(days)]
