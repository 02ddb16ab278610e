"""Writing items into the user's deck files: the add form, and copying a built-in item to edit.

Every write is validated first (the candidate text is parsed by the same loader that reads the
decks, and checked against the other loaded files for duplicate ids), keeps the file's comments
and formatting (ruamel.yaml round-trip: it builds plain mappings and lists and never runs code
from a tag), and replaces the file atomically (quizapp.safeio): a crash leaves the old file or the
new one, never half of one.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.deck.library import Library, Parsed, assemble_library
from quizapp.deck.loader import MAX_FILE_BYTES, parse_topic_text
from quizapp.deck.model import Problem
from quizapp.deck.userdecks import OVERRIDES_DECK, slug
from quizapp.i18n import Bilingual
from quizapp.safeio import UnsafeFile, atomic_write_text, read_bounded


class AuthoringError(ValueError):
    """Nothing was written; `problems` say why (FILE:LINE:COL: field: message)."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = [str(p) for p in problems]
        super().__init__("; ".join(self.problems))


@dataclass
class OptionDraft:
    text: Bilingual
    why: Bilingual
    correct: bool = False


@dataclass
class Draft:
    """One new item as the add form collects it (fields of other kinds are ignored)."""

    kind: str
    id: str = ""
    tags: list[str] = field(default_factory=list)
    front: Bilingual | None = None
    back: Bilingual | None = None
    reverse: bool = False
    text: Bilingual | None = None
    extra: Bilingual | None = None
    question: Bilingual | None = None
    options: list[OptionDraft] = field(default_factory=list)
    family: str = ""


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, block_seq = load_yaml_guess_indent(text)
    if indent is None or block_seq is None:  # no block list yet: the built-in files' style
        indent, block_seq = 4, 2
    yaml = YAML(typ="rt")  # round trip: YAML's own types only, never a Python object from a tag
    yaml.width = 4096  # never fold a long line the author wrote on one
    yaml.preserve_quotes = True
    yaml.indent(mapping=max(2, indent - block_seq), sequence=indent, offset=block_seq)
    return yaml


def _flow(value: Bilingual) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Q

    mapping = CommentedMap(en=Q(value.en.strip()), zh=Q(value.zh.strip()))
    mapping.fa.set_flow_style()
    return mapping


def draft_mapping(draft: Draft) -> Any:
    """The item as a YAML mapping in the canonical field order, texts as flow {en, zh} maps."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    item = CommentedMap(id=draft.id, kind=draft.kind)
    if draft.tags:
        tags = CommentedSeq(draft.tags)
        tags.fa.set_flow_style()
        item["tags"] = tags
    if draft.kind == "flashcard":
        item.update(front=_flow(draft.front or Bilingual("", "")), back=_flow(draft.back or Bilingual("", "")))
        if draft.reverse:
            item["reverse"] = True
    elif draft.kind == "cloze":
        item["text"] = _flow(draft.text or Bilingual("", ""))
        if draft.extra and (draft.extra.en.strip() or draft.extra.zh.strip()):
            item["extra"] = _flow(draft.extra)
    elif draft.kind in ("choice", "multi"):
        item["question"] = _flow(draft.question or Bilingual("", ""))
        options = CommentedSeq()
        for opt in draft.options:
            entry = CommentedMap(text=_flow(opt.text))
            if opt.correct:
                entry["correct"] = True
            entry["why"] = _flow(opt.why)
            entry.fa.set_flow_style()
            options.append(entry)
        item["options"] = options
    else:
        item["family"] = draft.family
    return item


def suggest_id(library: Library, deck_id: str, words: str) -> str:
    """A fresh item id: the deck id and the first words of the text, unique in the library."""
    stem = slug(" ".join(re.findall(r"\w+", words)[:5]), fallback="item")
    base = f"{deck_id}-{stem}"[:60].strip("-")
    candidate, n = base, 2
    while candidate in library.items:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def validate_text(text: str, path: Path, others: Library | None = None) -> list[Problem]:
    """Problems of `text` as the file at `path` (with duplicate ids against the other files of
    `others`); AuthoringError when there are any. Nothing is written to `path`."""
    topic, problems = parse_topic_file_text(text, path)
    if topic is None and not problems:
        problems.append(Problem(str(path), 1, 1, "", "the file has no usable topic"))
    if topic is not None and others is not None:
        from dataclasses import replace

        topic = replace(topic, source=path)
        parsed: list[Parsed] = [(p, b, t, []) for p, b in others.sources if p != path
                  for t in [_topic_of(others, p)] if t is not None]
        merged = assemble_library([*parsed, (path, False, topic, [])])
        problems += [p for p in merged.problems if p.file == str(path)]
    if problems:
        raise AuthoringError(problems)
    return problems


def _topic_of(library: Library, path: Path) -> Any:
    for topic in library.topics:
        if topic.source == path:
            return topic
    return None


def _read(path: Path) -> str:
    try:
        return read_bounded(path, MAX_FILE_BYTES).decode("utf-8")
    except (UnsafeFile, UnicodeDecodeError) as exc:
        raise AuthoringError([f"{path}: {exc}"]) from None


def _append_item(path: Path, text: str, item: Any) -> tuple[str, Any]:
    """The file's text with `item` added at the end of its items list. The lines already there are
    kept byte for byte when the list is a block list (the item's own text is inserted after the
    last one); otherwise (an empty `items: []`) the file goes through a ruamel round trip."""
    inserted = _insert_after_last_item(text, item)
    if inserted is not None:
        return inserted, None
    yaml = _yaml(text)
    data = yaml.load(text)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise AuthoringError([f"{path}:1:1: not a topic file (a mapping with an items list)"])
    if not data["items"]:
        data["items"].fa.set_block_style()  # `items: []` would take the new item inline
    data["items"].append(item)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue(), data


def _last_line(node: Any) -> int:
    """The 0-based line of the last character that belongs to `node`."""
    end = node.end_mark
    last = end.line if end.column > 0 else end.line - 1
    children = node.value if isinstance(node.value, list) else []
    for child in children:
        for part in child if isinstance(child, tuple) else (child,):
            last = max(last, _last_line(part))
    return last


def _insert_after_last_item(text: str, item: Any) -> str | None:
    import yaml as pyyaml

    try:
        root = pyyaml.compose(text, Loader=pyyaml.SafeLoader)
    except pyyaml.YAMLError:
        return None
    if not isinstance(root, pyyaml.MappingNode):
        return None
    items = next((v for k, v in root.value if getattr(k, "value", None) == "items"), None)
    if not isinstance(items, pyyaml.SequenceNode) or items.flow_style or not items.value:
        return None
    dash = items.value[0].start_mark.column - 2  # "- " before the first item's first key
    if dash < 0:
        return None
    out = io.StringIO()
    yaml = _yaml("")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.dump([item], out)
    dumped = out.getvalue().splitlines(True)
    shift = dash - (len(dumped[0]) - len(dumped[0].lstrip(" ")))  # put its "-" under the others
    block = "".join((" " * shift + line if shift >= 0 else line[-shift:]) if line.strip() else line
                    for line in dumped)
    lines = text.splitlines(True)
    at = _last_line(items.value[-1]) + 1
    if lines and not lines[-1].endswith("\n") and at >= len(lines):
        lines[-1] += "\n"
    return "".join(lines[:at]) + block + "".join(lines[at:])


def _line_of(path: Path, text: str, item_id: str) -> int:
    topic, _ = parse_topic_file_text(text, path)
    for item in topic.items if topic else ():
        if item.id == item_id:
            return item.line
    return 1


def parse_topic_file_text(text: str, path: Path) -> tuple[Any, list[Problem]]:
    """parse_topic_file on text not written yet (no temporary file); problems name `path`."""
    return parse_topic_text(text, path, builtin=False)


def add_item(path: Path, draft: Draft, library: Library) -> int:
    """Append the draft to the deck file at `path`; returns the item's line. AuthoringError (and
    the file untouched) when the file or the item has a problem."""
    original = _read(path)
    _, before = parse_topic_file_text(original, path)
    if before:
        raise AuthoringError([f"fix this file first: {p}" for p in before])
    if draft.id in library.items:
        raise AuthoringError([f"{path}: the id '{draft.id}' is used already; choose another"])
    text, _ = _append_item(path, original, draft_mapping(draft))
    validate_text(text, path, library)
    atomic_write_text(path, text)
    return _line_of(path, text, draft.id)


def item_location(library: Library, key: str) -> tuple[Path, int] | None:
    """The file and line of a card's item (a user's override: the user's file)."""
    ref = library.card(key)
    if ref is None:
        return None
    return (ref.item.source or ref.topic.source), ref.item.line


OVERRIDES_HEADER = """\
# Your edits of built-in cards. An item here with the id of a built-in item replaces it
# (your progress is kept: it is keyed by the id). Delete an item to go back to the built-in one.
id: {deck_id}
order: 999
title: {{en: "My edits of built-in cards", zh: "我修改过的内置卡片"}}
items: []
"""


def copy_to_user_deck(library: Library, key: str, decks_dir: Path) -> tuple[Path, int]:
    """Copy a built-in card's item into the overrides deck (same id: the copy wins) and return
    where it is. A card already overridden just returns its location."""
    ref = library.card(key)
    if ref is None:
        raise AuthoringError([f"no card {key!r} in the loaded content"])
    if ref.item.source is not None or not ref.topic.builtin:
        location = item_location(library, key)
        assert location is not None
        return location
    source_text = _read(ref.topic.source)
    source = _yaml(source_text).load(source_text)
    found = [copy.deepcopy(i) for i in source.get("items", []) if isinstance(i, dict) and i.get("id") == ref.item.id]
    if not found:
        raise AuthoringError([f"{ref.topic.source}: item {ref.item.id!r} not found"])
    path = decks_dir / f"{OVERRIDES_DECK}.yaml"
    text = _read(path) if path.exists() else OVERRIDES_HEADER.format(deck_id=OVERRIDES_DECK)
    new_text, _ = _append_item(path, text, found[0])
    validate_text(new_text, path, library)
    decks_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, new_text)
    return path, _line_of(path, new_text, ref.item.id)


NEW_DECK_HEADER = """\
# {title}: a deck of your own (quizapp new-deck writes a commented example of every kind).
# Every text has both languages {{en: ..., zh: ...}}; every item keeps its id (progress is keyed by it).
id: {deck_id}
order: 100
title: {{en: {quoted}, zh: {quoted}}}
items: []
"""


def add_to_new_deck(decks_dir: Path, name: str, draft: Draft, library: Library) -> tuple[Path, int]:
    """Start a deck file `name` holding just the draft; AuthoringError (nothing written) on a problem."""
    deck_id = slug(name)
    path = decks_dir / f"{deck_id}.yaml"
    if path.exists() or any(t.id == deck_id for t in library.topics):
        raise AuthoringError([f"{path}: a deck with the id '{deck_id}' exists already; pick it in the list"])
    if draft.id in library.items:
        raise AuthoringError([f"{path}: the id '{draft.id}' is used already; choose another"])
    title = " ".join("".join(ch for ch in name if ch.isprintable() or ch.isspace()).split()) or deck_id
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    header = NEW_DECK_HEADER.format(title=title, deck_id=deck_id, quoted=quoted)
    text, _ = _append_item(path, header, draft_mapping(draft))
    validate_text(text, path, library)
    decks_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    return path, _line_of(path, text, draft.id)
