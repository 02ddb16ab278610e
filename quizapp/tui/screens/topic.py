"""The topic screen: the topic's notes (Markdown, unicode formulas), its cards and their state,
and three ways to study it: the normal queue, practice (no schedule change) and an exercise drill
(fresh instances of one exercise family)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, getters, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from quizapp.search.display import exercise_label, front_text, one_line
from quizapp.timing import DAY_MS, day_bounds, to_ms
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.bars import mastery_bar
from quizapp.tui.widgets.keybar import KeyBar
from quizapp.tui.widgets.notes import NotesView
from quizapp.tui.widgets.prose import Prose

STATE_KEYS = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


def exercise_families(topic: Any) -> list[str]:
    return list(dict.fromkeys(i.family for i in topic.items if i.kind == "exercise" and i.family))


class DrillPicker(ModalScreen[str | None]):
    """Choose the exercise family to drill (only shown when the topic has more than one)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]
    DEFAULT_CSS = """
    DrillPicker { align: center middle; }
    DrillPicker > Vertical {
        width: 60; max-width: 90%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DrillPicker #drill-title { text-style: bold; color: $accent; }
    DrillPicker #drill-hint { color: $text-muted; }
    DrillPicker OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, families: list[str], count: int) -> None:
        super().__init__()
        self.families = families
        self.count = count

    def compose(self) -> ComposeResult:
        app: Any = self.app
        with Vertical():
            yield Static(app.t("topic.drill-title"), id="drill-title", markup=False)
            yield OptionList(*(Option(Text(exercise_label(f)), id=f) for f in self.families))
            yield Static(app.t("topic.drill-hint", n=self.count), id="drill-hint", markup=False)

    def on_mount(self) -> None:
        self._load_titles(str(getattr(self.app, "lang", "en")))

    @work(thread=True, exclusive=True, group="drill-titles")
    def _load_titles(self, lang: str) -> None:
        """The families' own titles, in the learner's language (loading a family imports numpy
        and sympy: off the UI thread; until then the options show the readable names)."""
        from quizapp.exercises import get_family

        titles: dict[str, str] = {}
        for family in self.families:
            try:
                titles[family] = get_family(family).title.get(lang)
            except Exception:  # a broken family keeps its readable name
                continue
        self.app.call_from_thread(self._show_titles, titles)

    def _show_titles(self, titles: dict[str, str]) -> None:
        if not self.is_attached:
            return
        option_list = self.query_one(OptionList)
        for family, title in titles.items():
            option_list.replace_option_prompt(family, Text(title))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ItemsBox(Vertical):
    """The items table's box: tells the screen when its width changes."""

    _width = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            screen = self.screen
            if isinstance(screen, TopicScreen):
                screen.items_box_resized()


class TopicScreen(Screen[None]):
    CSS_PATH = "topic.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("s", "study", "Study", id="study-this"),
        Binding("p", "practice", "Practice", id="practice"),
        Binding("d", "drill", "Drill", id="drill"),
        Binding("x", "toggle_suspend", "Suspend", id="suspend"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("n", "show_tab('tab-notes')", "Notes", id="show-notes"),
        Binding("i", "show_tab('tab-items')", "Items", id="show-items"),
        Binding("tab", "app.focus_next", "Focus", show=False),
    ]
    DRILL_COUNT = 10

    def __init__(self, topic_id: str) -> None:
        super().__init__()
        self.topic_id = topic_id

    quiz = getters.app(QuizApp)

    @property
    def topic(self) -> Any:
        return self.quiz.library.topic(self.topic_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="topic-top"):
            yield Static(id="topic-title", markup=False)
            yield Static(id="topic-counts")
        # Notes and items each get the full width (side by side, the notes' formulas were cut).
        with TabbedContent(id="topic-tabs", initial="tab-items"):
            with TabPane("Notes", id="tab-notes"), VerticalScroll(id="topic-notes-box"):
                yield NotesView(id="topic-notes")
            with TabPane("Items", id="tab-items"), ItemsBox(id="topic-items-box"):
                yield DataTable(id="topic-items", cursor_type="row", zebra_stripes=True)
        yield Prose(id="topic-hint")
        yield KeyBar()

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#topic-tabs", TabbedContent).active = tab
        target = "#topic-notes-box" if tab == "tab-notes" else "#topic-items"
        self.query_one(target).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n / i switch to the tab not on show; the item keys act on the items tab only."""
        if not self.is_mounted:
            return True
        active = self.query_one("#topic-tabs", TabbedContent).active
        if action == "show_tab":
            return parameters[0] != active
        if action in ("toggle_suspend", "edit"):
            return active == "tab-items"
        return True

    def on_tabbed_content_tab_activated(self) -> None:
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.apply_language()
        self.query_one("#topic-items", DataTable).focus()
        self.call_after_refresh(self.reload_items)  # again with the laid-out width

    def translate_keys(self) -> None:
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self.reload_items()  # back from studying: states and due dates changed

    def on_resize(self) -> None:
        # The item column's width follows the terminal: measure once the new layout is done.
        self.call_after_refresh(self.reload_items)

    def items_box_resized(self) -> None:
        """The box changed width without the terminal doing so (the wide layout applied after
        the first measure): fit the item column again."""
        self.reload_items()

    def apply_language(self) -> None:
        app, topic = self.quiz, self.topic
        t, lang = app.t, app.lang
        self.translate_keys()
        self.sub_title = topic.title.get(lang) if topic else self.topic_id
        if topic is None:
            self.query_one("#topic-title", Static).update(t("topic.missing", id=self.topic_id))
            return
        self.query_one("#topic-title", Static).update(topic.title.get(lang))
        notes = topic.notes.get(lang).strip() if topic.notes else ""
        self.query_one("#topic-notes", NotesView).update(notes or t("topic.no-notes"))
        tabs = self.query_one("#topic-tabs", TabbedContent)
        tabs.get_tab("tab-notes").label = t("topic.notes")
        tabs.get_tab("tab-items").label = t("topic.items")
        self.query_one("#topic-hint", Prose).update(t("topic.hint"))
        self.reload_items()

    # ---- the items table -----------------------------------------------------------------------
    def reload_items(self) -> None:
        app, topic = self.quiz, self.topic
        if topic is None:
            return
        t, lang = app.t, app.lang
        table = self.query_one("#topic-items", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        # The item text goes last: it is the long one, and the state columns must stay in view.
        for key in ("state", "due", "kind", "item"):
            table.add_column(Text(t(f"topic.col.{key}")), key=key)
        now = app.now()
        now_ms = to_ms(now)
        refs = app.library.cards_of(topic.id)
        states = app.store.cards_of_topic(topic.id)
        rows = []
        for ref in refs:
            state = states.get(ref.key)
            label, due_text, _due = self._state_cells(state, now_ms, now)
            rows.append((label, Text(due_text), Text(t(f"kind.short.{ref.kind}")), front_text(ref, lang), ref.key))
        # The item text gets whatever the other columns leave (no sideways scrolling at 80 columns).
        headers = [t(f"topic.col.{key}") for key in ("state", "due", "kind")]
        others = sum(
            max([cell_len(h)] + [r[i].cell_len for r in rows]) for i, h in enumerate(headers)
        )
        box = self.query_one("#topic-items-box").content_size.width
        room = box or self.app.size.width - 4
        width = max(12, room - others - 2 * 4 - 2)  # 4 columns of padding, the scrollbar
        for label, due_text, kind_text, prompt, key in rows:
            table.add_row(label, due_text, kind_text, Text(one_line(prompt, width)), key=key)
        if refs:
            table.move_cursor(row=min(max(cursor, 0), len(refs) - 1))
        due = app.store.due_counts(now, app.settings, topic.id)
        progress = app.store.progress_by_topic(now).get(topic.id)
        counts = Text(t("topic.counts", cards=len(refs), due=due.due, new=due.new, mastery=""))
        counts.append_text(mastery_bar(progress.mastery if progress else 0.0))
        self.query_one("#topic-counts", Static).update(counts)

    def _state_cells(self, state: Any, now_ms: int, now: datetime) -> tuple[Text, str, bool]:
        t = self.quiz.t
        if state is None or state.state == 0:
            label = Text(t("topic.state.new"), style="italic")
            if state is not None and state.suspended:
                label.append(" · " + t("topic.state.suspended"), style="bold")
            return label, t("topic.due.none"), False
        label = Text(t(f"topic.state.{STATE_KEYS.get(state.state, 'review')}"))
        if state.leech:
            label.append(" · " + t("topic.state.leech"), style="bold")
        if state.suspended:
            label.append(" · " + t("topic.state.suspended"), style="bold")
            return label, t("topic.due.none"), False
        if state.due is None:
            return label, t("topic.due.none"), False
        if state.due <= now_ms:
            return label, t("topic.due.now"), True
        _, day_end = day_bounds(now)
        if state.due < int(day_end.timestamp() * 1000):
            return label, t("topic.due.today"), True
        days = max(1, round((state.due - now_ms) / DAY_MS))
        return label, t("topic.due.in-days", n=days), False

    # ---- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_study(self) -> None:
        self.quiz.start_study(self.topic_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_study()

    def action_practice(self) -> None:
        self.quiz.start_study(self.topic_id, practice=True)

    def action_drill(self) -> None:
        topic = self.topic
        families = exercise_families(topic) if topic else []
        if not families:
            self.notify(self.quiz.t("topic.no-exercises"), severity="warning")
            return
        if len(families) == 1:
            self._start_drill(families[0])
            return
        self.app.push_screen(DrillPicker(families, self.DRILL_COUNT), self._start_drill)

    def _highlighted_key(self) -> str | None:
        table = self.query_one("#topic-items", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_edit(self) -> None:
        key = self._highlighted_key()
        if key is not None:
            self.quiz.edit_card(key)

    def action_toggle_suspend(self) -> None:
        """Suspend the highlighted card (out of every queue), or unsuspend it, by hand."""
        key = self._highlighted_key()
        if key is None:
            return
        app = self.quiz
        state = app.store.card(key)
        if state is not None and state.suspended:
            app.store.unsuspend(key, now=app.now())
        else:
            app.store.suspend(key, now=app.now())
        self.reload_items()

    def _start_drill(self, family: str | None) -> None:
        if family:
            self.quiz.start_study(self.topic_id, drill_family=family, limit=self.DRILL_COUNT)
