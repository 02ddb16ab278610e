"""A cache of parsed topic files, so an unchanged deck costs a stat() at start-up, not a parse.

Each file's result (its Topic and its problems) is kept as JSON, keyed by the file's absolute path
and stamp (size, modification time in ns, inode) and by the code that parsed it (quizapp's
version and the stamps of the deck and catalog modules). Anything unexpected in the cache file —
missing, damaged, foreign, too large, another version — means the files are parsed again; a cache
can make loading faster, never different. JSON only: nothing read back can run code.

Where: QUIZAPP_CACHE_DIR, else the platform's user cache directory (~/.cache/quizapp on Linux).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from quizapp.deck.model import Item, Option, Problem, Topic
from quizapp.i18n import Bilingual

FORMAT = 1
FILE_NAME = "library.json"
MAX_BYTES = 64_000_000

Parsed = tuple[Topic | None, list[Problem]]


def cache_dir() -> Path:
    env = os.environ.get("QUIZAPP_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("quizapp")


def _stamp(path: Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _code_stamp() -> str:
    from quizapp import __version__

    here = Path(__file__).resolve().parent
    parts = [__version__]
    for folder in (here, here.parent / "exercises"):
        for module in sorted(folder.glob("*.py")):
            parts.append(f"{module.name}:{_stamp(module)}")
    return "|".join(parts)


def _bi(value: Bilingual | None) -> list[str] | None:
    return None if value is None else [value.en, value.zh]


def _unbi(value: Any) -> Bilingual | None:
    return None if value is None else Bilingual(str(value[0]), str(value[1]))


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id, "kind": item.kind, "topic_id": item.topic_id, "tags": list(item.tags),
        "front": _bi(item.front), "back": _bi(item.back), "reverse": item.reverse, "text": _bi(item.text),
        "extra": _bi(item.extra), "question": _bi(item.question),
        "options": [[_bi(o.text), o.correct, _bi(o.why)] for o in item.options],
        "family": item.family, "params": item.params, "line": item.line, "col": item.col, "index": item.index,
    }


def _item(data: dict[str, Any]) -> Item:
    return Item(
        id=data["id"], kind=data["kind"], topic_id=data["topic_id"], tags=tuple(data["tags"]),
        front=_unbi(data["front"]), back=_unbi(data["back"]), reverse=bool(data["reverse"]),
        text=_unbi(data["text"]), extra=_unbi(data["extra"]), question=_unbi(data["question"]),
        options=tuple(Option(_unbi(t), bool(c), _unbi(w)) for t, c, w in data["options"]),  # type: ignore[arg-type]
        family=data["family"], params=dict(data["params"]), line=data["line"], col=data["col"],
        index=data["index"],
    )


def encode(parsed: Parsed) -> dict[str, Any]:
    topic, problems = parsed
    return {
        "topic": None if topic is None else {
            "id": topic.id, "order": topic.order, "title": _bi(topic.title), "summary": _bi(topic.summary),
            "notes": _bi(topic.notes), "items": [_item_json(i) for i in topic.items],
            "source": str(topic.source), "builtin": topic.builtin,
        },
        "problems": [[p.file, p.line, p.col, p.path, p.message] for p in problems],
    }


def decode(data: dict[str, Any]) -> Parsed:
    raw = data["topic"]
    topic = None if raw is None else Topic(
        id=raw["id"], order=raw["order"], title=_unbi(raw["title"]), summary=_unbi(raw["summary"]),  # type: ignore[arg-type]
        notes=_unbi(raw["notes"]), items=tuple(_item(i) for i in raw["items"]),  # type: ignore[arg-type]
        source=Path(raw["source"]), builtin=bool(raw["builtin"]),
    )
    return topic, [Problem(*p) for p in data["problems"]]


class LibraryCache:
    """The parsed files of the last start-up; `save()` writes what changed (never raises)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or cache_dir()) / FILE_NAME
        self.code = _code_stamp()
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}  # what this start-up read or parsed: all that is saved
        self.changed = False
        self._load()

    def _load(self) -> None:
        from quizapp.safeio import read_bounded

        try:
            data = json.loads(read_bounded(self.path, MAX_BYTES))
        except (OSError, ValueError, RecursionError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("code") == self.code:
            entries = data.get("files")
            self.entries = entries if isinstance(entries, dict) else {}

    def get(self, path: Path, builtin: bool) -> Parsed | None:
        name = str(path.resolve())
        entry = self.entries.get(name)
        stamp = _stamp(path)
        if not isinstance(entry, dict) or stamp is None or entry.get("stamp") != stamp or entry.get("builtin") != builtin:
            return None
        try:
            parsed = decode(entry["parsed"])
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self.used[name] = entry
        return parsed

    def put(self, path: Path, builtin: bool, parsed: Parsed) -> None:
        stamp = _stamp(path)
        if stamp is None:
            return
        try:
            encoded = encode(parsed)
            json.dumps(encoded)  # params a YAML file gave may not be JSON (a date): not cached
        except (TypeError, ValueError):
            return
        self.used[str(path.resolve())] = {"stamp": stamp, "builtin": builtin, "parsed": encoded}
        self.changed = True

    def save(self) -> None:
        """Keep the files of this start-up only (a deck removed since is forgotten)."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        from quizapp.safeio import atomic_write_text

        with contextlib.suppress(OSError):  # a read-only or full disk: the next start parses again
            atomic_write_text(self.path, json.dumps(
                {"format": FORMAT, "code": self.code, "files": self.used}, ensure_ascii=False,
            ))
        self.changed = False
