"""`quizapp` with no subcommand (and `quizapp study` without --plain): open the context (settings,
content, store) and run the full-screen QuizApp. It sits in cli/, above tui/, because it reads the
command line (custom study options included); the TUI itself never imports cli/.

Answers are committed by the session when they are rated, so quitting at any point loses
nothing. Exercise checks run in an ExerciseWorker process (sympy/numpy are imported there, never in
this process), with a hard time limit.
"""

from __future__ import annotations

import argparse
import gc

from quizapp.context import EXIT_USAGE, CommandError, open_context


def run(args: argparse.Namespace) -> int:
    # The cyclic collector's passes over what start-up builds (Textual's classes and widgets, the
    # library) cost ~40 ms of CPU before the dashboard is drawn and free next to nothing: it is
    # off until the app has drawn its first screen (QuizApp turns it back on then), and back on
    # here whatever happens.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_app(args)
    finally:
        if collecting:
            gc.enable()


def _run_app(args: argparse.Namespace) -> int:
    from quizapp.tui.app import QuizApp

    with open_context(args) as context:
        start = None
        if getattr(args, "command", None) == "study":  # `quizapp study` without --plain
            from quizapp.study.scope import scope_problem

            problem = scope_problem(context.library, args.topic, args.drill)
            if problem:
                raise CommandError(EXIT_USAGE, problem)
            start = {
                "topic": args.topic, "practice": args.practice, "drill_family": args.drill, "limit": args.limit,
            }
            from quizapp.cli.custom_study import plan_from_args, wants_plan

            if wants_plan(args):  # custom study: `quizapp study --query …`
                plan = plan_from_args(args, context)
                if isinstance(plan, str):
                    raise CommandError(EXIT_USAGE, plan)
                start["plan_keys"] = plan
        from quizapp.exercises.worker import ExerciseWorker

        # Created before the app runs: multiprocessing's helper process needs the real stderr,
        # which Textual replaces while running. The app starts it once the dashboard is drawn (the
        # child imports sympy/numpy for a second: not while the first screen is being drawn); it
        # falls back to in-process checks by itself if no process can be started.
        worker = ExerciseWorker(start=False)
        try:
            QuizApp(context, check_worker=worker, start_study=start).run()
        finally:
            worker.close()
    return 0
