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

The schema is documented in quizapp.store.schema. Other modules (stats) may read the tables
directly with `store.conn`; writes go through the methods here.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizapp.safeio import UnsafeFile, read_head
from quizapp.srs.recall import retrievability
from quizapp.store.records import (
    CARD_COLUMNS,
    NEW,
    CardState,
    ReviewRow,
    item_of_key,
    to_ms,
)
from quizapp.store.schema import CURRENT_VERSION, ENSURE, MIGRATE_V1_TO_V2, SCHEMA_V1, TABLES

DB_NAME = "quizapp.sqlite3"
BUSY_TIMEOUT_MS = 15_000
# quick_check reads the whole file (~3 ms/MB): done on open for files up to this size, so damage
# is reported up front; bigger files are checked by SQLite page by page as they are read.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class CardInfo:
    """What the store needs to know about a card of the loaded library."""

    key: str
    item_id: str
    topic: str
    kind: str


def new_uid() -> str:
    return uuid.uuid4().hex


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


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.backup_path: Path | None = None  # set when open() upgraded the file
        self._synced: str | None = None  # fingerprint of the library this connection last synced
        self._synced_library: weakref.ref[object] | None = None

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
        mode = "rw" if existed else "rwc"
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None, check_same_thread=False,
            )
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
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT: takes the write lock up front so concurrent writers queue."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # ---- cards ---------------------------------------------------------------------------
    def sync_cards(self, cards: Iterable[CardInfo | tuple[str, str, str, str]]) -> None:
        """Give every library card an id and its library position; mark the others retired.

        Retired cards keep their rows and history and simply leave the queues. A fingerprint of
        the library in `meta` makes this a no-op when the content has not changed.
        """
        rows = [tuple(c) if isinstance(c, tuple) else (c.key, c.item_id, c.topic, c.kind) for c in cards]
        text = "\n".join("\t".join(r) for r in rows)
        fingerprint = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
        if fingerprint == self._synced:
            return
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'library_fingerprint'").fetchone()
        if row is not None and row[0] == fingerprint:
            self._synced = fingerprint
            return
        wanted = {r[0]: (pos, r) for pos, r in enumerate(rows)}
        existing = {
            key: (cid, topic, kind, ord_, retired)
            for cid, key, topic, kind, ord_, retired in self.conn.execute(
                "SELECT id, key, topic, kind, ord, retired FROM cards"
            )
        }
        inserts, updates, retire = [], [], []
        for key, (pos, (_key, item_id, topic, kind)) in wanted.items():
            old = existing.get(key)
            if old is None:
                inserts.append((key, item_id, topic, kind, pos))
            elif old[1:] != (topic, kind, pos, 0):
                updates.append((topic, kind, pos, old[0]))
        for key, (cid, *_rest, retired) in existing.items():
            if key not in wanted and not retired:
                retire.append((cid,))
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO cards (key, item_id, topic, kind, ord) VALUES (?, ?, ?, ?, ?)", inserts
            )
            conn.executemany("UPDATE cards SET topic = ?, kind = ?, ord = ?, retired = 0 WHERE id = ?", updates)
            conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", retire)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('library_fingerprint', ?)", (fingerprint,)
            )
        self._synced = fingerprint

    def sync_library(self, library: object) -> None:
        """sync_cards from a quizapp.deck.Library (a no-op for the library synced last)."""
        last = self._synced_library() if self._synced_library is not None else None
        if last is library and self._synced is not None:
            return
        self.sync_cards(
            (ref.key, ref.item.id, ref.topic.id, ref.kind)
            for ref in library.cards  # type: ignore[attr-defined]
        )
        try:
            self._synced_library = weakref.ref(library)
        except TypeError:  # not weak-referenceable: fall back to the fingerprint each time
            self._synced_library = None

    def ensure_card(self, key: str, topic: str = "", kind: str = "") -> int:
        """The id of `key`, creating a retired row if the card is unknown (imports). Call in a transaction."""
        row = self.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        cur = self.conn.execute(
            "INSERT INTO cards (key, item_id, topic, kind, ord, retired) VALUES (?, ?, ?, ?, ?, 1)",
            (key, item_of_key(key), topic, kind, 1 << 40),
        )
        self.conn.execute("DELETE FROM meta WHERE key = 'library_fingerprint'")  # next sync is a full one
        self._synced = None
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def card(self, key: str) -> CardState | None:
        row = self.conn.execute(f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE key = ?", (key,)).fetchone()
        return CardState.from_row(row) if row else None

    def card_by_id(self, card_id: int) -> CardState | None:
        row = self.conn.execute(f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE id = ?", (card_id,)).fetchone()
        return CardState.from_row(row) if row else None

    def all_cards(self) -> list[CardState]:
        return [
            CardState.from_row(r)
            for r in self.conn.execute(f"SELECT {', '.join(CARD_COLUMNS)} FROM cards ORDER BY id")
        ]

    def write_card(self, state: CardState) -> None:
        """Replace the cached row. Call inside a transaction."""
        cols = ", ".join(f"{c} = ?" for c in CARD_COLUMNS[1:])
        self.conn.execute(f"UPDATE cards SET {cols} WHERE id = ?", (*state.as_tuple()[1:], state.id))

    # ---- the log -------------------------------------------------------------------------
    def insert_review(self, row: ReviewRow) -> int:
        """Append to the log. Call inside a transaction (together with write_card)."""
        cols = ", ".join(ReviewRow.COLUMNS)
        marks = ", ".join("?" for _ in ReviewRow.COLUMNS)
        cur = self.conn.execute(f"INSERT INTO reviews ({cols}) VALUES ({marks})", row.values())
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def review(self, review_id: int) -> ReviewRow | None:
        cols = ", ".join(("id", *ReviewRow.COLUMNS))
        row = self.conn.execute(f"SELECT {cols} FROM reviews WHERE id = ?", (review_id,)).fetchone()
        return ReviewRow.from_mapping(dict(zip(("id", *ReviewRow.COLUMNS), row))) if row else None

    def reviews(self, where: str = "", params: tuple = ()) -> list[ReviewRow]:
        cols = ("id", *ReviewRow.COLUMNS)
        sql = f"SELECT {', '.join(cols)} FROM reviews {where} ORDER BY ts, id"
        return [ReviewRow.from_mapping(dict(zip(cols, r))) for r in self.conn.execute(sql, params)]

    def delete_review(self, review_id: int) -> int | None:
        """Remove one log row (undo) and recompute its card from the rest of the log.

        Returns the card id, or None if the row is gone already. Call inside a transaction.
        """
        row = self.conn.execute("SELECT card_id FROM reviews WHERE id = ?", (review_id,)).fetchone()
        if row is None:
            return None
        self.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        self.rebuild_card(row[0])
        return int(row[0])

    # ---- suspension by hand --------------------------------------------------------------
    def suspend(self, key: str, *, now: datetime | None = None) -> bool:
        return self._set_suspended(key, True, now)

    def unsuspend(self, key: str, *, now: datetime | None = None) -> bool:
        return self._set_suspended(key, False, now)

    def _set_suspended(self, key: str, value: bool, now: datetime | None) -> bool:
        """False when the card is unknown or already in that state."""
        with self.transaction() as conn:
            state = self.card(key)
            if state is None or state.suspended == value:
                return False
            ts = to_ms(now or datetime.now(UTC))
            conn.execute(
                "INSERT INTO events (uid, card_id, card_key, ts, action) VALUES (?, ?, ?, ?, ?)",
                (new_uid(), state.id, key, ts, "suspend" if value else "unsuspend"),
            )
            conn.execute("UPDATE cards SET suspended = ? WHERE id = ?", (int(value), state.id))
        return True

    # ---- the cache from the log ----------------------------------------------------------
    _REVIEW_FOLD_COLS = "ts, practice, card_after, lapse, leech, suspend"

    def _computed(self, cached: CardState) -> CardState:
        """The card's state as the log says it is (identity columns copied from `cached`)."""
        reviews = self.conn.execute(
            f"SELECT {self._REVIEW_FOLD_COLS} FROM reviews WHERE card_id = ? ORDER BY ts, id", (cached.id,)
        ).fetchall()
        events = (
            self.conn.execute(
                "SELECT ts, action FROM events WHERE card_id = ? ORDER BY ts, id", (cached.id,)
            ).fetchall()
            if self._has_events() else []
        )
        return _fold(cached, reviews, events)

    def _has_events(self) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
        ).fetchone() is not None

    def rebuild_card(self, card_id: int) -> CardState:
        cached = self.card_by_id(card_id)
        if cached is None:
            raise KeyError(card_id)
        state = self._computed(cached)
        self.write_card(state)
        return state

    def computed_cards(self) -> list[CardState]:
        """Every card as recomputed from the log (without writing): compare with all_cards().

        One sequential scan of the log (rowid order, no sort), bucketed by card in memory."""
        reviews: dict[int, list[tuple]] = {}
        for card_id, *rest in self.conn.execute(f"SELECT card_id, id, {self._REVIEW_FOLD_COLS} FROM reviews"):
            reviews.setdefault(card_id, []).append(rest)
        events: dict[int, list[tuple]] = {}
        if self._has_events():
            for card_id, *rest in self.conn.execute("SELECT card_id, ts, id, action FROM events"):
                events.setdefault(card_id, []).append(rest)
        out = []
        for cached in self.all_cards():
            own = sorted(reviews.get(cached.id, ()), key=lambda r: (r[1], r[0]))  # (ts, id)
            own_events = sorted(events.get(cached.id, ()), key=lambda e: (e[0], e[1]))
            out.append(_fold(cached, [r[1:] for r in own], [(e[0], e[2]) for e in own_events]))
        return out

    def rebuild_cards(self) -> int:
        """Recompute the whole `cards` cache from the log; returns the number of cards."""
        with self.transaction():
            cards = self.computed_cards()
            self.conn.executemany(
                f"UPDATE cards SET {', '.join(f'{c} = ?' for c in CARD_COLUMNS[1:])} WHERE id = ?",
                [(*c.as_tuple()[1:], c.id) for c in cards],
            )
        return len(cards)


def _fold(cached: CardState, reviews: Iterable[tuple], events: Iterable[tuple]) -> CardState:
    """Replay one card's log: reviews (ts, practice, card_after, lapse, leech, suspend) and
    events (ts, action), each in time order. Practice answers change nothing."""
    state = CardState(
        id=cached.id, key=cached.key, item_id=cached.item_id, topic=cached.topic,
        kind=cached.kind, ord=cached.ord, retired=cached.retired,
    )
    actions: list[tuple[int, int, bool]] = []  # (ts, reviews before events, suspended?)
    last_after: str | None = None
    for ts, practice, card_after, lapse, leech, suspend in reviews:
        if practice:
            continue
        state.reps += 1
        state.lapses += lapse
        state.leech = state.leech or bool(leech)
        last_after = card_after
        if suspend:
            actions.append((ts, 0, True))
    for ts, action in events:
        actions.append((ts, 1, action == "suspend"))
    for _ts, _order, value in sorted(actions, key=lambda a: (a[0], a[1])):
        state.suspended = value
    state.schedule_from_json(last_after)
    if last_after is None:
        state.state = NEW
    return state


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
