"""`quizapp optimize` and `quizapp simulate` from the command line: what they print, what they
change, and clear messages (never a traceback) for what they cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest
from sched_fixtures import learner_log, new_store

from quizapp.cli.main import main
from quizapp.config import load_settings
from quizapp.sched.fit import MIN_REVIEWS
from quizapp.store import Store


def learner_dir(root: Path, cards: int, days: int) -> list[str]:
    store, ids = new_store(cards, root=root / "data")
    learner_log(store, ids, days=days)
    store.close()
    return ["--data-dir", str(root / "data"), "--config", str(root / "config.json")]


def parameters(root: Path) -> list[float] | None:
    with Store.open(root / "data") as store:
        return store.parameters()


def test_optimize_adopts_dry_run_does_not_and_reset_goes_back(tmp_path: Path, capsys) -> None:
    common = learner_dir(tmp_path, 300, 150)
    assert main(["optimize", "--dry-run", *common]) == 0
    out = capsys.readouterr().out
    assert "FSRS-6 defaults" in out and "newly fitted" in out and "Not adopted (--dry-run)." in out
    assert load_settings(tmp_path / "config.json").fsrs_weights() is None
    assert main(["optimize", *common]) == 0
    captured = capsys.readouterr()
    assert "Adopted and saved to" in captured.out and "recomputing the memory state" in captured.err
    weights = load_settings(tmp_path / "config.json").fsrs_weights()
    assert weights is not None and parameters(tmp_path) == weights
    assert main(["optimize", "--reset", *common]) == 0
    assert "Back to FSRS-6's default parameters" in capsys.readouterr().out
    assert load_settings(tmp_path / "config.json").fsrs_weights() is None
    assert main(["optimize", "--reset", *common]) == 0
    assert "nothing to reset" in capsys.readouterr().out


def test_optimize_on_a_small_log_says_why_and_changes_nothing(tmp_path: Path, capsys) -> None:
    common = learner_dir(tmp_path, 20, 5)
    assert main(["optimize", *common]) == 0
    out = capsys.readouterr().out
    assert f"needs at least {MIN_REVIEWS} reviews" in out and "Keep studying" in out
    assert not (tmp_path / "config.json").exists() or load_settings(tmp_path / "config.json").fsrs_weights() is None


def test_simulate_prints_a_table_with_the_optimal_retention(tmp_path: Path, capsys) -> None:
    common = learner_dir(tmp_path, 100, 40)
    assert main(["simulate", "--retention", "0.8", "0.85", "0.9", "0.95", "--days", "90", "--deck-size", "500",
                 *common]) == 0
    out = capsys.readouterr().out
    assert out.startswith("90 days of a 500-card deck studied from new, with FSRS-6's default parameters")
    rows = [line.split()[0] for line in out.splitlines() if line[:4] in ("0.70", "0.75", "0.80", "0.85", "0.90",
                                                                         "0.95")]
    assert {"0.80", "0.85", "0.90", "0.95"} <= set(rows) and len(rows) in (4, 5)
    assert "★ optimal retention" in out


@pytest.mark.parametrize("args, message", [
    (["--retention", "1.5"], "1.5 is outside 0.70–0.99"),
    (["--retention", "lots"], "'lots' is not a number"),
    (["--retention", "nan"], "nan is outside 0.70–0.99"),
    (["--days", "0"], "days must be a whole number from 1 to 3650"),
])
def test_simulate_refuses_bad_arguments_with_a_message(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", *args, "--data-dir", str(tmp_path / "d"), "--config", str(tmp_path / "c.json")])
    assert exit_.value.code == 2 and message in capsys.readouterr().err
