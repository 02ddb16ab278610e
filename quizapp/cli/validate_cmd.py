"""`quizapp validate [PATH…] [--summary]`: check content files; exit 0 when clean, 1 otherwise."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from quizapp.deck.library import Library, build_library, content_files, load_library
from quizapp.deck.model import KINDS, Problem
from quizapp.paths import builtin_content_dir


def content_check_problems(lib: Library) -> list[Problem]:
    """Checks that need the checker (sympy): math cloze answers parse and agree; YAML exercises
    drawn on 50 seeds."""
    from quizapp.deck.math_check import exercise_problems, math_cloze_problems

    return math_cloze_problems(lib) + exercise_problems(lib)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "validate",
        help="check topic YAML files and report every problem as FILE:LINE:COL",
        description="Check topic YAML files. Without PATHs: the built-in topics, your decks and any --content dirs. "
        "Exit status 0 when clean, 1 when there are problems.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="YAML files or directories to check")
    p.add_argument("--summary", action="store_true", help="print topics and item counts per kind")
    p.add_argument("--lint", action="store_true",
                   help="also check teaching and language (giveaway clozes, glossary terms, en/zh mismatches, …)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    extra = [Path(c) for c in (getattr(args, "content", None) or [])]
    if args.paths:
        sources = [(p, False) for p in content_files([Path(x) for x in args.paths] + extra)]
        lib = build_library(sources)
    else:
        from quizapp.deck.userdecks import user_decks_dir

        lib = load_library(extra, user_dirs=[user_decks_dir(getattr(args, "data_dir", None))])
    problems = sorted([*lib.problems, *content_check_problems(lib), *(lint_library(lib) if args.lint else [])],
                      key=lambda p: (p.file, p.line, p.col))
    for problem in problems:
        print(problem)
    if args.summary:
        print_summary(lib)
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found.")
        return 1
    if not args.summary:
        print(f"OK: {len(lib.topics)} topics, {sum(len(t.items) for t in lib.topics)} items, {len(lib.cards)} cards.")
    return 0


def lint_library(lib: Library) -> list[Problem]:
    """The linter over the loaded topics, with the built-in glossary (and the glossary's own problems)."""
    from quizapp.deck.glossary import GLOSSARY_NAME, load_glossary
    from quizapp.deck.lint import lint_topics

    terms, problems = load_glossary(builtin_content_dir() / GLOSSARY_NAME)
    return problems + lint_topics(lib.topics, terms)


def print_summary(lib: Library) -> None:
    total: Counter[str] = Counter()
    short = {"flashcard": "flash", "cloze": "cloze", "choice": "choice", "multi": "multi", "exercise": "exer"}
    header = f"{'#':>3}  {'topic':<22} {'items':>5} " + " ".join(f"{short[k]:>6}" for k in KINDS) + "  title"
    print(header)
    for topic in lib.topics:
        kinds = Counter(item.kind for item in topic.items)
        total.update(kinds)
        counts = " ".join(f"{kinds.get(k, 0):>6}" for k in KINDS)
        print(f"{topic.order:>3}  {topic.id:<22} {len(topic.items):>5} {counts}  {topic.title.en} / {topic.title.zh}")
    with_exercises = sum(1 for t in lib.topics if any(i.kind == "exercise" for i in t.items))
    print(
        f"{len(lib.topics)} topics, {sum(total.values())} items, {len(lib.cards)} cards; "
        + ", ".join(f"{k} {total.get(k, 0)}" for k in KINDS)
        + f"; exercise items in {with_exercises} topics"
    )
