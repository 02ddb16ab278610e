"""`quizapp validate [PATH…] [--summary]`: check content files; exit 0 when clean, 1 otherwise."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from quizapp.deck.library import Library, content_files, load_library
from quizapp.deck.model import KINDS, Item, Problem, Topic
from quizapp.paths import builtin_content_dir
from quizapp.safeio import check_regular

EXIT_USAGE = 2


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
        "Exit status 0 when clean, 1 when there are problems, 2 when a PATH cannot be read at all.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="YAML files or directories to check")
    p.add_argument("--summary", action="store_true", help="print topics and item counts per kind")
    p.add_argument("--lint", action="store_true",
                   help="also check teaching and language (giveaway clozes, glossary terms, en/zh mismatches, …)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """PATHs are checked exactly as the app would load them with --content (beside the built-in
    topics), so `validate PATH` and `--content PATH validate` give one answer about id clashes."""
    from quizapp.deck.userdecks import user_decks_dir

    extra = [Path(c) for c in (getattr(args, "content", None) or [])]
    user = [user_decks_dir(getattr(args, "data_dir", None))]
    lib = load_library([Path(x) for x in args.paths] + extra, user_dirs=user)
    topics, checked, problems = lib.topics, lib, lib.problems
    named: set[Path] = set()
    if args.paths:  # report on the files named, not on the built-ins and decks they were checked beside
        given = [Path(x) for x in args.paths]
        named = {p.resolve() for p in [*given, *content_files(given)]}
        topics = [t for t in lib.topics if t.source is not None and t.source.resolve() in named]
        checked = Library(topics=topics)
        problems = [p for p in lib.problems if Path(p.file).resolve() in named]
    problems = sorted([*problems, *content_check_problems(checked), *(lint_library(checked) if args.lint else [])],
                      key=lambda p: (p.file, p.line, p.col))
    for problem in problems:
        print(problem)
    if args.summary:
        print_summary(lib, topics)
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found.")
        # A path that cannot be read at all is a usage error (2), not a problem in a deck (1).
        return EXIT_USAGE if any(_unreadable(Path(p)) for p in [*args.paths, *extra]) else 1
    if not args.summary:
        mine = [c for c in lib.cards if not args.paths or _source(c.item, c.topic) in named]
        items = len({c.item.id for c in mine})
        print(f"OK: {len(topics)} topics, {items} items, {len(mine)} cards.")
    return 0


def _source(item: Item, topic: Topic) -> Path | None:
    """The file an item comes from (an override of a built-in item: the user's file)."""
    source = item.source or topic.source
    return source.resolve() if source is not None else None


def _unreadable(path: Path) -> bool:
    """Whether a path named on the command line is neither a listable folder nor a regular file."""
    try:
        if path.is_dir():
            next(iter(path.iterdir()), None)
        else:
            check_regular(path)
    except OSError:  # UnsafeFile included
        return True
    return False


def lint_library(lib: Library) -> list[Problem]:
    """The linter over the loaded topics, with the built-in glossary (and the glossary's own problems)."""
    from quizapp.deck.glossary import GLOSSARY_NAME, load_glossary
    from quizapp.deck.lint import lint_topics

    terms, problems = load_glossary(builtin_content_dir() / GLOSSARY_NAME)
    return problems + lint_topics(lib.topics, terms)


def print_summary(lib: Library, topics: list[Topic]) -> None:
    total: Counter[str] = Counter()
    short = {"flashcard": "flash", "cloze": "cloze", "choice": "choice", "multi": "multi", "exercise": "exer"}
    header = f"{'#':>3}  {'topic':<22} {'items':>5} " + " ".join(f"{short[k]:>6}" for k in KINDS) + "  title"
    print(header)
    for topic in topics:
        kinds = Counter(item.kind for item in topic.items)
        total.update(kinds)
        counts = " ".join(f"{kinds.get(k, 0):>6}" for k in KINDS)
        print(f"{topic.order:>3}  {topic.id:<22} {len(topic.items):>5} {counts}  {topic.title.en} / {topic.title.zh}")
    with_exercises = sum(1 for t in topics if any(i.kind == "exercise" for i in t.items))
    cards = sum(1 for c in lib.cards if c.topic in topics)
    print(
        f"{len(topics)} topics, {sum(total.values())} items, {cards} cards; "
        + ", ".join(f"{k} {total.get(k, 0)}" for k in KINDS)
        + f"; exercise items in {with_exercises} topics"
    )
