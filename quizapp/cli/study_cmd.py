"""`quizapp study --plain`: a line-mode study session on stdin/stdout (scripts, screen readers,
terminals without full-screen support). Without --plain, `quizapp study` opens the full-screen app.

    quizapp study --plain [--topic T] [--limit N] [--practice] [--drill FAMILY]
                          [--query Q] [--ahead DAYS] [--forgotten DAYS]   (custom study: cli/custom_study.py)

Grammar (one line per answer; every output line is flushed):
- The card is printed: "[N new · N learning · N review] topic · kind · state · key" (what is left
  in the session, this card included), the question, and for choice questions the options
  "a) …" in this review's order.
- flashcard: Enter shows the answer; then 1–4 rates it (1 Again, 2 Hard, 3 Good, 4 Easy) and
  Enter accepts Good. The next interval of each rating is printed on the rating line.
- choice / multi: the option letters ("b", "a c", "A,C").
- cloze / exercise: the typed answer. An empty line (here and for choice/multi) shows the
  answer (proposes Again: a revealed answer counts as not known).
- After a checked answer: the verdict, the answer and the proposed rating; Enter accepts it,
  1–4 changes it. A checked answer is recorded: `s` and `u` wait until it is rated, and `q`
  records it with the proposed rating before ending.
- Practice and drills change no schedule: a checked answer only asks for Enter; a flashcard asks
  1 (forgot) or Enter (knew it).
- At any prompt: `u` undoes the last answer (and shows that card again), `s` skips the card,
  `q` quits, `?` prints this help. To type one of these letters as an answer, prefix it with
  `=` (for example `=s`).
- An invalid answer (unreadable math, a letter that is not an option) is explained and costs
  nothing: type again.
- A line "saved KEY RATING next INTERVAL" is printed only after the answer is committed to disk.
- End of input (Ctrl-D, or the end of a piped script) ends the session like `q`, exit status 0.
  Ctrl-C does the same but exits with status 130.
Exit status 2 for an unusable config file, database or an unknown --topic.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from quizapp import strings
from quizapp.cli.argtypes import whole_number
from quizapp.context import EXIT_USAGE, CommandError, open_context

if TYPE_CHECKING:
    from quizapp.study.session import Current, StudySession

COMMANDS = {"u", "s", "q", "?", "@", "-", "*"}


class EndOfInput(Exception):
    """stdin is exhausted: end the session as if `q` was typed."""


class Quit(Exception):
    pass


class _Restart(Exception):
    """Skip/undo changed the current card: show whatever is current now."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "study",
        help="study due and new cards (--plain: line mode on stdin/stdout)",
        description="Study today's cards. --plain runs a line-mode session for scripts, screen "
        "readers and simple terminals; type ? during the session for its commands.",
    )
    parser.add_argument("--plain", action="store_true", help="line mode on stdin/stdout instead of the full-screen app")
    parser.add_argument("--topic", metavar="T", help="only this topic (its id, e.g. receptive-field)")
    parser.add_argument("--limit", metavar="N", type=_positive_int, help="stop after N answers")
    parser.add_argument("--practice", action="store_true",
                        help="practice (cram): record attempts without changing any schedule")
    parser.add_argument("--drill", metavar="FAMILY",
                        help="practice fresh instances of one exercise family (see `quizapp exercise --list`)")
    from quizapp.cli.custom_study import add_query_options

    add_query_options(parser)
    parser.set_defaults(func=run)


_positive_int = whole_number(1, None, not_number="not a whole number: {text!r}", out_of_range="must be at least 1")


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "plain", False):
        from quizapp.cli.launch import run as run_tui

        return run_tui(args)
    from quizapp.exercises.worker import ExerciseWorker
    from quizapp.study.checker import LazyChecker
    from quizapp.study.scope import scope_problem
    from quizapp.study.session import StudySession

    with open_context(args) as context:
        topic, drill = getattr(args, "topic", None), getattr(args, "drill", None)
        problem = scope_problem(context.library, topic, drill)
        if problem:
            raise CommandError(EXIT_USAGE, problem)
        from quizapp.cli.custom_study import plan_from_args, wants_plan

        plan = plan_from_args(args, context) if wants_plan(args) else None
        if isinstance(plan, str):
            raise CommandError(EXIT_USAGE, plan)
        for stream in (sys.stdin, sys.stdout):  # stray bytes must not end a session with a traceback
            reconfigure = getattr(stream, "reconfigure", None)
            if callable(reconfigure):
                reconfigure(errors="replace")
        # Started on the first exercise; falls back to in-process checks if no process can start.
        checker = LazyChecker(ExerciseWorker)
        try:
            session = StudySession(
                context.store, context.library, context.settings, topic=topic,
                limit=getattr(args, "limit", None), practice=getattr(args, "practice", False),
                drill_family=drill, checker=checker, plan_keys=plan,
            )
            PlainStudy(session, context.lang, sys.stdin, sys.stdout).run()
        finally:  # a database failure mid-session is reported by cli/main.py; answers so far are committed
            checker.close()
    return 0


class PlainStudy:
    def __init__(self, session: StudySession, lang: str, stdin: TextIO, stdout: TextIO) -> None:
        self.session = session
        self.lang = lang
        self.stdin = stdin
        self.stdout = stdout
        self.tty = stdin.isatty() if hasattr(stdin, "isatty") else False

    # ---- io -----------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def t(self, key: str, /, **fields: Any) -> str:
        return strings.text(key, self.lang, **fields)

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt + ("> " if self.tty else ">\n"))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EndOfInput
        return line.rstrip("\r\n").strip()

    # ---- the loop -----------------------------------------------------------------------
    def run(self) -> None:
        from quizapp.cli.plain_card import show_card

        session = self.session
        left = session.remaining()
        self.say(self.t("plain.start", n=left.new + left.learning + left.review))
        if session.practice:
            self.say(self.t("plain.practice"))
        try:
            while (current := session.next_card()) is not None:
                show_card(self, current)
                try:
                    self.study(current)
                except _Restart:
                    continue
        except (EndOfInput, Quit):
            pass
        except KeyboardInterrupt:  # Ctrl-C: like q (answers so far are on disk), then exit 130
            self.say()
            self.finish()
            raise
        self.finish()

    def finish(self) -> None:
        current = self.session.current
        if current is not None and current.must_rate:
            self.report(self.session.rate())  # a checked answer is data: recorded, then ended
        summary = self.session.end()
        for problem in self.session.problems:
            self.say(self.t("plain.problem", p=problem))
        from quizapp.cli.plain_card import print_summary

        print_summary(self, summary)

    def command(self, line: str) -> str | None:
        """Handle u/s/q/?/@/-/*; returns the line to treat as input, or None when it was a command."""
        from quizapp.study.session import StudyError

        if line.startswith("="):
            return line[1:]
        low = line.lower()
        if low not in COMMANDS:
            return line
        if low == "q":
            raise Quit
        if low == "?":
            self.say(self.t("plain.help"))
            return None
        if low == "*":
            self.say(self.t("study.flagged" if self.session.toggle_flag() else "study.unflagged"))
            return None
        try:
            if low in ("@", "-"):
                self.session.set_aside("suspend" if low == "@" else "bury")
                self.say(self.t("study.suspend" if low == "@" else "study.bury"))
                raise _Restart
            if low == "s":
                self.session.skip()
                self.say(self.t("study.skipped"))
                raise _Restart
            undone = self.session.undo()
        except StudyError:
            self.say(self.t("plain.rate-first"))
            return None
        if not undone:
            self.say(self.t("study.nothing-to-undo"))
            return None
        assert self.session.current is not None
        self.say(self.t("plain.undone", key=self.session.current.key))
        raise _Restart

    def study(self, current: Current) -> None:
        from quizapp.cli.plain_card import part_heading, show_answer
        from quizapp.study.cards import Choice, Flashcard

        session = self.session
        if isinstance(current.view, Flashcard):
            while self.command(self.ask(self.t("plain.show"))) is None:
                pass
            session.reveal()
        else:
            prompt = self.t("plain.letters") if isinstance(current.view, Choice) else self.t("plain.answer")
            while current.phase == "question":
                part = current.part
                if part is not None:  # a multi-part exercise: each part asked on its own
                    self.say(part_heading(self, current, part))
                line = self.command(self.ask(prompt))
                if line is None:
                    continue
                if not line:
                    session.reveal()
                    break
                verdict = session.answer(line)
                if verdict.is_invalid:
                    self.say(f"{self.t('plain.invalid')}: {verdict.feedback.get(self.lang)}")
                elif part is not None:
                    mark = self.t("plain.correct") if verdict.is_correct else self.t("plain.wrong")
                    feedback = verdict.feedback.get(self.lang)
                    self.say(mark + (f" — {feedback}" if feedback and not verdict.is_correct else ""))
        show_answer(self, current)
        self.rate(current)

    def rate(self, current: Current) -> None:
        from quizapp.cli.plain_card import rating_prompt

        prompt, allowed = rating_prompt(self, current)
        while True:
            line = self.command(self.ask(prompt))
            if line is None:
                continue
            if line == "":
                rating = None
            elif line in allowed:
                rating = int(line)
            else:
                self.say(self.t("plain.bad-rating", keys=", ".join(allowed)) if allowed else self.t("plain.enter-only"))
                continue
            break
        self.report(self.session.rate(rating))

    def report(self, result: Any) -> None:
        name = strings.text(f"rating.{result.rating}", "en")
        if result.practice:
            self.say(self.t("plain.saved-practice", key=result.key, rating=name))
        else:
            interval = strings.interval_text(result.interval, "en")
            self.say(self.t("plain.saved", key=result.key, rating=name, interval=interval))
        if result.leech:
            what = self.t("plain.leech-suspended") if result.suspended else self.t("plain.leech-tagged")
            self.say(self.t("plain.leech", what=what))
