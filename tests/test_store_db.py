"""The SQLite store: pragmas, refusing bad files untouched, migrations with a backup, rebuild == cache."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from srs_fixtures import Env

from quizapp.store import Store, StoreError, opening
from quizapp.store.db import DB_NAME
from quizapp.store.schema import CURRENT_VERSION


def test_open_creates_the_file_with_safe_pragmas(tmp_path):
    data = tmp_path / "nested" / "data"
    store = Store.open(data)
    try:
        assert (data / DB_NAME).is_file()
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        # SQLite waits a second at a time for another writer; the store keeps trying (and says so)
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000 and opening.BUSY_WAIT_S >= 60
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
    # Opening reads no more than the schema (its cost must not grow with the file): the damage
    # shows at the first use, and in `check`, and nothing is written to the file.
    store = Store.open(tmp_path / "data")
    with pytest.raises(sqlite3.DatabaseError):
        store.all_cards()
    assert store.check() != []
    store.close()
    out = subprocess.run(
        [sys.executable, "-m", "quizapp", "--data-dir", str(tmp_path / "data"), "stats"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert path.read_bytes() == bytes(damaged)


@pytest.mark.parametrize(("quizapp_first", "sql", "message"), [
    (False, "CREATE TABLE notes (x)", "not a quizapp database"),
    (True, "PRAGMA user_version = 99", "newer quizapp"),
], ids=["foreign-sqlite-file", "newer-schema"])
def test_foreign_file_or_newer_schema_is_refused_untouched(tmp_path, quizapp_first, sql, message):
    data = tmp_path / "data"
    data.mkdir()
    if quizapp_first:
        Store.open(data).close()
    path = data / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    before = _bytes(path)
    with pytest.raises(StoreError, match=message):
        Store.open(data)
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


# ---- migration ----------------------------------------------------------------------------
# A schema-2 database written by quizapp at schema 2 (45 simulated days: fuzz, leeches, undo,
# practice, suspensions by hand), the realistic input of the v2 -> v3 migration.
V2_FIXTURE = Path(__file__).parent / "fixtures" / "store_v2.sqlite3"
CACHE = ("state", "due", "stability", "difficulty", "step", "last_review", "reps", "lapses", "leech", "suspended")


def _old_file(tmp_path: Path, version: int = 2) -> Path:
    data = tmp_path / f"v{version}"
    data.mkdir(parents=True)
    shutil.copy(V2_FIXTURE, data / DB_NAME)
    if version == 1:
        _downgrade_to_v1(data / DB_NAME)
    return data


def _downgrade_to_v1(path: Path) -> None:
    """v1 had no events table (a suspension by hand lived only in the cache) and no r_before."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "ALTER TABLE reviews DROP COLUMN r_before; DROP TABLE events; DROP INDEX IF EXISTS cards_dash;"
        "PRAGMA user_version = 1;"
    )
    conn.commit()
    conn.close()


def _old_state(data: Path) -> tuple[dict[str, tuple], list[tuple], list[tuple]]:
    conn = sqlite3.connect(data / DB_NAME)
    try:
        cache = {r[0]: r[1:] for r in conn.execute(f"SELECT key, {', '.join(CACHE)} FROM cards")}
        has_r = any(r[1] == "r_before" for r in conn.execute("PRAGMA table_info(reviews)"))
        reviews = conn.execute(
            "SELECT card_key, ts, rating, practice, duration_ms, status, note, answer, seed, session, "
            f"state_before, {'r_before' if has_r else 'NULL'} FROM reviews ORDER BY ts, id"
        ).fetchall()
        events = conn.execute("SELECT card_key, action FROM events ORDER BY ts, id").fetchall() if has_r else []
    finally:
        conn.close()
    return cache, reviews, events


def _new_reviews(store: Store) -> list[tuple]:
    return [(r.card_key, r.ts, r.rating, int(r.practice), r.duration_ms, r.status, r.note, r.answer, r.seed,
             r.session, r.state_before, r.r_before) for r in store.reviews()]


@pytest.mark.parametrize("version", [2, 1])
def test_upgrade_keeps_every_review_and_rebuilds_the_same_cards(tmp_path, version):
    data = _old_file(tmp_path, version)
    cache, reviews, events = _old_state(data)
    store = Store.open(data)
    try:
        assert store.schema_version == CURRENT_VERSION
        assert store.backup_path is not None and store.backup_path.name.startswith(f"{DB_NAME}.bak-v{version}-")
        assert _backup_matches(store.backup_path, version, len(reviews))
        migrated = _new_reviews(store)
        if version == 1:  # v1 had no r_before: computed from the logged state before each answer
            assert all(old[-1] is None for old in reviews)
            with_v2 = _old_state(_old_file(tmp_path / "again"))[1]
            assert [m[-1] for m in migrated] == pytest.approx([r[-1] for r in with_v2])
            migrated = [m[:-1] for m in migrated]
            reviews = [r[:-1] for r in reviews]
        assert migrated == [tuple("" if v is None and i in (5, 6, 7) else v for i, v in enumerate(r)) for r in reviews]
        rebuilt = {c.key: tuple(getattr(c, name) for name in CACHE) for c in store.all_cards()}
        assert rebuilt == cache  # card states rebuilt from the new log == the old cache
        assert store.computed_cards() == store.all_cards()
        if version == 2:
            assert [(k, a) for k, _ts, a, _v in store.events()] == events
        assert store.card("a-choice").suspended and not store.card("b-1").suspended
        assert store.check() == []
    finally:
        store.close()
    Store.open(data).close()  # a second open does not upgrade (or back up) again
    assert len(list(data.glob(f"{DB_NAME}.bak-*"))) == 1


def _backup_matches(backup: Path, version: int, reviews: int) -> bool:
    """The backup is made with the SQLite backup API: same content, maybe different page layout."""
    conn = sqlite3.connect(backup)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0] == version and conn.execute(
            "SELECT COUNT(*) FROM reviews"
        ).fetchone()[0] == reviews
    finally:
        conn.close()


def test_a_v2_file_labelled_v1_is_upgraded_once(tmp_path):
    data = _old_file(tmp_path)
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store.open(data)
    assert store.schema_version == CURRENT_VERSION and store.review_count() > 100
    store.close()
    Store.open(data).close()
    assert len(list(data.glob(f"{DB_NAME}.bak-*"))) == 1


def test_a_failed_upgrade_changes_nothing_and_leaves_no_backup(tmp_path, monkeypatch):
    from quizapp.store import migrate

    data = _old_file(tmp_path)
    before = _bytes(data / DB_NAME)

    def broken(store, version, progress=None):
        store.conn.execute("DROP TABLE reviews")  # half done...
        raise sqlite3.OperationalError("database or disk is full")  # ...then the disk fills up

    monkeypatch.setattr(migrate, "upgrade", broken)
    with pytest.raises(StoreError, match="left as it was"):
        Store.open(data)
    assert sorted(p.name for p in data.iterdir()) == [DB_NAME]  # no backup, no -wal
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] > 100
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
    assert len(before) > 0


# ---- rebuild == cache ------------------------------------------------------------------------
def _daily(store: Store) -> list[tuple]:
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in r)
            for r in store.conn.execute("SELECT * FROM daily ORDER BY 1, 2, 3, 4, 5, 6")]


def _hand_made(env: Env, day: int) -> None:
    store, now = env.store, env.clock.now
    done = {
        10: lambda: store.suspend("b-1", now=now), 20: lambda: store.unsuspend("b-1", now=now),
        12: lambda: store.forget("b-2", now=now), 15: lambda: store.flag("b-3", 2, now=now),
        18: lambda: store.set_due("b-4", now + timedelta(days=9), now=now), 25: lambda: store.bury("b-5", now=now),
    }.get(day, lambda: True)()
    assert done


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
        _hand_made(env, day)
        env.clock.advance(days=1)
    cache = env.store.all_cards()
    assert any(c.leech for c in cache) and any(c.lapses for c in cache) and env.store.card("b-3").flag == 2
    assert env.store.computed_cards() == cache
    daily = _daily(env.store)
    # wipe the cache and the aggregates, and rebuild them from the log
    env.store.conn.execute(
        "UPDATE cards SET state = 0, due = NULL, stability = NULL, difficulty = NULL, step = NULL, "
        "last_review = NULL, reps = 0, lapses = 0, leech = 0, suspended = 0, buried = NULL, flag = 0, "
        "last_answer = NULL"
    )
    env.store.conn.execute("DELETE FROM daily")
    assert env.store.rebuild_cards() == len(cache)
    assert env.store.all_cards() == cache
    assert _daily(env.store) == daily  # kept answer by answer (undo included) == recomputed


def test_logged_state_after_matches_the_cache(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    last = {r.card_key: r for r in env.store.reviews()}
    for key, row in last.items():
        card = env.store.card(key)
        assert (row.state_after, row.step, row.stability, row.difficulty, row.due, row.ts) == (
            card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)


def test_a_cards_fsrs_json_follows_its_fields():
    import json as _json
    from dataclasses import replace

    from quizapp.store.records import CardState

    card = CardState(id=7, key="k", item_id="i", state=2, due=1_700_000_000_000, stability=12.5,
                     difficulty=5.25, step=None, last_review=1_699_000_000_000)
    first = card.fsrs
    assert card.fsrs == first  # read again: the same text
    card.stability, card.due = 20.0, 1_800_000_000_000
    changed = _json.loads(card.fsrs or "")
    assert changed["stability"] == 20.0 and changed["due"].startswith("2027-01-15")
    assert card.fsrs == replace(card).fsrs  # a fresh copy computes the same text
    card.state = 0
    assert card.fsrs is None
