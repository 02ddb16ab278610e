"""What every command says when a file or the database fails it: the one place that turns an
exception into a message and an exit status (cli/main.py calls `describe`).

- UnsafeFile (a FIFO, a device, a directory, a file too large, a file that cannot be opened):
  the message names the path; exit 2.
- StoreError (a damaged, foreign or newer database, found on opening): its message; exit 2.
- sqlite3.DatabaseError during a command: what is actually wrong, with advice that fits: busy
  (another quizapp is writing: wait and retry), disk full, read-only (reading commands still
  work), or damage (only then: restore a backup); exit 2.
- any other OSError (writing an export, stdout on a full disk): the reason and the file; exit 1.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import sys
from typing import Any

from quizapp import paths
from quizapp.safeio import UnsafeFile

EXIT_FAILED = 1
EXIT_USAGE = 2
BACKUPS = "quizapp.sqlite3.bak-*"
# What SQLite says about a damaged file (not about a busy, full or read-only one, nor a bad value).
DAMAGE = ("malformed", "not a database", "corrupt", "no such table", "no such column")


def describe(exc: BaseException, args: Any) -> tuple[int, str] | None:
    """(exit status, message) for a failure every command shares; None for anything else."""
    if isinstance(exc, UnsafeFile):
        return EXIT_USAGE, str(exc)
    store = sys.modules.get("quizapp.store.db")
    if store is not None and isinstance(exc, store.StoreError):
        return EXIT_USAGE, str(exc)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
        return EXIT_USAGE, database_message(exc, paths.data_dir(getattr(args, "data_dir", None)))
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            reason = "the disk is full (No space left on device); the old file, if any, is unchanged"
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_FAILED, f"{where}{reason}"
    return None


def database_message(exc: BaseException, data_dir: object) -> str:
    """Advice that fits what SQLite reported; 'restore a backup' only for real damage."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return (f"the database in {data_dir} is busy: another quizapp is writing to it. Wait until it "
                f"has finished and try again (nothing was lost)")
    if "disk is full" in low or "no space" in low:
        return (f"the disk holding {data_dir} is full ({text}). Free some space and try again; "
                "answers already saved are safe")
    if "readonly" in low or "read-only" in low:
        return (f"the database in {data_dir} is read-only ({text}); commands that only read it "
                "(stats, export) still work")
    if "unable to open" in low:
        return f"cannot open the database in {data_dir} ({text}); check the folder exists and is yours"
    if "disk i/o" in low:
        return f"the disk failed while using the database in {data_dir} ({text}); check the disk and try again"
    if any(word in low for word in DAMAGE):
        return (f"the database in {data_dir} is damaged ({text}). It was left as it is; restore a backup "
                f"({BACKUPS}) or move it away")
    return f"cannot use the database in {data_dir} ({text})"
