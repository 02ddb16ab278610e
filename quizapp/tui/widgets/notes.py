"""Topic notes as Markdown, with fenced blocks shown as plain text.

The notes' fences hold formulas and worked numbers, not code, and carry no language. Textual
then asks Pygments' guess_lexer, which tries every lexer it has: about a second to open a topic
with a few fences (and again on every theme change), and it colours formulas as if they were
some programming language.
"""

from __future__ import annotations

from typing import ClassVar

from markdown_it.token import Token
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence


class PlainFence(MarkdownFence):
    """A fence without a language is plain text (no lexer guessing)."""

    def __init__(self, markdown: Markdown, token: Token, code: str) -> None:
        if not token.info:
            token.info = "text"
        super().__init__(markdown, token, code)


class NotesMarkdown(Markdown):
    BLOCKS: ClassVar[dict[str, type[MarkdownBlock]]] = {
        **Markdown.BLOCKS,
        "fence": PlainFence,
        "code_block": PlainFence,
    }
