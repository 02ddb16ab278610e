"""Looking at a database file before using it: is it SQLite, is it ours, which version, can it be
written? Nothing here writes a byte: a file that is refused is left exactly as it was (its -wal
too: a read-only connection never checkpoints or removes it)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from quizapp.safeio import UnsafeFile, read_head
from quizapp.store.errors import StoreDamaged, StoreError, StoreReadOnly, explain
from quizapp.store.schema import CURRENT_VERSION, TABLES

# Another quizapp writing (a long import): SQLite waits BUSY_TIMEOUT_MS at a time, the store says
# it is waiting between tries, and gives up (StoreBusy) after BUSY_WAIT_S in all.
BUSY_TIMEOUT_MS = 1_000
BUSY_WAIT_S = 120.0
SQLITE_MAGIC = b"SQLite format 3\x00"


def check_header(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a quizapp database")
    try:
        head = read_head(path, len(SQLITE_MAGIC))  # a FIFO or a device is refused, never opened
    except UnsafeFile as exc:
        raise StoreError(str(exc)) from None
    if head and head != SQLITE_MAGIC:
        raise StoreDamaged(
            f"{path} is not an SQLite database (corrupt or some other file). It was left "
            "untouched; move it away or choose another --data-dir."
        )


def connect(path: Path, mode: str) -> sqlite3.Connection:
    """mode: rwc (create), rw, ro, or immutable (a read-only folder: no lock, no WAL index)."""
    query = "mode=ro&immutable=1" if mode == "immutable" else f"mode={mode}"
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?{query}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None, check_same_thread=False,
    )


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection; in a folder that cannot be written (no WAL index can be made
    there) the file is read as immutable."""
    conn = connect(path, "ro")
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
    return connect(path, "immutable")


def _read_version(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return int(version), {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def _version_and_tables(path: Path) -> tuple[int, set[str]]:
    """What `inspect` judges by, read without putting anything beside a file that may be refused
    (a read-only connection to a WAL-mode file creates a -shm there, and a -wal if there is none):
    - a -shm beside it: another quizapp may be writing; read through the WAL index, as usual;
    - a -wal with data but no -shm (a writer killed, a copied folder): the file's last commits
      are in the -wal, so a copy of the two is read, in a temporary folder;
    - neither: the file holds everything; it is read as immutable, which creates nothing."""
    wal = path.with_name(path.name + "-wal")
    if path.with_name(path.name + "-shm").exists():
        return _read_version(read_only_connection(path))
    if wal.exists() and wal.stat().st_size > 0:
        import shutil
        import tempfile

        try:
            with tempfile.TemporaryDirectory(prefix="quizapp-inspect-") as folder:
                copy = Path(folder) / path.name
                shutil.copyfile(path, copy)
                shutil.copyfile(wal, copy.with_name(wal.name))
                return _read_version(connect(copy, "ro"))
        except OSError:  # no room for the copy: read it in place after all
            return _read_version(read_only_connection(path))
    return _read_version(connect(path, "immutable"))


def inspect(path: Path) -> int:
    """The schema version of an existing file, refusing (untouched) what quizapp cannot use."""
    try:
        version, tables = _version_and_tables(path)
    except sqlite3.DatabaseError as exc:
        raise explain(exc, path) from None
    if version > CURRENT_VERSION:
        raise StoreError(
            f"{path} was written by a newer quizapp (schema {version}, this version understands up "
            f"to {CURRENT_VERSION}); it was left untouched: upgrade quizapp to open it"
        )
    if version == 0 and tables:
        raise StoreError(f"{path} is an SQLite file but not a quizapp database; left untouched")
    if version == CURRENT_VERSION and not set(TABLES) <= tables:
        raise StoreDamaged(f"{path}: quizapp tables are missing; the file is damaged (left untouched)")
    return int(version)


def writable(path: Path) -> bool:
    """Whether the file and its folder (for the WAL) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def read_only_refusal(path: Path, version: int) -> StoreReadOnly:
    return StoreReadOnly(
        f"{path} is in an older quizapp format (schema {version}) and cannot be upgraded where it "
        "is, because the file or its folder is read-only; copy the data directory somewhere "
        "writable, or make it writable, and open it again"
    )
