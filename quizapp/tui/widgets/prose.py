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

from quizapp.textflow import cells, wrap


class Prose(Widget):
    DEFAULT_CSS = """
    Prose {
        height: auto;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh(layout=True)

    def _lines(self, width: int) -> list[str]:
        return wrap(self._text, width) if self._text else []

    def render(self) -> RenderResult:
        width = self.content_size.width or self.size.width or 80
        return Text("\n".join(self._lines(width)), no_wrap=True, overflow="crop", end="")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cells(line) for line in self._text.split("\n")), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))
