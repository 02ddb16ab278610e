"""`quizapp simulate [--retention R …] [--days N]`: what studying your deck costs per day at each
desired retention, what you would remember, and the optimal retention (a table)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from quizapp.cli.argtypes import add_command, bounded

if TYPE_CHECKING:
    from quizapp.sched.simulate import Simulation, Workload

PERIODS = 4  # "minutes per day over time": the span in quarters


_retention = bounded(float, 0.70, 0.99, not_number="{text!r} is not a number",
                     out_of_range="{text} is outside 0.70–0.99 (the retentions quizapp schedules for)")


def _days(text: str) -> int:
    from quizapp.sched.simulate import MAX_DAYS

    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"days must be a whole number from 1 to {MAX_DAYS}, not {text!r}")
    return int(text)


DESCRIPTION = """\
Simulate studying your deck from new with your own parameters (fitted or FSRS-6's defaults),
your daily limits and your answer times: reviews and minutes per day, the knowledge retained,
and the optimal retention (least time per card remembered)."""


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "simulate", run, help="simulate the daily workload and what you retain at several desired retentions",
        description=DESCRIPTION,
    )
    parser.add_argument("--retention", type=_retention, nargs="+", metavar="R",
                        help="desired retentions to compare (default: 0.70 0.75 … 0.95)")
    parser.add_argument("--days", type=_days, default=None, help="how many days to simulate (default: 365)")
    parser.add_argument("--deck-size", type=int, metavar="N", help="simulate N cards instead of your deck's")
    parser.add_argument("--no-optimal", action="store_true", help="skip the optimal retention (a few seconds)")


def run(args: argparse.Namespace) -> int:
    from quizapp.context import CommandError, open_context
    from quizapp.sched.simulate import DEFAULT_DAYS, DEFAULT_RETENTIONS, simulate

    if args.deck_size is not None and not 1 <= args.deck_size <= 1_000_000:
        raise CommandError(2, "--deck-size must be from 1 to 1,000,000")
    retentions = sorted(set(args.retention or DEFAULT_RETENTIONS))
    with open_context(args, warn_content=False) as context:
        if not args.no_optimal:
            print("quizapp: simulating, and searching for the optimal retention…", file=sys.stderr, flush=True)
        sim = simulate(context.store, context.settings, retentions, args.days or DEFAULT_DAYS,
                       optimal=not args.no_optimal, deck_size=args.deck_size)
        print("\n".join(table_lines(sim, context.settings)), flush=True)
    return 0


def table_lines(sim: Simulation, settings: Any) -> list[str]:
    """The simulation as a table, with what it assumed and what the optimum means."""
    bounds = [round(i * sim.days / PERIODS) for i in range(PERIODS + 1)]
    periods = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    params = "your fitted parameters" if sim.fitted else "FSRS-6's default parameters"
    lines = [
        f"{sim.days} days of a {sim.deck_size:,}-card deck studied from new, with {params}, "
        f"{settings.new_per_day} new cards and at most {settings.reviews_per_day} answers a day, "
        "and your ratings and answer times (FSRS's typical ones where your log has too few):",
        "",
        f"{'retention':<11}{'reviews':>8}{'minutes/day':>13}  "
        + "".join(f"{f'days {a + 1}–{b}':>13}" for a, b in periods)
        + f"{'retained':>10}{'min/card':>10}",
        f"{'':<11}{'/day':>8}{'(mean)':>13}  " + "".join(f"{'min/day':>13}" for _ in periods)
        + f"{'(cards)':>10}{'':>10}",
    ]
    for w in sim.shown():
        mark = " ★" if sim.optimal is not None and abs(w.retention - sim.optimal) < 1e-9 else ""
        lines.append(_row(w, periods, mark))
    lines.append("")
    lines.append("reviews/day: answers to cards already learned; retained: cards you would recall at the "
                 "end (the sum of their predicted recall); min/card: minutes per card retained.")
    if sim.optimal is not None:
        lines.append(f"★ optimal retention {sim.optimal:.2f}: the least study time per card remembered "
                     f"(your desired retention is {settings.desired_retention:.2f}; change it in the settings).")
    return lines


def _row(w: Workload, periods: list[tuple[int, int]], mark: str) -> str:
    per_card = w.minutes_per_card()
    return (
        f"{f'{w.retention:.2f}{mark}':<11}{w.mean_reviews():>8.1f}{w.mean_minutes():>13.1f}  "
        + "".join(f"{w.mean_minutes(a, b):>13.1f}" for a, b in periods)
        + f"{(w.retained[-1] if w.retained else 0):>10.0f}"
        + (f"{per_card:>10.2f}" if per_card != float("inf") else f"{'—':>10}")
    )
