"""The full-screen app in a web browser, through textual-serve (`quizapp serve`).

    serve(ServeOptions(argv=("python", "-m", "quizapp", …), host="127.0.0.1", port=8000))

Blocks until Ctrl+C (or SIGTERM). Each browser tab (one websocket) runs its own app process,
started from `argv` without a shell, in a session of its own: the terminal's Ctrl+C reaches only
the server, which asks every app to quit and ends the processes that do not. A closed tab ends
its app the same way. All tabs share the one review database, which is safe for concurrent
writers; every answer is committed when it is rated.

Who may connect:
- a loopback bind (127.0.0.1, ::1, localhost: the default) answers only requests addressed to a
  loopback name, so a web page cannot reach it by DNS rebinding;
- any other bind requires the token printed at start: `/?token=…` once (the token is then kept
  in a cookie for this port and taken out of the address bar), that cookie, or an
  `Authorization: token …` header; anything else gets HTTP 403;
- the websocket that drives an app must be opened by this server's own page (its Origin), so
  another site open in the same browser cannot start or drive an app;
- no page may be framed by another site, and the page loads nothing from elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import itertools
import logging
import os
import secrets
import shlex
import signal
import socket
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("quizapp.serve")

TEMPLATES = Path(__file__).with_name("templates")
STOP_GRACE = 5.0  # seconds an app has to quit (and then to die after SIGTERM)
TOKEN_PARAM = "token"
MIN_COLUMNS = 60  # the app's narrow layout: the page picks a font size that fits this many
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class ServeOptions:
    argv: tuple[str, ...]  # the app, as one tab runs it
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None  # required on every request when set


def urls(options: ServeOptions) -> list[str]:
    """Where a browser finds the server (with the token, when there is one)."""
    query = f"?{TOKEN_PARAM}={options.token}" if options.token else ""
    hosts = [options.host]
    if options.host in ("", "0.0.0.0", "::"):
        hosts = [socket.gethostname(), "127.0.0.1"]
    return [f"http://{f'[{h}]' if ':' in h else h}:{options.port}/{query}" for h in hosts]


class AppProcess(AppService):
    """textual-serve's AppService with the app started from an argv (no shell), in a session
    of its own, and stopped for sure: asked to quit, then SIGTERM, then SIGKILL to its group."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = tuple(argv)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        return self._process.returncode if self._process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=PIPE, stdout=PIPE, stderr=PIPE,
            env=self._build_environment(width=width, height=height), start_new_session=True,
        )
        assert process.stdin is not None
        self._process, self._stdin = process, process.stdin
        return process

    async def stop(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(super().stop(), STOP_GRACE)
        process = self._process
        if process is None:
            return
        for sig in (None, signal.SIGTERM, signal.SIGKILL):  # first, let it finish quitting
            if sig is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, sig)  # the app and its check worker
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), STOP_GRACE)
                return


def _offered_tokens(request: web.Request, cookie: str) -> list[str]:
    auth = request.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    offered = [request.query.get(TOKEN_PARAM), request.cookies.get(cookie),
               value.strip() if scheme.lower() in ("token", "bearer") else None]
    return [t for t in offered if t]


class QuizServer(Server):
    """textual-serve's Server with our page, a guard on every request and app processes that
    end with their tab (and with the server)."""

    def __init__(self, options: ServeOptions, say: Callable[[str], None]) -> None:
        super().__init__(shlex.join(options.argv), host=options.host, port=options.port,
                         title="quizapp", templates_path=TEMPLATES)
        self.options = options
        self.say = say
        self.cookie = f"quizapp_token_{options.port}"  # cookies ignore ports: one per server
        self.apps: set[AppProcess] = set()
        self.tabs = itertools.count(1)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.index, name="index"),
            web.get("/ws", self.websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.get("/favicon.ico", self.no_icon),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    def refusal(self, request: web.Request) -> str | None:
        """Why a request is refused (HTTP 403), or None."""
        if is_loopback(self.options.host) and not is_loopback(urlsplit(f"//{request.host}").hostname or ""):
            return "this server answers only to localhost"
        token = self.options.token
        if token and not any(hmac.compare_digest(t.encode(), token.encode())
                             for t in _offered_tokens(request, self.cookie)):
            return "a token is required: open the address `quizapp serve` printed (…/?token=…)"
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
            return "an app can only be opened from this server's own page"
        return None

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        refusal = self.refusal(request)
        if refusal is not None:
            return web.Response(status=403, text=f"403 Forbidden: {refusal}\n", headers=SECURITY_HEADERS)
        if self.options.token and request.path == "/" and TOKEN_PARAM in request.query:
            # The token worked: keep it in a cookie for the page and its websocket, and take it
            # out of the address bar (and the browser's history).
            rest = {k: v for k, v in request.query.items() if k != TOKEN_PARAM}
            found = web.Response(status=302, headers={"Location": str(request.rel_url.with_query(rest)),
                                                      **SECURITY_HEADERS})
            found.set_cookie(self.cookie, self.options.token, httponly=True, samesite="Strict", path="/")
            return found
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    async def index(self, request: web.Request) -> web.Response:
        context = {
            "title": "quizapp",
            "static": str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/",
            "websocket_path": str(request.app.router["websocket"].url_for()),
            "font_size": max(0, min(64, to_int(request.query.get("fontsize", "0"), 0))),
            "min_columns": MIN_COLUMNS,
        }
        response = aiohttp_jinja2.render_template("index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def no_icon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)  # browsers ask; an empty answer keeps the console quiet

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its own app process, from the websocket's opening to its closing."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = max(20, min(500, to_int(request.query.get("width", "80"), 80)))
        height = max(8, min(300, to_int(request.query.get("height", "24"), 24)))
        await websocket.prepare(request)
        app = AppProcess(self.options.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                         close=websocket.close, download_manager=self.download_manager)
        tab = next(self.tabs)
        self.apps.add(app)
        try:
            await app.start(width, height)
            self.say(f"tab {tab}: app process {app.pid} started ({width}×{height})")
            await self._process_messages(websocket, app)
        except Exception:  # a malformed message from the page: this tab ends, the server stays
            log.exception("tab %s", tab)
        finally:
            await app.stop()
            self.apps.discard(app)
            self.say(f"tab {tab}: closed; app process {app.pid} ended (exit status {app.returncode})")
            await websocket.close()
        return websocket

    def announce(self) -> None:
        where = urls(self.options)
        if self.options.token:
            self.say(f"quizapp serve: listening on {self.options.host}:{self.options.port}, beyond this machine.")
            self.say("Open one of these (the token is required; requests without it are refused):")
            for url in where:
                self.say(f"    {url}")
        else:
            self.say(f"quizapp serve: open {where[0]}")
        self.say("Each browser tab runs its own quizapp on your review database. Ctrl+C stops the server.")

    async def on_shutdown(self, app: web.Application) -> None:
        if self.apps:
            self.say(f"stopping {len(self.apps)} app process(es)…")
        await asyncio.gather(*(process.stop() for process in list(self.apps)), return_exceptions=True)

    async def _listen(self, runner: web.AppRunner) -> None:
        where = f"cannot serve on {self.options.host}:{self.options.port}"
        try:
            await web.TCPSite(runner, self.options.host, self.options.port).start()
        except OSError as exc:  # asyncio words a bind error at length; the errno says it best
            code = exc.errno or 0  # negative for a name that does not resolve (getaddrinfo)
            reason = os.strerror(code) if code > 0 else (exc.strerror or str(exc))
            raise OSError(code, reason, where) from None  # worded by the CLI's shared handler

    async def main(self) -> None:
        """Listen, say where, and serve until SIGINT or SIGTERM; then end every app. OSError when
        the address cannot be bound (nothing has been announced then)."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=STOP_GRACE)
        await runner.setup()
        try:
            await self._listen(runner)
            self.announce()
            await stop.wait()
        finally:
            await runner.cleanup()  # on_shutdown: every app process ends


def serve(options: ServeOptions, say: Callable[[str], None] = print) -> None:
    """Blocks until Ctrl+C (see QuizServer.main)."""
    logging.basicConfig(level=logging.WARNING, format="quizapp serve: %(name)s: %(message)s")
    asyncio.run(QuizServer(options, say).main())
