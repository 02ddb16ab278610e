"""The dashboard: topics with due/new counts, mastery and last studied; today's totals; start."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizapp.textflow import wrap
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.bars import clock_time, last_studied, mastery_bar
from quizapp.tui.widgets.keybar import KeyBar

ALL_ROW = "__all__"
COUNT_COLUMNS = ("new", "learning", "review")  # Anki's three numbers (quizapp.store.queries)
MIN_TITLE = 12
WIDE_TABLE = 72  # from this table width on, the mastery bar and "last studied" fit
BAR_WIDTH = 8


class DashboardScreen(Screen[None]):
    CSS_PATH = "dashboard.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "study_due", "Review due", id="study-due"),
        Binding("t", "open_topic", "Topic", id="open-topic"),
        Binding("S", "stats", "Stats", id="stats"),
        Binding("ctrl+s", "stats", "Stats", show=False, id="stats-ctrl"),
        Binding("comma", "settings", "Settings", id="settings"),
        Binding("l", "toggle_language", "中文", id="language"),
        Binding("a", "add_card", "Add", id="add"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dash-body"):
            with Vertical(id="dash-main"):
                yield Static(id="dash-today", markup=False)
                yield Static(id="dash-totals", markup=False)
                yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
                yield Static(id="dash-hint", markup=False)
                yield Static(id="dash-problems", markup=False)
            with Vertical(id="dash-side"):
                yield Static(id="side-title", markup=False)
                yield Static(id="side-summary", markup=False)
        yield KeyBar()

    quiz = getters.app(QuizApp)

    _data: Any = None

    def on_mount(self) -> None:
        self.query_one("#topics", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def apply_language(self) -> None:
        self.reload()

    # ---- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Recount from the store (fast SQL; runs on the UI thread, the store is thread-bound)."""
        from quizapp.stats.dashboard import dashboard

        app = self.quiz
        try:
            data = dashboard(app.store, app.library, app.settings, app.now())
        except Exception as exc:  # e.g. sqlite3.DatabaseError: say so, keep the app usable
            self.notify(app.t("misc.error", error=exc), severity="error", markup=False)
            return
        self._data = data
        self._render_counts(data)

    def _render_counts(self, data: Any) -> None:
        app = self.quiz
        t = app.t
        totals = data.totals
        self.query_one("#dash-today", Static).update(t(
            "dash.today", reviewed=totals.reviewed_today, time=clock_time(totals.seconds_today),
            streak=totals.streak_days,
        ))
        self.query_one("#dash-totals", Static).update(
            t("dash.totals", new=totals.new, learning=totals.learning, review=totals.review)
            + ("" if totals.due or totals.new else "  " + t("dash.nothing-due"))
        )
        self._render_table(data)
        self.query_one("#dash-hint", Static).update(t("dash.start-hint"))
        problems = len(getattr(app.library, "problems", ()) or ())
        notice = self.query_one("#dash-problems", Static)
        notice.update(t("dash.problems", n=problems) if problems else "")
        notice.display = bool(problems)
        self._show_side(self.selected_topic_id())

    def _render_table(self, data: Any) -> None:
        app = self.quiz
        t, totals = app.t, data.totals
        table = self.query_one("#topics", DataTable)
        cursor_key = self.selected_topic_id() or ALL_ROW
        width = table.size.width or self.app.size.width - 4
        columns = self._columns(width)
        # Columns are rebuilt each time: a DataTable column only ever widens to its widest
        # content, so titles shortened for a narrower terminal would leave it too wide.
        table.clear(columns=True)
        for key in ("topic", *columns):
            table.add_column(Text(t(f"dash.col.{key}")), key=key)
        blank = [Text("") for _ in columns[len(COUNT_COLUMNS):]]
        table.add_row(
            Text(t("dash.all-topics"), style="bold"),
            *(Text(str(getattr(totals, key)), justify="right") for key in COUNT_COLUMNS),
            *blank,
            key=ALL_ROW,
        )
        now = app.now()
        by_id = {row.topic_id: row for row in data.topics}
        rows = []
        for topic in app.library.topics:
            row = by_id.get(topic.id)
            title = topic.title.get(app.lang)
            if not topic.builtin:
                title = f"{title} {t('dash.user-deck')}"
            cells = [Text(str(getattr(row, key) if row else 0), justify="right") for key in COUNT_COLUMNS]
            mastery = row.mastery if row else 0.0
            cells.append(mastery_bar(mastery, BAR_WIDTH if "last" in columns else 0))
            if "last" in columns:
                cells.append(Text(last_studied(row.last_studied if row else None, now, app.lang)))
            rows.append((topic.id, Text(title), cells))
        budget = self._title_budget(width, columns, [cells for _id, _title, cells in rows])
        for topic_id, title_text, cells in rows:
            # A long title wraps onto a second line rather than losing its end.
            lines = wrap(title_text.plain, budget)
            table.add_row(Text("\n".join(lines)), *cells, key=topic_id, height=len(lines))
        try:
            table.move_cursor(row=table.get_row_index(cursor_key))
        except Exception:  # the topic vanished from the library: stay at the top
            table.move_cursor(row=0)

    @staticmethod
    def _columns(width: int) -> tuple[str, ...]:
        """The columns a table `width` cells wide can show in full: the last-studied column and
        the mastery bar go first when the terminal is narrow (the percentage stays)."""
        return (*COUNT_COLUMNS, "mastery", "last") if width >= WIDE_TABLE else (*COUNT_COLUMNS, "mastery")

    def _title_budget(self, width: int, columns: tuple[str, ...], other_cells: list[list[Text]]) -> int:
        """Cells left for the title column so the table fits its own width without scrolling."""
        used = 0
        for column, key in enumerate(columns):
            header = cell_len(self.quiz.t(f"dash.col.{key}"))
            used += max([header] + [row[column].cell_len for row in other_cells]) + 2  # padding
        # the title's own padding (2), the vertical scrollbar (2) and a cell of slack
        return max(MIN_TITLE, width - used - 5)

    def on_resize(self) -> None:
        # After the layout pass, so the table's own width is the new one.
        if self._data is not None:
            self.call_after_refresh(self._render_counts, self._data)

    def selected_topic_id(self) -> str | None:
        table = self.query_one("#topics", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None
        return None if key in (None, ALL_ROW) else str(key)

    def _show_side(self, topic_id: str | None) -> None:
        """The side panel (wide terminals): what the highlighted row holds, in more detail."""
        app = self.quiz
        t = app.t
        topic = app.library.topic(topic_id) if topic_id else None
        data = self._data
        if topic is None:
            self.query_one("#side-title", Static).update(t("dash.all-topics"))
            lines = [t("cmd.help.study-due")]
            if data is not None:
                totals = data.totals
                lines += ["", t("dash.totals", new=totals.new, learning=totals.learning, review=totals.review)]
            self.query_one("#side-summary", Static).update("\n".join(lines))
            return
        self.query_one("#side-title", Static).update(topic.title.get(app.lang))
        lines = [topic.summary.get(app.lang), ""]
        row = None
        if data is not None:
            row = next((r for r in data.topics if r.topic_id == topic.id), None)
        if row is not None:
            lines.append(t("dash.side.counts", new=row.new, learning=row.learning, review=row.review))
            lines.append(f"{t('dash.col.mastery')}: {round(row.mastery * 100)}%")
            lines.append(
                f"{t('dash.col.last')}: {last_studied(row.last_studied, app.now(), app.lang)}"
            )
        kinds: dict[str, int] = {}
        for item in topic.items:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        lines.append("")
        lines.extend(f"{t(f'study.kind.{kind}')}: {count}" for kind, count in kinds.items())
        lines += ["", t("dash.side.keys")]
        self.query_one("#side-summary", Static).update("\n".join(lines))

    # ---- events and actions -------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        self._show_side(None if key in (None, ALL_ROW) else str(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        self.quiz.start_study(None if key in (None, ALL_ROW) else str(key))

    def action_study_due(self) -> None:
        self.quiz.start_study()

    def action_open_topic(self) -> None:
        topic_id = self.selected_topic_id()
        if topic_id is None and self.quiz.library.topics:
            topic_id = self.quiz.library.topics[0].id
        if topic_id is not None:
            self.quiz.open_topic(topic_id)

    def action_stats(self) -> None:
        self.quiz.open_stats()

    def action_settings(self) -> None:
        self.quiz.open_settings()

    def action_add_card(self) -> None:
        self.quiz.open_add_form()

    def action_toggle_language(self) -> None:
        self.quiz.action_toggle_language()
