"""Picking up deck files changed on disk while the app runs.

    watcher = DeckWatcher(library)
    if watcher.changed():                 # a cheap stat() of each file and folder listing
        result = watcher.reload()         # result.library, result.problems, result.kept
        if result.changed: use result.library

A changed file is parsed again with the same validation. When it has problems, the version that
was in use stays in use (`kept` names the file) until the file is valid again: a typo in the
editor never makes cards vanish from the queues. New files in the deck folders load; deleted
files go away.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.deck.library import Library, Parsed, assemble_library, content_files, parse_topic_file
from quizapp.deck.model import Problem, Topic
from quizapp.i18n import Bilingual

Stamp = tuple[int, int]  # (mtime_ns, size)


def _topic_from(library: Library, path: Path) -> Topic | None:
    """The topic the library took from `path`; for a file of overrides only, a stand-in topic
    holding its items (they override the built-in ones again when the library is assembled)."""
    for topic in library.topics:
        if topic.source == path:
            return topic
    overrides = tuple(i for t in library.topics for i in t.items if i.source == path)
    if not overrides:
        return None
    blank = Bilingual("", "")
    return Topic(id=f"\0{path}", order=1000, title=blank, summary=blank, notes=blank,
                 items=overrides, source=path, builtin=False)


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


@dataclass
class ReloadResult:
    library: Library
    changed: bool  # the cards differ from the library in use (use `library` anyway: lines may have moved)
    problems: list[Problem] = field(default_factory=list)  # of the files read again
    kept: list[Path] = field(default_factory=list)  # broken files whose previous version stays


class DeckWatcher:
    """Watches the files and folders a library was loaded from. It starts from the library as
    loaded (no file is read again until it changes), so that library is the version kept when
    a file is broken by the next edit."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._parsed: dict[Path, tuple[Stamp | None, Topic | None, list[Problem]]] = {}
        self._good: dict[Path, Topic] = {}
        self._stamps = self._scan()
        for path, _builtin in library.sources:
            topic = _topic_from(library, path)
            problems = [p for p in library.problems if p.file == str(path)]
            self._parsed[path] = (self._stamps.get(path), topic, problems)
            if topic is not None:
                self._good[path] = topic

    def _parse(self, path: Path, builtin: bool) -> tuple[Topic | None, list[Problem]]:
        topic, problems = parse_topic_file(path, builtin=builtin)
        self._parsed[path] = (self._stamps.get(path), topic, problems)
        if topic is not None and not problems:
            self._good[path] = topic
        return topic, problems

    def _files(self) -> list[tuple[Path, bool]]:
        files = dict(self.library.sources)
        for folder, builtin in self.library.folders:
            for path in content_files([folder]) if folder.is_dir() else []:
                files.setdefault(path, builtin)
        return list(files.items())

    def _scan(self) -> dict[Path, Stamp | None]:
        stamps: dict[Path, Stamp | None] = {path: _stamp(path) for path, _ in self._files()}
        for folder, _ in self.library.folders:
            stamps[folder] = _stamp(folder)
        return stamps

    def changed(self) -> bool:
        return self._scan() != self._stamps

    def reload(self) -> ReloadResult:
        """Parse the changed files again; a broken one keeps its previous good version."""
        self._stamps = self._scan()
        parsed: list[Parsed] = []
        problems: list[Problem] = []
        kept: list[Path] = []
        for path, builtin in self._files():
            cached = self._parsed.get(path)
            if cached is not None and cached[0] == self._stamps.get(path):
                topic, file_problems = cached[1], cached[2]
            else:
                topic, file_problems = self._parse(path, builtin)
                problems += file_problems
                if file_problems and path in self._good:
                    kept.append(path)
            if file_problems and path in self._good:
                topic, file_problems = self._good[path], []
            parsed.append((path, builtin, topic, file_problems))
        library = assemble_library(parsed)
        library.folders = self.library.folders
        changed = [(c.key, c.item, c.item.source, c.topic.id) for c in library.cards] != \
            [(c.key, c.item, c.item.source, c.topic.id) for c in self.library.cards]
        changed = changed or [t.id for t in library.topics] != [t.id for t in self.library.topics]
        self.library = library
        return ReloadResult(library, changed, problems, kept)
