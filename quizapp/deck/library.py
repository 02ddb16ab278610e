"""All loaded topics: the built-in ones plus any user decks, with cross-file checks.

A user deck (any file that is not built in) may hold an item with the same id as a built-in item:
that is an override (made by "edit" on a built-in card). It replaces the built-in item in place,
in the built-in topic (so progress, keyed by the id, and the topic's statistics are kept), and
`Item.source` names the user's file. A user topic holding nothing but overrides is not listed.
Two user items with one id, or a user item repeating another user item's id, are still problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from quizapp.deck.cache import LibraryCache
from quizapp.deck.glossary import GLOSSARY_NAME
from quizapp.deck.model import CardRef, Item, Problem, Topic, card_key
from quizapp.paths import builtin_content_dir

# (path, built in?, the topic parsed from it or None, its problems)
Parsed = tuple[Path, bool, Topic | None, list[Problem]]


@dataclass
class Library:
    topics: list[Topic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)
    cards: list[CardRef] = field(default_factory=list)
    # What it was loaded from (so it can be reloaded): every file, and the folders scanned.
    sources: list[tuple[Path, bool]] = field(default_factory=list)
    folders: list[tuple[Path, bool]] = field(default_factory=list)
    _cards_by_key: dict[str, CardRef] = field(default_factory=dict, repr=False)
    _topics_by_id: dict[str, Topic] = field(default_factory=dict, repr=False)

    def card(self, key: str) -> CardRef | None:
        return self._cards_by_key.get(key)

    def topic(self, topic_id: str) -> Topic | None:
        return self._topics_by_id.get(topic_id)

    def cards_of(self, topic_id: str) -> list[CardRef]:
        return [c for c in self.cards if c.topic.id == topic_id]


def content_files(paths: Iterable[Path], problems: list[Problem] | None = None) -> list[Path]:
    """YAML files named directly, or found (sorted) inside the directories given. The glossary is
    not a topic (`validate --lint` checks it). A directory that cannot be listed is skipped, with a
    problem naming it in `problems` when given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
            except OSError as exc:
                if problems is not None:
                    problems.append(Problem(str(path), 1, 1, "", f"cannot read this folder: {exc.strerror or exc}; skipped"))
        else:
            found.append(path)
    return [p for p in found if p.name != GLOSSARY_NAME]


def load_library(
    extra_dirs: Sequence[Path | str] = (), *, include_builtin: bool = True,
    user_dirs: Sequence[Path | str] = (), cache: bool = True,
) -> Library:
    """Never raises for bad content: problems are collected, and every usable topic still loads.
    Files unchanged since the last load come from the parse cache (quizapp.deck.cache).

    `user_dirs` (the user's own deck folder) may not exist yet: then it is simply empty.
    """
    folders: list[tuple[Path, bool]] = [(builtin_content_dir(), True)] if include_builtin else []
    # A missing user folder is still watched (quizapp.deck.reload): the first deck may appear later.
    folders += [(Path(d).expanduser(), False) for d in user_dirs]
    sources: list[tuple[Path, bool]] = []
    unreadable: list[Problem] = []
    for folder, builtin in folders:
        if folder.is_dir():
            sources += [(p, builtin) for p in content_files([folder], unreadable)]
    for extra in extra_dirs:
        extra_path = Path(extra).expanduser()
        if not extra_path.exists():
            sources.append((extra_path, False))  # reported as unreadable below
            continue
        if extra_path.is_dir():
            folders.append((extra_path, False))
        # A built-in file named again (`validate content/`) is not a second copy of itself.
        known = {p.resolve() for p, _ in sources}
        sources += [(p, False) for p in content_files([extra_path], unreadable) if p.resolve() not in known]
    library = build_library(sources, cache=cache)
    library.folders = folders
    if unreadable:
        library.problems = sorted(library.problems + unreadable, key=lambda p: (p.file, p.line, p.col))
    return library


def parse_topic_file(path: Path, *, builtin: bool = False) -> tuple[Topic | None, list[Problem]]:
    """deck.loader's, imported on the first file the parse cache does not hold: with every deck
    cached, a launch never imports the YAML reader."""
    from quizapp.deck.loader import parse_topic_file as parse

    return parse(path, builtin=builtin)


def _parse(path: Path, builtin: bool, cache: LibraryCache | None) -> tuple[Topic | None, list[Problem]]:
    parsed = cache.get(path, builtin) if cache is not None else None
    if parsed is None:
        parsed = parse_topic_file(path, builtin=builtin)
        if cache is not None:
            cache.put(path, builtin, parsed)
    return parsed


def build_library(sources: Sequence[tuple[Path, bool]], *, cache: bool = False) -> Library:
    files = LibraryCache() if cache else None
    parsed = [(path, builtin, *_parse(path, builtin, files)) for path, builtin in sources]
    if files is not None:
        files.save()
    return assemble_library(parsed)


def assemble_library(parsed: Sequence[Parsed]) -> Library:
    """The library from topics parsed already (a reload re-parses only the files that changed)."""
    lib = Library(sources=[(path, builtin) for path, builtin, _, _ in parsed])
    topic_first: dict[str, str] = {}
    item_first: dict[str, str] = {}
    builtin_items = {item.id for _, builtin, topic, _ in parsed if builtin and topic for item in topic.items}
    overrides: dict[str, Item] = {}
    for path, builtin, topic, problems in parsed:
        lib.problems.extend(problems)
        if topic is None:
            continue
        if topic.id in topic_first:
            lib.problems.append(
                Problem(str(path), 1, 1, "id", f"duplicate topic id '{topic.id}' (first defined in {topic_first[topic.id]})")
            )
            continue
        topic_first[topic.id] = str(path)
        kept: list[Item] = []
        moved = 0
        for item in topic.items:
            where = f"{path}:{item.line}:{item.col}"
            if not builtin and item.id in builtin_items:
                if item.id not in overrides:  # the user's version of a built-in item
                    overrides[item.id] = replace(item, source=path)
                    item_first[f"override:{item.id}"] = where
                    moved += 1
                    continue
                first: str | None = item_first[f"override:{item.id}"]
            else:
                first = item_first.get(item.id)
            if first is not None:
                lib.problems.append(
                    Problem(str(path), item.line, item.col, f"items[{item.index}].id",
                            f"duplicate id '{item.id}' (first defined at {first})")
                )
                continue
            item_first[item.id] = where
            kept.append(item)
        if kept or not moved:  # a deck of overrides only is not a topic of its own
            lib.topics.append(replace(topic, items=tuple(kept)))
    _index(lib, overrides)
    return lib


def _index(lib: Library, overrides: dict[str, Item]) -> None:
    # Built-ins first (by order), then user decks (by order), ties by id.
    lib.topics.sort(key=lambda t: (not t.builtin, t.order, t.id))
    for pos, topic in enumerate(lib.topics):
        if overrides and any(item.id in overrides for item in topic.items):
            items = tuple(
                replace(overrides[item.id], topic_id=topic.id) if item.id in overrides else item
                for item in topic.items
            )
            topic = lib.topics[pos] = replace(topic, items=items)
        lib._topics_by_id[topic.id] = topic
        for item in topic.items:
            lib.items[item.id] = item
            for sibling in item.card_siblings():
                ref = CardRef(card_key(item.id, sibling), item, topic, sibling)
                lib.cards.append(ref)
                lib._cards_by_key[ref.key] = ref
    lib.problems.sort(key=lambda p: (p.file, p.line, p.col))
