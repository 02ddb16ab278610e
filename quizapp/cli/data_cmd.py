"""`quizapp export --json FILE | --csv FILE` and `quizapp import --json FILE`.

export --json writes the review log, hand-made events and card states as one JSON file
(`-` = stdout); export --csv writes the pair FILE.reviews.csv and FILE.cards.csv (a trailing
.csv on FILE is dropped first). import --json appends the reviews and events the store does not
have yet (matched by their uid, so importing a file twice adds nothing) and rebuilds the touched
cards; a bad file is reported (exit 2) and changes nothing. See quizapp.store.transfer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    from quizapp.cli.anki_cmd import add_apkg_options

    export = subparsers.add_parser(
        "export", help="export your review log and card states (JSON or CSV), or the cards for Anki",
        description="Export the review log and card states. JSON can be imported again.",
    )
    fmt = export.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--json", metavar="FILE", help="one JSON file (- for stdout)")
    fmt.add_argument("--csv", metavar="FILE", help="two CSV files: FILE.reviews.csv and FILE.cards.csv")
    add_apkg_options(export, fmt)
    export.set_defaults(func=run_export)
    imp = subparsers.add_parser(
        "import", help="import a JSON export (reviews already present are skipped)",
        description="Add the reviews of a `quizapp export --json` file to this database.",
    )
    imp.add_argument("--json", metavar="FILE", required=True, help="a file written by `quizapp export --json`")
    imp.set_defaults(func=run_import)


def _progress(verb: str) -> Any:
    """Tells a learner waiting on a long export or import (every 50,000 answers) how far it is."""
    def report(what: str, count: int) -> None:
        print(f"quizapp: {verb} {count:,} {what}…", file=sys.stderr, flush=True)
    return report


def run_export(args: argparse.Namespace) -> int:
    from quizapp.cli.anki_cmd import run_apkg, wants_apkg

    if wants_apkg(args):  # the cards as an Anki package
        return run_apkg(args)
    from quizapp.context import open_context
    from quizapp.store.transfer import export_csv, export_json, write_export

    with open_context(args, warn_content=False) as context:
        return _export(context, args, export_csv, write_export, export_json)


def _export(context: Any, args: argparse.Namespace, export_csv: Any, write_export: Any, export_json: Any) -> int:
    # A failure to write (a full disk) or to read the database is reported by cli/main.py.
    if args.json == "-":
        write_export(context.store, sys.stdout)
    elif args.json:
        counts = export_json(context.store, Path(args.json), _progress("exported"))
        print(f"exported {counts['reviews']} reviews, {counts['events']} events and "
              f"{counts['cards']} cards to {args.json}", flush=True)
    else:
        reviews, cards = export_csv(context.store, Path(args.csv), _progress("exported"))
        print(f"exported {reviews} and {cards}", flush=True)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from quizapp.context import EXIT_USAGE, CommandError, open_context
    from quizapp.store.transfer import TransferError, import_json

    with open_context(args, warn_content=False) as context:
        try:
            counts = import_json(context.store, Path(args.json), _progress("read"))
        except TransferError as exc:
            raise CommandError(EXIT_USAGE, f"{exc} (nothing was imported)") from None
    print(f"imported {counts['added']} reviews ({counts['already_present']} already present), "
          f"{counts['events_added']} events; {counts['cards']} cards updated", flush=True)
    return 0
