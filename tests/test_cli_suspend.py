"""`quizapp suspend` / `unsuspend` by card key: the card leaves the queue and comes back."""

from __future__ import annotations

from pathlib import Path

from quizapp.cli.main import main
from quizapp.config import Settings
from quizapp.deck import load_library
from quizapp.store.db import Store
from quizapp.study.session import StudySession


def planned_keys(data: Path) -> set[str]:
    store = Store.open(data)
    try:
        library = load_library()
        store.sync_library(library)
        session = StudySession(store, library, Settings(new_per_day=1000), topic="receptive-field")
        keys = set()
        while (card := session.next_card()) is not None:
            keys.add(card.key)
            session.skip()
        return keys
    finally:
        store.close()


def test_suspend_and_unsuspend_by_key(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    common = ["--data-dir", str(data), "--config", str(tmp_path / "c.json")]
    assert "rf-definition" in planned_keys(data)
    assert main(["suspend", "rf-definition", *common]) == 0
    assert capsys.readouterr().out == "suspended rf-definition\n"
    assert "rf-definition" not in planned_keys(data)
    assert main(["suspend", "rf-definition", "no-such-card", *common]) == 2
    captured = capsys.readouterr()
    assert captured.out == "rf-definition was already suspended\n"
    assert captured.err == "quizapp: error: no card 'no-such-card'\n"
    assert main(["unsuspend", "rf-definition", *common]) == 0
    assert "rf-definition" in planned_keys(data)
