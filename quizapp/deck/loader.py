"""Load topic YAML files into Topic objects, reporting every problem with FILE:LINE:COL.

One parse with PyYAML's safe loader (its C version when present) yields the node tree, which
carries the line and column of every key and value, and the plain data that the SafeConstructor
builds from it; so a problem can name the exact position of the key or value at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.deck.mathcloze import read_math
from quizapp.deck.model import CLOZE_RE, KINDS, Item, Option, Problem, Topic
from quizapp.exercises.authored.schema import YAML_FIELDS, read_exercise
from quizapp.exercises.catalog import CATALOG
from quizapp.i18n import LANGS, Bilingual

# The same safe loader, in C (libyaml) when PyYAML has it: ~10x faster, which is most of the
# app's start-up time (the built-in content is parsed on every launch).
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2_000_000
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

PathT = tuple[str | int, ...]


def dotted(path: PathT) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class Positions:
    """Start marks of every value and every mapping key, by path."""

    values: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[tuple[PathT, tuple[int, int]]] = field(default_factory=list)

    def at(self, path: PathT, *, key: bool = False) -> tuple[int, int]:
        """The closest known position: the key or value itself, else its nearest ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        probe = path
        while probe not in self.values and probe:
            probe = probe[:-1]
        return self.values.get(probe, (1, 1))


def _walk(node: yaml.Node, path: PathT, pos: Positions, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: already mapped (and possibly a cycle)
        return
    seen.add(id(node))
    pos.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for knode, vnode in node.value:
            key = str(knode.value) if isinstance(knode, yaml.ScalarNode) else "?"
            mark = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            if key in keys:
                pos.duplicates.append((path + (key,), mark))
            keys.add(key)
            pos.keys[path + (key,)] = mark
            _walk(vnode, path + (key,), pos, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, path + (i,), pos, seen)


class _FileChecker:
    def __init__(self, file: str, pos: Positions) -> None:
        self.file = file
        self.pos = pos
        self.problems: list[Problem] = []

    def add(self, path: PathT, message: str, *, key: bool = False) -> None:
        line, col = self.pos.at(path, key=key)
        self.problems.append(Problem(self.file, line, col, dotted(path), message))

    def keys(self, data: dict[str, Any], path: PathT, required: Iterable[str], optional: Iterable[str]) -> bool:
        ok = True
        allowed = set(required) | set(optional)
        for name in required:
            if name not in data:
                self.add(path, f"missing required field '{name}'")
                ok = False
        for name in data:
            if name not in allowed:
                hint = _close_match(str(name), allowed)
                extra = f" (did you mean '{hint}'?)" if hint else ""
                self.add(path + (str(name),), f"unknown field '{name}'{extra}", key=True)
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
                self.add(path + (str(name),), f"unknown language '{name}' (use en and zh)", key=True)
                ok = False
        return Bilingual(str(value["en"]), str(value["zh"])) if ok else None


def _close_match(name: str, options: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return found[0] if found else None


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


def _yaml_error(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(file, line, col, "", message)


def _compose_and_construct(text: str, loader_class: Any) -> tuple[yaml.Node | None, Any]:
    """One safe parse yielding both the node tree (for positions) and the plain data built from it
    by the SafeConstructor (plain scalars, lists and mappings; Python object tags are refused)."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def parse_topic_file(path: Path, *, builtin: bool = False) -> tuple[Topic | None, list[Problem]]:
    """Parse and validate one topic file. A topic comes back with its valid items even when some
    items have problems; None when the file as a whole cannot be used."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(file, 1, 1, "", f"file too large ({size:,} bytes; limit {MAX_FILE_BYTES:,})")]
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(file, line, col, "", "not UTF-8 text: save the file as UTF-8")]
    except OSError as exc:
        return None, [Problem(file, 1, 1, "", f"cannot read file: {exc.strerror or exc}")]
    try:
        try:
            node, data = _compose_and_construct(text, SAFE_LOADER)
        except yaml.YAMLError:
            # Bad YAML: parse again in pure Python, whose messages and limits the problems report.
            node, data = _compose_and_construct(text, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return None, [_yaml_error(file, exc)]
    except RecursionError:
        return None, [Problem(file, 1, 1, "", "malformed YAML: nesting too deep")]
    if data is None or node is None:
        return None, [Problem(file, 1, 1, "", "empty file: expected a topic mapping with id, title and items")]
    pos = Positions()
    try:
        _walk(node, (), pos)
    except RecursionError:
        return None, [Problem(file, 1, 1, "", "malformed YAML: nesting too deep")]
    check = _FileChecker(file, pos)
    for dup_path, (line, col) in pos.duplicates:
        check.problems.append(Problem(file, line, col, dotted(dup_path), f"duplicate key '{dup_path[-1]}'"))
    if not isinstance(data, dict):
        check.add((), f"the top level must be a mapping (id, title, items), not {_type_name(data)}")
        return None, check.problems
    return _build_topic(data, check, path, builtin)


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
            item = _build_item(raw, ("items", i), check, str(topic_id))
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
        hint = _close_match(str(kind), KINDS)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        check.add(path + ("kind",), f"unknown kind '{kind}'; expected one of {', '.join(KINDS)}{extra}")
        return None
    required, optional = KIND_FIELDS.get(str(kind), ((), ()))
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
    entry = CATALOG.get(str(family))
    if entry is None:
        hint = _close_match(str(family), CATALOG)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        check.add(path + ("family",), f"unknown exercise family '{family}'{extra}")
        return None, {}
    if not isinstance(params, dict):
        check.add(path + ("params",), "must be a mapping of parameter: value")
        return str(family), {}
    for name, value in params.items():
        if name not in entry.params:
            allowed = ", ".join(entry.params) or "none"
            check.add(path + ("params", str(name)), f"unknown parameter '{name}' for {family} (allowed: {allowed})", key=True)
        elif value not in entry.params[name]:
            choices = ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in entry.params[name])
            check.add(path + ("params", str(name)), f"'{value}' is not one of {choices}")
    return str(family), dict(params)
