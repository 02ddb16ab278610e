"""`quizapp cards`, `quizapp new-deck` and `quizapp study --query` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quizapp.cli.main import main


@pytest.fixture
def common(tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.json")]


def test_cards_kind_exercise_lists_what_validate_counts(common: list[str], capsys) -> None:
    assert main(["validate", "--summary"]) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    exercises = int(summary.split("exercise ")[1].split(";")[0])
    assert main(["cards", "kind:exercise", *common]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split()[:3] == ["key", "topic", "kind"]
    assert len(lines) - 1 == exercises
    assert all(line.split()[2] == "exercise" for line in lines[1:])
    assert captured.err.startswith(f"{exercises} cards")


def test_cards_json_sorted(common: list[str], capsys) -> None:
    assert main(["cards", "topic:flops kind:cloze", "--json", "--sort", "key", "--desc", *common]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and all(d["topic"] == "flops" and d["kind"] == "cloze" for d in data)
    assert [d["key"] for d in data] == sorted((d["key"] for d in data), reverse=True)
    assert {"state", "due", "recall", "stability", "front", "tags"} <= set(data[0])


def test_a_bad_search_is_a_usage_error_pointing_at_the_column(common: list[str], capsys) -> None:
    assert main(["cards", "kind:cloze tag:", *common]) == 2
    err = capsys.readouterr().err
    assert "bad search at column 16: 'tag:' needs a value" in err
    assert err.splitlines()[-1] == " " * 17 + "^"


def test_new_deck_writes_a_valid_deck_that_loads_everywhere(common: list[str], tmp_path: Path, capsys) -> None:
    assert main(["new-deck", "Interview notes", *common]) == 0
    path = tmp_path / "data" / "decks" / "interview-notes.yaml"
    assert capsys.readouterr().out.startswith(f"created {path}")
    assert main(["new-deck", "Interview notes", *common]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["validate", *common]) == 0  # the built-in topics and the user's decks are clean
    assert capsys.readouterr().out.startswith("OK: 16 topics")
    assert main(["cards", "topic:interview-notes", *common]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 5  # a header, then one card per kind


def test_study_query_plain_studies_exactly_the_found_cards(common: list[str], monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n3\n" * 10))
    assert main(["study", "--plain", "--query", "id:rf-definition", *common]) == 0
    out = capsys.readouterr().out
    assert "1 cards to study" in out and "] Receptive field · Flashcard · new · rf-definition" in out
    assert out.count("saved rf-definition") == 2  # Good, then again after its 10-minute learning step
    assert "saved rf-" in out and out.count("saved ") == 2  # nothing outside the search


def test_study_query_errors(common: list[str], capsys) -> None:
    assert main(["study", "--plain", "--query", "(kind:cloze", *common]) == 2
    assert "column 1: unclosed parenthesis" in capsys.readouterr().err
    assert main(["study", "--plain", "--query", "x", "--drill", "ema", *common]) == 2
    assert "--drill cannot be combined" in capsys.readouterr().err
