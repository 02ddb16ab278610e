"""`quizapp study --plain`: a line-mode study session on stdin/stdout (scripts, screen readers,
terminals without full-screen support). Without --plain, `quizapp study` opens the full-screen app.

    quizapp study --plain [--topic T] [--limit N] [--practice] [--drill FAMILY]

Grammar (one line per answer; every output line is flushed):
- The card is printed: "[N/planned] topic · kind · state · key" (N counts this card), the
  question, and for choice/multi questions the options "a) …".
- flashcard: Enter shows the answer; then 1–4 rates it (1 Again, 2 Hard, 3 Good, 4 Easy) and
  Enter accepts Good. The next interval of each rating is printed on the rating line.
- choice / multi: the option letters ("b", "a c", "A,C").
- cloze / exercise: the typed answer. An empty line (here and for choice/multi) shows the
  answer (proposes Again).
- After a checked answer: the verdict, the answer and the proposed rating;
  Enter accepts it, 1–4 changes it.
- At any prompt: `u` undoes the last answer (and shows that card again), `s` skips the card,
  `q` quits, `?` prints this help. To type one of these letters as an answer, prefix it with
  `=` (for example `=s`).
- An invalid answer (unreadable math, a letter that is not an option) is explained and costs
  nothing: type again.
- A line "saved KEY RATING next INTERVAL" is printed only after the answer is committed to disk.
- End of input (Ctrl-D, or the end of a piped script) ends the session cleanly like `q`: the
  unrated card is not recorded, the summary is printed, exit status 0. Ctrl-C does the same but
  exits with status 130.
Exit status 2 for an unusable config file, database or an unknown --topic.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from quizapp.i18n import Bilingual

if TYPE_CHECKING:
    from quizapp.study.session import StudyCard, StudySession

COMMANDS = {"u", "s", "q", "?"}
RATING_NAMES = {
    1: Bilingual("Again", "重来"), 2: Bilingual("Hard", "困难"),
    3: Bilingual("Good", "良好"), 4: Bilingual("Easy", "简单"),
}
KIND_NAMES = {
    "flashcard": Bilingual("flashcard", "卡片"), "cloze": Bilingual("cloze", "填空"),
    "choice": Bilingual("choice", "单选"), "multi": Bilingual("multiple answers", "多选"),
    "exercise": Bilingual("exercise", "计算题"),
}
STATE_NAMES = {
    "new": Bilingual("new", "新卡"), "learning": Bilingual("learning", "学习中"),
    "review": Bilingual("review", "复习"), "relearning": Bilingual("relearning", "重学"),
}
S = {
    "help": Bilingual(
        "Flashcard: Enter shows the answer, then 1-4 rates (Enter = Good). Choice: option letters "
        "(\"a c\"). Cloze/exercise: type the answer (empty line shows it). After a check: Enter "
        "accepts the proposed rating, 1-4 changes it. u undo · s skip · q quit · ? help · "
        "=x answers a literal x.",
        "卡片：回车显示答案，然后 1-4 评分（回车 = 良好）。选择题：输入选项字母（\"a c\"）。"
        "填空/计算题：输入答案（空行显示答案）。检查之后：回车接受建议评分，1-4 修改。"
        "u 撤销 · s 跳过 · q 退出 · ? 帮助 · =x 表示答案就是 x。",
    ),
    "start": Bilingual("quizapp study: {n} cards planned. Type ? for help.",
                       "quizapp 学习：计划 {n} 张卡片。输入 ? 查看帮助。"),
    "practice": Bilingual("Practice mode: answers are recorded, schedules do not change.",
                          "练习模式：记录作答，但不改变复习计划。"),
    "nothing": Bilingual("Nothing to study right now.", "现在没有要学习的卡片。"),
    "show": Bilingual("Enter: show the answer", "回车：显示答案"),
    "answer": Bilingual("Your answer (empty line: show the answer)", "你的答案（空行：显示答案）"),
    "letters": Bilingual("Option letters", "选项字母"),
    "rate": Bilingual("Rate", "评分"),
    "enter-accepts": Bilingual("Enter = {name}", "回车 = {name}"),
    "correct": Bilingual("✓ correct", "✓ 正确"),
    "wrong": Bilingual("✗ wrong", "✗ 错误"),
    "invalid": Bilingual("? not read", "? 无法识别"),
    "interpreted": Bilingual("read as: {x}", "理解为：{x}"),
    "answer-was": Bilingual("Answer:", "答案："),
    "saved": Bilingual("saved {key} {rating} next {interval}", "saved {key} {rating} next {interval}"),
    "saved-practice": Bilingual("saved {key} {rating} (practice)", "saved {key} {rating} (practice)"),
    "leech": Bilingual("This card keeps slipping (a leech): {what}. Consider rewriting or splitting it.",
                       "这张卡片总是忘（难点卡）：{what}。可以考虑改写或拆分。"),
    "leech-suspended": Bilingual("it is suspended", "已暂停"),
    "leech-tagged": Bilingual("it is tagged", "已标记"),
    "undone": Bilingual("undone: {key}", "已撤销：{key}"),
    "nothing-to-undo": Bilingual("nothing to undo", "没有可撤销的作答"),
    "skipped": Bilingual("skipped", "已跳过"),
    "bad-rating": Bilingual("Type 1, 2, 3 or 4 (or Enter).", "请输入 1、2、3 或 4（或回车）。"),
    "summary": Bilingual(
        "Session over: {answered} answered, {correct} correct ({accuracy:.0%}), {minutes} min. "
        "Due by the end of tomorrow: {due}.",
        "本次结束：作答 {answered} 张，正确 {correct} 张（{accuracy:.0%}），用时 {minutes} 分钟。"
        "明天结束前到期：{due} 张。",
    ),
    "mistakes": Bilingual("Most frequent mistakes:", "最常见的错误："),
    "problem": Bilingual("note: {p}", "注意：{p}"),
}


class EndOfInput(Exception):
    """stdin is exhausted: end the session as if `q` was typed."""


class Quit(Exception):
    pass


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
    parser.set_defaults(func=run)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "plain", False):
        from quizapp.tui.launch import run as run_tui

        return run_tui(args)
    from quizapp.cli.context import open_context
    from quizapp.store import DatabaseError

    context = open_context(args)
    if isinstance(context, int):
        return context
    try:
        problem = study_args_problem(args, context.library)
        if problem:
            print(f"quizapp: error: {problem}", file=sys.stderr, flush=True)
            return 2
        topic, drill = getattr(args, "topic", None), getattr(args, "drill", None)
        checker = _LazyChecker()
        from quizapp.study.session import StudySession

        for stream in (sys.stdin, sys.stdout):  # stray bytes must not end a session with a traceback
            reconfigure = getattr(stream, "reconfigure", None)
            if callable(reconfigure):
                reconfigure(errors="replace")

        session = StudySession(
            context.store, context.library, context.settings, topic=topic,
            limit=getattr(args, "limit", None), practice=getattr(args, "practice", False),
            drill_family=drill, checker=checker,
        )
        try:
            PlainStudy(session, context.lang, sys.stdin, sys.stdout).run()
        finally:
            checker.close()
    except DatabaseError as exc:  # damage found mid-session: answers so far are committed
        print(f"quizapp: error: the database in {context.data_dir} cannot be read ({exc}); "
              "restore a backup (quizapp.sqlite3.bak-*)", file=sys.stderr, flush=True)
        return 2
    finally:
        context.store.close()
    return 0


def study_args_problem(args: argparse.Namespace, library: Any) -> str | None:
    """What is wrong with --topic / --drill for this content (shared with the full-screen launcher)."""
    topic = getattr(args, "topic", None)
    if topic and library.topic(topic) is None:
        return f"unknown topic {topic!r}; topics: {', '.join(t.id for t in library.topics)}"
    drill = getattr(args, "drill", None)
    if drill and not any(ref.item.family == drill for ref in library.cards):
        return f"no exercise of family {drill!r} in the content"
    if drill and topic and not any(ref.item.family == drill for ref in library.cards_of(topic)):
        return f"no exercise of family {drill!r} in topic {topic!r}"
    return None


class _LazyChecker:
    """Checks exercises in the time-limited worker process, started on the first exercise."""

    def __init__(self) -> None:
        self._worker: Any = None

    def __call__(self, instance: Any, text: str) -> Any:
        if self._worker is None:
            from quizapp.checking.worker import CheckWorker

            # Falls back to in-process checks by itself when no process can be started.
            self._worker = CheckWorker()
        return self._worker.check_instance(instance, text)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()


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

    def t(self, string_id: str, /, **fields: Any) -> str:
        return S[string_id].get(self.lang).format(**fields)

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt + ("> " if self.tty else ">\n"))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EndOfInput
        return line.rstrip("\r\n").strip()

    # ---- the loop -----------------------------------------------------------------------
    def run(self) -> None:
        session = self.session
        self.say(self.t("start", n=session.progress[1]))
        if session.practice:
            self.say(self.t("practice"))
        try:
            while (card := session.next_card()) is not None:
                self.show(card)
                try:
                    self.study(card)
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
        for problem in self.session.problems:
            self.say(self.t("problem", p=problem))
        self.print_summary()

    def show(self, card: StudyCard) -> None:
        done, planned = self.session.progress
        kind = KIND_NAMES[card.kind].get(self.lang)
        state = STATE_NAMES.get(card.state, Bilingual(card.state, card.state)).get(self.lang)
        self.say()
        self.say(f"[{done + 1}/{planned}] {card.topic.title.get(self.lang)} · {kind} · {state} · {card.key}")
        self.say(card.front(self.lang))
        for letter, text in card.options(self.lang):
            self.say(f"  {letter}) {text}")

    def command(self, line: str) -> str | None:
        """Handle u/s/q/?; returns the line to treat as input, or None when it was a command."""
        if line.startswith("="):
            return line[1:]
        low = line.lower()
        if low not in COMMANDS:
            return line
        if low == "q":
            raise Quit
        if low == "?":
            self.say(self.t("help"))
            return None
        if low == "s":
            self.session.skip()
            self.say(self.t("skipped"))
            raise _Restart
        if self.session.undo():
            assert self.session.current is not None
            self.say(self.t("undone", key=self.session.current.key))
        else:
            self.say(self.t("nothing-to-undo"))
            return None
        raise _Restart

    def study(self, card: StudyCard) -> None:
        session = self.session
        if card.kind == "flashcard":
            while self.command(self.ask(self.t("show"))) is None:
                pass
            session.reveal()
            self.say(card.back(self.lang))
        else:
            prompt = self.t("letters") if card.kind in ("choice", "multi") else self.t("answer")
            while True:
                line = self.command(self.ask(prompt))
                if line is None:
                    continue
                if not line:
                    session.reveal()
                    self.say(self.t("answer-was"))
                    self.say(card.back(self.lang))
                    break
                verdict = session.answer(line)
                if verdict.is_invalid:
                    self.say(f"{self.t('invalid')}: {verdict.feedback.get(self.lang)}")
                    continue
                head = self.t("correct") if verdict.is_correct else self.t("wrong")
                feedback = verdict.feedback.get(self.lang)
                self.say(head + (f" — {feedback}" if feedback else ""))
                if verdict.interpreted and card.kind == "exercise":
                    self.say(self.t("interpreted", x=verdict.interpreted))
                self.say(card.back(self.lang))
                break
        self.rate(card)

    def rate(self, card: StudyCard) -> None:
        from quizapp.srs.scheduler import format_interval

        session = self.session
        proposed = session.proposed_rating or 3
        intervals = session.intervals()
        buttons = "  ".join(
            f"{r} {RATING_NAMES[r].get(self.lang)}" + (f" ({format_interval(intervals[r])})" if r in intervals else "")
            for r in (1, 2, 3, 4)
        )
        prompt = f"{self.t('rate')}: {buttons}  [{self.t('enter-accepts', name=RATING_NAMES[proposed].get(self.lang))}]"
        while True:
            line = self.command(self.ask(prompt))
            if line is None:
                continue
            if line == "":
                rating = proposed
            elif line in ("1", "2", "3", "4"):
                rating = int(line)
            else:
                self.say(self.t("bad-rating"))
                continue
            break
        result = session.rate(rating)
        name = RATING_NAMES[result.rating].get("en")
        if result.practice:
            self.say(self.t("saved-practice", key=result.key, rating=name))
        else:
            self.say(self.t("saved", key=result.key, rating=name, interval=format_interval(result.interval)))
        if result.leech:
            what = self.t("leech-suspended") if result.suspended else self.t("leech-tagged")
            self.say(self.t("leech", what=what))

    def print_summary(self) -> None:
        summary = self.session.summary()
        self.say()
        self.say(self.t(
            "summary", answered=summary.answered, correct=summary.correct, accuracy=summary.accuracy,
            minutes=round(summary.seconds / 60), due=summary.due_tomorrow,
        ))
        if summary.mistakes:
            self.say(self.t("mistakes"))
            describe = _note_describer()
            for note, count in summary.mistakes[:5]:
                self.say(f"  {count} × {describe(note, self.lang)}")


class _Restart(Exception):
    """Skip/undo changed the current card: show whatever is current now."""


def _note_describer() -> Any:
    try:
        from quizapp.stats.mistakes import describe_note
    except ImportError:
        return lambda note, lang: note

    def describe(note: str, lang: str) -> str:
        try:
            text = describe_note(note)
            return text.get(lang) if hasattr(text, "get") else str(text)
        except Exception:
            return note

    return describe
