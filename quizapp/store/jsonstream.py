"""Reading one large JSON object without loading it: its big arrays are streamed element by element.

    with path.open(encoding="utf-8") as fh:
        for key, value in members(fh, streamed={"reviews", "events"}):
            # value is a parsed value, or for a streamed key an iterator over the array's elements

Any JSON layout is accepted; what is bounded is each element (MAX_ELEMENT characters) and
everything outside the streamed arrays, so a 1,000,000-review export is read in constant memory
and a hostile file (deep nesting, a huge number, one enormous element) is a clean JsonStreamError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 1 << 16
MAX_ELEMENT = 1 << 20  # characters in one element (a review is a few hundred)
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


class JsonStreamError(ValueError):
    """The text is not the JSON object expected; the message says where."""


class _Cursor:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.buf = ""
        self.pos = 0
        self.offset = 0  # characters consumed before buf[0]

    def _more(self) -> bool:
        chunk = self.fh.read(CHUNK)
        if not chunk:
            return False
        self.offset += self.pos
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos:self.pos + 1]

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            raise self.error(f"expected {expected!r}, found {found or 'the end of the file'!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # The element may just be cut by the end of the buffer: read on (up to the bound).
                if len(self.buf) - self.pos <= MAX_ELEMENT and self._more():
                    continue
                if len(self.buf) - self.pos > MAX_ELEMENT:
                    raise self.error(f"a value longer than {MAX_ELEMENT:,} characters") from None
                raise self.error(exc.msg) from None
            except (RecursionError, ValueError) as exc:  # nesting too deep, a number too long
                raise self.error(str(exc) or type(exc).__name__) from None
            if end == len(self.buf) and isinstance(value, int | float) and self._more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def error(self, message: str) -> JsonStreamError:
        return JsonStreamError(f"character {self.offset + self.pos + 1}: {message}")


def _array(cursor: _Cursor) -> Iterator[Any]:
    cursor.take("[")
    if cursor.peek() == "]":
        cursor.pos += 1
        return
    while True:
        yield cursor.value()
        nxt = cursor.peek()
        if nxt == "]":
            cursor.pos += 1
            return
        cursor.take(",")


def members(fh: IO[str], streamed: set[str]) -> Iterator[tuple[str, Any]]:
    """The members of the top-level object, in file order. For a key in `streamed` whose value
    is an array the value is an iterator that must be consumed before the next member."""
    cursor = _Cursor(fh)
    cursor.take("{")
    if cursor.peek() == "}":
        return
    while True:
        key = cursor.value()
        if not isinstance(key, str):
            raise cursor.error("expected a member name")
        cursor.take(":")
        if key in streamed and cursor.peek() == "[":
            elements = _array(cursor)
            yield key, elements
            for _rest in elements:  # the caller stopped early: skip the rest
                pass
        else:
            yield key, cursor.value()
        if cursor.peek() == "}":
            cursor.pos += 1
            if cursor.peek():
                raise cursor.error("text after the end of the object")
            return
        cursor.take(",")
