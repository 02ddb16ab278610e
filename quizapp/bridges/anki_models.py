"""The Anki note types of the export: one per kind, with fixed ids, per-language fields and
templates that show English, Chinese or both.

    NOTE_TYPES: kind -> NoteType(name, fields, cloze)     the fields never depend on --lang
    model(kind, lang) -> genanki.Model                    templates for "en", "zh" or "both"
    stable_id(name) -> int                                 a fixed id in [2**30, 2**31)

A note type keeps its id whatever the language chosen: importing an export in another language
updates the templates of the same note type (and the notes, matched by GUID) instead of adding a
second one. Every field that has words exists as `<Name>_en` and `<Name>_zh`, so a user can edit
a template to show the other language without exporting again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizapp.i18n import Bilingual

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


_COMMON = (*_bilingual("Topic", "Notes"), "ItemId")
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
    "accepted": B("Also accepted", "也算对"),
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
.zh { margin-top: .5em; }
.en + .zh { border-top: 1px dashed #bbb; padding-top: .5em; }
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


def _langs(lang: str) -> tuple[str, ...]:
    return ("en", "zh") if lang == "both" else (lang,)


def _label(key: str, lang: str) -> str:
    text = LABELS[key]
    if lang == "both":
        return text.en if text.en == text.zh else f"{text.en} · {text.zh}"
    return text.get(lang)


def _field(name: str, code: str, prefix: str = "") -> str:
    return f"{{{{{prefix}{name}_{code}}}}}"


def _show(name: str, lang: str, prefix: str = "") -> str:
    """The field in the chosen language(s), each in a block that says its language."""
    return "".join(f'<div class="{code}" lang="{"zh-Hans" if code == "zh" else "en"}">'
                   f"{_field(name, code, prefix)}</div>" for code in _langs(lang))


def _section(name: str, lang: str, body: Callable[[str], str]) -> str:
    """body(code) for each chosen language, shown only where that language's field is set."""
    return "".join(f"{{{{#{name}_{code}}}}}{body(code)}{{{{/{name}_{code}}}}}" for code in _langs(lang))


def _labelled(key: str, name: str, lang: str) -> str:
    return _section(name, lang, lambda code: f'<div class="label">{LABELS[key].get(code)}</div>'
                    + _field(name, code))


def _back_matter(lang: str) -> str:
    notes = _section("Notes", lang, lambda code: '<details class="notes"><summary>'
                     f'{LABELS["notes"].get(code)}: {_field("Topic", code)}</summary>'
                     f'{_field("Notes", code)}</details>')
    return notes + '<div class="source">quizapp · {{ItemId}}</div>'


def _page(body: str) -> str:
    return f'<div class="qa">{body}</div>'


def _templates(kind: str, lang: str) -> list[dict[str, str]]:
    answer = '<hr id="answer">'
    if kind == "flashcard":
        front, back = _show("Front", lang), _show("Back", lang)
        reverse_front = "{{#AddReverse}}" + back + "{{/AddReverse}}"
        return [
            {"name": "Card 1", "qfmt": _page(front), "afmt": _page(front + answer + back + _back_matter(lang))},
            {"name": "Card 2 (reverse)", "qfmt": _page(reverse_front),
             "afmt": _page(back + answer + front + _back_matter(lang))},
        ]
    if kind == "cloze":
        text = _show("Text", lang, "cloze:")
        return [{"name": "Cloze", "qfmt": _page(text),
                 "afmt": _page(text + _labelled("extra", "Extra", lang) + _labelled("accepted", "Accepted", lang)
                               + _back_matter(lang))}]
    if kind in ("choice", "multi"):
        front = (f'<div class="label">{_label(kind, lang)}</div>' + _show("Question", lang)
                 + _show("Options", lang))
        back = (f'<div class="label">{_label("answer", lang)}</div>' + _show("Answer", lang)
                + f'<div class="label">{_label("why", lang)}</div>' + _show("Why", lang))
        return [{"name": "Card 1", "qfmt": _page(front), "afmt": _page(front + answer + back + _back_matter(lang))}]
    front = _show("Prompt", lang) + _section("Hint", lang, lambda code: f'<div class="label">{_field("Hint", code)}</div>')
    back = (f'<div class="label">{_label("answer", lang)}</div><div class="answer">{{{{Answer}}}}</div>'
            f'<div class="label">{_label("solution", lang)}</div>' + _show("Solution", lang)
            + "".join(f'<div class="snapshot">{LABELS["snapshot"].get(code)}</div>' for code in _langs(lang)))
    return [{"name": "Card 1", "qfmt": _page(front), "afmt": _page(front + answer + back + _back_matter(lang))}]


def model(kind: str, lang: str) -> Any:
    """The genanki.Model of a kind, its templates showing `lang` ("en", "zh" or "both")."""
    import genanki

    note_type = NOTE_TYPES[kind]
    main = f"{note_type.main}_{'en' if lang == 'both' else lang}"
    return genanki.Model(
        stable_id(note_type.name), note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=_templates(kind, lang),
        css=CSS,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.fields.index(main),
    )
