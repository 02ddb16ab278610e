"""The full-screen app with every hostile deck of the corpus (issue 16 items 3, 4, 5, 8, 11): it
starts, the broken deck is named on stderr before it starts and left out, and its screen shows no
control character. The launch is the real one (`quizapp --content DECK`: settings, content,
store, QuizApp); only App.run is replaced by a Pilot run so the test can look at the screen.
The commands' raw bytes are checked by test_corpus.py; this is the one the corpus cannot run.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from cases import DECKS
from test_terminal_text import RAW, screen_text

from quizapp.cli.main import main
from quizapp.tui.app import QuizApp

# Decks that load (text made visible; an item overriding a built-in one) rather than being refused.
LOADED = {"escapes": "Escapes", "clash_item": "Receptive field"}


class _NoWorker:
    """No check process: the dashboard checks nothing, and the test stays quick."""

    def close(self) -> None:
        pass


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.stem for p in DECKS.glob("*.yaml")))
def test_the_app_starts_beside_a_hostile_deck(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    screens: list[str] = []

    def run_with_pilot(app: QuizApp, *args: Any, **kwargs: Any) -> None:
        async def look() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                screens.append(app.export_screenshot())

        asyncio.run(look())

    monkeypatch.setattr(QuizApp, "run", run_with_pilot)
    monkeypatch.setattr("quizapp.checking.worker.CheckWorker", _NoWorker)
    deck = tmp_path / f"{name}.yaml"
    deck.write_bytes((DECKS / f"{name}.yaml").read_bytes())
    before = deck.read_bytes()
    code = main(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "config.json"),
                 "--content", str(deck)])
    err = capsys.readouterr().err
    assert code == 0 and len(screens) == 1, err
    text = screen_text(screens[0])
    assert not RAW.search(screens[0]) and not RAW.search(err)
    assert "Backpropagation" in text  # the built-in topics are there
    if name in LOADED:
        assert LOADED[name] in text
    else:
        assert re.search(rf"warning: {re.escape(str(deck))}:\d+:\d+: ", err), err
    assert deck.read_bytes() == before
