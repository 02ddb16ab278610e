"""The review store: one SQLite file, quizapp.sqlite3, in the data directory.

Guarantees:
- Opening costs the same at 100 reviews and at 10 million: nothing reads the whole file on the
  way to the first screen. `check()` (`quizapp check`) runs SQLite's integrity check on demand;
  `needs_check` says the last session did not close cleanly (its WAL was left behind).
- WAL journal, synchronous=FULL and one transaction per answer: once `StudySession.rate` returns,
  the answer survives kill -9 / power loss.
- busy_timeout, and writes start with BEGIN IMMEDIATE: two running copies wait for each other
  instead of failing or corrupting the file.
- `reviews` (plus `events`) is the truth; `cards` is a cache: `rebuild_cards()` recomputes it
  from the log and must give the same rows (a test checks this).
- A file that is not SQLite, is corrupt, is not ours or comes from a newer quizapp raises
  StoreError with a clear message and is never written to.
- Upgrades (PRAGMA user_version) first copy the file to quizapp.sqlite3.bak-v<N>-<UTC time> and
  verify the copy (quizapp.store.migrate).

Every SQL statement of the app lives in this package, one typed method per question: cards and
their cache (store.cards), the log and the rebuild (store.log), hand-made events and FSRS
parameters (store.events), per-day aggregates (store.daily), queue and dashboard questions
(store.queries), the statistics (store.stats). Nothing outside it touches `conn`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from quizapp.store import migrate, opening
from quizapp.store.cards import CardInfo, CardsMixin
from quizapp.store.errors import StoreError, explain
from quizapp.store.log import LogMixin, new_uid
from quizapp.store.repair import RepairMixin
from quizapp.store.schema import CURRENT_VERSION, SCHEMA
from quizapp.store.stats import StatsQueries

__all__ = ["DB_NAME", "CardInfo", "Store", "StoreError", "new_uid"]

DB_NAME = "quizapp.sqlite3"


class Store(CardsMixin, LogMixin, RepairMixin, StatsQueries):
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.backup_path: Path | None = None  # set when open() upgraded the file
        self.needs_check = False  # the previous session did not close cleanly
        self.read_only = False  # opened read-only: the file or its folder cannot be written
        self.waiting: Callable[[float], None] | None = None  # told while another quizapp writes
        self._synced: str | None = None  # fingerprint of the library this connection last synced
        self._words: dict[str, int] = {}
        self._texts: dict[int, str] = {}
        self._decay: tuple[int | None, float] | None = None
        self._topic_list: list[str] | None = None

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def open(
        cls, data_dir: Path | str, *, read_only: bool = False, progress: migrate.Progress | None = None
    ) -> Store:
        """The store of `data_dir` (created on first use). A file that cannot be written is
        opened read-only (store.read_only: reading works, writing raises StoreReadOnly); one
        that is not ours, newer, or damaged raises StoreError and is left byte for byte as it was.
        `progress(done, total)` hears about the answers copied by an upgrade of an older file.
        """
        data_dir = Path(data_dir)
        path = data_dir / DB_NAME
        # An empty regular file is a new database; anything but a regular file (a FIFO, a device,
        # a directory) goes to check_header, which refuses it without opening it.
        existed = path.exists() and (not path.is_file() or path.stat().st_size > 0)
        wal = path.with_name(path.name + "-wal")
        unclean = existed and wal.exists() and wal.stat().st_size > 0
        version = 0
        if existed:
            opening.check_header(path)
            version = opening.inspect(path)
            read_only = read_only or not opening.writable(path)
            if read_only and version < CURRENT_VERSION:
                raise opening.read_only_refusal(path, version)
        elif read_only:
            raise StoreError(f"there is no quizapp database in {data_dir} yet")
        else:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise explain(exc, path) from None
        try:
            conn = (
                opening.read_only_connection(path) if read_only
                else opening.connect(path, "rw" if existed else "rwc")
            )
        except sqlite3.Error as exc:
            raise explain(exc, path) from None
        store = cls(conn, path)
        store.needs_check, store.read_only = unclean, read_only
        try:
            store._prepare(version, fresh=not existed, progress=progress)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise explain(exc, path) from None
        return store

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A read-only Store on the same file for a worker thread (closed afterwards), or this
        one when a second connection cannot be opened (e.g. a read-only folder without the WAL
        index)."""
        conn = None
        try:
            conn = opening.read_only_connection(self.path)
            conn.execute("SELECT 1 FROM reviews LIMIT 1")
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
        if conn is None:
            yield self
            return
        reader = Store(conn, self.path)
        reader.read_only = True
        try:
            yield reader
        finally:
            conn.close()

    def _prepare(self, version: int, *, fresh: bool, progress: migrate.Progress | None = None) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {opening.BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA cache_size = -40000")  # 40 MB at most, as Anki: statistics read a lot
        if self.read_only:
            return
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        if fresh or version == 0:
            with self.transaction():
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:  # another process may have won
                    self._create_current()
        elif version < CURRENT_VERSION:
            self._upgrade(version, progress)

    def _create_current(self) -> None:
        for statement in _statements(SCHEMA):
            self.conn.execute(statement)
        from quizapp import __version__

        self.conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("created_at", datetime.now(UTC).isoformat(timespec="seconds")),
             ("created_by", f"quizapp {__version__}")],
        )
        self.conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")

    def _upgrade(self, labelled: int, progress: migrate.Progress | None = None) -> None:
        version = migrate.detected_version(self.conn, labelled)
        if version >= CURRENT_VERSION:  # mislabelled: the tables are current already
            self.conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
            return
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{DB_NAME}.bak-v{version}-{stamp}")
        try:
            migrate.backup(self.conn, backup)
            with self.transaction():
                migrate.upgrade(self, version, progress)
        except (migrate.MigrationError, sqlite3.Error, OSError) as exc:
            backup.unlink(missing_ok=True)
            reason = explain(exc, self.path)
            raise type(reason)(
                f"could not upgrade {self.path} to this quizapp's format: {reason} The file was left "
                "as it was, and no backup was kept."
            ) from None
        self.backup_path = backup
        with contextlib.suppress(sqlite3.Error):  # on a nearly full disk the file just stays larger
            self.conn.execute("VACUUM")  # give back the old log's pages

    def check(self) -> list[str]:
        """SQLite's full integrity check (reads the whole file): [] when the file is sound."""
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:  # damaged beyond what the check can walk
            return [str(exc)]
        return [] if problems == ["ok"] else problems

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT: takes the write lock up front so concurrent writers queue."""
        self._begin()
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting for another writer (an import holds the lock for a minute
        at a million answers): `waiting(seconds)` hears how long between tries of a second each;
        after opening.BUSY_WAIT_S the 'database is locked' error goes up (explain: busy)."""
        start = time.monotonic()
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - start
                if "locked" not in str(exc).lower() or waited >= opening.BUSY_WAIT_S:
                    raise
                if self.waiting is not None:
                    self.waiting(waited)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
