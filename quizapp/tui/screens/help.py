"""The help screen (?): every key, grouped by where it applies, in the current language."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# (section key, [(keys, description key)])
HELP_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "help.global",
        [
            ("ctrl+p", "help.k.palette"),
            ("b", "help.k.browse"),
            ("?", "help.k.help"),
            ("ctrl+q", "help.k.quit"),
        ],
    ),
    (
        "help.dashboard",
        [
            ("s", "help.k.study-due"),
            ("↑ ↓  enter", "help.k.study-row"),
            ("t", "help.k.topic"),
            ("S  ctrl+s", "help.k.stats"),
            (",", "help.k.settings"),
            ("l", "help.k.language"),
            ("a", "help.k.add"),
        ],
    ),
    (
        "help.study",
        [
            ("space  enter", "help.k.reveal"),
            ("enter", "help.k.submit"),
            ("1 2 3 4", "help.k.rate"),
            ("enter  space", "help.k.accept"),
            ("a … h", "help.k.letters"),
            ("↑ ↓  j k  space", "help.k.arrows"),
            ("escape", "help.k.leave-box"),
            ("tab  enter", "help.k.focus"),
            ("u  ctrl+z", "help.k.undo"),
            ("s", "help.k.skip"),
            ("@", "help.k.suspend-card"),
            ("-", "help.k.bury-card"),
            ("*", "help.k.flag-card"),
            ("e", "help.k.edit"),
            ("q", "help.k.end"),
            ("escape", "help.k.end-confirm"),
        ],
    ),
    (
        "help.topic",
        [
            ("n  i", "help.k.tabs"),
            ("s  enter", "help.k.topic-study"),
            ("p", "help.k.practice"),
            ("d", "help.k.drill"),
            ("x", "help.k.suspend"),
            ("e", "help.k.edit"),
            ("escape", "help.k.back"),
        ],
    ),
    (
        "help.browse",
        [
            ("/", "help.k.search"),
            ("space", "help.k.select"),
            ("m", "help.k.actions"),
            ("e", "help.k.edit"),
            ("a", "help.k.add"),
        ],
    ),
    (
        "help.other",
        [
            ("r", "help.k.refresh"),
            ("ctrl+s", "help.k.save"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(id="help-title", markup=False)
            yield Static(id="help-table")
            yield Static(id="help-close", markup=False)

    def on_mount(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        app: Any = self.app
        self.query_one("#help-title", Static).update(app.t("help.title"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")  # Chinese has no spaces to wrap at: fold, never cut
        for section, rows in HELP_SECTIONS:
            table.add_row(Text(app.t(section), style="underline"), Text(""))
            for keys, description in rows:
                table.add_row(Text(keys), Text(app.t(description)))
            table.add_row(Text(""), Text(""))
        self.query_one("#help-table", Static).update(table)
        self.query_one("#help-close", Static).update(app.t("help.close"))

    def plain_text(self) -> str:
        """The key table as plain lines (what the screen shows, for tests and screen readers)."""
        app: Any = self.app
        lines: list[str] = []
        for section, rows in HELP_SECTIONS:
            lines.append(app.t(section))
            lines.extend(f"  {keys}  {app.t(description)}" for keys, description in rows)
        return "\n".join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
