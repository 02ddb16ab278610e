"""`quizapp` with no subcommand: open the context (settings, content, store) and run QuizApp.

Answers are committed by the session when they are rated, so quitting at any point loses
nothing. Exercise checks run in a CheckWorker process (sympy/numpy are imported there, never in
this process), with a hard time limit.
"""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from quizapp.cli.context import open_context
    from quizapp.tui.app import QuizApp

    context = open_context(args)
    if isinstance(context, int):  # an exit code: the error was already printed
        return context
    start = None
    if getattr(args, "command", None) == "study":  # `quizapp study` without --plain
        from quizapp.cli.study_cmd import study_args_problem

        problem = study_args_problem(args, context.library)
        if problem:
            print(f"quizapp: error: {problem}", file=sys.stderr)
            context.store.close()
            return 2
        start = {
            "topic": args.topic, "practice": args.practice, "drill_family": args.drill, "limit": args.limit,
        }
        from quizapp.cli.custom_study import plan_from_args, wants_plan

        if wants_plan(args):
            plan = plan_from_args(args, context)
            if isinstance(plan, str):
                print(f"quizapp: error: {plan}", file=sys.stderr)
                context.store.close()
                return 2
            start["plan"] = plan
    from quizapp.checking.worker import CheckWorker

    # Created before the app runs: multiprocessing's helper process needs the real stderr, which
    # Textual replaces while running. It starts in the background (the child imports sympy/numpy)
    # and falls back to in-process checks by itself if no process can be started.
    worker = CheckWorker()
    try:
        QuizApp(context, check_worker=worker, start_study=start).run()
    finally:
        worker.close()
        context.store.close()
    return 0
