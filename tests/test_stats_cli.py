"""`quizapp stats [--json]` on a real store, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_fixtures import FIXTURE_CONTENT, fixture_library, seed_history

from quizapp.cli.main import main
from quizapp.config import Settings
from quizapp.context import Context
from quizapp.store.db import Store

pytestmark = pytest.mark.usefixtures("utc_days")


def studied_data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    library, store = fixture_library(), Store.open(data)
    store.sync_library(library)
    ctx = Context(Settings(enable_fuzzing=False), library, store, "en", tmp_path / "config.json", data)
    seed_history(ctx, days=6)
    ctx.store.close()
    return data


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json_counts_the_reviews(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = studied_data_dir(tmp_path)
    with Store.open(data) as store:
        expected = store.review_count()
    assert expected > 0
    code, out, _ = run(["stats", "--json", "--data-dir", str(data), "--content", str(FIXTURE_CONTENT)], capsys)
    assert code == 0
    stats = json.loads(out)
    assert stats["total_reviews"] == expected
    assert len(stats["heatmap"]) == 365 and len(stats["forecast"]) == 30
    assert {"receptive-field", "flops"} <= {t["topic"] for t in stats["topics"]}


def test_stats_text_follows_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = studied_data_dir(tmp_path)
    code, out, _ = run(["stats", "--data-dir", str(data), "--lang", "zh"], capsys)
    assert code == 0 and "学习统计" in out and "真实记忆保持率" in out
    code, out, _ = run(["stats", "--data-dir", str(data), "--lang", "en"], capsys)
    assert code == 0 and "True retention (target 90%)" in out


def test_stats_on_a_fresh_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["stats", "--json", "--data-dir", str(tmp_path / "new")], capsys)
    assert code == 0 and json.loads(out)["total_reviews"] == 0


def test_stats_on_a_corrupt_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "bad"
    data.mkdir()
    (data / "quizapp.sqlite3").write_bytes(b"not a database at all" * 10)
    code, out, err = run(["stats", "--data-dir", str(data)], capsys)
    assert code == 2 and out == "" and "not an SQLite database" in err and "Traceback" not in err
