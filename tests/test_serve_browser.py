"""`quizapp serve`: the app in a real headless browser (Debian's Chromium driven by Playwright),
and who the server lets in.

The browser tests open the served page, read what the app sends to it (the page's websocket is
recorded by an init script: the terminal itself draws on a canvas), study two cards with the
keyboard, close the tab (its app process ends) and find the two answers in `quizapp stats
--json`. The token tests need no browser: plain HTTP against a non-local bind.

Screenshots for the README: QUIZAPP_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/test_serve_browser.py
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_e2e_tmux import hint

from quizapp import strings

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # the test extra is not installed
    sync_playwright = None  # type: ignore[assignment]
needs_browser = pytest.mark.skipif(
    sync_playwright is None or not os.access(CHROMIUM, os.X_OK),
    reason="needs Playwright (pip install -e '.[test]') and Debian's chromium (apt-get install chromium); "
    "browsers cannot be downloaded here",
)
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = os.environ.get("QUIZAPP_SCREENSHOTS")
# Everything the app sends to the page, decoded: what the terminal draws, escapes included.
RECORD_WEBSOCKET = """
(() => {
  const Original = window.WebSocket;
  const decoder = new TextDecoder();
  window.__quizapp = {out: "", urls: []};
  window.WebSocket = class extends Original {
    constructor(url, protocols) {
      super(url, protocols);
      window.__quizapp.urls.push(String(url));
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) window.__quizapp.out += decoder.decode(event.data, {stream: true});
      });
    }
  };
})();
"""
ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Served:
    """`quizapp serve` in a subprocess, its output lines collected as they come."""

    def __init__(self, tmp_path: Path, *options: str, host: str = "127.0.0.1") -> None:
        self.port = free_port(host)
        self.data = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "config.json")]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "quizapp", "serve", "--host", host, "--port", str(self.port), *self.data,
             *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(r"Ctrl\+C stops", timeout=60)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if found := re.search(pattern, line):
                    return found
            if self.process.poll() is not None and not any(re.search(pattern, x) for x in self.lines):
                break
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r}; the server said:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        """Ctrl+C, as a user would; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def request(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


WEBSOCKET_HANDSHAKE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                       "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for server in started:
        server.stop()


def test_a_non_local_bind_refuses_requests_without_the_token(tmp_path, served) -> None:
    server = Served(tmp_path, host="0.0.0.0")
    served.append(server)
    token = server.wait_for(r"/\?token=([A-Za-z0-9_-]+)").group(1)
    assert len(token) >= 24
    for path in ("/", "/?token=wrong", "/static/js/textual.js", "/ws", "/download/x"):
        assert server.request(path).status == 403, path
    assert server.request("/ws", WEBSOCKET_HANDSHAKE).status == 403
    assert server.request("/", {"Cookie": f"quizapp_token_{server.port}=wrong"}).status == 403
    # The token once: a cookie for this port, and the token out of the address bar.
    first = server.request(f"/?token={token}&fontsize=12")
    assert first.status == 302 and first.getheader("Location") == "/?fontsize=12"
    cookie = first.getheader("Set-Cookie") or ""
    assert cookie.startswith(f"quizapp_token_{server.port}={token};") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    page = server.request("/", {"Cookie": f"quizapp_token_{server.port}={token}"})
    assert page.status == 200 and page.getheader("X-Frame-Options") == "DENY"
    assert server.request("/static/js/textual.js", {"Authorization": f"token {token}"}).status == 200
    # Even with the token, another site's page cannot open an app.
    foreign = {**WEBSOCKET_HANDSHAKE, "Cookie": f"quizapp_token_{server.port}={token}",
               "Origin": "http://evil.example"}
    assert server.request("/ws", foreign).status == 403
    assert server.stop() == 0
    assert "quizapp serve: stopped" in server.lines


def test_the_local_bind_answers_only_to_localhost(tmp_path, served) -> None:
    server = Served(tmp_path)
    served.append(server)
    assert not any("token" in line for line in server.lines)
    assert server.request("/").status == 200
    assert server.request("/", {"Host": f"localhost:{server.port}"}).status == 200
    assert server.request("/", {"Host": f"evil.example:{server.port}"}).status == 403  # DNS rebinding
    assert server.request("/ws", {**WEBSOCKET_HANDSHAKE, "Origin": "http://evil.example"}).status == 403
    assert server.stop() == 0


def screen_text(page: Page) -> str:
    return ESCAPES.sub("", page.evaluate("window.__quizapp.out"))


def wait_text(page: Page, *texts: str, since: int = 0, timeout: float = 40) -> tuple[str, int]:
    """Wait until the app has sent one of `texts` (after position `since` of what it sent);
    returns the text found and the position to wait from next."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        seen = screen_text(page)
        for text in texts:
            if (at := seen.find(text, since)) >= 0:
                return text, at + len(text)
        time.sleep(0.1)
    raise AssertionError(f"the app never sent any of {texts!r}; the end of what it sent:\n{seen[-2000:]}")


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        time.sleep(0.8)  # the terminal paints on the next frames, and the page fades in
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


@dataclass
class Opened:
    server: Served
    page: Page
    since: int  # where the app's output after the dashboard starts
    pid: int  # of the tab's app process


@contextlib.contextmanager
def dashboard_in_browser(tmp_path: Path, served: list[Served], width: int, height: int) -> Iterator[Opened]:
    """A server, and its page in headless Chromium showing the dashboard (screenshot taken)."""
    server = Served(tmp_path)
    served.append(server)
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        # Scale 1: with an emulated device scale factor, headless Chromium's xterm canvas draws at
        # the wrong scale (cropped), which says nothing about a real phone.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.add_init_script(RECORD_WEBSOCKET)
        page.goto(f"http://127.0.0.1:{server.port}/")
        page.locator(".xterm-helper-textarea").focus()  # where the terminal takes its keys from
        _, since = wait_text(page, strings.text("dash.all-topics", "en"))
        screenshot(page, f"dashboard-{width}x{height}")
        pid = int(server.wait_for(r"tab 1: app process (\d+) started").group(1))
        try:
            yield Opened(server, page, since, pid)
        finally:
            browser.close()


FRONT_HINTS = {kind: hint(f"study.{name}-hint") for kind, name in (
    ("flashcard", "reveal"), ("cloze", "type"), ("exercise", "exercise"), ("choice", "choice"), ("multi", "multi"))}


def study_one(page: Page, since: int, shot: str = "") -> tuple[str, int]:
    """Answer the card on screen the way its kind needs (a screenshot `shot` of the answer when
    asked for), rate it Good; (kind, where its next card starts)."""
    found, since = wait_text(page, *FRONT_HINTS.values(), since=since)
    kind = next(k for k, h in FRONT_HINTS.items() if h == found)
    if kind == "flashcard":
        page.keyboard.press("Space")
    elif kind in ("choice", "multi"):
        page.keyboard.press("a")
        page.keyboard.press("Enter")
    else:
        page.keyboard.type("1")
        page.keyboard.press("Enter")
    _, since = wait_text(page, hint("study.rate-hint"), since=since)
    if shot:
        screenshot(page, shot)
    page.keyboard.press("3")
    return kind, since


@needs_browser
def test_study_two_cards_in_a_browser_then_stats(tmp_path, served) -> None:
    with dashboard_in_browser(tmp_path, served, 1280, 800) as opened:
        page, since = opened.page, opened.since
        page.keyboard.press("s")  # review everything due: a fresh learner's new cards
        kinds = []
        for shot in ("study-1280x800", ""):
            kind, since = study_one(page, since, shot)
            kinds.append(kind)
        wait_text(page, *FRONT_HINTS.values(), since=since)  # the third card: both answers are saved
        page.close()  # the tab: its app process ends
        opened.server.wait_for(rf"tab 1: closed; app process {opened.pid} ended \(exit status 0\)")
        assert not Path(f"/proc/{opened.pid}").exists()
    assert opened.server.stop() == 0
    out = subprocess.run([sys.executable, "-m", "quizapp", "stats", "--json", *opened.server.data],
                         capture_output=True, text=True, check=True, timeout=60)
    stats = json.loads(out.stdout)
    assert stats["total_reviews"] == 2, kinds
    assert stats["today"]["reviews"] == 2


@needs_browser
def test_a_phone_viewport_gets_the_narrow_layout_and_ctrl_c_ends_open_apps(tmp_path, served) -> None:
    with dashboard_in_browser(tmp_path, served, 390, 844) as opened:
        columns = int(re.search(r"width=(\d+)", opened.page.evaluate("window.__quizapp.urls[0]")).group(1))
        assert 60 <= columns <= 80  # the app's narrow layout fits, in a readable font
        opened.page.keyboard.press("s")
        study_one(opened.page, opened.since, "study-390x844")
        assert opened.server.stop() == 0  # Ctrl+C with the tab still open
        assert any(f"app process {opened.pid} ended" in line for line in opened.server.lines)
        assert not Path(f"/proc/{opened.pid}").exists()


async def test_each_tab_runs_its_own_app_and_closing_it_ends_that_app(tmp_path, served) -> None:
    import aiohttp

    server = Served(tmp_path)
    served.append(server)
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{server.port}/ws?width=80&height=24"
        first = await session.ws_connect(url)
        second = await session.ws_connect(url)
        one = int(server.wait_for(r"tab 1: app process (\d+) started").group(1))
        two = int(server.wait_for(r"tab 2: app process (\d+) started").group(1))
        assert one != two
        await first.receive(timeout=60)  # the app has drawn something
        await first.close()
        server.wait_for(rf"tab 1: closed; app process {one} ended")
        assert not Path(f"/proc/{one}").exists() and Path(f"/proc/{two}").exists()
        assert server.stop() == 0  # Ctrl+C ends the app of the tab still open
        assert any(f"tab 2: closed; app process {two} ended" in line for line in server.lines)
        assert not Path(f"/proc/{two}").exists()
        await second.close()


def test_a_port_in_use_or_a_broken_config_is_reported_before_serving(tmp_path) -> None:
    def serve(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "quizapp", "serve", "--data-dir", str(tmp_path / "data"),
                               *options], capture_output=True, text=True, timeout=60)

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = serve("--port", str(port))
    assert busy.returncode == 1
    assert f"quizapp: error: cannot serve on 127.0.0.1:{port}: address already in use" in busy.stderr.lower()
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    broken = serve("--config", str(tmp_path / "config.json"), "--port", str(free_port()))
    assert broken.returncode == 2 and "config.json" in broken.stderr and "Traceback" not in broken.stderr
    short = serve("--host", "0.0.0.0", "--token", "short")
    assert short.returncode == 2 and "at least 16" in short.stderr
