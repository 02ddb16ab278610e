"""What every command (and the full-screen app) needs: settings, content, the review store, language.

    context = open_context(args)
    if isinstance(context, int):   # the problem was printed to stderr; exit with this code
        return context

- settings: --config / QUIZAPP_CONFIG / the user config dir; a broken file → message, exit 2.
- content: the built-in topics, the user's decks (<data dir>/decks) and every --content DIR;
  content problems are printed to stderr as warnings ("quizapp: warning: FILE:LINE:COL: field: message") and the usable topics still load.
- store: quizapp.sqlite3 in --data-dir / QUIZAPP_DATA_DIR / the user data dir, created on first use;
  a corrupt, foreign or newer-version file → message, exit 2 (the file is left untouched).
- lang: --lang, else the saved setting (which defaults to the locale).
The library's cards are synced into the store (new cards get ids, removed ones are retired).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp import paths
from quizapp.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.store import Store

EXIT_USAGE = 2
MAX_WARNINGS = 20


@dataclass
class Context:
    settings: Settings
    library: Library
    store: Store
    lang: str
    config_path: Path
    data_dir: Path


def _err(message: str) -> None:
    print(f"quizapp: {message}", file=sys.stderr, flush=True)


def open_context(args: argparse.Namespace, *, warn: bool = True) -> Context | int:
    from quizapp.deck import load_library
    from quizapp.store import Store, StoreError

    config_path = paths.config_file(getattr(args, "config", None))
    try:
        settings = load_settings(config_path)
    except ConfigError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    from quizapp.deck.userdecks import user_decks_dir

    data_dir = paths.data_dir(getattr(args, "data_dir", None))
    library = load_library([Path(p) for p in (getattr(args, "content", None) or [])],
                           user_dirs=[user_decks_dir(data_dir)])
    if warn and library.problems:
        for problem in library.problems[:MAX_WARNINGS]:
            _err(f"warning: {problem}")
        if len(library.problems) > MAX_WARNINGS:
            _err(f"warning: … and {len(library.problems) - MAX_WARNINGS} more content problems "
                 "(run `quizapp validate` to see them all)")
    try:
        store = Store.open(data_dir)
    except StoreError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    if store.backup_path is not None:
        _err(f"note: upgraded the database; the previous version is saved as {store.backup_path}")
    try:
        store.sync_library(library)
    except Exception as exc:  # sqlite3.DatabaseError on a damaged file: say so, no traceback
        store.close()
        _err(f"error: cannot use the database in {data_dir}: {exc}")
        return EXIT_USAGE
    lang = getattr(args, "lang", None) or settings.language
    return Context(settings, library, store, lang if lang in ("en", "zh") else "en", config_path, data_dir)
