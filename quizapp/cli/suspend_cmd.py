"""`quizapp suspend KEY…` and `quizapp unsuspend KEY…`: take cards out of the queues by hand and
bring them back (leeches included), for line-mode users who have no topic screen."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    for name, verb in (("suspend", "take cards out of the queues"), ("unsuspend", "bring suspended cards back")):
        parser = subparsers.add_parser(
            name, help=f"{verb} (card keys as shown by study --plain, e.g. rf-definition or rf-recurrence::c1)",
            description=f"{verb.capitalize()}. A card key is an item id, or id::reverse / id::cN for "
            "siblings; `study --plain` prints it on each card's header line.",
        )
        parser.add_argument("keys", nargs="+", metavar="KEY")
        parser.set_defaults(func=run, suspend=name == "suspend")


def run(args: argparse.Namespace) -> int:
    from quizapp.context import open_context

    status = 0
    with open_context(args) as context:
        for key in args.keys:
            if context.store.card(key) is None:
                print(f"quizapp: error: no card {key!r}", file=sys.stderr, flush=True)
                status = 2
                continue
            change = context.store.suspend if args.suspend else context.store.unsuspend
            done = change(key)
            word = "suspended" if args.suspend else "unsuspended"
            print(f"{word} {key}" if done else f"{key} was already {word}", flush=True)
    return status
