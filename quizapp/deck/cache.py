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
import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from quizapp.deck.model import Item, Option, Problem, Topic
from quizapp.i18n import Bilingual
from quizapp.textsafe import visible

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


def _classes() -> dict[str, type]:
    """The types a cached parse may hold (anything else is not cached)."""
    from quizapp.exercises.authored.schema import AnswerDef, ExerciseDef, MistakeDef, VarDef
    from quizapp.exercises.forms import AnswerForm

    return {cls.__name__: cls for cls in (Topic, Item, Option, Problem, Bilingual, AnswerForm,
                                          ExerciseDef, VarDef, AnswerDef, MistakeDef)}


def _encode(value: Any) -> Any:
    """JSON for the content model, every dataclass field included (a field added to the model is
    cached with the rest, never silently dropped); TypeError for a type outside _classes()."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return {"__path__": str(value)}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _classes().get(name) is type(value):
        return {"__class__": name, **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot cache a {name}")


def _decode(value: Any, classes: dict[str, type]) -> Any:
    if isinstance(value, str):  # the cache is a file too: no control character comes back from it
        return visible(value)
    if isinstance(value, list):
        return [_decode(v, classes) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(_decode(v, classes) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_decode(k, classes): _decode(v, classes) for k, v in value["__dict__"]}
    if "__path__" in value:
        return Path(value["__path__"])
    cls = classes[value["__class__"]]
    return cls(**{k: _decode(v, classes) for k, v in value.items() if k != "__class__"})


def encode(parsed: Parsed) -> dict[str, Any]:
    topic, problems = parsed
    return {"topic": _encode(topic), "problems": _encode(list(problems))}


def decode(data: dict[str, Any]) -> Parsed:
    classes = _classes()
    topic, problems = _decode(data["topic"], classes), _decode(data["problems"], classes)
    if not (topic is None or isinstance(topic, Topic)) or not all(isinstance(p, Problem) for p in problems):
        raise TypeError("not a parsed topic file")
    return topic, problems


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
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
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
