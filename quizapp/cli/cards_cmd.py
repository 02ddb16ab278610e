"""`quizapp cards [QUERY] [--json] [--sort COLUMN] [--desc]`: list the cards a search finds.

One line per card: key, topic, kind, state, due (study days from today; −3 = overdue by 3), the
interval the last answer set, stability (days), difficulty (1–10), lapses, predicted recall now and
the front, shortened to the terminal. `--json` prints a list of objects instead (times in ms since
the epoch, UTC). A malformed query is a usage error (exit 2) that points at the column.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Iterator
from typing import Any

from quizapp.cli.argtypes import add_command


class _SortColumns:
    """quizapp.search's SORT_COLUMNS as argparse `choices`, imported only when argparse checks a
    --sort value or prints the help: every start of the full-screen app builds this parser, and
    the search package is not on the way to the dashboard (issue 17)."""

    @staticmethod
    def _columns() -> tuple[str, ...]:
        from quizapp.search.cards import SORT_COLUMNS

        return SORT_COLUMNS

    def __contains__(self, value: object) -> bool:
        return value in self._columns()

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns())


HEADERS = ("key", "topic", "kind", "state", "due", "ivl", "stab", "diff", "lapses", "recall", "front")


DESCRIPTION = """\
List cards matching a search. Syntax: free text (both languages), topic:, tag:, kind:,
is:new|learning|review|due|suspended|leech|buried, family:, id:, flag:0-4, prop:due<3,
prop:lapses>2, prop:r<0.8, rated:7, rated:7:1; quotes, -negation, or, (). See the README for the
full syntax."""


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "cards", run, help="list the cards a search finds (e.g. quizapp cards 'tag:followup is:due')",
        description=DESCRIPTION,
    )
    parser.add_argument("query", nargs="?", default="", metavar="QUERY",
                        help="the search (quote it in the shell); empty: every card")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    # A metavar of its own: argparse would otherwise list the choices as the parser is built.
    parser.add_argument("--sort", choices=_SortColumns(), default="order", metavar="COLUMN",
                        help="order of the cards: %(choices)s (default: library order)")
    parser.add_argument("--desc", action="store_true", help="sort in descending order")


def run(args: argparse.Namespace) -> int:
    from quizapp.context import EXIT_USAGE, CommandError, open_context
    from quizapp.search import QueryError, find_cards, parse_query, sort_rows
    from quizapp.timing import now as clock_now

    try:
        query = parse_query(args.query)
    except QueryError as exc:
        raise CommandError(EXIT_USAGE, f"bad search at column {exc.column}: {exc.message}\n"
                           f"  {args.query}\n  {' ' * (exc.column - 1)}^") from None
    with open_context(args) as context:
        now = clock_now()
        rows = sort_rows(find_cards(context.library, context.store, query, now), args.sort,
                         descending=args.desc)
        if args.json:
            print_json(rows, context.lang)
        else:
            print_table(rows, context.lang, now)
    return 0


def print_json(rows: list[Any], lang: str) -> None:
    from quizapp.search.display import front_text, one_line

    out = []
    for row in rows:
        data = row.to_dict()
        data["front"] = one_line(front_text(row.ref, lang), 10_000)
        out.append(data)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def table_cells(row: Any, now: Any) -> tuple[str, ...]:
    from quizapp.search.display import due_days, short_days

    days = due_days(row, now)
    state = row.state_name + ("*" if row.suspended else "") + ("!" if row.leech else "")
    return (
        row.key, row.topic_id, row.kind, state, "—" if days is None else (f"{days:+d}" if days else "0"),
        short_days(row.interval_days), short_days(row.stability),
        "—" if row.difficulty is None else f"{row.difficulty:.1f}", str(row.lapses),
        "—" if row.recall is None else f"{row.recall:.0%}",
    )


def print_table(rows: list[Any], lang: str, now: Any) -> None:
    from quizapp.search.display import front_text, one_line

    cells = [table_cells(row, now) for row in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(HEADERS[:-1])]
    room = shutil.get_terminal_size((120, 24)).columns - sum(widths) - 2 * len(widths)
    front_width = max(40, room)

    def line(values: tuple[str, ...], front: str) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)) + "  " + front

    print(line(HEADERS[:-1], HEADERS[-1]))
    for row, values in zip(rows, cells):
        front = one_line(front_text(row.ref, lang), front_width)
        print(line(values, front).rstrip())
    n = len(rows)
    # The count goes to stderr: stdout stays one header line plus one line per card.
    print(f"{n} card{'s' if n != 1 else ''} (state* suspended, state! leech; due: study days from today)",
          file=sys.stderr, flush=True)
