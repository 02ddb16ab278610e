"""`quizapp exercise`: list the computed-exercise families, or try one instance in the terminal.

    quizapp exercise --list
    quizapp exercise receptive_field --seed 7 --lang zh --param key=value
    quizapp exercise lin-params --content my-deck/        # an exercise item of a deck, by its id

One instance is printed and answer lines are read from stdin: one answer, or one per part for a
multi-part exercise (each later part marked against your own earlier values). An unreadable
answer costs nothing: the prompt asks again. Then the verdicts, the correct answer and the
worked solution are printed. Generation of deck exercises and every check run in an ExerciseWorker
(hard time limit) unless --in-process is given. numpy and sympy load only for an instance.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import secrets
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizapp.cli.argtypes import whole_number
from quizapp.exercises.catalog import CATALOG
from quizapp.i18n import Bilingual, default_lang

if TYPE_CHECKING:
    from quizapp.checking.verdict import Verdict
    from quizapp.exercises.base import Family, Instance
    from quizapp.exercises.parts import PartAnswer

LABELS: dict[str, Bilingual] = {
    "seed": Bilingual("seed", "种子"),
    "again": Bilingual("same instance again", "再做一次同一题"),
    "answer": Bilingual("Your answer", "你的答案"),
    "correct": Bilingual("Correct", "正确"),
    "wrong": Bilingual("Not quite", "不对"),
    "invalid": Bilingual("Could not read that answer (it costs nothing)", "无法识别这个答案（不算作答错）"),
    "interpreted": Bilingual("Read as", "识别为"),
    "note": Bilingual("Mistake", "错误类型"),
    "expected": Bilingual("Correct answer", "正确答案"),
    "solution": Bilingual("Worked solution", "解题过程"),
    "no_answer": Bilingual("No answer given.", "没有输入答案。"),
    "unavailable": Bilingual("(not available yet)", "（暂不可用）"),
    "part": Bilingual("Part", "第"),
    "parts": Bilingual("Parts correct", "答对的小题"),
    "rating": Bilingual("Proposed rating (the weakest part)", "建议评分（按最弱的一小题）"),
}
RATINGS = {1: Bilingual("Again", "重来"), 3: Bilingual("Good", "良好")}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "exercise",
        help="try one computed exercise: print it, read your answer, check it, show the solution",
        description="Print one randomized instance of an exercise family (or of a deck's exercise item, "
        "by its id), read your answer from stdin (one line per part for a multi-part exercise; an "
        "unreadable answer is asked again), then print the verdicts, the correct answer and the "
        "worked solution. `--list` shows the families.",
    )
    p.add_argument("family", nargs="?", metavar="FAMILY|ID",
                   help="exercise family name (see --list), or the id of an exercise item in a deck (--content DIR)")
    p.add_argument("--list", action="store_true", help="list the exercise families and exit")
    p.add_argument("--seed", type=_seed, default=None, help="seed of the instance (default: random; printed)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="family parameter, as in a YAML exercise item (repeatable)")
    p.add_argument("--in-process", action="store_true",
                   help="check in this process, without the worker's 2 s time limit")
    p.set_defaults(func=run)


@dataclass(frozen=True)
class Target:
    """What `quizapp exercise NAME` runs: a family (with params) or a deck's exercise item."""

    name: str
    title: Bilingual
    topic: str
    params: dict[str, Any]
    family: Family | None = None
    item: Any = None  # a quizapp.deck.Item with a YAML exercise
    again: str = ""  # extra arguments that reproduce the instance (params, --content)


def run(args: argparse.Namespace) -> int:
    lang = _language(args)
    if getattr(args, "list", False):
        return _list(lang)
    name = getattr(args, "family", None)
    if not name:
        print("quizapp exercise: give a FAMILY name or an exercise item ID, or --list to see the families.", file=sys.stderr)
        return 2
    target = _target(name, args)
    if isinstance(target, int):
        return target
    seed = args.seed if getattr(args, "seed", None) is not None else secrets.randbelow(2**31)
    worker = None if getattr(args, "in_process", False) else _start_worker()
    try:
        instance = _generate(target, seed, worker)
        if isinstance(instance, str):
            print(f"quizapp exercise: cannot generate {name} with seed {seed}: {instance}", file=sys.stderr)
            return 1
        _print_instance(target, instance, lang)
        if instance.parts:
            _ask_parts(worker, instance, target, lang)
        else:
            verdict = _ask(worker, instance, None, lang)
            if verdict is not None:
                _print_verdict(verdict, target, lang)
        print(f"{_label('expected', lang)}{instance.shown_answer}")
        print()
        print(_label("solution", lang).rstrip())
        from quizapp.exercises.figures import worked_solution

        print(worked_solution(instance, lang))
    finally:
        if worker is not None:
            worker.close()
    return 0


def _target(name: str, args: argparse.Namespace) -> Target | int:
    if name in CATALOG:
        try:
            params = parse_params(name, getattr(args, "param", None) or [])
        except ValueError as exc:
            print(f"quizapp exercise: {exc}", file=sys.stderr)
            return 2
        family = _load(name)
        if family is None:
            print(f"quizapp exercise: the family {name!r} is not available in this build.", file=sys.stderr)
            return 2
        again = "".join(f" --param {k}={_text(v)}" for k, v in params.items())
        return Target(name, family.title, family.topic, params, family=family, again=again)
    return _item_target(name, args)


def _item_target(name: str, args: argparse.Namespace) -> Target | int:
    from quizapp.deck import load_library

    content = [str(c) for c in (getattr(args, "content", None) or [])]
    library = load_library(content)
    item = library.items.get(name)
    if item is None or item.kind != "exercise":
        ids = [i.id for i in library.items.values() if i.kind == "exercise"]
        close = difflib.get_close_matches(name, [*CATALOG, *ids], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        problems = [str(p) for p in library.problems if name in str(p) or p.file in content]
        more = "".join(f"\n  {p}" for p in problems[:5])
        print(f"quizapp exercise: unknown exercise family {name!r} (and no exercise item has that id).{hint} "
              f"Run `quizapp exercise --list` to see the families.{more}", file=sys.stderr)
        return 2
    topic = item.topic_id
    extra = "".join(f" --content {c}" for c in content)
    if item.exercise is None:
        family = _load(item.family or "")
        if family is None:
            print(f"quizapp exercise: the family {item.family!r} is not available in this build.", file=sys.stderr)
            return 2
        return Target(name, family.title, topic, dict(item.params), family=family, again=extra)
    return Target(name, Bilingual(name, name), topic, {}, item=item, again=extra)


def _generate(target: Target, seed: int, worker: Any) -> Instance | str:
    """The instance, or why it could not be generated."""
    try:
        if target.item is None:
            assert target.family is not None
            return target.family.generate(seed, **target.params)
        if worker is not None:
            from quizapp.checking.verdict import Verdict

            made = worker.generate_item(target.item, seed)
            if isinstance(made, Verdict):
                return made.feedback.en or "the exercise took too long to generate"
            return made
        from quizapp.exercises import generate_item

        return generate_item(target.item, seed)
    except (ValueError, RuntimeError) as exc:  # GenerationError, WorkerError
        return str(exc)


_seed = whole_number(
    0, None, not_number="the seed must be a whole number, not {text!r}", out_of_range="the seed must not be negative"
)


def parse_params(name: str, pairs: list[str]) -> dict[str, Any]:
    """KEY=VALUE strings -> the catalog's typed values (true/false -> bool, and so on)."""
    allowed = CATALOG[name].params
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key:
            raise ValueError(f"--param needs KEY=VALUE, got {pair!r}")
        if key not in allowed:
            names = ", ".join(allowed) or "none"
            raise ValueError(f"unknown parameter {key!r} for {name} (allowed: {names})")
        by_text = {_text(v): v for v in allowed[key]}
        if raw.lower() not in by_text:
            raise ValueError(f"{key} must be one of {', '.join(by_text)}, not {raw!r}")
        out[key] = by_text[raw.lower()]
    return out


def _text(value: object) -> str:
    return str(value).lower()


def _language(args: argparse.Namespace) -> str:
    lang = getattr(args, "lang", None)
    if lang in ("en", "zh"):
        return lang
    try:
        from quizapp.config import load_settings
        from quizapp.paths import config_file

        return load_settings(config_file(getattr(args, "config", None))).language
    except Exception:  # a broken config must not stop a practice question
        return default_lang()


def _load(name: str) -> Family | None:
    """One family from its module, so a missing sibling module does not hide the others."""
    module_name = f"quizapp.exercises.families.{CATALOG[name].module}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    return next((f for f in module.FAMILIES if f.name == name), None)


def _list(lang: str) -> int:
    rows = []
    for name, entry in CATALOG.items():
        family = _load(name)
        title = family.title.get(lang) if family is not None else LABELS["unavailable"].get(lang)
        rows.append((name, entry.topic, title))
    width_name = max(len(r[0]) for r in rows)
    width_topic = max(len(r[1]) for r in rows)
    for name, topic, title in rows:
        print(f"{name:<{width_name}}  {topic:<{width_topic}}  {title}")
    return 0


def _print_instance(target: Target, instance: Instance, lang: str) -> None:
    print(f"{target.title.get(lang)} · {target.topic} · {LABELS['seed'].get(lang)} {instance.seed}")
    print(f"({_label('again', lang)}quizapp exercise {target.name} --seed {instance.seed}{target.again})")
    print()
    print(instance.prompt(lang))


def _prompt_line(hint: str, lang: str, heading: str = "") -> None:
    print()
    if heading:
        print(heading)
    print(LABELS["answer"].get(lang) + f" — {hint}" + ("：" if lang == "zh" else ":"))
    if sys.stdin.isatty():
        print("> ", end="", flush=True)
    else:
        sys.stdout.flush()


def _ask(worker: Any, instance: Instance, part: int | None, lang: str, earlier: dict[str, Any] | None = None) -> Any:
    """Read answers until one is readable (an unreadable one costs nothing): its Verdict, or its
    PartAnswer for a part; None at the end of input."""
    target = instance.parts[part] if part is not None else instance
    heading = ""
    if part is not None:
        heading = f"{LABELS['part'].get(lang)} {part + 1}/{len(instance.parts)}" + (" 题" if lang == "zh" else "")
        heading += f": {target.prompt(lang)}" if lang != "zh" else f"：{target.prompt(lang)}"
    _prompt_line(target.answer_hint.get(lang), lang, heading)
    while True:
        line = sys.stdin.readline()
        if not line:
            print()
            print(LABELS["no_answer"].get(lang))
            return None
        if part is None:
            verdict = _check(worker, instance, line.strip())
            result: Any = verdict
        else:
            result = _check_part(worker, instance, part, line.strip(), earlier or {})
            verdict = result.verdict
        if not verdict.is_invalid:
            return result
        _print_verdict(verdict, None, lang)
        _prompt_line(target.answer_hint.get(lang), lang)


def _ask_parts(worker: Any, instance: Instance, target: Target, lang: str) -> None:
    from quizapp.exercises.parts import proposed_rating

    earlier: dict[str, Any] = {}
    answers = []
    for index, part in enumerate(instance.parts):
        answer = _ask(worker, instance, index, lang, earlier)
        if answer is None:
            break
        answers.append(answer)
        if answer.value is not None:
            earlier[part.id] = answer.value
        _print_verdict(answer.verdict, target, lang)
        if not answer.is_correct:
            print(f"{_label('expected', lang)}{part.shown_answer}")
    correct = sum(1 for a in answers if a.is_correct)
    print()
    print(f"{_label('parts', lang)}{correct}/{len(instance.parts)}")
    rating = proposed_rating(answers, len(instance.parts))
    print(f"{_label('rating', lang)}{rating} {RATINGS[rating].get(lang)}")


def _start_worker() -> Any:
    try:
        from quizapp.exercises.worker import ExerciseWorker

        return ExerciseWorker()  # starts in the background while the learner reads the prompt
    except Exception:
        return None


def _check(worker: Any, instance: Instance, text: str) -> Verdict:
    if worker is not None:
        try:
            return worker.check_instance(instance, text)
        except Exception:  # the worker could not start: check here instead
            pass
    return instance.check(text)


def _check_part(worker: Any, instance: Instance, index: int, text: str, earlier: dict[str, Any]) -> PartAnswer:
    if worker is not None:
        try:
            return worker.check_part(instance, index, text, earlier)
        except Exception:  # the worker could not start: check here instead
            pass
    return instance.check_part(index, text, earlier)


def _label(key: str, lang: str) -> str:
    """'Label: ' in English, '标签：' in Chinese."""
    return LABELS[key].get(lang) + ("：" if lang == "zh" else ": ")


def _print_verdict(verdict: Verdict, target: Target | None, lang: str) -> None:
    print()
    print({"correct": "✔ ", "wrong": "✘ ", "invalid": "? "}[verdict.status] + LABELS[verdict.status].get(lang))
    if verdict.interpreted:
        print(f"{_label('interpreted', lang)}{verdict.interpreted}")
    feedback = verdict.feedback.get(lang)
    if feedback:
        print(feedback)
    if verdict.status == "wrong" and verdict.note and verdict.note != "generic.wrong":
        from quizapp.checking.notes import describe_note

        family = target.family if target is not None else None
        described = (family.mistake_notes.get(verdict.note) if family else None) or describe_note(verdict.note)
        words = f"{described.get(lang)} " if described else ""
        print(f"{_label('note', lang)}{words}[{verdict.note}]")
