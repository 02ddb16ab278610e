"""Shared fixtures: every test runs with its own data dir and config file, never the user's."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("QUIZAPP_CONFIG", str(home / "config.json"))
    monkeypatch.setenv("QUIZAPP_LANG", "en")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(home / "cache"))
    return home


@pytest.fixture
def utc_days(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Study days in UTC (`pytestmark = pytest.mark.usefixtures("utc_days")`), restored after."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()  # the C library keeps TZ=UTC otherwise, for every later test in this process
