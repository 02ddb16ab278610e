"""`quizapp new-deck NAME`: start a deck of your own in the user deck folder (<data dir>/decks),
with one commented example item of each kind; it loads beside the built-in topics from then on."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli.argtypes import add_command

DESCRIPTION = """\
Create NAME.yaml in your deck folder (<data dir>/decks, e.g. ~/.local/share/quizapp/decks).
Every deck there loads beside the built-in topics; edit it in any editor (or press e on a card
in the app)."""


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "new-deck", run, help="create a deck of your own (a bilingual YAML skeleton with one item of each kind)",
        description=DESCRIPTION,
    )
    parser.add_argument("name", metavar="NAME", help="the deck's title (its id and file name are made from it)")


def run(args: argparse.Namespace) -> int:
    from quizapp.deck.userdecks import DeckExists, create_deck, user_decks_dir

    decks = user_decks_dir(getattr(args, "data_dir", None))
    if not args.name.strip():
        print("quizapp: error: the deck needs a name", file=sys.stderr, flush=True)
        return 2
    try:
        decks.mkdir(parents=True, exist_ok=True)
        path = create_deck(decks, args.name)
    except DeckExists as exc:  # a folder that cannot be written is reported by cli/main.py
        print(f"quizapp: error: {exc}", file=sys.stderr, flush=True)
        return 2
    print(f"created {path}")
    print("Edit it in your editor; `quizapp validate` checks it, and the app loads it beside the built-in topics.")
    return 0
