"""Load topic YAML files into Topic objects, reporting every problem with FILE:LINE:COL.

quizapp.deck.yamlread reads and parses the file safely (bounded, no alias bombs, no control
characters) and gives the plain data with the position of every key and value; this module
checks the data against the content format, so a problem can name the exact position of the key
or value at fault. Values of unknown size (a list where a word belongs) are never printed whole:
messages describe them (`_brief`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from quizapp.deck.mathcloze import read_math
from quizapp.deck.model import CLOZE_RE, KINDS, Item, Option, Problem, Topic
from quizapp.deck.yamlread import MAX_FILE_BYTES, PathT, Positions, dotted, parse_yaml, read_text
from quizapp.exercises.authored.schema import YAML_FIELDS, read_exercise
from quizapp.exercises.catalog import CATALOG
from quizapp.i18n import LANGS, Bilingual

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")

TOPIC_REQUIRED = ("id", "title", "items")
TOPIC_OPTIONAL = ("order", "summary", "notes")
COMMON_REQUIRED = ("id", "kind")
COMMON_OPTIONAL = ("tags",)
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required, optional)
    "flashcard": (("front", "back"), ("reverse",)),
    "cloze": (("text",), ("extra", "math")),
    "choice": (("question", "options"), ()),
    "multi": (("question", "options"), ()),
    "exercise": ((), ("family", "params", *YAML_FIELDS)),
}
OPTION_REQUIRED = ("text", "why")
OPTION_OPTIONAL = ("correct",)
BRIEF_CHARS = 60

__all__ = ["MAX_FILE_BYTES", "parse_topic_file", "parse_topic_text"]


class _FileChecker:
    def __init__(self, file: str, pos: Positions) -> None:
        self.file = file
        self.pos = pos
        self.problems: list[Problem] = []

    def add(self, path: PathT, message: str, *, key: bool = False) -> None:
        line, col = self.pos.at(path, key=key)
        where = dotted(path)
        where = where if len(where) <= 3 * BRIEF_CHARS else where[: 3 * BRIEF_CHARS - 1] + "…"
        self.problems.append(Problem(self.file, line, col, where, message))

    def keys(self, data: dict[str, Any], path: PathT, required: Iterable[str], optional: Iterable[str]) -> bool:
        ok = True
        allowed = set(required) | set(optional)
        for name in required:
            if name not in data:
                self.add(path, f"missing required field '{name}'")
                ok = False
        for name in data:
            if name not in allowed:
                hint = _close_match(_brief(name), allowed)
                extra = f" (did you mean '{hint}'?)" if hint else ""
                self.add(path + (str(name),), f"unknown field '{_brief(name)}'{extra}", key=True)
        return ok

    def bilingual(self, value: Any, path: PathT) -> Bilingual | None:
        if isinstance(value, str):
            self.add(path, "must have both languages: {en: ..., zh: ...}")
            return None
        if not isinstance(value, dict):
            self.add(path, f"must be a mapping {{en: ..., zh: ...}}, not {_type_name(value)}")
            return None
        ok = True
        for lang in LANGS:
            text = value.get(lang)
            if lang not in value:
                self.add(path, f"missing '{lang}'")
                ok = False
            elif isinstance(text, bool) or not isinstance(text, str | int | float):
                self.add(path + (lang,), f"must be text, not {_type_name(text)}")
                ok = False
            elif not str(text).strip():
                self.add(path + (lang,), "must not be empty")
                ok = False
        for name in value:
            if name not in LANGS:
                self.add(path + (str(name),), f"unknown language '{_brief(name)}' (use en and zh)", key=True)
                ok = False
        return Bilingual(str(value["en"]), str(value["zh"])) if ok else None


def _close_match(name: str, options: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return found[0] if found else None


def _brief(value: Any) -> str:
    """A value for a message: text cut to BRIEF_CHARS, numbers as written, anything else by its
    type (a list may stand for millions of values through aliases: never str() it)."""
    if isinstance(value, str):
        return value if len(value) <= BRIEF_CHARS else value[: BRIEF_CHARS - 1] + "…"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):  # at most MAX_NUMBER_CHARS characters (yamlread)
        return str(value)
    return _type_name(value)


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


def parse_topic_file(path: Path, *, builtin: bool = False) -> tuple[Topic | None, list[Problem]]:
    """Parse and validate one topic file. A topic comes back with its valid items even when some
    items have problems; None when the file as a whole cannot be used."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_topic_text(text, path, builtin=builtin)


def parse_topic_text(text: str, path: Path, *, builtin: bool = False) -> tuple[Topic | None, list[Problem]]:
    """parse_topic_file on text already read (or not written yet); problems name `path`."""
    file = str(path)
    doc = parse_yaml(text, file)
    if doc.data is None:
        return None, doc.problems
    check = _FileChecker(file, doc.pos)
    check.problems += doc.problems
    if not isinstance(doc.data, dict):
        check.add((), f"the top level must be a mapping (id, title, items), not {_type_name(doc.data)}")
        return None, check.problems
    return _build_topic(doc.data, check, path, builtin)


def _build_topic(data: dict[str, Any], check: _FileChecker, path: Path, builtin: bool) -> tuple[Topic | None, list[Problem]]:
    usable = check.keys(data, (), TOPIC_REQUIRED, TOPIC_OPTIONAL)
    topic_id = data.get("id")
    if "id" in data and not (isinstance(topic_id, str) and ID_RE.match(topic_id)):
        check.add(("id",), "must be letters, digits, '-', '_' or '.', starting with a letter or digit")
        usable = False
    order = data.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, int):
        check.add(("order",), "must be an integer")
        order = 1000
    title = check.bilingual(data["title"], ("title",)) if "title" in data else None
    summary = check.bilingual(data["summary"], ("summary",)) if "summary" in data else Bilingual("", "")
    notes = check.bilingual(data["notes"], ("notes",)) if "notes" in data else Bilingual("", "")
    items_raw = data.get("items")
    items: list[Item] = []
    if "items" in data and not isinstance(items_raw, list):
        check.add(("items",), f"must be a list of items, not {_type_name(items_raw)}")
        usable = False
    elif isinstance(items_raw, list):
        if not items_raw:
            check.add(("items",), "must contain at least one item")
        for i, raw in enumerate(items_raw):
            item = _build_item(raw, ("items", i), check, _brief(topic_id))
            if item is not None:
                items.append(item)
    if not usable or title is None:
        return None, check.problems
    topic = Topic(
        id=str(topic_id),
        order=order,
        title=title,
        summary=summary or Bilingual("", ""),
        notes=notes or Bilingual("", ""),
        items=tuple(items),
        source=path,
        builtin=builtin,
    )
    return topic, check.problems


def _build_item(raw: Any, path: PathT, check: _FileChecker, topic_id: str) -> Item | None:
    before = len(check.problems)
    if not isinstance(raw, dict):
        check.add(path, f"an item must be a mapping with id and kind, not {_type_name(raw)}")
        return None
    kind = raw.get("kind")
    if "kind" in raw and kind not in KINDS:
        hint = _close_match(_brief(kind), KINDS)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        check.add(path + ("kind",), f"unknown kind '{_brief(kind)}'; expected one of {', '.join(KINDS)}{extra}")
        return None
    required, optional = KIND_FIELDS.get(kind, ((), ())) if isinstance(kind, str) else ((), ())
    check.keys(raw, path, COMMON_REQUIRED + required, COMMON_OPTIONAL + optional)
    item_id = raw.get("id")
    if "id" in raw and not (isinstance(item_id, str) and ID_RE.match(item_id)):
        check.add(path + ("id",), "must be letters, digits, '-', '_' or '.', starting with a letter or digit")
    tags = raw.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        check.add(path + ("tags",), "must be a list of words")
        tags = []
    fields: dict[str, Any] = {}
    if kind == "flashcard":
        fields["front"] = _opt_bilingual(raw, "front", path, check)
        fields["back"] = _opt_bilingual(raw, "back", path, check)
        reverse = raw.get("reverse", False)
        if not isinstance(reverse, bool):
            check.add(path + ("reverse",), "must be true or false")
        fields["reverse"] = reverse is True
    elif kind == "cloze":
        text = _opt_bilingual(raw, "text", path, check)
        fields["text"] = text
        fields["extra"] = _opt_bilingual(raw, "extra", path, check)
        if text is not None:
            _check_cloze(text, path + ("text",), check)
        if "math" in raw:
            fields["math"] = read_math(raw["math"], text, path + ("math",), check.add)
            fields["spots"] = _spots(raw, path, check.pos)
    elif kind in ("choice", "multi"):
        fields["question"] = _opt_bilingual(raw, "question", path, check)
        fields["options"] = _build_options(raw.get("options"), kind, path + ("options",), check) if "options" in raw else ()
    elif kind == "exercise" and "family" in raw:
        family, params = _check_exercise(raw, path, check)
        fields["family"] = family
        fields["params"] = params
        for name in YAML_FIELDS:
            if name in raw:
                check.add(path + (name,), f"'{name}' belongs to a YAML exercise; a `family` exercise takes only params", key=True)
    elif kind == "exercise":
        fields["exercise"] = read_exercise(raw, path, check.add, check.bilingual)
        fields["spots"] = _spots(raw, path, check.pos)
    if len(check.problems) > before:
        return None
    line, col = check.pos.at(path + ("id",))
    return Item(
        id=str(item_id), kind=str(kind), topic_id=topic_id, tags=tuple(tags),
        line=line, col=col, index=int(path[-1]), **fields,
    )


def _spots(raw: Any, base: PathT, pos: Positions) -> dict[str, tuple[int, int]]:
    """Positions of an item's fields by dotted path relative to the item ("math.c1", "parts[0].answer")."""
    found: dict[str, tuple[int, int]] = {}

    def visit(value: Any, path: PathT) -> None:
        if len(path) - len(base) > 6:
            return
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            sub = path + ((str(key),) if isinstance(value, dict) else (key,))
            found[dotted(sub[len(base) :])] = pos.at(sub)
            visit(child, sub)

    visit(raw, base)
    return found


def _opt_bilingual(raw: dict[str, Any], name: str, path: PathT, check: _FileChecker) -> Bilingual | None:
    return check.bilingual(raw[name], path + (name,)) if name in raw else None


def _check_cloze(text: Bilingual, path: PathT, check: _FileChecker) -> None:
    numbers: dict[str, set[int]] = {}
    for lang in LANGS:
        value = text.get(lang)
        found = CLOZE_RE.findall(value)
        numbers[lang] = {int(n) for n, _ in found}
        stripped = CLOZE_RE.sub("", value)
        if "{{" in stripped or "}}" in stripped:
            check.add(path + (lang,), "unbalanced cloze markup: use {{c1::answer}}")
        for _, body in found:
            answer = body.split("::", 1)[0]
            if not any(alt.strip() for alt in answer.split("|")):
                check.add(path + (lang,), "a cloze deletion has an empty answer")
    if not numbers["en"] and not numbers["zh"]:
        check.add(path, "a cloze needs at least one deletion like {{c1::answer}}")
    elif numbers["en"] != numbers["zh"]:
        check.add(path, f"en and zh must use the same deletions (en: {sorted(numbers['en'])}, zh: {sorted(numbers['zh'])})")


def _build_options(raw: Any, kind: str, path: PathT, check: _FileChecker) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.add(path, "must be a list of at least two options")
        return ()
    if len(raw) > 8:
        check.add(path, "at most 8 options (letters a–h)")
    options: list[Option] = []
    for i, opt in enumerate(raw):
        opath = path + (i,)
        if not isinstance(opt, dict):
            check.add(opath, "an option must be a mapping with text, why and optionally correct")
            continue
        check.keys(opt, opath, OPTION_REQUIRED, OPTION_OPTIONAL)
        correct = opt.get("correct", False)
        if not isinstance(correct, bool):
            check.add(opath + ("correct",), "must be true or false")
        text = check.bilingual(opt["text"], opath + ("text",)) if "text" in opt else None
        why = check.bilingual(opt["why"], opath + ("why",)) if "why" in opt else None
        if text is not None and why is not None:
            options.append(Option(text=text, correct=correct is True, why=why))
    n_correct = sum(1 for opt in raw if isinstance(opt, dict) and opt.get("correct") is True)
    if kind == "choice" and n_correct != 1:
        check.add(path, f"a choice needs exactly one correct option, found {n_correct}")
    if kind == "multi" and n_correct < 1:
        check.add(path, "a multi needs at least one correct option")
    return tuple(options)


def _check_exercise(raw: dict[str, Any], path: PathT, check: _FileChecker) -> tuple[str | None, dict[str, Any]]:
    family = raw.get("family")
    params = raw.get("params", {}) or {}
    if "family" not in raw:
        return None, {}
    entry = CATALOG.get(family) if isinstance(family, str) else None
    if entry is None:
        hint = _close_match(_brief(family), CATALOG)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        check.add(path + ("family",), f"unknown exercise family '{_brief(family)}'{extra}")
        return None, {}
    if not isinstance(params, dict):
        check.add(path + ("params",), "must be a mapping of parameter: value")
        return str(family), {}
    for name, value in params.items():
        if name not in entry.params:
            allowed = ", ".join(entry.params) or "none"
            check.add(path + ("params", str(name)), f"unknown parameter '{_brief(name)}' for {family} (allowed: {allowed})", key=True)
        elif value not in entry.params[name]:
            choices = ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in entry.params[name])
            check.add(path + ("params", str(name)), f"'{_brief(value)}' is not one of {choices}")
    return str(family), dict(params)
