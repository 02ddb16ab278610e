"""`quizapp export --apkg FILE [--query QUERY] [--lang en|zh|both] [--instances N]`: the cards as
an Anki package (quizapp.bridges.anki).

The options join the `export` command (quizapp.cli.data_cmd calls add_apkg_options, and hands
the command to run_apkg when one of them is given). --query selects the items that have at
least one card matching a search (quizapp.search, the card browser's language): a note carries
all of an item's cards. --lang chooses what the cards show; both languages are in every note.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli.argtypes import whole_number

if TYPE_CHECKING:
    from quizapp.context import Context

DEFAULT_INSTANCES = 5
MAX_INSTANCES = 100
MAX_PROBLEMS = 20


_instances = whole_number(
    1, MAX_INSTANCES, not_number="expected a whole number, not {text!r}", out_of_range="must be between {low} and {high}"
)


def add_apkg_options(parser: argparse.ArgumentParser, formats: Any) -> None:
    """--apkg in the export formats group; its own options in a group of their own."""
    formats.add_argument("--apkg", metavar="FILE",
                         help="the cards as an Anki package: one deck per topic, notes updated in place "
                         "when imported again")
    group = parser.add_argument_group("Anki package (--apkg)")
    group.add_argument("--query", metavar="QUERY",
                       help="only the items with a card matching this search (as in the card browser)")
    group.add_argument("--lang", choices=("en", "zh", "both"), default=argparse.SUPPRESS,
                       help="what the cards show (default: your language setting); every note holds both")
    group.add_argument("--instances", type=_instances, metavar="N",
                       help=f"fixed instances per computed exercise (default {DEFAULT_INSTANCES})")


def wants_apkg(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) is not None for name in ("apkg", "query", "instances"))


def matching_items(context: Context, text: str) -> set[str]:
    """Ids of the items with a card that the search `text` finds (quizapp.search)."""
    from quizapp.context import EXIT_USAGE, CommandError
    from quizapp.search import QueryError, find_cards, parse_query
    from quizapp.timing import now

    try:
        query = parse_query(text)
    except QueryError as exc:
        pointer = " " * (max(exc.column, 1) - 1) + "^"
        raise CommandError(EXIT_USAGE, f"--query: {exc.message} (column {exc.column})\n  {text}\n  {pointer}") from None
    return {row.ref.item.id for row in find_cards(context.library, context.store, query, now())}


def run_apkg(args: argparse.Namespace) -> int:
    from quizapp.context import EXIT_USAGE, CommandError, open_context

    target = getattr(args, "apkg", None)
    if not target:
        raise CommandError(EXIT_USAGE, "--query and --instances go with --apkg FILE")
    if target == "-":
        raise CommandError(EXIT_USAGE, "--apkg needs a file name: an Anki package cannot go to standard output")
    if Path(target).is_dir():
        raise CommandError(EXIT_USAGE, f"--apkg {target} is a folder: name the package file, e.g. {target}/quizapp.apkg")
    from quizapp.bridges.anki import build_export, write_apkg

    with open_context(args) as context:
        lang = getattr(args, "lang", None) or context.lang
        item_ids = None if args.query is None else matching_items(context, args.query)
        if item_ids is not None and not item_ids:
            print(f"quizapp: no card matches {args.query!r}; nothing written", file=sys.stderr, flush=True)
            return 1
        export = build_export(context.library, lang=lang, instances=args.instances or DEFAULT_INSTANCES,
                              item_ids=item_ids)
    for problem in export.problems[:MAX_PROBLEMS]:
        print(f"quizapp: warning: {problem}", file=sys.stderr, flush=True)
    write_apkg(export, Path(target))  # a failed write: the shared handler says why; the old file stays
    counts = ", ".join(f"{kind} {n}" for kind, n in sorted(export.notes.items()))
    print(f"exported {sum(export.notes.values())} notes ({export.cards} cards) in {export.decks} decks "
          f"to {target}: {counts}", flush=True)
    return 0
