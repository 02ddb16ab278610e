"""Our text as Anki's HTML, converted once and escaped so nothing in the content becomes markup it
did not mean.

    clean(text) -> str           terminal escape sequences and control characters removed
    escape(text) -> str          clean() + HTML escaping + Anki's own syntax made inert
    text_html(text) -> str       card text: YAML hard wraps undone (textflow.reflow), line breaks
                                 and indented formula lines kept
    lines_html(text) -> str      text whose every line break is meant (exercise prompts)
    pre_html(text) -> str        line-exact text (worked solutions and their figures) in <pre>
    cloze_html(text) -> str      a cloze text: our {{cN::answer|alt::hint}} as Anki's
                                 {{cN::answer::hint}}, everything else escaped
    markdown_html(text) -> str   topic notes: headings, paragraphs, lists, fences, bold, italics,
                                 inline code; no raw HTML, links or images

Inert means: `<`, `>`, `&` and quotes as entities (no `<script`); `{` and `}` as entities, so
`{{x}}` in the content is text and not a template field or a cloze; `[` as an entity, so
`[sound:…]` is not a media tag; ESC sequences, C0/C1 controls and bidi overrides removed.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from quizapp.deck.model import CLOZE_RE
from quizapp.textflow import is_cjk, reflow

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# ESC sequences as terminals read them: CSI (colours, cursor moves), OSC (titles, hyperlinks) up
# to BEL or ST, DCS/PM/APC/SOS strings, and two-character escapes.
_ESCAPE_SEQ = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)"
)
# C0 (except tab and newline), DEL, C1, and the bidi embeddings/overrides/isolates that reorder
# what is displayed.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANKI_SYNTAX = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;"})
_SPACE_RUN = re.compile(r" {2,}")


def clean(text: str) -> str:
    """`text` without escape sequences or control characters (newlines normalised to \\n)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPE_SEQ.sub("", text))


def _inert(text: str) -> str:
    """HTML-escaped, with Anki's template, cloze and media syntax made plain text."""
    return html.escape(text, quote=True).translate(_ANKI_SYNTAX)


def escape(text: str) -> str:
    return _inert(clean(text))


def _breaks(escaped: str) -> str:
    """Line breaks as <br>; the indentation of a line and runs of spaces (aligned formulas) kept."""
    lines = []
    for line in escaped.split("\n"):
        body = line.lstrip(" ")
        indent = "&nbsp;" * (len(line) - len(body))
        lines.append(indent + _SPACE_RUN.sub(lambda m: " " + "&nbsp;" * (len(m.group(0)) - 1), body))
    return "<br>".join(lines)


def text_html(text: str) -> str:
    return _breaks(_inert(reflow(clean(text))))


def lines_html(text: str) -> str:
    """Text whose line breaks are meant (exercise prompts): escaped, every line kept."""
    return _breaks(escape(text))


def pre_html(text: str) -> str:
    return f"<pre>{escape(text.strip(chr(10)))}</pre>"


def _cloze_piece(text: str) -> str:
    # A colon inside a deletion could end its answer early in Anki's reading (`::` starts a hint).
    return _inert(text).replace(":", "&#58;")


def deletion_parts(body: str) -> tuple[list[str], str]:
    """The body of one of our deletions, `answer|alternative|…::hint`, as (answers, hint)."""
    answers, _, hint = body.partition("::")
    return [a.strip() for a in answers.split("|") if a.strip()], hint.strip()


def cloze_html(text: str) -> str:
    """A cloze text in Anki's syntax: the first answer of each deletion is the one Anki shows;
    the hint stays a hint. Alternatives are not part of Anki's syntax (see cloze_alternatives)."""
    flowed = reflow(clean(text))
    pieces: list[str] = []
    pos = 0
    for match in CLOZE_RE.finditer(flowed):
        pieces.append(_inert(flowed[pos:match.start()]))
        answers, hint = deletion_parts(match.group(2))
        body = _cloze_piece(answers[0] if answers else "…")
        if hint:
            body += "::" + _cloze_piece(hint)
        pieces.append(f"{{{{c{int(match.group(1))}::{body}}}}}")
        pos = match.end()
    pieces.append(_inert(flowed[pos:]))
    return _breaks("".join(pieces))


def cloze_alternatives(text: str) -> list[tuple[int, list[str]]]:
    """(deletion number, every accepted answer) for the deletions that accept more than one."""
    found: dict[int, list[str]] = {}
    for match in CLOZE_RE.finditer(clean(text)):
        answers = found.setdefault(int(match.group(1)), [])
        answers.extend(a for a in deletion_parts(match.group(2))[0] if a not in answers)
    return [(number, answers) for number, answers in sorted(found.items()) if len(answers) > 1]


def _softbreak(_renderer: Any, tokens: list[Any], idx: int, *_: Any) -> str:
    """A line break inside a paragraph: a space between Latin words, nothing next to Chinese."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    return "" if (before and is_cjk(before)) or (after and is_cjk(after)) else "\n"


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False})
    # Links and images would fetch or open things the notes never meant to; they stay text.
    parser.disable(["image", "link", "autolink", "html_inline", "html_block", "reference"])
    parser.add_render_rule("softbreak", _softbreak)
    return parser


def markdown_html(text: str) -> str:
    return _markdown().render(clean(text)).strip().translate(_ANKI_SYNTAX)
