"""`quizapp` entry point. Imports stay light: no textual, sympy or numpy until a command needs them."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from quizapp import __version__
from quizapp.textsafe import SafeStream

# Subcommand modules, each exposing register(subparsers) that sets func=run on its parser(s).
COMMAND_MODULES = (
    "quizapp.cli.validate_cmd",
    "quizapp.cli.study_cmd",
    "quizapp.cli.exercise_cmd",
    "quizapp.cli.stats_cmd",
    "quizapp.cli.data_cmd",
    "quizapp.cli.suspend_cmd",
    "quizapp.cli.check_cmd",
    "quizapp.cli.cards_cmd",
    "quizapp.cli.deck_cmd",
    "quizapp.cli.optimize_cmd",
    "quizapp.cli.simulate_cmd",
    "quizapp.cli.serve_cmd",
)


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    # Sub-parsers use SUPPRESS so an option given before the subcommand is not reset by its default.
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="where the review database lives (default: QUIZAPP_DATA_DIR or the user data dir)")
    parser.add_argument("--content", metavar="DIR", action="append", default=[] if top_level else argparse.SUPPRESS,
                        help="add a directory of your own topic YAML files (repeatable)")
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="settings file (default: QUIZAPP_CONFIG or the user config dir)")
    with contextlib.suppress(argparse.ArgumentError):  # a command's own --lang (export --apkg: en|zh|both)
        parser.add_argument("--lang", choices=("en", "zh"), default=default,
                            help="language for this run (default: the saved setting, else the locale)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Study deep-learning interview topics in the terminal: flashcards, cloze, "
        "multiple choice and computed exercises, scheduled by FSRS-6. "
        "Run without a command to open the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    add_common_options(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    for sub in subparsers.choices.values():
        add_common_options(sub, top_level=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:  # started with stdout closed (`>&-`): no card or result could be shown
        if sys.stderr is not None:
            print("quizapp: error: standard output is closed", file=sys.stderr, flush=True)
        return 2
    if sys.stdin is None:  # started with stdin closed (`<&-`): the same as empty input
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    parser = build_parser()
    args = parser.parse_args(argv)
    # Text from decks, imports and the database is cleaned where it is read; these wrappers make
    # sure no control character reaches the terminal from any command even if one slipped past.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args: argparse.Namespace) -> int:
    """The command, and the one handler of every failure the commands share (cli/failures.py)."""
    from quizapp.context import CommandError

    func = getattr(args, "func", None)
    try:
        if func is None:
            from quizapp.cli.launch import run as run_tui

            return run_tui(args)
        return int(func(args) or 0)
    except CommandError as exc:
        return _fail(exc.code, exc.message)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `| head`: the reader has all it wanted
        _detach_stdout()
        return 0
    except Exception as exc:
        from quizapp.cli.failures import describe

        described = describe(exc, args)
        if described is None:
            raise
        code, message = described
        if code == 1 and isinstance(exc, OSError) and not exc.filename:  # stdout itself failed (a full disk)
            _detach_stdout()
        return _fail(code, message)


def _fail(code: int, message: str) -> int:
    print(f"quizapp: error: {message}", file=sys.stderr, flush=True)
    return code


def _detach_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def entry() -> NoReturn:
    """The `quizapp` command and `python -m quizapp`: main(), then the process ends without the
    interpreter tearing down every object it made (Textual's widgets, the library, rich's
    tables: 60–300 ms after the learner has quit, on a busy machine; issue 17: quit in < 100 ms).
    Everything that matters at exit still happens: every store is closed and every file written
    by then, the standard streams are flushed here, and the atexit handlers run (multiprocessing
    ends its helpers and removes its temporary files, logging flushes)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can reach it
            if stream is sys.stdout:
                _detach_stdout()
    atexit._run_exitfuncs()
    os._exit(code)
