"""Text that wraps the way both languages are set: Chinese may break between any two characters
(never before closing punctuation), Latin words stay whole, list items hang. Textual's own wrap
breaks only at spaces, which left half-empty lines wherever Chinese met a Latin word.

Content text is never read as markup: Prose shows exactly the characters it is given.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

from quizapp.textflow import cells, wrap_segments


class Prose(Widget):
    DEFAULT_CSS = """
    Prose {
        height: auto;
    }
    """

    def __init__(self, text: str | Text = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._styled = text if isinstance(text, Text) else Text(text)

    @property
    def text(self) -> str:
        return self._styled.plain

    def update(self, text: str | Text) -> None:
        """Plain text, or a rich Text whose styles (bold, italics) survive the wrapping."""
        styled = text if isinstance(text, Text) else Text(text)
        if styled != self._styled:
            self._styled = styled
            self.refresh(layout=True)

    def render(self) -> RenderResult:
        width = self.content_size.width or self.size.width or 80
        lines = [Text(indent) + self._styled[start:end]
                 for indent, start, end in wrap_segments(self._styled.plain, width)]
        return Text("\n", no_wrap=True, overflow="crop", end="").join(lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cells(line) for line in self.text.split("\n")), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap_segments(self.text, width)) if self.text else 0
