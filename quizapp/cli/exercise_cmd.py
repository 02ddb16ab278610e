"""`quizapp exercise`: list the computed-exercise families, or try one instance in the terminal.

    quizapp exercise --list
    quizapp exercise receptive_field --seed 7 --lang zh --param key=value

One instance is printed, ONE answer line is read from stdin, and the verdict, the correct answer
and the worked solution are printed. Checks run in a CheckWorker (hard time limit) unless
--in-process is given. numpy and sympy load only when an instance is generated.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import secrets
import sys
from typing import TYPE_CHECKING, Any

from quizapp.exercises.catalog import CATALOG
from quizapp.i18n import Bilingual, default_lang

if TYPE_CHECKING:
    from quizapp.checking.verdict import Verdict
    from quizapp.exercises.base import Family, Instance

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
}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "exercise",
        help="try one computed exercise: print it, read your answer, check it, show the solution",
        description="Print one randomized instance of an exercise family, read one answer line from "
        "stdin, then print the verdict, the correct answer and the worked solution. "
        "`--list` shows the families.",
    )
    p.add_argument("family", nargs="?", metavar="FAMILY", help="exercise family name (see --list)")
    p.add_argument("--list", action="store_true", help="list the exercise families and exit")
    p.add_argument("--seed", type=_seed, default=None, help="seed of the instance (default: random; printed)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="family parameter, as in a YAML exercise item (repeatable)")
    p.add_argument("--in-process", action="store_true",
                   help="check in this process, without the worker's 2 s time limit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = _language(args)
    if getattr(args, "list", False):
        return _list(lang)
    name = getattr(args, "family", None)
    if not name:
        print("quizapp exercise: give a FAMILY name, or --list to see them.", file=sys.stderr)
        return 2
    if name not in CATALOG:
        close = difflib.get_close_matches(name, list(CATALOG), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        print(f"quizapp exercise: unknown exercise family {name!r}.{hint} "
              "Run `quizapp exercise --list` to see them.", file=sys.stderr)
        return 2
    try:
        params = parse_params(name, getattr(args, "param", None) or [])
    except ValueError as exc:
        print(f"quizapp exercise: {exc}", file=sys.stderr)
        return 2
    family = _load(name)
    if family is None:
        print(f"quizapp exercise: the family {name!r} is not available in this build.", file=sys.stderr)
        return 2
    seed = args.seed if getattr(args, "seed", None) is not None else secrets.randbelow(2**31)
    try:
        instance = family.generate(seed, **params)
    except (ValueError, RuntimeError) as exc:  # GenerationError is a RuntimeError
        print(f"quizapp exercise: cannot generate {name} with seed {seed}: {exc}", file=sys.stderr)
        return 1
    worker = None if getattr(args, "in_process", False) else _start_worker()
    try:
        _print_instance(family, instance, params, lang)
        line = sys.stdin.readline()
        if not line:
            print()
            print(LABELS["no_answer"].get(lang))
        else:
            verdict = _check(worker, instance, line.strip())
            _print_verdict(verdict, family, lang)
        print(f"{_label('expected', lang)}{instance.answer_text}")
        print()
        print(_label("solution", lang).rstrip())
        from quizapp.exercises.figures import worked_solution

        print(worked_solution(instance, lang))
    finally:
        if worker is not None:
            worker.close()
    return 0


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the seed must be a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the seed must not be negative")
    return value


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


def _print_instance(family: Family, instance: Instance, params: dict[str, Any], lang: str) -> None:
    extra = "".join(f" --param {k}={_text(v)}" for k, v in params.items())
    print(f"{family.title.get(lang)} · {family.topic} · {LABELS['seed'].get(lang)} {instance.seed}")
    print(f"({_label('again', lang)}quizapp exercise {family.name} --seed {instance.seed}{extra})")
    print()
    print(instance.prompt(lang))
    print()
    hint = f" — {instance.answer_hint.get(lang)}" + ("：" if lang == "zh" else ":")
    print(LABELS["answer"].get(lang) + hint)
    if sys.stdin.isatty():
        print("> ", end="", flush=True)
    else:
        sys.stdout.flush()


def _start_worker() -> Any:
    try:
        from quizapp.checking.worker import CheckWorker

        return CheckWorker()  # starts in the background while the learner reads the prompt
    except Exception:
        return None


def _check(worker: Any, instance: Instance, text: str) -> Verdict:
    if worker is not None:
        try:
            return worker.check_instance(instance, text)
        except Exception:  # the worker could not start: check here instead
            pass
    return instance.check(text)


def _label(key: str, lang: str) -> str:
    """'Label: ' in English, '标签：' in Chinese."""
    return LABELS[key].get(lang) + ("：" if lang == "zh" else ": ")


def _print_verdict(verdict: Verdict, family: Family, lang: str) -> None:
    print()
    print({"correct": "✔ ", "wrong": "✘ ", "invalid": "? "}[verdict.status] + LABELS[verdict.status].get(lang))
    if verdict.interpreted:
        print(f"{_label('interpreted', lang)}{verdict.interpreted}")
    feedback = verdict.feedback.get(lang)
    if feedback:
        print(feedback)
    if verdict.status == "wrong" and verdict.note and verdict.note != "generic.wrong":
        from quizapp.checking.notes import describe_note

        described = family.mistake_notes.get(verdict.note) or describe_note(verdict.note)
        words = f"{described.get(lang)} " if described else ""
        print(f"{_label('note', lang)}{words}[{verdict.note}]")
