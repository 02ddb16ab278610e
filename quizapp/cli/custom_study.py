"""`quizapp study --query Q [--ahead DAYS | --forgotten DAYS] [--practice]`: custom study of the
cards a search finds (Anki's filtered decks), in line mode or in the full-screen app.

- `--query "tag:followup rated:7:1"`: those cards, due or not; answers reschedule them.
- `--ahead N`: study ahead: the cards due within the next N days (with --query: of those cards).
- `--forgotten N`: the cards answered Again in the last N days (`--forgotten 1`: today).
- `--practice`: practise them without changing any schedule.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_query_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--query", metavar="Q",
                        help="custom study: the cards this search finds, due or not (see `quizapp cards`)")
    parser.add_argument("--ahead", metavar="DAYS", type=int,
                        help="custom study ahead: cards due within DAYS days (rescheduled from your answer)")
    parser.add_argument("--forgotten", metavar="DAYS", type=int,
                        help="custom study of the cards you answered Again in the last DAYS days (1 = today)")


def wants_plan(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) is not None for name in ("query", "ahead", "forgotten"))


def plan_from_args(args: argparse.Namespace, context: Any) -> list[str] | str:
    """The custom-study plan (card keys), or the error message for a usage error."""
    from quizapp.search import QueryError
    from quizapp.search.custom import custom_plan

    if getattr(args, "drill", None):
        return "--drill cannot be combined with --query, --ahead or --forgotten"
    text = getattr(args, "query", None) or ""
    topic = getattr(args, "topic", None)
    try:
        from quizapp.timing import now

        keys = custom_plan(context.library, context.store, text, now(),
                           ahead=getattr(args, "ahead", None), forgotten=getattr(args, "forgotten", None))
    except QueryError as exc:
        return f"bad search at column {exc.column}: {exc.message}\n  {text}\n  {' ' * (exc.column - 1)}^"
    if topic:
        keys = [k for k in keys if (ref := context.library.card(k)) is not None and ref.topic.id == topic]
    return keys
