"""`quizapp stats [--json]`: the full statistics as text (in the chosen language) or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="show your statistics (activity, forecast, mastery, retention, mistakes, calibration)",
        description="Statistics computed from your review log. Text by default; --json for scripts.",
    )
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.context import open_context
    from quizapp.stats.report import report
    from quizapp.timing import now

    with open_context(args) as context:
        rep = report(context.store, context.library, context.settings, now())
    if getattr(args, "json", False):
        json.dump(rep.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from quizapp.stats.text import render_text

        sys.stdout.write(render_text(rep, context.lang))
    sys.stdout.flush()
    return 0
