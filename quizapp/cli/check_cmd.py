"""`quizapp check`: SQLite's full integrity check of the review database, and the card cache
compared with a rebuild from the log (`--repair` rebuilds it). Opening the app never reads the
whole file; this command does, on demand (and is worth running after a crash or a disk problem)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="check the review database for damage (reads the whole file)",
        description="Run SQLite's integrity check on the review database and compare the cached card "
        "states with the log. Exit 0 when all is well, 1 when something is wrong.",
    )
    parser.add_argument("--repair", action="store_true",
                        help="rebuild the card states and daily totals from the review log")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.context import open_context

    with open_context(args, warn_content=False) as context:
        return _check(context.store, repair=args.repair)


def _check(store: Any, *, repair: bool) -> int:
    problems = store.check()
    if problems:
        for problem in problems[:20]:
            print(f"quizapp: damaged: {problem}", file=sys.stderr, flush=True)
        print(f"quizapp: {store.path} is damaged; restore a backup (quizapp.sqlite3.bak-*) or "
              "export what can be read", file=sys.stderr, flush=True)
        return 1
    invalid = store.invalid_answers()
    stale = sum(1 for cached, rebuilt in zip(store.all_cards(), store.computed_cards()) if cached != rebuilt)
    if (invalid or stale) and repair:
        with store.transaction():
            done = store.repair_log()
        store.rebuild_cards()
        print(f"repaired the log ({done.dropped} answer(s) with an impossible time left out, "
              f"{done.fixed} value(s) reset, {done.replayed} card(s) replayed) and rebuilt "
              f"{stale} card state(s) from it", flush=True)
    elif invalid or stale:
        if invalid:
            print(f"quizapp: {invalid} answer(s) hold values quizapp never writes (an old import?)",
                  file=sys.stderr, flush=True)
        if stale:
            print(f"quizapp: {stale} card state(s) differ from the review log", file=sys.stderr, flush=True)
        print("quizapp: run `quizapp check --repair` to repair them", file=sys.stderr, flush=True)
        return 1
    print(f"{store.path}: ok ({store.review_count():,} reviews)", flush=True)
    return 0
