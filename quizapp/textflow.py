"""Prose for the terminal, in both languages: reflow what YAML hard-wrapped, and wrap to a width
the way Chinese is set (a break may fall between any two CJK characters, never before closing or
after opening punctuation — kinsoku), with Latin words kept whole.

    reflow(text) -> str              one line per paragraph; lists and formula lines kept as lines
    wrap(text, width) -> list[str]   lines of at most `width` cells (CJK characters count 2)

Pure functions, no terminal library: line mode, the TUI and exports share them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LIST_ITEM = re.compile(r"^\s*(?:[-*•▸]|\d+[.)、]|[（(]\d+[)）]|[A-Za-z][.)])\s")
# Never at the start of a line (closing punctuation), never at the end of one (opening).
_NO_START = set("，。、；：！？）」』】》〉”’,.;:!?)]}%…—·")
_NO_END = set("（「『【《〈“‘([{")


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def is_cjk(ch: str) -> bool:
    return char_width(ch) == 2


def _joined(left: str, right: str) -> str:
    """Two hard-wrapped pieces of one sentence: a space between Latin text, none between CJK."""
    if not left or not right:
        return left + right
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return f"{left} {right}"


def reflow(text: str) -> str:
    """Join lines that only the YAML source broke; keep blank lines, list items (joining their
    indented continuation lines) and lines that stand on their own (indented formulas, tables)."""
    if "\n" not in text:  # one line (most questions and options): nothing to join
        return text.rstrip()
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        lines: list[str] = []
        kinds: list[str] = []  # "text" | "item" | "own" for each kept line
        for raw in paragraph.split("\n"):
            line = raw.rstrip()
            indented = raw.startswith("  ")
            if _LIST_ITEM.match(line):
                kind = "item"
            elif indented and kinds and kinds[-1] == "item":
                lines[-1] = _joined(lines[-1], line.strip())  # the item's hard-wrapped tail
                continue
            elif indented or line.lstrip().startswith("|"):
                kind = "own"
            elif kinds and kinds[-1] == "text":
                lines[-1] = _joined(lines[-1], line.strip())
                continue
            else:
                kind = "text"
            lines.append(line)
            kinds.append(kind)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _tokens(line: str) -> list[str]:
    """Unbreakable pieces: a Latin word with its trailing punctuation, one CJK character (with the
    closing punctuation that must follow it, after the opening punctuation before it), or spaces."""
    tokens: list[str] = []
    for match in re.finditer(r"\s+|[^\s]", line):
        piece = match.group(0)
        if tokens and not piece.isspace():
            prev = tokens[-1]
            glue = (
                piece in _NO_START
                or prev[-1] in _NO_END
                or (not is_cjk(piece) and not prev[-1].isspace() and not is_cjk(prev[-1]))
                or (is_cjk(piece) and prev[-1].isdigit())  # "2次" stays together
            )
            if glue:
                tokens[-1] = prev + piece
                continue
        tokens.append(piece)
    return tokens


Segment = tuple[str, int, int]  # (indent to put first, start, end) of one wrapped line


def wrap(text: str, width: int) -> list[str]:
    """Wrap every line of `text` to `width` cells. A continuation line keeps the indentation of a
    list item's text (a hanging indent); a word wider than the line is folded."""
    return [indent + text[start:end] for indent, start, end in wrap_segments(text, width)]


def wrap_segments(text: str, width: int) -> list[Segment]:
    """wrap() as pieces of `text`: (indent, start, end) per line, so styled text can be cut at
    the same places (quizapp.tui's Prose keeps bold and italics this way)."""
    width = max(4, width)
    result: list[Segment] = []
    offset = 0
    for line in text.split("\n"):
        result.extend((indent, offset + a, offset + b) for indent, a, b in _wrap_line(line, width))
        offset += len(line) + 1
    return result


def _hanging(line: str) -> str:
    match = re.match(r"^(\s*(?:[-*•·▸]|\d+[.)、]|[A-Za-z][.)])\s+)", line)
    if match:
        return " " * cells(match.group(1))
    return " " * (len(line) - len(line.lstrip(" ")))


def _wrap_line(line: str, width: int) -> list[Segment]:
    """Segments of one line: a break drops the spaces at it; continuations get the hanging indent."""
    if cells(line) <= width:
        return [("", 0, len(line))]
    indent = _hanging(line)
    if cells(indent) > width // 2:
        indent = ""
    segments: list[Segment] = []
    start = pos = 0  # where the current line starts in `line`, and where the next token starts
    first, used = "", 0  # the indent of the current line, and the cells it uses so far
    end = 0  # the end of the last non-space token on the current line
    for token in _tokens(line):
        size = cells(token)
        if token.isspace():
            if end > start or (not segments and pos == 0):
                used += size  # spaces inside a line (or leading ones) are kept
            pos += len(token)
            continue
        if end > start and used + size > width:
            segments.append((first, start, end))
            start, first, used = pos, indent, cells(indent)
        while used + size > width:  # a word wider than the line: fold it
            room, taken = width - used, 0
            while taken < len(token) and cells(token[: taken + 1]) <= room:
                taken += 1
            if not taken:
                break
            segments.append((first, start, pos + taken))
            token, pos = token[taken:], pos + taken
            start, first, used, size = pos, indent, cells(indent), cells(token)
        used += size
        pos += len(token)
        end = pos
    if end > start:
        segments.append((first, start, end))
    return segments
