"""The Anki note types of the export: one per kind, with fixed ids and per-language fields.

    NOTE_TYPES: kind -> NoteType(name, main field, fields, cloze)
    model(kind) -> genanki.Model
    stable_id(name) -> int                                 a fixed id in [2**30, 2**31)

A note type is the same whatever --lang says: its templates hold both languages, and each note's
`Lang` field ("en", "zh" or "both") picks what shows, through a class on the card. Anki updates
the notes of an earlier import only while their note type is unchanged, so an export in another
language (or again) updates the notes in place instead of adding a second note type. Every field
that has words exists as `<Name>_en` and `<Name>_zh`: a user can edit a template, or the Lang
field of some notes, to show the other language without exporting again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizapp.i18n import LANGS, Bilingual

B = Bilingual


def stable_id(name: str) -> int:
    """A fixed id for a note type or deck, from its name (genanki: ids in [2**30, 2**31))."""
    digest = hashlib.sha256(f"quizapp:{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


@dataclass(frozen=True)
class NoteType:
    kind: str
    name: str
    main: str  # the field (without language) that sorts the notes in Anki's browser
    fields: tuple[str, ...]
    cloze: bool = False


def _bilingual(*names: str) -> tuple[str, ...]:
    return tuple(f"{name}_{lang}" for name in names for lang in ("en", "zh"))


_COMMON = (*_bilingual("Topic", "Notes"), "ItemId", "Lang")
NOTE_TYPES: dict[str, NoteType] = {
    "flashcard": NoteType("flashcard", "quizapp basic (optional reverse)", "Front",
                          (*_bilingual("Front", "Back"), "AddReverse", *_COMMON)),
    "cloze": NoteType("cloze", "quizapp cloze", "Text",
                      (*_bilingual("Text", "Extra", "Accepted"), *_COMMON), cloze=True),
    "choice": NoteType("choice", "quizapp choice", "Question",
                       (*_bilingual("Question", "Options", "Answer", "Why"), *_COMMON)),
    "multi": NoteType("multi", "quizapp select all", "Question",
                      (*_bilingual("Question", "Options", "Answer", "Why"), *_COMMON)),
    "exercise": NoteType("exercise", "quizapp exercise (static snapshot)", "Prompt",
                         (*_bilingual("Prompt", "Hint"), "Answer", *_bilingual("Solution"),
                          "Family", "Seed", *_COMMON)),
}

LABELS: dict[str, Bilingual] = {
    "answer": B("Answer", "答案"),
    "why": B("Why", "解析"),
    "extra": B("More", "补充"),
    "accepted": B("Accepted answers", "可接受的答案"),
    "notes": B("Topic notes", "主题笔记"),
    "choice": B("Choose one", "单选"),
    "multi": B("Select all that apply", "多选（选出所有正确项）"),
    "snapshot": B(
        "A static snapshot of a computed exercise: quizapp draws new numbers on every review "
        "and checks typed math; here the numbers are fixed (instance seed {{Seed}}).",
        "这是计算题的一个静态快照：quizapp 每次复习都会抽取新的数值并检查输入的数学式；"
        "这里的数值是固定的（实例种子 {{Seed}}）。",
    ),
    "solution": B("Worked solution", "解题过程"),
}

CSS = """\
.card { font-family: "Noto Sans", "Segoe UI", "Helvetica Neue", "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; font-size: 19px; line-height: 1.5; text-align: left;
  color: #1d1d1f; background: #fff; }
.card.nightMode, .nightMode .card { color: #e8e8e8; background: #2c2c2e; }
.qa { max-width: 44em; margin: 0 auto; }
.lang-en .zh, .lang-zh .en, .lang-en .both, .lang-zh .both { display: none; }
.lang-both div.en + div.zh { margin-top: .5em; border-top: 1px dashed #bbb; padding-top: .5em; }
.label { font-size: .8em; font-weight: bold; opacity: .7; margin-top: .8em; }
.cloze { font-weight: bold; color: #0b57d0; }
.nightMode .cloze { color: #8ab4f8; }
pre { white-space: pre-wrap; font-family: "Noto Sans Mono", "DejaVu Sans Mono", "Noto Sans Mono CJK SC",
  Menlo, Consolas, monospace; font-size: .8em; line-height: 1.35; }
ol.options, ul.why, ul.parts { list-style: none; padding-left: 0; }
ol.options li, ul.why li, ul.parts li { margin: .3em 0; }
.letter { font-weight: bold; }
ul.why li.right .mark { color: #188038; }
ul.why li.wrong .mark { color: #c5221f; }
.answer { font-size: 1.1em; font-weight: bold; }
.snapshot { font-size: .75em; font-style: italic; opacity: .7; margin-top: 1em; }
details.notes { margin-top: 1.2em; font-size: .9em; }
details.notes summary { cursor: pointer; opacity: .75; }
.source { font-size: .7em; opacity: .5; margin-top: 1em; }
"""


def _label(key: str) -> str:
    """A label in both languages; the card's language class shows one or both."""
    text = LABELS[key]
    return f'<span class="en">{text.en}</span><span class="both"> · </span><span class="zh">{text.zh}</span>'


def _field(name: str, code: str, prefix: str = "") -> str:
    return f"{{{{{prefix}{name}_{code}}}}}"


def _show(name: str, prefix: str = "") -> str:
    """The field in each language, each in a block that says its language."""
    return "".join(f'<div class="{code}" lang="{"zh-Hans" if code == "zh" else "en"}">'
                   f"{_field(name, code, prefix)}</div>" for code in LANGS)


def _section(name: str, body: Callable[[str], str]) -> str:
    """body(code) for each language, only where that language's field is set."""
    return "".join(f"{{{{#{name}_{code}}}}}{body(code)}{{{{/{name}_{code}}}}}" for code in LANGS)


def _labelled(key: str, name: str) -> str:
    return _section(name, lambda code: f'<div class="label {code}">{LABELS[key].get(code)}</div>'
                    + f'<div class="{code}">{_field(name, code)}</div>')


def _back_matter() -> str:
    notes = _section("Notes", lambda code: f'<details class="notes {code}"><summary>'
                     f'{LABELS["notes"].get(code)}: {_field("Topic", code)}</summary>'
                     f'{_field("Notes", code)}</details>')
    return notes + '<div class="source">quizapp · {{ItemId}}</div>'


def _page(body: str) -> str:
    # The note's Lang field ("en", "zh" or "both") picks what shows: a class, so that changing
    # languages changes notes, not the note type (Anki updates notes only of an unchanged one).
    return f'<div class="qa lang-{{{{Lang}}}}">{body}</div>'


def _templates(kind: str) -> list[dict[str, str]]:
    answer = '<hr id="answer">'
    if kind == "flashcard":
        front, back = _show("Front"), _show("Back")
        # The whole page inside the condition: {{Lang}} alone must not make the reverse card.
        return [
            {"name": "Card 1", "qfmt": _page(front), "afmt": _page(front + answer + back + _back_matter())},
            {"name": "Card 2 (reverse)", "qfmt": "{{#AddReverse}}" + _page(back) + "{{/AddReverse}}",
             "afmt": _page(back + answer + front + _back_matter())},
        ]
    if kind == "cloze":
        text = _show("Text", "cloze:")
        return [{"name": "Cloze", "qfmt": _page(text),
                 "afmt": _page(text + _labelled("extra", "Extra") + _labelled("accepted", "Accepted")
                               + _back_matter())}]
    if kind in ("choice", "multi"):
        front = f'<div class="label">{_label(kind)}</div>' + _show("Question") + _show("Options")
        back = (f'<div class="label">{_label("answer")}</div>' + _show("Answer")
                + f'<div class="label">{_label("why")}</div>' + _show("Why"))
        return [{"name": "Card 1", "qfmt": _page(front), "afmt": _page(front + answer + back + _back_matter())}]
    front = _show("Prompt") + _section("Hint", lambda code: f'<div class="label {code}">{_field("Hint", code)}</div>')
    back = (f'<div class="label">{_label("answer")}</div><div class="answer">{{{{Answer}}}}</div>'
            f'<div class="label">{_label("solution")}</div>' + _show("Solution")
            + "".join(f'<div class="snapshot {code}">{LABELS["snapshot"].get(code)}</div>' for code in LANGS))
    return [{"name": "Card 1", "qfmt": _page(front), "afmt": _page(front + answer + back + _back_matter())}]


def model(kind: str) -> Any:
    """The genanki.Model of a kind: the same whatever language the notes show."""
    import genanki

    note_type = NOTE_TYPES[kind]
    return genanki.Model(
        stable_id(note_type.name), note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=_templates(kind),
        css=CSS,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.fields.index(f"{note_type.main}_en"),
    )
