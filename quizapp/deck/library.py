"""All loaded topics: the built-in ones plus any user decks, with cross-file checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from quizapp.deck.glossary import GLOSSARY_NAME
from quizapp.deck.loader import parse_topic_file
from quizapp.deck.model import CardRef, Item, Problem, Topic, card_key
from quizapp.paths import builtin_content_dir


@dataclass
class Library:
    topics: list[Topic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)
    cards: list[CardRef] = field(default_factory=list)
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
    extra_dirs: Sequence[Path | str] = (), *, include_builtin: bool = True
) -> Library:
    """Never raises for bad content: problems are collected, and every usable topic still loads."""
    sources: list[tuple[Path, bool]] = []
    unreadable: list[Problem] = []
    if include_builtin:
        sources += [(p, True) for p in content_files([builtin_content_dir()])]
    for extra in extra_dirs:
        extra_path = Path(extra).expanduser()
        if not extra_path.exists():
            sources.append((extra_path, False))  # reported as unreadable below
            continue
        # A built-in file named again (`validate content/`) is not a second copy of itself.
        known = {p.resolve() for p, _ in sources}
        sources += [(p, False) for p in content_files([extra_path], unreadable) if p.resolve() not in known]
    library = build_library(sources)
    if unreadable:
        library.problems = sorted(library.problems + unreadable, key=lambda p: (p.file, p.line, p.col))
    return library


def build_library(sources: Sequence[tuple[Path, bool]]) -> Library:
    lib = Library()
    topic_first: dict[str, str] = {}
    item_first: dict[str, str] = {}
    for path, builtin in sources:
        topic, problems = parse_topic_file(path, builtin=builtin)
        lib.problems.extend(problems)
        if topic is None:
            continue
        where = f"{path}"
        if topic.id in topic_first:
            lib.problems.append(
                Problem(str(path), 1, 1, "id", f"duplicate topic id '{topic.id}' (first defined in {topic_first[topic.id]})")
            )
            continue
        topic_first[topic.id] = where
        kept: list[Item] = []
        for item in topic.items:
            if item.id in item_first:
                lib.problems.append(
                    Problem(str(path), item.line, item.col, f"items[{item.index}].id",
                            f"duplicate id '{item.id}' (first defined at {item_first[item.id]})")
                )
                continue
            item_first[item.id] = f"{path}:{item.line}:{item.col}"
            kept.append(item)
        lib.topics.append(replace(topic, items=tuple(kept)))
    # Built-ins first (by order), then user decks (by order), ties by id.
    lib.topics.sort(key=lambda t: (not t.builtin, t.order, t.id))
    for topic in lib.topics:
        lib._topics_by_id[topic.id] = topic
        for item in topic.items:
            lib.items[item.id] = item
            for sibling in item.card_siblings():
                ref = CardRef(card_key(item.id, sibling), item, topic, sibling)
                lib.cards.append(ref)
                lib._cards_by_key[ref.key] = ref
    lib.problems.sort(key=lambda p: (p.file, p.line, p.col))
    return lib
