"""The content as an Anki package (.apkg), through genanki.

    export = build_export(library, lang="both", instances=5, item_ids=None)
    write_apkg(export, path)        atomic: `path` changes only once the package is complete

One note per item, in one deck per topic under the parent deck "quizapp": a flashcard (Anki
makes the reverse card when the item has `reverse: true`), a cloze (Anki makes one card per
deletion), a choice or select-all question, and `instances` notes per computed exercise, each a
fixed instance drawn with a seed derived from the item id, with its worked solution. Tags: the
item's own, `topic::<topic id>` and `kind::<kind>`.

Note GUIDs come from the kind, the item id and the instance seed only, and note type and deck
ids are fixed (anki_models.stable_id): importing a later export updates the notes already in
Anki (their text, and the note types' templates) and keeps their review history, instead of
adding copies.
"""

from __future__ import annotations

import hashlib
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from quizapp.bridges.anki_models import NOTE_TYPES, model, stable_id
from quizapp.bridges.markup import (
    clean,
    cloze_alternatives,
    cloze_html,
    escape,
    lines_html,
    markdown_html,
    pre_html,
    text_html,
)
from quizapp.deck.choice import LETTERS
from quizapp.i18n import LANGS, Bilingual
from quizapp.safeio import atomic_binary_writer

if TYPE_CHECKING:
    from quizapp.deck import Item, Library, Topic
    from quizapp.exercises.base import Instance

PARENT_DECK = "quizapp"
MATH_NOTE = Bilingual("checked as math in quizapp: any equivalent form is right",
                      "在 quizapp 中按数学式检查：任何等价形式都算对")

Fields = dict[str, str]


@dataclass
class AnkiExport:
    package: Any = None  # genanki.Package
    notes: Counter[str] = field(default_factory=Counter)  # per kind
    cards: int = 0
    decks: int = 0
    problems: list[str] = field(default_factory=list)  # items left out, and why


def instance_seed(item_id: str, index: int) -> int:
    """The seed of an exercise's index-th exported instance: the same in every export."""
    digest = hashlib.sha256(f"quizapp:{item_id}#{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def note_guid(kind: str, item_id: str, seed: int | None = None) -> str:
    import genanki

    return str(genanki.guid_for("quizapp", kind, item_id, *(() if seed is None else (seed,))))


def _tag(text: str) -> str:
    return re.sub(r"\s+", "_", clean(text).strip())


def tags_of(item: Item) -> list[str]:
    tags = (_tag(t) for t in (*item.tags, f"topic::{item.topic_id}", f"kind::{item.kind}"))
    return list(dict.fromkeys(t for t in tags if t))


def _title(text: Bilingual, lang: str) -> str:
    if lang == "both":
        return text.en if text.en == text.zh else f"{text.en} · {text.zh}"
    return text.get(lang)


def deck_name(topic: Topic) -> str:
    """Both languages whatever --lang says: Anki files imported notes into decks by name, so a
    later export in another language must not open a second set of decks. "::" would nest a
    deck one level deeper; the order number keeps the curriculum's order."""
    title = " ".join(clean(_title(topic.title, "both")).split()).replace("::", ":")
    return f"{PARENT_DECK}::{topic.order:02d} {title}"


def _per_lang(name: str, text: Bilingual | None, convert: Callable[[str], str]) -> Fields:
    return {f"{name}_{lang}": convert(text.get(lang)) if text is not None else "" for lang in LANGS}


def _flashcard(item: Item) -> Fields:
    return {**_per_lang("Front", item.front, text_html), **_per_lang("Back", item.back, text_html),
            "AddReverse": "y" if item.reverse else ""}


def _accepted(item: Item, lang: str) -> str:
    """The other answers quizapp accepts for a deletion, and which deletions it checks as math."""
    assert item.text is not None
    lines = [f"c{number}: " + " · ".join(escape(a) for a in answers)
             for number, answers in cloze_alternatives(item.text.get(lang))]
    math = [f"c{number}" for number in item.cloze_numbers() if number in item.math]
    if math:
        lines.append(f"{', '.join(math)}: {escape(MATH_NOTE.get(lang))}")
    return "<br>".join(lines)


def _cloze(item: Item) -> Fields:
    return {**_per_lang("Text", item.text, cloze_html), **_per_lang("Extra", item.extra, text_html),
            **{f"Accepted_{lang}": _accepted(item, lang) for lang in LANGS}}


def _option_line(index: int, text: str) -> str:
    return f'<span class="letter">{LETTERS[index] if index < len(LETTERS) else index + 1})</span> {text_html(text)}'


def _choice(item: Item) -> Fields:
    fields: Fields = {}
    for lang in LANGS:
        lines = [_option_line(i, o.text.get(lang)) for i, o in enumerate(item.options)]
        fields[f"Question_{lang}"] = text_html(item.question.get(lang)) if item.question else ""
        fields[f"Options_{lang}"] = '<ol class="options">' + "".join(f"<li>{x}</li>" for x in lines) + "</ol>"
        fields[f"Answer_{lang}"] = "<br>".join(x for x, o in zip(lines, item.options) if o.correct)
        fields[f"Why_{lang}"] = '<ul class="why">' + "".join(
            f'<li class="{"right" if o.correct else "wrong"}"><span class="mark">{"✓" if o.correct else "✗"}</span> '
            f"{line}<br>{text_html(o.why.get(lang))}</li>" for line, o in zip(lines, item.options)
        ) + "</ul>"
    return fields


def generate_instance(item: Item, seed: int) -> Instance:
    """The instance of an exercise item for `seed`, as the study session draws it."""
    from quizapp import exercises

    # exercises.generate_item (YAML exercises as well as families) where this build has it.
    generate = getattr(exercises, "generate_item", None)
    if generate is not None:
        return cast("Instance", generate(item, seed))
    return exercises.get_family(item.family or "").generate(seed, **item.params)


def _exercise(instance: Instance) -> Fields:
    """A fixed instance: its prompt (and the prompts of its parts, in order) on the front; the
    answer of each part, the answer, and the worked solution with its figure on the back."""
    from quizapp.exercises.figures import worked_solution

    parts: tuple[Any, ...] = getattr(instance, "parts", ())  # multi-part instances, where built
    prompts = {lang: lines_html(instance.prompt(lang)) for lang in LANGS}
    if parts:
        for lang in LANGS:
            prompts[lang] += '<ul class="parts">' + "".join(
                f"<li>{lines_html(part.prompt(lang))}</li>" for part in parts) + "</ul>"
    # Each part's quantity named as its feedback names it (o₁ = 0.4164); the last is the answer.
    answers = [f"{escape(part.label)} = {_shown(part)}" for part in parts] or [_shown(instance)]
    return {
        **{f"Prompt_{lang}": prompts[lang] for lang in LANGS},
        **_per_lang("Hint", instance.answer_hint, escape),
        "Answer": "<br>".join(answers),
        **{f"Solution_{lang}": pre_html(worked_solution(instance, lang)) for lang in LANGS},
        "Family": escape(instance.family), "Seed": str(instance.seed),
    }


def _shown(answerable: Any) -> str:
    """An answer as a learner reads it: pretty-printed where the exercise gives that form."""
    return escape(getattr(answerable, "answer_display", "") or answerable.answer_text)


def item_notes(item: Item, instances: int, problems: list[str]) -> Iterator[tuple[Fields, int | None]]:
    """(fields, instance seed) of each note of an item; exercises give `instances` notes."""
    if item.kind == "flashcard":
        yield _flashcard(item), None
    elif item.kind == "cloze":
        yield _cloze(item), None
    elif item.kind in ("choice", "multi"):
        yield _choice(item), None
    elif item.kind == "exercise":
        for index in range(instances):
            seed = instance_seed(item.id, index)
            try:
                instance = generate_instance(item, seed)
            except Exception as exc:  # noqa: BLE001 - one broken exercise must not sink the export
                problems.append(f"{item.id}: cannot generate the instance with seed {seed}: {exc}")
                continue
            yield _exercise(instance), seed
    else:
        problems.append(f"{item.id}: kind {item.kind!r} has no Anki note type; left out")


def _topic_fields(topic: Topic) -> Fields:
    return {**_per_lang("Topic", topic.title, escape), **_per_lang("Notes", topic.notes, markdown_html)}


def build_export(library: Library, *, lang: str, instances: int,
                 item_ids: Collection[str] | None = None) -> AnkiExport:
    """The package of the library's items (those in `item_ids` when given), not yet written;
    its cards show `lang`: "en", "zh" or "both"."""
    if lang not in ("en", "zh", "both"):
        raise ValueError(f"lang must be en, zh or both, not {lang!r}")
    import genanki

    models = {kind: model(kind) for kind in NOTE_TYPES}
    export = AnkiExport()
    decks = [genanki.Deck(stable_id("deck"), PARENT_DECK,
                          description=escape("Deep-learning interview preparation, exported from quizapp."))]
    for topic in library.topics:
        items = [item for item in topic.items if item_ids is None or item.id in item_ids]
        if not items:
            continue
        deck = genanki.Deck(stable_id(f"deck:{topic.id}"), deck_name(topic),
                            description=text_html(_title(topic.summary, lang)))
        common = _topic_fields(topic)
        for item in items:
            for fields, seed in item_notes(item, instances, export.problems):
                note_type = NOTE_TYPES[item.kind]
                values = {**fields, **common, "ItemId": escape(item.id), "Lang": lang}
                unknown = set(values) - set(note_type.fields)
                assert not unknown, f"fields {unknown} are not in the note type {note_type.name}"
                note = genanki.Note(model=models[item.kind], fields=[values.get(f, "") for f in note_type.fields],
                                    tags=tags_of(item), guid=note_guid(item.kind, item.id, seed))
                deck.add_note(note)
                export.notes[item.kind] += 1
                export.cards += len(note.cards)
        decks.append(deck)
    export.decks = len(decks) - 1
    export.package = genanki.Package(decks)
    return export


def write_apkg(export: AnkiExport, path: Path, timestamp: float | None = None) -> None:
    """Write the package: the collection is built in memory, then zipped into `path` through a
    temporary file that replaces it only when complete.

    `timestamp` dates the notes; Anki updates a note on import only when the imported one is
    newer, so the default is now."""
    from quizapp.store.anki_collection import anki_collection_bytes

    stamp = time.time() if timestamp is None else timestamp
    collection = anki_collection_bytes(export.package, stamp)
    with atomic_binary_writer(path) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", "{}")
