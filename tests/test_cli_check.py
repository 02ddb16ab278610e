"""`quizapp check`: the integrity check on demand, and the cache compared with the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from srs_fixtures import Env

from quizapp.cli.main import main
from quizapp.store.db import DB_NAME


def test_check_reports_ok_then_a_stale_cache_then_repairs_it(tmp_path: Path, capsys) -> None:
    env = Env(tmp_path)
    env.study(topic="beta")
    env.store.close()
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.json")]
    assert main([*common, "check"]) == 0
    assert ": ok (" in capsys.readouterr().out
    conn = sqlite3.connect(tmp_path / "data" / DB_NAME)
    conn.execute("UPDATE cards SET reps = 99 WHERE key = 'b-0'")  # a cache that no longer matches the log
    conn.commit()
    conn.close()
    assert main([*common, "check"]) == 1
    assert "differ from the review log" in capsys.readouterr().err
    assert main([*common, "check", "--repair"]) == 0
    assert "rebuilt 1 card state(s)" in capsys.readouterr().out
    assert main([*common, "check"]) == 0
