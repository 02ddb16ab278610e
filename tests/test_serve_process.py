"""The served app's process ends for sure, and which hosts count as this machine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual_serve.download_manager import DownloadManager

from quizapp.bridges import serve
from quizapp.bridges.serve import AppProcess, ServeOptions, is_loopback, urls


async def _ignore(*_args: object) -> None:
    return None


STUBBORN = """
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("started", flush=True)
time.sleep(120)
"""


async def test_an_app_that_ignores_quit_and_sigterm_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "STOP_GRACE", 0.5)
    app = AppProcess([sys.executable, "-c", STUBBORN], write_bytes=_ignore, write_str=_ignore, close=_ignore,
                     download_manager=DownloadManager())
    await app.start(80, 24)
    assert app.pid is not None and Path(f"/proc/{app.pid}").exists()
    await app.stop()
    assert app.returncode == -9
    await app.stop()  # a second stop (the tab's, after the server's) is harmless


async def test_an_app_that_quits_is_left_to_finish() -> None:
    app = AppProcess([sys.executable, "-c", "import sys; sys.stdin.read(); print('bye')"], write_bytes=_ignore,
                     write_str=_ignore, close=_ignore, download_manager=DownloadManager())
    await app.start(80, 24)
    app.stdin.close()  # as an app does on its quit message: it ends by itself
    await app.stop()
    assert app.returncode == 0


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST.", True), ("app.localhost", True), ("0.0.0.0", False), ("::", False),
    ("192.168.1.20", False), ("example.com", False), ("localhost.example.com", False), ("", False),
])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_urls_name_the_machine_for_a_wildcard_bind() -> None:
    local = urls(ServeOptions(("quizapp",), "127.0.0.1", 8000))
    assert local == ["http://127.0.0.1:8000/"]
    shared = urls(ServeOptions(("quizapp",), "0.0.0.0", 8001, token="t" * 20))
    assert shared[-1] == f"http://127.0.0.1:8001/?token={'t' * 20}" and len(shared) == 2
    assert urls(ServeOptions(("quizapp",), "fe80::1", 8002, token="x" * 16))[0].startswith("http://[fe80::1]:8002/")


def test_help_and_the_dashboard_load_neither_bridge_library() -> None:
    import subprocess

    code = ("import sys, quizapp.cli.main as m; m.build_parser(); import quizapp.tui.app, quizapp.cli.launch; "
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & {"genanki", "textual_serve", "aiohttp", "jinja2", "quizapp.bridges.serve",
                         "quizapp.bridges.anki"}
