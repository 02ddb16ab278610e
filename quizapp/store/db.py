"""The review store: one SQLite file, quizapp.sqlite3, in the data directory.

Guarantees:
- WAL journal, synchronous=FULL and one transaction per answer: once `StudySession.rate` returns,
  the answer survives kill -9 / power loss.
- busy_timeout, and writes start with BEGIN IMMEDIATE: two running copies wait for each other
  instead of failing or corrupting the file.
- `reviews` (plus `events`) is the truth; `cards` is a cache: `rebuild_cards()` recomputes it
  from the log and must give the same rows (a test checks this).
- A file that is not SQLite, is corrupt, is not ours or comes from a newer quizapp raises
  StoreError with a clear message and is never written to.
- Upgrades (PRAGMA user_version) first copy the file to quizapp.sqlite3.bak-v<N>-<UTC time>.

Every SQL statement of the app lives in this package, one typed method per question: cards and
their cache (store.cards), the log and the rebuild (store.log), queue and dashboard questions
(store.queries), the statistics' aggregates (store.stats). Nothing outside it touches `conn`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from quizapp.forgetting import retrievability
from quizapp.safeio import UnsafeFile, read_head
from quizapp.store.cards import CardInfo, CardsMixin
from quizapp.store.log import LogMixin, new_uid
from quizapp.store.queries import QueueQueries
from quizapp.store.records import CARD_COLUMNS, CardState, to_ms
from quizapp.store.schema import CURRENT_VERSION, ENSURE, MIGRATE_V1_TO_V2, SCHEMA_V1, TABLES
from quizapp.store.stats import StatsQueries

__all__ = ["DB_NAME", "CardInfo", "Store", "StoreError", "new_uid"]

DB_NAME = "quizapp.sqlite3"
BUSY_TIMEOUT_MS = 15_000
# quick_check reads the whole file (~3 ms/MB): done on open for files up to this size, so damage
# is reported up front; bigger files are checked by SQLite page by page as they are read.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used; the message says which file and why."""


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a quizapp database")
    try:
        head = read_head(path, len(SQLITE_MAGIC))  # a FIFO or a device is refused, never opened
    except UnsafeFile as exc:
        raise StoreError(f"cannot use {exc}; it was left untouched") from None
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not an SQLite database (corrupt or some other file). It was left "
            "untouched; move it away or choose another --data-dir."
        )


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None, check_same_thread=False,
    )


class Store(CardsMixin, LogMixin, QueueQueries, StatsQueries):
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.backup_path: Path | None = None  # set when open() upgraded the file
        self._synced: str | None = None  # fingerprint of the library this connection last synced
        self._synced_library: object | None = None

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path | str) -> Store:
        data_dir = Path(data_dir)
        path = data_dir / DB_NAME
        existed = path.exists()
        if existed:
            _check_header(path)
        else:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data directory {data_dir}: {exc.strerror or exc}") from None
        try:
            conn = _connect(path, "rw" if existed else "rwc")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from None
        store = cls(conn, path)
        try:
            store._prepare(fresh=not existed)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{path} is not a usable quizapp database ({exc}). It was left untouched; "
                "move it away or restore a backup (quizapp.sqlite3.bak-*)."
            ) from None
        return store

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A read-only Store on the same file for a worker thread (closed afterwards), or this
        one when a second connection cannot be opened (e.g. a read-only folder without the WAL
        index)."""
        conn = None
        try:
            conn = _connect(self.path, "ro")
            conn.execute("SELECT 1 FROM reviews LIMIT 1")
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
        if conn is None:
            yield self
            return
        reader = Store(conn, self.path)
        try:
            yield reader
        finally:
            conn.close()

    def _prepare(self, *, fresh: bool) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Read before any write: a corrupt file fails here, before WAL mode touches the header.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > CURRENT_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer quizapp (schema {version}, this version "
                f"understands up to {CURRENT_VERSION}); upgrade quizapp to open it"
            )
        if version == 0 and tables:
            raise StoreError(f"{self.path} is an SQLite file but not a quizapp database; left untouched")
        if version > 0 and not set(TABLES) <= tables:
            raise StoreError(f"{self.path}: quizapp tables are missing; the file is damaged")
        if not fresh and self.path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if result != "ok":
                raise StoreError(
                    f"{self.path} is damaged ({result}). It was left untouched; restore a backup "
                    "(quizapp.sqlite3.bak-*) or move it away to start afresh."
                )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version == 0:
            with self.transaction():
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:  # another process may have won
                    self._create_current()
        elif version < CURRENT_VERSION:
            self._upgrade(version)
        for statement in _statements(ENSURE):
            conn.execute(statement)

    def _create_current(self) -> None:
        for statement in _statements(SCHEMA_V1 + MIGRATE_V1_TO_V2):
            self.conn.execute(statement)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        from quizapp import __version__

        self.conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("created_at", now), ("created_by", f"quizapp {__version__}")],
        )
        self.conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")

    def _upgrade(self, version: int) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{DB_NAME}.bak-v{version}-{stamp}")
        target = sqlite3.connect(backup)
        try:
            self.conn.backup(target)  # consistent copy even with a WAL in flight
        finally:
            target.close()
        self.backup_path = backup
        with self.transaction():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if current == 1:
                self._migrate_v1_to_v2()
            self.conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")

    def _migrate_v1_to_v2(self) -> None:
        conn = self.conn
        for statement in _statements(MIGRATE_V1_TO_V2):
            conn.execute(statement)
        # Backfill predicted recall from the logged state before each answer.
        import json

        updates = []
        for rid, ts, before in conn.execute(
            "SELECT id, ts, card_before FROM reviews WHERE card_before IS NOT NULL"
        ):
            data = json.loads(before)
            last = data.get("last_review")
            last_ms = to_ms(datetime.fromisoformat(last)) if last else None
            updates.append((retrievability(data.get("stability"), last_ms, ts), rid))
        conn.executemany("UPDATE reviews SET r_before = ? WHERE id = ?", updates)
        # v1 kept hand suspensions only in the cache: record them as events so rebuilds keep them.
        now = to_ms(datetime.now(UTC))
        candidates = conn.execute(
            f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE suspended = 1 "
            "OR id IN (SELECT card_id FROM reviews WHERE suspend = 1)"
        ).fetchall()
        for row in candidates:
            cached = CardState.from_row(row)
            if cached.suspended != self._computed(cached).suspended:
                action = "suspend" if cached.suspended else "unsuspend"
                conn.execute(
                    "INSERT INTO events (uid, card_id, card_key, ts, action) VALUES (?, ?, ?, ?, ?)",
                    (new_uid(), cached.id, cached.key, now, action),
                )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT: takes the write lock up front so concurrent writers queue."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
