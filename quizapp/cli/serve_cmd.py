"""`quizapp serve [--host 127.0.0.1] [--port 8000] [--token TOKEN]`: the full-screen app in a
web browser (quizapp.bridges.serve). Each tab runs `quizapp` with this command's --data-dir,
--config, --content and --lang; the settings and the database are checked once before serving,
so a broken config file or database is reported here and not in every tab.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizapp.cli.argtypes import whole_number

MIN_TOKEN = 16


_port = whole_number(1, 65535, not_number="expected a port number, not {text!r}",
                     out_of_range="a port is between {low} and {high}")


def _token(text: str) -> str:
    if len(text) < MIN_TOKEN or not text.isascii() or not text.isprintable() or " " in text:
        raise argparse.ArgumentTypeError(f"a token is at least {MIN_TOKEN} printable ASCII characters, no spaces")
    return text


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve", help="study in a web browser: serve the full-screen app (each tab its own app)",
        description="Serve the full-screen app to web browsers with textual-serve. Each browser tab "
        "runs its own quizapp on your review database. Only this machine can connect by default; "
        "with any other --host, a token is printed at start and every request without it is refused "
        "(HTTP 403). Ctrl+C stops the server and every app.",
    )
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument("--token", type=_token, default=None,
                   help="the access token (default: a new random one, printed at start, when --host is not "
                   "a loopback address); given with a loopback --host, it is required there too")
    p.set_defaults(func=run)


def app_argv(args: argparse.Namespace) -> tuple[str, ...]:
    """The command one tab runs: this Python, with the options of this command."""
    argv = [sys.executable, "-m", "quizapp"]
    for option, value in (("--data-dir", getattr(args, "data_dir", None)), ("--config", getattr(args, "config", None))):
        if value:
            argv += [option, str(Path(value).expanduser().resolve())]
    for content in getattr(args, "content", None) or []:
        argv += ["--content", str(Path(content).expanduser().resolve())]
    if getattr(args, "lang", None):
        argv += ["--lang", args.lang]
    return tuple(argv)


def run(args: argparse.Namespace) -> int:
    from quizapp.context import open_context

    with open_context(args):  # settings, content and database usable: fail here, not in each tab
        pass
    from quizapp.bridges.serve import ServeOptions, is_loopback, new_token, serve

    token = args.token or (None if is_loopback(args.host) else new_token())
    options = ServeOptions(app_argv(args), host=args.host, port=args.port, token=token)
    serve(options, say=lambda line: print(line, flush=True))  # a bind error: OSError, "cannot serve on …"
    print("quizapp serve: stopped", flush=True)
    return 0
