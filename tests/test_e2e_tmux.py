"""End to end: the installed `quizapp` in a real terminal (tmux), studied with real keystrokes.

Starts the venv's console script in a detached tmux session of 100×30 with its own data dir and
config file, waits for the dashboard, starts "review everything due", answers three cards the way
each kind needs (reveal a flashcard, letters for a choice, a typed answer for a cloze or exercise),
rates each with a key, quits with ctrl+q and checks `quizapp stats --json`: three reviews.
Every wait polls `tmux capture-pane` with a timeout; nothing relies on a fixed sleep alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from quizapp import strings

pytestmark = pytest.mark.slow

TMUX = shutil.which("tmux")
QUIZAPP = Path(sys.executable).parent / "quizapp"


def hint(key: str) -> str:
    """The start of a study-screen hint in English: up to its first field, at most 18 characters
    (short enough never to wrap at 100 columns)."""
    return strings.STRINGS[key].en.split("{")[0][:18]


class Tmux:
    """One private tmux server (its own socket), so nothing else running tmux is touched."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"quizapp-e2e-{uuid.uuid4().hex[:8]}"
        self.session = "quizapp"
        self.env = env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert TMUX is not None
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True,
                              check=check, env=self.env, timeout=30)

    def start(self, command: list[str], width: int = 100, height: int = 30) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
                 " ".join(command))
        self.run("set-option", "-t", self.session, "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        """Poll the pane until one of `texts` shows; return the screen. Fails with the last screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if any(t in screen for t in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {texts!r}; the screen was:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        """Poll the pane until `text` is no longer shown; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {text!r} to go; the screen was:\n{screen}")

    def wait_exit(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = self.run("display-message", "-p", "-t", self.session, "#{pane_dead}", check=False)
            if dead.returncode != 0 or dead.stdout.strip() == "1":
                return
            time.sleep(0.1)
        raise AssertionError(f"the app did not exit; the screen was:\n{self.screen()}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")
@pytest.mark.skipif(not QUIZAPP.exists(), reason=f"the console script {QUIZAPP} is not installed (pip install -e .)")
def test_study_three_cards_in_tmux_then_stats(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QUIZAPP_DATA_DIR": str(tmp_path / "data"),
        "QUIZAPP_CONFIG": str(tmp_path / "config.json"),
        "QUIZAPP_LANG": "en",
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    env.pop("TMUX", None)  # we may be running inside someone's tmux: use our own server
    tmux = Tmux(env)
    try:
        tmux.start(["env", f"QUIZAPP_DATA_DIR={env['QUIZAPP_DATA_DIR']}",
                    f"QUIZAPP_CONFIG={env['QUIZAPP_CONFIG']}", "QUIZAPP_LANG=en",
                    "TEXTUAL_ANIMATIONS=none", str(QUIZAPP)])
        tmux.wait_for(strings.text("dash.all-topics", "en"), timeout=30)
        tmux.keys("s")  # review everything due (a fresh learner: new cards)
        front_hints = {
            "flashcard": hint("study.reveal-hint"),
            "cloze": hint("study.type-hint"),
            "exercise": hint("study.exercise-hint"),
            "choice": hint("study.choice-hint"),
            "multi": hint("study.multi-hint"),
        }
        back_hint = hint("study.rate-hint")
        kinds: list[str] = []
        for _ in range(3):
            screen = tmux.wait_for(*front_hints.values(), timeout=30)
            kind = next(k for k, h in front_hints.items() if h in screen)
            kinds.append(kind)
            if kind == "flashcard":
                tmux.keys("Space")
            elif kind in ("choice", "multi"):
                tmux.keys("a")
                tmux.keys("Enter")
            else:  # cloze or exercise: type an answer (right or wrong does not matter here)
                tmux.keys("1", literal=True)
                tmux.keys("Enter")
            tmux.wait_for(back_hint, timeout=30)  # the answer (and a verdict) is shown
            tmux.keys("3")  # Good
            # The rating hint goes once the rating is committed and the next card is shown.
            tmux.wait_gone(back_hint, timeout=30)
        tmux.keys("C-q")
        tmux.wait_exit()
    finally:
        tmux.kill()
    out = subprocess.run([str(QUIZAPP), "stats", "--json"], capture_output=True, text=True, env=env,
                         check=True, timeout=60)
    stats = json.loads(out.stdout)
    assert stats["total_reviews"] == 3, (kinds, stats["total_reviews"])
    assert stats["today"]["reviews"] == 3
    assert sum(d["reviews"] for d in stats["heatmap"]) == 3
