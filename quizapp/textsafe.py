"""Text from files and from the database made harmless before it reaches a terminal.

A deck, an imported export or a database can hold terminal control characters: ESC[2J clears the
screen, OSC 8 makes a hyperlink, OSC 0 retitles the window, U+009B is an 8-bit CSI, CR rewrites
the line already printed, and the bidi overrides reorder what the reader sees. Every such
character is made visible (never silently dropped, so an author can find it):

- C0 controls become their control pictures (ESC → ␛, BEL → ␇, CR → ␍);
- DEL, the C1 controls and the bidi embedding/override/isolate characters become ``\\u009b``-style
  text. JSON escapes C0 itself and leaves these raw, so inside a JSON string this text *is* the
  JSON escape of the same character: JSON written through ``SafeStream`` keeps its data exactly.

``visible(text)`` keeps newline and tab (multi-line text such as a card's back);
``one_line(text)`` shows them too (card keys, families, notes: one line each).
``SafeStream`` wraps a text stream (the CLI's stdout and stderr) so whatever is written goes
through ``visible``.
"""

from __future__ import annotations

import re
from typing import IO, Any

_BIDI = "\u202a-\u202e\u2066-\u2069"
# Everything a terminal may act on, newline and tab excepted.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_OR_BREAK = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")

NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x09: "TAB", 0x0A: "LF", 0x0D: "CR", 0x1B: "ESC",
    0x7F: "DEL", 0x85: "NEL", 0x90: "DCS", 0x9B: "CSI", 0x9C: "ST", 0x9D: "OSC",
    0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
}


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character made visible; newlines and tabs kept."""
    return _CONTROL.sub(_picture, text)


def one_line(text: str) -> str:
    """`text` as one harmless line: newlines and tabs made visible as well."""
    return _CONTROL_OR_BREAK.sub(_picture, text)


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def controls(text: str) -> list[tuple[int, str]]:
    """(index, character) of each control character `visible` would change."""
    return [(m.start(), m.group()) for m in _CONTROL.finditer(text)]


def describe(char: str) -> str:
    """'U+001B (ESC)' for a control character."""
    code = ord(char)
    name = NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def shorten(text: str, limit: int = 60) -> str:
    """`text` as one harmless line of at most `limit` characters (for messages quoting a file)."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SafeStream:
    """A text stream whose writes go through `visible`; everything else is the wrapped stream's.

    Our own output has no control characters besides newline and tab, so nothing legitimate is
    changed; text from a file or the database that slipped past its own cleaning is made visible.
    `raw` is the wrapped stream, for output that means its control characters.
    """

    def __init__(self, raw: IO[str]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text) if _CONTROL.search(text) else text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)
