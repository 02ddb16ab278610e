"""`quizapp optimize [--dry-run | --reset]`: fit the FSRS parameters to your own review log,
compare them with the ones in use on your later reviews, adopt them when they predict better.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from quizapp.cli.argtypes import add_command

if TYPE_CHECKING:
    from quizapp.config import Evaluation
    from quizapp.sched.fit import FitReport

STAGES = {
    "read": "reading your review log",
    "fit-past": "fitting on the earlier 80 % of your reviews",
    "evaluate": "predicting the later 20 % with each set of parameters",
    "fit-all": "fitting again on all of them",
}


DESCRIPTION = """\
Fit FSRS-6's 21 parameters to your review log (the Rust FSRS engine Anki uses), compare them
with the parameters in use on your later reviews (log loss and RMSE over bins of predicted
recall), and adopt them only if they predict better. Run it after every few thousand reviews;
--reset goes back to FSRS-6's defaults."""


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "optimize", run, help="fit the scheduler's FSRS parameters to your own review history",
        description=DESCRIPTION,
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--dry-run", action="store_true", help="fit and compare, but adopt nothing")
    group.add_argument("--reset", action="store_true", help="go back to FSRS-6's default parameters")


def run(args: argparse.Namespace) -> int:
    from quizapp.context import CommandError, open_context
    from quizapp.timing import now

    with open_context(args, warn_content=False) as context:
        if context.store.read_only and not args.dry_run:
            raise CommandError(2, f"{context.store.path} is read-only: nothing can be adopted (try --dry-run)")
        if args.reset:
            return _reset(context, now())
        from quizapp.sched.fit import fit

        report = fit(context.store, context.settings, _Stages())
        print("\n".join(report_lines(report)), flush=True)
        if not report.adopt:
            return 0
        if args.dry_run:
            print("Not adopted (--dry-run).", flush=True)
            return 0
        from quizapp.sched.adopt import adopt

        _err("recomputing the memory state of every card you have studied")
        adopt(context.store, context.settings, report, context.config_path, now())
        print(f"Adopted and saved to {context.config_path}; `quizapp optimize --reset` goes back to "
              "the defaults.", flush=True)
    return 0


def _reset(context: Any, moment: Any) -> int:
    from quizapp.sched.adopt import in_step, reset

    if context.settings.fsrs_weights() is None and in_step(context.store, context.settings):
        print("Already scheduling with FSRS-6's default parameters: nothing to reset.", flush=True)
        return 0
    _err("recomputing the memory state of every card you have studied")
    reset(context.store, context.settings, context.config_path, moment)
    print(f"Back to FSRS-6's default parameters (saved to {context.config_path}).", flush=True)
    return 0


class _Stages:
    """Says each stage once, on stderr, as it begins."""

    def __init__(self) -> None:
        self.said: set[str] = set()

    def __call__(self, stage: str, fraction: float) -> None:
        if stage in STAGES and stage not in self.said:
            self.said.add(stage)
            _err(f"{STAGES[stage]}…")


def _err(message: str) -> None:
    print(f"quizapp: {message}", file=sys.stderr, flush=True)


def report_lines(report: FitReport) -> list[str]:
    """The figures and the decision, in plain words."""
    from quizapp.sched.fit import MIN_REVIEWS, TOO_FEW

    if report.verdict == TOO_FEW:
        return [
            f"Not enough reviews to fit yet: the fit needs at least {MIN_REVIEWS} reviews that came a day "
            f"or more after the card's previous answer, and you have {report.reviews} "
            f"(of {report.answers} answers). Keep studying and run it again; until then FSRS-6's "
            "defaults (or the parameters you adopted) keep scheduling.",
        ]
    lines = [
        f"Fitted on {report.reviews:,} reviews ({report.answers:,} answers); compared on the latest "
        f"{report.held_out:,} of them, held out of the fit:",
        f"  {'':<26}{'log loss':>10}{'RMSE (bins)':>13}",
        _row("FSRS-6 defaults", report.defaults),
    ]
    if report.in_use is not None:
        lines.append(_row("your parameters in use", report.in_use))
    lines.append(_row("newly fitted", report.fitted))
    lines.append("  (lower is better: log loss scores each prediction; RMSE is how far predicted recall "
                 "is from the recall you showed)")
    baseline, fitted = report.baseline, report.fitted
    if report.adopt and baseline and fitted:
        lines.append(f"Better on your later reviews (log loss {fitted.log_loss:.4f} < {baseline.log_loss:.4f}): "
                     "the parameters fitted on all your reviews will schedule from now on.")
    elif baseline and fitted:
        lines.append(f"Not adopted: the fitted parameters predict your later reviews no better than the ones "
                     f"in use (log loss {fitted.log_loss:.4f} ≥ {baseline.log_loss:.4f}). Nothing changed.")
    return lines


def _row(label: str, evaluation: Evaluation | None) -> str:
    if evaluation is None:
        return f"  {label:<26}{'—':>10}{'—':>13}"
    return f"  {label:<26}{evaluation.log_loss:>10.4f}{evaluation.rmse * 100:>12.2f}%"
