"""Upgrading an older database (schema 1 or 2) to the compact log of schema 3.

Every review is kept. First a backup is made with SQLite's backup API and verified (integrity
check, same row counts); a backup that cannot be made or verified is removed and nothing is
changed. Then, in one transaction, the old tables are renamed aside, the new ones created and
filled (the FSRS state after each answer taken from the logged card JSON, as numbers), the card
cache rebuilt from the new log and the old tables dropped; any failure rolls it all back and
removes the backup. `progress(done, total)` is called while the reviews are copied.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from quizapp.forgetting import retrievability
from quizapp.store.schema import ACTIONS, CURRENT_VERSION, LEECH_FLAG, SCHEMA, SUSPEND_FLAG
from quizapp.timing import from_ms, study_day, to_ms
from quizapp.timing import now as clock_now

Progress = Callable[[int, int], None]
BATCH = 20_000
_OLD_INDEXES = (
    "cards_state_due", "cards_state_ord", "cards_topic", "cards_item", "cards_dash", "reviews_ts",
    "reviews_card", "reviews_topic_ts", "events_card",
)


class MigrationError(Exception):
    """The upgrade could not be done; the database was left as it was."""


def detected_version(conn: sqlite3.Connection, labelled: int) -> int:
    """The schema the tables really have (a v2 file once mislabelled v1 must not migrate twice)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if labelled >= CURRENT_VERSION or "daily" in tables:
        return labelled
    return 2 if "events" in tables else 1


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A verified copy of the database at `target` (removed again if anything fails)."""
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _tables(conn)}
    try:
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
            result = copy.execute("PRAGMA integrity_check(1)").fetchone()[0]
            copied = {t: copy.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in counts}
        finally:
            copy.close()
        if result != "ok" or copied != counts:
            raise MigrationError(f"the backup {target} does not match the database ({result})")
    except (OSError, sqlite3.Error, MigrationError) as exc:
        target.unlink(missing_ok=True)
        raise MigrationError(f"could not make a verified backup at {target}: {exc}") from None


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('cards', 'reviews', 'events')"
    )]


def upgrade(store: object, version: int, progress: Progress | None = None) -> None:
    """Schema 1 or 2 → 3 inside the caller's transaction (store: the Store being opened)."""
    conn: sqlite3.Connection = store.conn  # type: ignore[attr-defined]
    has_events = "events" in _tables(conn)
    for name in ("cards", "reviews", "events") if has_events else ("cards", "reviews"):
        conn.execute(f"ALTER TABLE {name} RENAME TO old_{name}")
    for index in _OLD_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in SCHEMA.split(";"):
        if statement.strip() and "TABLE meta" not in statement:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO cards (id, key, item_id, topic, kind, family, ord, retired, suspended) "
        "SELECT c.id, c.key, c.item_id, c.topic, c.kind, COALESCE(f.family, ''), c.ord, c.retired, c.suspended "
        "FROM old_cards c LEFT JOIN (SELECT card_id, MAX(family) AS family FROM old_reviews GROUP BY card_id) f "
        "ON f.card_id = c.id"
    )
    _copy_reviews(store, conn, version, progress)
    if has_events:
        _copy_events(conn)
    else:
        _suspensions_as_events(conn)
    conn.execute("DELETE FROM meta WHERE key = 'library_fingerprint'")  # next start syncs families
    for name in ("reviews", "events", "cards") if has_events else ("reviews", "cards"):
        conn.execute(f"DROP TABLE old_{name}")
    store.repair_log()  # type: ignore[attr-defined]  # a poisoned old store is repaired, not copied
    store.rebuild_cache()  # type: ignore[attr-defined]
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")


def _old_reviews(conn: sqlite3.Connection, version: int) -> Iterator[tuple]:
    r_before = "r_before" if version >= 2 else "NULL"
    cursor = conn.execute(
        "SELECT card_id, ts, rating, duration_ms, status, note, answer, seed, practice, session, "
        f"state_before, card_before, card_after, leech, suspend, {r_before} FROM old_reviews ORDER BY ts, id"
    )
    try:
        yield from cursor
    finally:
        cursor.close()


def _copy_reviews(store: object, conn: sqlite3.Connection, version: int, progress: Progress | None) -> None:
    word = store.word  # type: ignore[attr-defined]
    total = conn.execute("SELECT COUNT(*) FROM old_reviews").fetchone()[0]
    last_id, batch, done = 0, [], 0
    for (card, ts, rating, duration, status, note, answer, seed, practice, session, before,
         card_before, card_after, leech, suspend, r_before) in _old_reviews(conn, version):
        rid = max(ts, last_id + 1)
        last_id = rid
        after = _state(card_after, rid) if card_after and not practice else None
        if r_before is None and card_before and not practice:  # v1: predicted recall from the state before
            r_before = _recall_before(card_before, ts)
        batch.append((
            rid, card, _day(ts), rating, before, int(bool(practice)), duration, *(after or (None,) * 5),
            r_before, (LEECH_FLAG if leech else 0) | (SUSPEND_FLAG if suspend else 0),
            word(status), word(note), answer or None, seed, None, word(session),
        ))
        if len(batch) >= BATCH:
            done = _flush(conn, batch, done, total, progress)
    _flush(conn, batch, done, total, progress)


def _state(card_json: str, rid: int) -> tuple | None:
    """(after, step, interval, stability, difficulty) from logged fsrs Card JSON; None when it
    cannot be read (the repair that follows replays the card)."""
    try:
        data = json.loads(card_json)
        due = to_ms(datetime.fromisoformat(data["due"]))
        return (data["state"], data.get("step"), due - rid, data.get("stability"), data.get("difficulty"))
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return None


def _recall_before(card_json: str, ts: int) -> float | None:
    try:
        data = json.loads(card_json)
        last = data.get("last_review")
        stability = data.get("stability")
        if not isinstance(stability, int | float):
            return None
        value = retrievability(stability, to_ms(datetime.fromisoformat(last)) if last else None, ts)
    except (ValueError, TypeError, KeyError, OverflowError, ZeroDivisionError, RecursionError):
        return None
    return value if 0.0 <= value <= 1.0 else None


def _day(ts: int) -> int:
    try:
        return study_day(from_ms(ts))
    except (ValueError, OverflowError, OSError):
        return 0  # a time no calendar holds: the repair leaves the answer out


def _flush(conn: sqlite3.Connection, batch: list[tuple], done: int, total: int, progress: Progress | None) -> int:
    conn.executemany(
        "INSERT INTO reviews (id, card, day, rating, state, practice, duration, after, step, interval, "
        "stability, difficulty, r_before, flags, status, note, answer, seed, params, session) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch,
    )
    done += len(batch)
    batch.clear()
    if progress is not None:
        progress(done, total)
    return done


def _copy_events(conn: sqlite3.Connection) -> None:
    last_id = 0
    rows = []
    for card, ts, action in conn.execute("SELECT card_id, ts, action FROM old_events ORDER BY ts, id"):
        last_id = max(ts, last_id + 1)
        rows.append((last_id, card, ACTIONS[action], None))
    conn.executemany("INSERT INTO events (id, card, action, value) VALUES (?, ?, ?, ?)", rows)


def _suspensions_as_events(conn: sqlite3.Connection) -> None:
    """v1 kept suspensions by hand only in the cache: log them, so rebuilds keep them."""
    now = to_ms(clock_now())
    rows = conn.execute(
        "SELECT id, suspended FROM old_cards c WHERE suspended != EXISTS ("
        "SELECT 1 FROM old_reviews r WHERE r.card_id = c.id AND r.suspend = 1 AND r.practice = 0)"
    ).fetchall()
    conn.executemany(
        "INSERT INTO events (id, card, action, value) VALUES (?, ?, ?, NULL)",
        [(now + i, card, ACTIONS["suspend" if suspended else "unsuspend"]) for i, (card, suspended) in enumerate(rows)],
    )
