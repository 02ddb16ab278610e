"""The SQLite store: pragmas, refusing bad files untouched, migrations with a backup, rebuild == cache."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from srs_fixtures import Env

from quizapp.store import Store, StoreError
from quizapp.store.db import DB_NAME
from quizapp.store.records import ReviewRow
from quizapp.store.schema import CURRENT_VERSION, SCHEMA_V1


def test_open_creates_the_file_with_safe_pragmas(tmp_path):
    data = tmp_path / "nested" / "data"
    store = Store.open(data)
    try:
        assert (data / DB_NAME).is_file()
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert store.schema_version == CURRENT_VERSION
        created = conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone()
        assert created is not None
        conn.execute("INSERT INTO meta VALUES ('test-marker', 'kept')")
        conn.commit()
    finally:
        store.close()
    # reopening an existing file keeps it: same creation stamp, same rows, no upgrade backup
    again = Store.open(data)
    try:
        assert again.conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone() == created
        assert again.conn.execute("SELECT value FROM meta WHERE key = 'test-marker'").fetchone() == ("kept",)
        assert again.backup_path is None
    finally:
        again.close()


def test_import_creates_nothing(tmp_path):
    env = dict(os.environ, QUIZAPP_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path))
    code = (
        "import quizapp.store, quizapp.study.session, quizapp.srs.queue, quizapp.stats.dashboard, "
        "quizapp.cli.study_cmd, quizapp.cli.data_cmd, quizapp.context, sys; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"  # the core never imports textual
    assert not (tmp_path / "data").exists()


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all\n" * 50,
        b"SQLite format 3\x00" + bytes(random.Random(1).randrange(256) for _ in range(8000)),
        bytes(random.Random(2).randrange(256) for _ in range(4096)),
    ],
    ids=["text", "sqlite-header-then-garbage", "random"],
)
def test_corrupt_file_is_refused_and_left_untouched(tmp_path, content):
    data = tmp_path / "data"
    data.mkdir()
    path = data / DB_NAME
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        Store.open(data)
    assert str(path) in str(info.value)
    assert _bytes(path) == content
    assert sorted(p.name for p in data.iterdir()) == [DB_NAME]  # no -wal, no backup


def test_damage_inside_a_real_database_is_reported_untouched(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    env.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    env.store.close()
    path = tmp_path / "data" / DB_NAME
    damaged = bytearray(path.read_bytes())
    noise = random.Random(3)
    for offset in range(4096 * 2, len(damaged), 4096):  # page headers and cells of pages 3..n
        damaged[offset : offset + 4096] = bytes(noise.randrange(256) for _ in range(4096))
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError, match="damaged"):
        Store.open(tmp_path / "data")
    assert path.read_bytes() == bytes(damaged)


def test_foreign_sqlite_file_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = _bytes(path)
    with pytest.raises(StoreError, match="not a quizapp database"):
        Store.open(data)
    assert _bytes(path) == before


def test_newer_schema_is_refused(tmp_path):
    Store.open(tmp_path).close()
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = _bytes(path)
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open(tmp_path)
    assert _bytes(path) == before


def test_cli_reports_a_corrupt_file_without_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"garbage" * 100)
    out = subprocess.run(
        [sys.executable, "-m", "quizapp", "--data-dir", str(data), "study", "--plain"],
        capture_output=True, text=True, input="", timeout=60,
    )
    assert out.returncode == 2
    assert "not an SQLite database" in out.stderr and "Traceback" not in out.stderr


# ---- migration -------------------------------------------------------------------------------
def _make_v1(tmp_path: Path) -> tuple[Path, list[ReviewRow], str]:
    """A real v1 file holding the log of a short study history (made by today's code, then
    copied into the v1 tables without the v2 column), with one card suspended by hand."""
    env = Env(tmp_path / "v2")
    env.study(topic="beta")
    env.clock.advance(days=5)
    env.study(lambda c: 1 if c.key == "b-0" and c.view.meta.state == "review" else 3, topic="beta")
    rows = env.store.reviews()
    cards = env.store.all_cards()
    env.store.close()
    v1_dir = tmp_path / "v1"
    v1_dir.mkdir()
    conn = sqlite3.connect(v1_dir / DB_NAME)
    conn.executescript(SCHEMA_V1)
    conn.execute("INSERT INTO meta VALUES ('created_at', '2026-01-01T00:00:00+00:00')")
    conn.executemany(
        "INSERT INTO cards VALUES (" + ", ".join("?" * 18) + ")",
        [c.as_tuple() for c in cards],
    )
    v1_cols = [c for c in ReviewRow.COLUMNS if c != "r_before"]
    conn.executemany(
        f"INSERT INTO reviews ({', '.join(v1_cols)}) VALUES ({', '.join('?' * len(v1_cols))})",
        [tuple(v for c, v in zip(ReviewRow.COLUMNS, r.values()) if c != "r_before") for r in rows],
    )
    conn.execute("UPDATE cards SET suspended = 1 WHERE key = 'b-3'")  # by hand, in v1
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return v1_dir, rows, "b-3"


def test_upgrade_v1_to_v2_backs_up_and_keeps_everything(tmp_path):
    v1_dir, rows, suspended_key = _make_v1(tmp_path)
    original = _bytes(v1_dir / DB_NAME)
    store = Store.open(v1_dir)
    try:
        assert store.schema_version == 2
        assert store.backup_path is not None and store.backup_path.exists()
        assert _bytes(store.backup_path) == original or _backup_matches(store.backup_path, len(rows))
        migrated = store.reviews()
        assert [r.uid for r in migrated] == [r.uid for r in rows]
        # r_before backfilled from card_before equals what the session computed live
        for new, old in zip(migrated, rows):
            assert new.r_before == pytest.approx(old.r_before) if old.r_before is not None else new.r_before is None
        # the hand suspension became an event, so a rebuild keeps it
        events = store.conn.execute("SELECT card_key, action FROM events").fetchall()
        assert events == [(suspended_key, "suspend")]
        assert store.computed_cards() == store.all_cards()
        store.rebuild_cards()
        assert store.card(suspended_key).suspended
    finally:
        store.close()
    Store.open(v1_dir).close()  # a second open does not upgrade (or back up) again
    assert len(list(v1_dir.glob(f"{DB_NAME}.bak-*"))) == 1


def _backup_matches(backup: Path, reviews: int) -> bool:
    """The backup is made with the SQLite backup API: same content, maybe different page layout."""
    conn = sqlite3.connect(backup)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0] == 1 and conn.execute(
            "SELECT COUNT(*) FROM reviews"
        ).fetchone()[0] == reviews
    finally:
        conn.close()


# ---- rebuild == cache ------------------------------------------------------------------------
def test_rebuild_from_the_log_equals_the_cache(tmp_path):
    env = Env(tmp_path, leech_threshold=2, enable_fuzzing=True)
    rng = random.Random(7)
    for day in range(40):
        session = env.session(practice=(day % 7 == 6))
        n = 0
        while session.next_card() is not None and n < 60:
            session.reveal()
            session.rate(rng.choice([1, 2, 3, 3, 3, 4]))
            n += 1
            if rng.random() < 0.1:
                session.undo()
                n -= 1
            env.clock.advance(minutes=2)
        if day == 10:
            env.store.suspend("b-1", now=env.clock.now)
        if day == 20:
            env.store.unsuspend("b-1", now=env.clock.now)
        env.clock.advance(days=1)
    cache = env.store.all_cards()
    assert any(c.leech for c in cache) and any(c.lapses for c in cache)
    assert env.store.computed_cards() == cache
    # wipe the cache and rebuild it
    env.store.conn.execute(
        "UPDATE cards SET state = 0, due = NULL, stability = NULL, difficulty = NULL, step = NULL, "
        "last_review = NULL, reps = 0, lapses = 0, leech = 0, suspended = 0, fsrs = NULL"
    )
    assert env.store.rebuild_cards() == len(cache)
    assert env.store.all_cards() == cache


def test_logged_state_after_matches_the_cache(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    last = {r.card_key: r for r in env.store.reviews()}
    for key, row in last.items():
        card = env.store.card(key)
        assert json.loads(row.card_after) == json.loads(card.fsrs)
        assert row.state_after == card.state
