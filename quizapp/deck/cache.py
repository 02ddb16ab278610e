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
import re
from pathlib import Path
from typing import Any

from quizapp.deck.model import Item, Option, Problem, Topic
from quizapp.i18n import Bilingual
from quizapp.textsafe import visible

FORMAT = 1
FILE_NAME = "library.json"
MAX_BYTES = 64_000_000

Parsed = tuple[Topic | None, list[Problem]]

# What, in the cache file's text, could decode to a character quizapp.textsafe.visible changes: a
# raw DEL, C1 or bidi control, a \b \f \r escape, or a \u escape of a C0, DEL, C1 or bidi
# control (raw C0 cannot be inside a JSON string; \n and \t are kept by visible). The parser
# made every text visible before it was cached, so a cache quizapp wrote never has one: it is
# decoded in one pass. Anything else is decoded value by value, each text made visible.
_RAW_CONTROL = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ESCAPE = re.compile(r"\\(?:[bfr]|u(?:00[01]|007|008|009|202|206))", re.IGNORECASE)


def _clean(text: str) -> bool:
    if _RAW_CONTROL.search(text):
        return False
    for match in _CONTROL_ESCAPE.finditer(text):
        before = match.start()
        while before and text[before - 1] == "\\":
            before -= 1
        if (match.start() - before) % 2 == 0:  # not the second half of an escaped backslash
            return False
    return True


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
    exercises = here.parent / "exercises"
    for folder in (here, exercises, exercises / "authored"):
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


def _object_hook(classes: dict[str, type]) -> Any:
    """json.loads' hook building the model as the file is read (_decode's work, for a file
    without any control character in its text)."""
    def hook(value: dict[str, Any]) -> Any:
        if "__class__" in value:
            cls = classes[value.pop("__class__")]
            return cls(**value)
        if "__tuple__" in value:
            return tuple(value["__tuple__"])
        if "__dict__" in value:
            return dict(value["__dict__"])
        if "__path__" in value:
            return Path(value["__path__"])
        return value
    return hook


def _checked(topic: Any, problems: Any) -> Parsed:
    if not (topic is None or isinstance(topic, Topic)) or not all(isinstance(p, Problem) for p in problems):
        raise TypeError("not a parsed topic file")
    return topic, list(problems)


def encode(parsed: Parsed) -> dict[str, Any]:
    topic, problems = parsed
    return {"topic": _encode(topic), "problems": _encode(list(problems))}


def decode(data: dict[str, Any]) -> Parsed:
    classes = _classes()
    return _checked(_decode(data["topic"], classes), _decode(data["problems"], classes))


class LibraryCache:
    """The parsed files of the last start-up; `save()` writes what changed (never raises)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or cache_dir()) / FILE_NAME
        self.code = _code_stamp()
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}  # what this start-up read or parsed: all that is saved
        self.changed = False
        self.decoded = False  # entries hold the model already (not JSON values): see _clean
        self._load()

    def _load(self) -> None:
        from quizapp.safeio import read_bounded

        try:
            text = read_bounded(self.path, MAX_BYTES).decode("utf-8")
            clean = _clean(text)
            data = json.loads(text, object_hook=_object_hook(_classes()) if clean else None)
        except (OSError, ValueError, RecursionError, KeyError, TypeError, AttributeError, IndexError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("code") == self.code:
            entries = data.get("files")
            self.entries = entries if isinstance(entries, dict) else {}
            self.decoded = clean

    def get(self, path: Path, builtin: bool) -> Parsed | None:
        name = str(path.resolve())
        entry = self.entries.get(name)
        stamp = _stamp(path)
        if not isinstance(entry, dict) or stamp is None or entry.get("stamp") != stamp or entry.get("builtin") != builtin:
            return None
        try:
            data = entry["parsed"]
            parsed = _checked(data["topic"], data["problems"]) if self.decoded else decode(data)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
            return None
        self.used[name] = {**entry, "parsed": parsed} if self.decoded else entry
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

        files = {name: {**entry, "parsed": entry["parsed"] if isinstance(entry["parsed"], dict) else encode(entry["parsed"])}
                 for name, entry in self.used.items()}
        with contextlib.suppress(OSError):  # a read-only or full disk: the next start parses again
            atomic_write_text(self.path, json.dumps(
                {"format": FORMAT, "code": self.code, "files": files}, ensure_ascii=False,
            ))
        self.changed = False
