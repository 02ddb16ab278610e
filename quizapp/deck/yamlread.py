"""Reading one YAML file safely: bounded, positioned, and free of anything a terminal acts on.

`read_yaml(path)` returns the plain data (PyYAML's safe constructor: scalars, lists, mappings;
no Python tags), the position of every value and key, and the problems found on the way. Between
composing the node tree and building values from it, the tree is checked:

- aliases may repeat values, but the whole document may not grow by more than ALIAS_BUDGET
  values and characters through them (a 430-byte "billion laughs" file would otherwise expand to gigabytes the first
  time anything walks or prints it), and no value may contain itself;
- numbers have at most MAX_NUMBER_CHARS characters (Python refuses to convert ints over 4,300
  digits, and a long one is never a real `order` or parameter);
- every control character in a text (ESC, CSI, OSC, BEL, CR…, quizapp.textsafe) is reported at
  its line and column and made visible before the value is built, so no front end or export
  ever sees it.

A file that cannot be used yields `data=None` and at least one problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from quizapp import textsafe
from quizapp.deck.model import Problem
from quizapp.safeio import UnsafeFile, read_bounded

# The same safe loader, in C (libyaml) when PyYAML has it: ~10x faster, which is most of the
# app's start-up time (the built-in content is parsed on every launch).
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2_000_000
ALIAS_BUDGET = 100_000  # values + characters aliases may add to a document; real decks add a few hundred
MAX_NUMBER_CHARS = 100
PURE_PARSE_MAX_CHARS = 200_000  # bad YAML is parsed again in pure Python up to this size
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# A double-quoted scalar's escapes that can produce a control character.
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)', re.DOTALL)
_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85"}

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


@dataclass
class YamlDoc:
    data: Any = None
    pos: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)


class _Refused(Exception):
    """The node tree cannot be built into values; the problem says where and why."""

    def __init__(self, node: yaml.Node, message: str, path: str = "") -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.path = path


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node: yaml.Node, path: PathT, pos: Positions, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: already mapped
        return
    seen.add(id(node))
    pos.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for knode, vnode in node.value:
            key = str(knode.value) if isinstance(knode, yaml.ScalarNode) else "?"
            mark = _mark(knode)
            if key in keys:
                pos.duplicates.append((path + (key,), mark))
            keys.add(key)
            pos.keys[path + (key,)] = mark
            _walk(vnode, path + (key,), pos, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, path + (i,), pos, seen)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _weight(node: yaml.Node) -> int:
    return 1 + len(node.value) if isinstance(node, yaml.ScalarNode) else 1


def distinct_nodes(root: yaml.Node) -> list[yaml.Node]:
    """Every node once; _Refused for a cycle or an alias bomb. Iterative (a deep file cannot
    exhaust Python's stack) and linear in the file; a file without aliases (the usual case)
    needs this one pass only."""
    order: list[yaml.Node] = []
    seen: set[int] = set()
    aliased = False
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            aliased = True
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(_children(node))
    if aliased:
        _check_expansion(root, order)
    return order


def _check_expansion(root: yaml.Node, nodes: list[yaml.Node]) -> None:
    """A node's expanded size is what it stands for once aliases are repeated: one per value plus
    the characters of its texts. The document may not expand to more than ALIAS_BUDGET beyond what
    the file itself holds, and no value may contain itself. Each size is the sum of its children's
    (post-order, memoized), never found by expanding anything."""
    size: dict[int, int] = {}
    refs: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            size[key] = _weight(node) + sum(size[id(child)] for child in _children(node))
            continue
        if key in size:
            continue
        if key in on_path:
            raise _Refused(node, "an alias refers to a value that contains it (a cycle); refused")
        on_path.add(key)
        stack.append((node, True))
        for child in reversed(_children(node)):
            refs[id(child)] = refs.get(id(child), 0) + 1
            if id(child) not in size:
                stack.append((child, False))
    held = sum(_weight(node) for node in nodes)
    if size[id(root)] > held + ALIAS_BUDGET:
        # Name the biggest value that aliases repeat (an anchor used more than once).
        shared = max((n for n in nodes if refs.get(id(n), 0) > 1), key=lambda n: size[id(n)], default=root)
        raise _Refused(shared, f"aliases repeat this value beyond {ALIAS_BUDGET:,} values and "
                       "characters more than the file holds (an alias bomb); refused")


def _paths_by_mark(pos: Positions) -> dict[tuple[int, int], PathT]:
    return {mark: path for path, mark in pos.values.items()}


def _check_numbers(nodes: list[yaml.Node], pos: Positions) -> None:
    for node in nodes:
        if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            raise _Refused(node, f"a number of {len(node.value):,} characters (at most {MAX_NUMBER_CHARS}); refused",
                           dotted(_paths_by_mark(pos).get(_mark(node), ())))


def _spots(text: str, node: yaml.ScalarNode) -> list[tuple[int, int, str]]:
    """(line, col, character) of each control character in the scalar's source: raw, or written
    as an escape in a double-quoted scalar."""
    start, end = node.start_mark.index, node.end_mark.index
    span = text[start:end]
    found: list[tuple[int, str]] = [(i, ch) for i, ch in textsafe.controls(span)]
    if node.style == '"':
        for m in _ESCAPE.finditer(span):
            code = m.group(1)
            char = chr(int(code[1:], 16)) if len(code) > 1 else _SIMPLE_ESCAPES.get(code, "")
            if char and textsafe.controls(char):
                found.append((m.start(), char))
    spots = []
    for offset, char in sorted(found):
        before = span[:offset]
        breaks = before.count("\n")
        col = offset - before.rfind("\n") if breaks else node.start_mark.column + 1 + offset
        spots.append((node.start_mark.line + 1 + breaks, col, char))
    return spots


def _clean_controls(file: str, text: str, nodes: list[yaml.Node], pos: Positions) -> list[Problem]:
    found = [n for n in nodes if isinstance(n, yaml.ScalarNode) and textsafe.has_controls(n.value)]
    where = _paths_by_mark(pos) if found else {}
    problems: list[Problem] = []
    for node in found:
        path = dotted(where.get(_mark(node), ()))
        spots = _spots(text, node) or [(*_mark(node), ch) for _, ch in textsafe.controls(node.value)]
        for line, col, char in spots:
            problems.append(Problem(file, line, col, path, f"control character {textsafe.describe(char)} "
                                    f"in text (shown as {textsafe.one_line(char)}); remove it"))
        node.value = textsafe.visible(node.value)
    return problems


class _ValueErrorsPositioned:
    """A constructor whose value errors (a date like 2001-02-30) name the value's position."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError, TypeError) as exc:
            raise ConstructorError(None, None, f"cannot read this value ({exc})", node.start_mark) from None


class _FastLoader(_ValueErrorsPositioned, SAFE_LOADER):
    pass


class _PyLoader(_ValueErrorsPositioned, yaml.SafeLoader):
    pass


def _yaml_error(file: str, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses (NUL, ESC…): its place
        index = min(int(exc.position), len(text))
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        return Problem(file, line, col, "", f"malformed YAML: control character {textsafe.describe(char)} "
                       "is not allowed; remove it")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(file, line, col, "", textsafe.one_line(message))


def _compose(text: str, loader_class: Any) -> tuple[Any, yaml.Node | None]:
    loader = loader_class(text)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


def _compose_any(text: str) -> tuple[Any, yaml.Node | None]:
    """Compose with the fast loader; on bad YAML, again in pure Python for its clearer messages.
    Not for a deep or a large file: the pure parser's time grows with the square of the nesting
    (37 s at 200,000 levels), so there the C message stands."""
    try:
        return _compose(text, _FastLoader)
    except yaml.YAMLError as fast_error:
        if len(text) > PURE_PARSE_MAX_CHARS or "nesting depth" in str(fast_error):
            raise
        try:
            return _compose(text, _PyLoader)
        except RecursionError:
            raise fast_error from None


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text; a problem instead for a file that is not a readable, bounded, UTF-8 file."""
    file = str(path)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        reason = exc.reason if exc.reason[:1].isupper() else f"the file {exc.reason}"
        return None, [Problem(file, 1, 1, "", f"cannot read: {reason}")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(file, line, col, "", "not UTF-8 text: save the file as UTF-8")]


def read_yaml(path: Path) -> YamlDoc:
    text, problems = read_text(path)
    if text is None:
        return YamlDoc(problems=problems)
    return parse_yaml(text, str(path))


def parse_yaml(text: str, file: str) -> YamlDoc:
    """The checked document from `text`; problems name `file`."""
    doc = YamlDoc()
    loader = None
    try:
        loader, node = _compose_any(text)
        if node is None:
            doc.problems.append(Problem(file, 1, 1, "", "empty file: expected a topic mapping with id, title and items"))
            return doc
        nodes = distinct_nodes(node)
        _walk(node, (), doc.pos)
        _check_numbers(nodes, doc.pos)
        doc.problems += _clean_controls(file, text, nodes, doc.pos)
        doc.data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        doc.problems.append(_yaml_error(file, text, exc))
        doc.data = None
    except _Refused as refused:
        line, col = _mark(refused.node)
        doc.problems.append(Problem(file, line, col, refused.path, refused.message))
        doc.data = None
    except RecursionError:
        doc.problems.append(Problem(file, 1, 1, "", "malformed YAML: nesting too deep"))
        doc.data = None
    finally:
        if loader is not None:
            loader.dispose()
    for dup_path, (line, col) in doc.pos.duplicates:
        doc.problems.append(Problem(file, line, col, dotted(dup_path), f"duplicate key '{dup_path[-1]}'"))
    return doc
