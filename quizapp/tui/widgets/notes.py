"""Topic notes: the Markdown the decks use (headings, paragraphs, lists, fences, bold, italics),
each block drawn as Prose so that it wraps like the cards do.

Textual's Markdown widget breaks lines only at spaces, so Chinese after an inline formula left
half-empty lines; its fences scroll sideways without a scrollbar, so a formula wider than the
pane lost its right half; and a fence without a language sent Pygments guessing through every
lexer it has. The notes hold no code: fences are formulas and worked numbers, shown as plain
text that wraps with its indent.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.text import Text
from textual.containers import Vertical

from quizapp.textflow import is_cjk
from quizapp.tui.widgets.prose import Prose

_PARSER = MarkdownIt("commonmark")
_STYLES = {"strong": "bold", "em": "italic", "code_inline": "bold"}


def inline_text(token: Token) -> Text:
    """An inline token's children as styled text; a soft break joins the lines it split."""
    text = Text()
    styles: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("strong_open", "em_open"):
            styles.append(_STYLES[kind[:-5]])
        elif kind in ("strong_close", "em_close"):
            if styles:
                styles.pop()
        elif kind in ("softbreak", "hardbreak"):
            last = text.plain[-1:] or " "
            text.append("\n" if kind == "hardbreak" else ("" if is_cjk(last) else " "))
        else:
            text.append(child.content, style=" ".join(styles) or None)
    return text


def blocks(markdown: str) -> list[tuple[str, Text]]:
    """(kind, text) per block: h1–h6, para, item (marker and nesting included), fence."""
    out: list[tuple[str, Text]] = []
    lists: list[list[int]] = []  # per open list: [next number] (0 for a bullet list)
    pending_marker = ""
    tokens = _PARSER.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1) if token.type == "ordered_list_open" else 0
            lists.append([start])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open" and lists:
            number = lists[-1][0]
            pending_marker = "  " * (len(lists) - 1) + (f"{number}. " if number else "• ")
            if number:
                lists[-1][0] += 1
        elif token.type == "inline":
            opener = tokens[index - 1].type if index else ""
            text = inline_text(token)
            if opener == "heading_open":
                out.append((tokens[index - 1].tag, text))
            elif pending_marker:
                out.append(("item", Text(pending_marker) + text))
                pending_marker = ""
            elif lists:  # a second paragraph inside a list item: indented under its text
                out.append(("item", Text("  " * len(lists)) + text))
            else:
                out.append(("para", text))
        elif token.type in ("fence", "code_block"):
            out.append(("fence", Text(token.content.rstrip("\n"))))
    return out


class NotesView(Vertical):
    """The notes of one topic, re-laid out whenever the text (or the language) changes."""

    DEFAULT_CSS = """
    NotesView {
        height: auto;
        padding: 0 2;
    }
    NotesView > .h1, NotesView > .h2 {
        text-style: bold;
        color: $accent;
        margin: 1 0;
    }
    NotesView > .h3, NotesView > .h4 {
        text-style: bold;
        margin: 1 0 0 0;
    }
    NotesView > .para {
        margin: 0 0 1 0;
    }
    NotesView > .fence {
        padding: 1 2;
        margin: 0 0 1 0;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = ""

    def update(self, markdown: str) -> None:
        if markdown == self.source and self.children:
            return
        self.source = markdown
        self.remove_children()
        widgets = [Prose(text, classes=kind) for kind, text in blocks(markdown)]
        # A list ends with space under it, like a paragraph does.
        for widget, after in zip(widgets, [*widgets[1:], None]):
            if widget.has_class("item") and (after is None or not after.has_class("item")):
                widget.styles.margin = (0, 0, 1, 0)
        self.mount_all(widgets)

    @property
    def plain(self) -> str:
        """The notes as shown, block by block (tests, screen readers)."""
        return "\n".join(widget.text for widget in self.query(Prose))
