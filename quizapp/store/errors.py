"""What can go wrong with the database, said honestly: busy, full, read-only or damaged are four
different things, and only damage calls for a backup.

`explain(exc, path)` turns an error SQLite (or the disk) raised while working into the StoreError
that says which it is and what to do; front ends print its message.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

BACKUPS = "quizapp.sqlite3.bak-*"


class StoreError(Exception):
    """The database cannot be used; the message says which file, why, and what to do."""


class StoreBusy(StoreError):
    """Another quizapp holds the write lock (a long import, another session)."""


class StoreFull(StoreError):
    """The disk is full."""


class StoreReadOnly(StoreError):
    """The file or its folder cannot be written; reading still works."""


class StoreDamaged(StoreError):
    """The file itself is damaged (or is not a quizapp database at all)."""


_FULL = ("disk is full", "database or disk is full", "no space left")
_READ_ONLY = ("readonly", "read-only", "read only", "permission denied", "unable to open database file")
_DAMAGED = ("malformed", "not a database", "corrupt", "file is encrypted")


def explain(exc: BaseException, path: Path) -> StoreError:
    """The StoreError for `exc`, raised while working with the database at `path`."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"{path} is busy: another quizapp is writing to it (an import or a study session). "
            "Wait until it has finished, then try again; nothing was lost."
        )
    if code == errno.ENOSPC or any(word in text for word in _FULL):
        return StoreFull(
            f"the disk holding {path.parent} is full: free some space, then try again. Every answer "
            "acknowledged so far is saved."
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or any(word in text for word in _READ_ONLY):
        return StoreReadOnly(
            f"{path} cannot be written ({exc}): the file or its folder is read-only. Reading still "
            "works (`quizapp stats`, `quizapp export`); studying needs a writable data directory."
        )
    if isinstance(exc, sqlite3.DatabaseError) and any(word in text for word in _DAMAGED):
        return StoreDamaged(
            f"{path} is damaged ({exc}). Run `quizapp check` to see how; restore a backup "
            f"({BACKUPS}) if you have one, or move the file away to start afresh."
        )
    return StoreError(f"{path}: {exc}")
