"""The browser (`b` everywhere): a search box with live results, a sortable table of the cards,
a detail pane (the card as studied, its schedule, forgetting curve and history), and actions on
the selected cards (or the highlighted one): suspend, bury, flag, forget, due date, study now,
edit in $EDITOR, add a card. Searching uses the one query language (quizapp.search)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from quizapp.search import CardIndex, CardRow, QueryError, parse_query, sort_rows
from quizapp.tui.screens.browse_actions import BrowseActions
from quizapp.tui.widgets.card_detail import CardDetail
from quizapp.tui.widgets.card_table import SORT_OF, choose_columns, fixed_width, row_cells
from quizapp.tui.widgets.keybar import KeyBar
from quizapp.tui.widgets.ordered_input import OrderedInput

ROW_CAP = 1000  # rows put in the table; the count says how many matched
SEARCH_DELAY = 0.15  # seconds of quiet typing before searching
SORT_CYCLE = ("order", "due", "recall", "interval", "lapses", "state", "kind", "key")


class BrowseTable(DataTable[Text]):
    """The results; tells the screen when its width changes (columns are chosen to fit)."""

    _width = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            screen = self.screen
            if isinstance(screen, BrowseScreen):
                screen.call_after_refresh(screen.fill_table)


class BrowseScreen(BrowseActions, Screen[None]):
    CSS_PATH = "browse.tcss"
    AUTO_FOCUS = "#browse-query"
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("slash", "search", "Search", id="search"),
        Binding("space", "toggle_select", "Select", id="select"),
        Binding("m", "actions", "Actions", id="actions"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("a", "add", "Add", id="add"),
        Binding("ctrl+a", "select_all", "All", show=False),
        Binding("ctrl+d", "select_none", "None", show=False),
        Binding("x", "suspend", "Suspend", show=False),
        Binding("minus", "bury", "Bury", show=False),
        Binding("f", "flag", "Flag", show=False),
        Binding("n", "forget", "Forget", show=False),
        Binding("d", "set_due", "Due", show=False),
        Binding("s", "study", "Study", show=False),
        Binding("o", "sort_next", "Sort", show=False),
        Binding("O", "sort_reverse", "Reverse", show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.index: CardIndex | None = None
        self.results: list[CardRow] = []
        self.shown: list[CardRow] = []
        self.selected: set[str] = set()
        self.sort_column = "order"
        self.descending = False
        self.error: str | None = None
        self._search_timer: Any = None
        self._texts: dict[str, Any] = {}  # normalized card texts, kept across reloads
        self._columns: tuple[Any, ...] = ()

    @property
    def quiz(self) -> Any:
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield OrderedInput(self.initial_query, id="browse-query", select_on_focus=False)
        yield Static(id="browse-status", markup=False)
        with Container(id="browse-body"):
            yield BrowseTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            yield CardDetail(id="browse-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#browse-query", Input).cursor_blink = False
        self.apply_language()
        self.reload_index()

    def on_screen_resume(self) -> None:
        self.reload_index()  # back from studying or editing: states and content changed

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_bindings()  # the key bar asks binding_shown again

    def binding_shown(self, binding: Binding) -> bool:
        """Below 100 columns `space Select` gives way so the keys fit one line at 80 (it stays in
        the actions menu and in help)."""
        return binding.id != "select" or self.app.size.width >= 100

    def library_changed(self) -> None:
        self.reload_index()

    def apply_language(self) -> None:
        self.refresh_bindings()
        self.sub_title = self.quiz.t("browse.title")
        self.query_one("#browse-query", Input).placeholder = self.quiz.t("browse.placeholder")
        self.fill_table()

    # ---- searching ---------------------------------------------------------------------------
    def reload_index(self) -> None:
        """Read the cards' state from the store again, then search again."""
        app = self.quiz
        self.index = CardIndex(app.library, app.store, app.now(), self._texts)
        self.run_search()
        self._warm_texts(self.index)

    @work(thread=True, exclusive=True, group="browse-texts", exit_on_error=False)
    def _warm_texts(self, index: CardIndex) -> None:
        index.warm()  # the first free-text search then costs no more than the next ones; re-sorts are faster

    def refresh_rows(self, keys: list[str]) -> None:
        """After an action on these cards: read just them again, then search again."""
        if self.index is not None:
            self.index.refresh(keys)
        self.run_search()

    @on(Input.Changed, "#browse-query")
    def _query_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.run_search)

    @on(Input.Submitted, "#browse-query")
    def _query_submitted(self) -> None:
        self.run_search()
        self.query_one("#browse-table", DataTable).focus()

    def run_search(self) -> None:
        """Search with the box's text; a malformed query shows where, and keeps the old results."""
        if self.index is None:
            return
        text = self.query_one("#browse-query", Input).value
        try:
            query = parse_query(text)
        except QueryError as exc:
            self.error = self.quiz.t("browse.error", column=exc.column, message=exc.message)
            self.show_status()
            return
        self.error = None
        self.results = sort_rows(self.index.find(query), self.sort_column, descending=self.descending)
        live = {row.key for row in self.results}
        self.selected &= live
        self.fill_table()

    # ---- the table ---------------------------------------------------------------------------
    def fill_table(self) -> None:
        table = self.query_one("#browse-table", DataTable)
        app = self.quiz
        t, lang, now = app.t, app.lang, app.now()
        current = self.current_row()
        # The outer width (a scrollbar appearing does not change it, so the columns do not either);
        # before the first layout, a guess that the resize after it corrects.
        width = table.size.width or app.size.width * (3 if self.has_class("-wide") else 5) // 5
        columns, card_width = choose_columns(width, t)
        labels = [Text(t(f"browse.col.{column}")) for column in columns]
        for column, label in zip(columns, labels):
            if SORT_OF.get(column) == self.sort_column and self.sort_column != "order":
                label.append(" ▼" if self.descending else " ▲")
        signature = (tuple(columns), card_width, tuple(label.plain for label in labels))
        if signature != self._columns:
            # Rebuilt only when they change (every keystroke would trip a DataTable width-cache
            # bug in Textual 8.2.8, as the dashboard notes).
            self._columns = signature
            table.clear(columns=True)
            for column, label in zip(columns, labels):
                table.add_column(label, key=column,
                                 width=card_width if column == "card" else fixed_width(column, t))
        else:
            table.clear()
        self.shown = self.results[:ROW_CAP]
        for row in self.shown:
            table.add_row(*row_cells(row, columns, card_width, row.key in self.selected, now, lang, t), key=row.key)
        if self.shown:
            keys = [r.key for r in self.shown]
            position = keys.index(current.key) if current is not None and current.key in keys else 0
            table.move_cursor(row=position)
        self.show_status()
        self.show_detail()

    def current_row(self) -> CardRow | None:
        table = self.query_one("#browse-table", DataTable)
        if not self.shown or table.row_count == 0 or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def show_status(self) -> None:
        t = self.quiz.t
        status = self.query_one("#browse-status", Static)
        status.set_class(self.error is not None, "-error")
        if self.error is not None:
            status.update(self.error)
            return
        n = len(self.results)
        parts = [t("browse.count-capped", n=f"{n:,}", shown=f"{ROW_CAP:,}") if n > ROW_CAP else t("browse.count", n=f"{n:,}")]
        if self.selected:
            parts.append(t("browse.selected", n=len(self.selected)))
        if self.sort_column != "order":
            column = next((c for c, s in SORT_OF.items() if s == self.sort_column), self.sort_column)
            parts.append(t("browse.sorted", column=t(f"browse.col.{column}"), arrow="▼" if self.descending else "▲"))
        status.update(" · ".join(parts))

    def show_detail(self) -> None:
        self.query_one(CardDetail).show(self.current_row())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "browse-table":
            self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "browse-table":
            self.toggle_class("-details")

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = SORT_OF.get(str(event.column_key.value))
        if column is not None:
            self.set_sort(column, not self.descending if column == self.sort_column else False)

    def set_sort(self, column: str, descending: bool) -> None:
        self.sort_column, self.descending = column, descending
        if column == "order":  # the search gives library order
            self.run_search()
            return
        self.results = sort_rows(self.results, column, descending=descending)
        self.fill_table()

    # ---- keys --------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        query = self.query_one("#browse-query", Input)
        if query.has_focus and event.key in ("down", "escape", "tab"):
            event.stop()
            event.prevent_default()
            self.query_one("#browse-table", DataTable).focus()

    def action_back(self) -> None:
        if self.has_class("-details"):
            self.remove_class("-details")
            return
        self.app.pop_screen()

    def action_search(self) -> None:
        self.remove_class("-details")
        self.query_one("#browse-query", Input).focus()

    def action_sort_next(self) -> None:
        following = SORT_CYCLE[(SORT_CYCLE.index(self.sort_column) + 1) % len(SORT_CYCLE)] \
            if self.sort_column in SORT_CYCLE else "order"
        self.set_sort(following, False)

    def action_sort_reverse(self) -> None:
        self.set_sort(self.sort_column, not self.descending)

    def action_toggle_select(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.selected.symmetric_difference_update({row.key})
        table = self.query_one("#browse-table", DataTable)
        app = self.quiz
        sel = row_cells(row, ["sel"], 0, row.key in self.selected, app.now(), app.lang, app.t)[0]
        table.update_cell(row.key, "sel", sel)
        table.move_cursor(row=min(table.cursor_row + 1, len(self.shown) - 1))
        self.show_status()

    def action_select_all(self) -> None:
        self.selected = {row.key for row in self.results}
        self.fill_table()

    def action_select_none(self) -> None:
        self.selected.clear()
        self.fill_table()
