"""Issue 16, the store's side: a poisoned store is repaired, not left crashing; busy, full and
read-only are said as such (backups only for damage); files refused are byte-identical after;
a full disk during an export or an upgrade leaves the old files intact."""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import sqlite3
from contextlib import ExitStack, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

import pytest
from srs_fixtures import Env

from quizapp.cli.main import main
from quizapp.stats.report import report
from quizapp.store import Store, StoreBusy, StoreError, StoreFull, StoreReadOnly, explain, opening
from quizapp.store.db import DB_NAME

V2_FIXTURE = Path(__file__).parent / "fixtures" / "store_v2.sqlite3"


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def v2_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    shutil.copy(V2_FIXTURE, data / DB_NAME)
    return data


# ---- item 2: a poisoned store is repaired -------------------------------------------------------
def _poison_v2(path: Path) -> None:
    """The values issue 16 found accepted by an import of the previous version."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT id, card_after FROM reviews WHERE card_after IS NOT NULL AND practice = 0 ORDER BY id"
    ).fetchall()
    poisons = [
        lambda d: d.update(stability=float("nan")), lambda d: d.update(stability=float("inf")),
        lambda d: d.update(stability=1e308), lambda d: d.update(stability=-3.0),
        lambda d: d.update(last_review="2026-03-01T10:00:00"), lambda d: d.update(step="x"),
        lambda d: d.update(step=-5), lambda d: d.update(due="9999-12-31T23:59:59+00:00"),
    ]
    for (rid, card_after), poison in zip(rows[5::9], poisons):
        data = json.loads(card_after)
        poison(data)
        conn.execute("UPDATE reviews SET card_after = ? WHERE id = ?", (json.dumps(data), rid))
    conn.execute("UPDATE reviews SET ts = 253402300799999 WHERE id = ?", (rows[-1][0],))
    conn.execute("UPDATE reviews SET duration_ms = ? WHERE id IN (?, ?)", (2**62, rows[1][0], rows[2][0]))
    conn.execute("UPDATE cards SET stability = 'nan', fsrs = '{\"bad\": 1}' WHERE id IN (1, 2, 3)")
    conn.commit()
    conn.close()


def test_a_poisoned_old_store_is_repaired_on_upgrade(tmp_path: Path) -> None:
    data = v2_copy(tmp_path)
    _poison_v2(data / DB_NAME)
    store = Store.open(data)
    try:
        assert store.invalid_answers() == 0 and store.check() == []
        assert store.computed_cards() == store.all_cards()
        assert store.review_count() == 155  # the answer dated 9999 left out
        for card in store.all_cards():
            assert card.stability is None or 1e-6 <= card.stability <= 1e7
            assert card.due is None or card.due < 10_413_792_000_000
        assert all(0 <= r.duration_ms <= 86_400_000 for r in store.reviews())
    finally:
        store.close()
    common = ["--data-dir", str(data), "--config", str(tmp_path / "c.json")]
    assert main([*common, "stats", "--json"]) == 0


def test_a_poisoned_log_is_reported_and_repaired_by_check(tmp_path: Path, capsys) -> None:
    env = Env(tmp_path)
    env.study(topic="beta")
    env.store.conn.execute("UPDATE reviews SET stability = 1e308, duration = ? WHERE rowid IN "
                           "(SELECT rowid FROM reviews WHERE practice = 0 LIMIT 2)", (2**62,))
    env.store.close()
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.json")]
    assert main([*common, "check"]) == 1
    assert "2 answer(s) hold values" in capsys.readouterr().err
    assert main([*common, "check", "--repair"]) == 0
    assert main([*common, "check"]) == 0


# ---- item 9: honest messages ----------------------------------------------------------------------
def test_busy_full_and_read_only_are_said_as_such(tmp_path: Path, monkeypatch) -> None:
    env = Env(tmp_path)
    env.study(topic="beta", limit=2)
    path = env.store.path
    monkeypatch.setattr(opening, "BUSY_WAIT_S", 0.5)
    other = Store.open(tmp_path / "data")
    other.conn.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
    env.store.conn.execute("PRAGMA busy_timeout = 100")
    waited: list[float] = []
    env.store.waiting = waited.append
    with pytest.raises(sqlite3.OperationalError) as busy:
        env.store.suspend("b-0")
    assert waited and waited == sorted(waited)  # told while it waited, then gave up
    other.conn.execute("ROLLBACK")
    other.close()
    pages = env.store.conn.execute("PRAGMA page_count").fetchone()[0]
    env.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    with pytest.raises(sqlite3.OperationalError) as full, env.store.transaction():
        for i in range(500):
            env.store.conn.execute("INSERT INTO words (text) VALUES (?)", ("x" * 500 + str(i),))
    messages = {type(e): str(e) for e in (explain(busy.value, path), explain(full.value, path))}
    assert StoreBusy in messages and "Wait until it has finished" in messages[StoreBusy]
    assert StoreFull in messages and "full" in messages[StoreFull]
    assert all("backup" not in m for m in messages.values())
    env.store.close()


def test_a_read_only_store_still_shows_stats_and_exports(tmp_path: Path, monkeypatch, capsys) -> None:
    env = Env(tmp_path)
    env.study(topic="beta", limit=3)
    env.store.close()
    monkeypatch.setattr(opening, "writable", lambda path: False)  # a read-only mount
    store = Store.open(tmp_path / "data")
    try:
        assert store.read_only
        assert report(store, env.lib, env.settings, datetime.now(UTC)).total_reviews == 3
        with pytest.raises(sqlite3.OperationalError) as refused:
            store.suspend("b-0")
        assert isinstance(explain(refused.value, store.path), StoreReadOnly)
        assert "`quizapp stats`, `quizapp export`" in str(explain(refused.value, store.path))
    finally:
        store.close()
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.json")]
    assert main([*common, "stats"]) == 0
    assert main([*common, "export", "--json", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["reviews"]
    assert main([*common, "suspend", "b-0"]) == 2
    assert "read-only" in capsys.readouterr().err


# ---- item 10: left untouched, byte for byte -------------------------------------------------------
REFUSED = pytest.mark.parametrize("setup, message", [
    ("CREATE TABLE notes (x); INSERT INTO notes VALUES (1);", "not a quizapp database"),
    ("CREATE TABLE meta (k); PRAGMA user_version = 9; INSERT INTO meta VALUES (1);", "newer quizapp"),
], ids=["foreign", "newer"])


def _with_wal(path: Path, setup: str) -> None:
    """A database whose last commit is still in its -wal (its writer was killed)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.executescript(setup)
    snapshot = path.parent / "snapshot"
    snapshot.mkdir()
    for name in (path.name, path.name + "-wal"):
        shutil.copy(path.parent / name, snapshot / name)
    conn.close()
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        (path.parent / name).unlink(missing_ok=True)
        if (snapshot / name).exists():
            shutil.copy(snapshot / name, path.parent / name)
    shutil.rmtree(snapshot)


@REFUSED
def test_foreign_and_newer_files_with_a_wal_stay_byte_identical(tmp_path: Path, setup: str, message: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / DB_NAME
    _with_wal(path, setup)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    before = (sha(path), sha(wal))
    with pytest.raises(StoreError, match=message):
        Store.open(data)
    assert (sha(path), sha(wal)) == before
    assert sorted(p.name for p in data.iterdir()) == [DB_NAME, wal.name]  # no -shm made beside it


@REFUSED
def test_a_refused_wal_mode_file_gets_nothing_beside_it(tmp_path: Path, setup: str, message: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(setup)
    conn.close()  # checkpointed: the file alone, in WAL mode
    before = sha(path)
    with pytest.raises(StoreError, match=message):
        Store.open(data)
    assert sha(path) == before
    assert [p.name for p in data.iterdir()] == [DB_NAME]  # no -shm, no -wal


# ---- fault injection: a full disk during an export and an upgrade ----------------------------------
@contextmanager
def _fills_up_after(real, limit: int):  # noqa: ANN001
    """atomic_writer whose file takes `limit` characters, then the disk is full (ENOSPC)."""

    def writer(path):  # noqa: ANN001, ANN202
        @contextmanager
        def cm():  # noqa: ANN202
            with real(path) as fh:
                class Full:
                    written = 0

                    def write(self, text: str) -> int:
                        Full.written += len(text)
                        if Full.written > limit:
                            raise OSError(errno.ENOSPC, "No space left on device")
                        return fh.write(text)

                yield Full()
        return cm()

    yield writer


def _pair_fills_up_after(real, limit: int):  # noqa: ANN001, ANN202
    """atomic_writers (the CSV pair) whose files take `limit` characters each, then ENOSPC."""

    @contextmanager
    def writers(*paths):  # noqa: ANN002, ANN202
        # Each open handle goes through the same wrapper as a single file (nullcontext: already open).
        with real(*paths) as handles, _fills_up_after(nullcontext, limit) as full, ExitStack() as stack:
            yield tuple(stack.enter_context(full(fh)) for fh in handles)

    return writers


def test_a_full_disk_during_an_export_keeps_the_old_export(tmp_path: Path, monkeypatch) -> None:
    import quizapp.store.transfer as transfer

    env = Env(tmp_path)
    env.study(topic="beta")
    target = tmp_path / "export.json"
    transfer.export_json(env.store, target)
    old = sha(target)
    env.clock.advance(days=3)
    env.study(topic="beta")
    with _fills_up_after(transfer.atomic_writer, 2000) as full:
        monkeypatch.setattr(transfer, "atomic_writer", full)
        with pytest.raises(OSError):
            transfer.export_json(env.store, target)
        monkeypatch.setattr(transfer, "atomic_writers", _pair_fills_up_after(transfer.atomic_writers, 2000))
        with pytest.raises(OSError):
            transfer.export_csv(env.store, tmp_path / "pair.csv")
    assert sha(target) == old
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".export", ".pair"))) == []
    assert not (tmp_path / "pair.reviews.csv").exists()


@pytest.mark.parametrize("where", ["backup", "upgrade"])
def test_a_full_disk_during_an_upgrade_leaves_the_old_file_and_no_backup(tmp_path: Path, monkeypatch, where: str) -> None:
    from quizapp.store import migrate

    data = v2_copy(tmp_path)
    before = sha(data / DB_NAME)
    if where == "backup":
        def backup(conn, target):  # noqa: ANN001, ANN202
            target.write_bytes(b"")  # the copy had begun...
            raise migrate.MigrationError(f"could not make a verified backup at {target}: [Errno 28] No space left on device")
        monkeypatch.setattr(migrate, "backup", backup)
    else:
        real = migrate.upgrade

        def upgrade(store, version, progress=None):  # noqa: ANN001, ANN202
            pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
            store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up midway
            return real(store, version, progress)
        monkeypatch.setattr(migrate, "upgrade", upgrade)
    with pytest.raises(StoreFull, match="left as it was"):
        Store.open(data)
    assert sha(data / DB_NAME) == before
    assert sorted(p.name for p in data.iterdir()) == [DB_NAME]
