"""What every command says when a file or the database fails it: the one place that turns an
exception into a message and an exit status (cli/main.py calls `describe`).

- UnsafeFile (a FIFO, a device, a directory, a file too large, a file that cannot be opened):
  the message names the path; exit 2.
- StoreError (busy, full, read-only, damaged, foreign or newer: quizapp.store.errors): its
  message; exit 2.
- sqlite3.DatabaseError while a command works: worded by quizapp.store.explain, which says what
  is actually wrong and advises restoring a backup only for real damage; exit 2.
- any other OSError (writing an export, stdout on a full disk): the reason and the file; exit 1.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import Any

from quizapp import paths
from quizapp.safeio import UnsafeFile

EXIT_FAILED = 1
EXIT_USAGE = 2


def describe(exc: BaseException, args: Any) -> tuple[int, str] | None:
    """(exit status, message) for a failure every command shares; None for anything else."""
    if isinstance(exc, UnsafeFile):
        return EXIT_USAGE, str(exc)
    # Only modules already imported can have raised: the light commands stay light.
    errors = sys.modules.get("quizapp.store.errors")
    if errors is not None and isinstance(exc, errors.StoreError):
        return EXIT_USAGE, str(exc)
    sqlite3 = sys.modules.get("sqlite3")
    if errors is not None and sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
        return EXIT_USAGE, str(errors.explain(exc, database_path(args)))
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            reason = "the disk is full (No space left on device); the old file, if any, is unchanged"
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_FAILED, f"{where}{reason}"
    return None


def database_path(args: Any) -> Path:
    from quizapp.store.db import DB_NAME

    return paths.data_dir(getattr(args, "data_dir", None)) / DB_NAME
