"""What every command (and the full-screen app) needs: settings, content, the review store, language.

    with open_context(args) as ctx:      # raises CommandError(code, message); main() prints it
        ...

- settings: --config / QUIZAPP_CONFIG / the user config dir; a broken file → CommandError(2).
- content: the built-in topics, the user's decks (<data dir>/decks) and every --content DIR;
  content problems are printed to stderr as warnings ("quizapp: warning: FILE:LINE:COL: field: message") and the usable topics still load.
- store: quizapp.sqlite3 in --data-dir / QUIZAPP_DATA_DIR / the user data dir, created on first use;
  a corrupt, foreign or newer-version file raises StoreError, which cli/main.py reports (exit 2;
  the file is left untouched).
- lang: --lang, else the saved setting (which defaults to the locale).
The library's cards are synced into the store once here (new cards get ids, removed ones are
retired); the store is closed when the block ends.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp import paths
from quizapp.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.store import Store

EXIT_USAGE = 2
MAX_WARNINGS = 20


class CommandError(Exception):
    """A command cannot go on: main() prints the message and exits with the code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Context:
    settings: Settings
    library: Library
    store: Store
    lang: str
    config_path: Path
    data_dir: Path


def warn(message: str) -> None:
    print(f"quizapp: {message}", file=sys.stderr, flush=True)


def load_config(args: Any) -> tuple[Settings, Path]:
    config_path = paths.config_file(getattr(args, "config", None))
    try:
        return load_settings(config_path), config_path
    except ConfigError as exc:
        raise CommandError(EXIT_USAGE, str(exc)) from None


def _waiting() -> Any:
    """Says so while another quizapp holds the database (at 1 s, 5 s, then every 10 s)."""
    said: list[int] = []

    def tell(seconds: float) -> None:
        mark = 1 if seconds < 5 else 5 if seconds < 10 else int(seconds // 10) * 10
        if mark not in said:
            said.append(mark)
            warn(f"waiting for another quizapp to finish writing to the database ({mark} s so far)…")
    return tell


def _upgrading(done: int, total: int) -> None:
    """Progress of an upgrade of an older database (a minute or so at a million answers)."""
    warn(f"upgrading the database to this version: {done:,} of {total:,} answers copied")


def _parameters_in_step(store: Store, settings: Settings) -> None:
    """The config names the FSRS parameters; the store's memory states must be theirs."""
    if store.read_only or (settings.fsrs_weights() is None and store.parameters() is None):
        return  # the defaults on both sides (sched.adopt.in_step): no fitting code to import
    from quizapp.sched.adopt import bring_in_step, in_step
    from quizapp.timing import now

    if store.read_only or in_step(store, settings):
        return
    warn("note: the FSRS parameters in the settings changed: recomputing the memory state of every studied card…")
    bring_in_step(store, settings, now())


@contextmanager
def open_context(args: Any, *, warn_content: bool = True) -> Iterator[Context]:
    from quizapp.deck import load_library
    from quizapp.deck.userdecks import user_decks_dir
    from quizapp.store import Store

    settings, config_path = load_config(args)
    data_dir = paths.data_dir(getattr(args, "data_dir", None))
    library = load_library([Path(p) for p in (getattr(args, "content", None) or [])],
                           user_dirs=[user_decks_dir(data_dir)])
    if warn_content and library.problems:
        for problem in library.problems[:MAX_WARNINGS]:
            warn(f"warning: {problem}")
        if len(library.problems) > MAX_WARNINGS:
            warn(f"warning: … and {len(library.problems) - MAX_WARNINGS} more content problems "
                 "(run `quizapp validate` to see them all)")
    # StoreError (busy, full, read-only, damaged…), a DatabaseError while working and UnsafeFile go
    # up to cli/main.py, which words them (with quizapp.store.explain).
    store = Store.open(data_dir, progress=_upgrading)
    try:
        if store.backup_path is not None:
            warn(f"note: upgraded the database; the previous version is saved as {store.backup_path}")
        if store.read_only:
            warn(f"note: {store.path} cannot be written: opened read-only")
        store.waiting = _waiting()
        lang = getattr(args, "lang", None) or settings.language
        store.sync_library(library)
        _parameters_in_step(store, settings)
        yield Context(settings, library, store, lang if lang in ("en", "zh") else "en", config_path, data_dir)
    finally:
        store.close()
