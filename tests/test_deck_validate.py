"""The content validator: one fixture per error, each asserting FILE:LINE:COL and the field path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizapp.deck.library import build_library, load_library
from quizapp.deck.loader import parse_topic_file

GOOD = """\
id: demo
order: 1
title: {en: Demo, zh: 演示}
items:
  - id: demo-card
    kind: flashcard
    front: {en: Front, zh: 正面}
    back: {en: Back, zh: 背面}
"""


def write(tmp_path: Path, text: str, name: str = "topic.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def item(*lines: str) -> str:
    """A topic with one item `a` of these lines (its kind and fields)."""
    return "id: t\ntitle: {en: T, zh: T}\nitems:\n  - id: a\n" + "".join(f"    {line}\n" for line in lines)


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in build_library([(path, False)]).problems]


def test_good_file_has_no_problems(tmp_path: Path) -> None:
    topic, problems = parse_topic_file(write(tmp_path, GOOD))
    assert problems == []
    assert topic is not None and [i.id for i in topic.items] == ["demo-card"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (item("kind: flashcrd"),  # unknown kind, with a suggestion
         ":5:11: items[0].kind: unknown kind 'flashcrd'; expected one of flashcard, cloze, choice, multi, exercise (did you mean 'flashcard'?)"),
        (item("kind: flashcard", "front: {en: F, zh: F}", "back: {en: B, zh: B}", "revers: true"),  # unknown key (a typo must not pass silently)
         ":8:5: items[0].revers: unknown field 'revers' (did you mean 'reverse'?)"),
        (item("kind: flashcard", "front: {en: F}", "back: {en: B, zh: B}"),  # missing zh
         ":6:12: items[0].front: missing 'zh'"),
        (  # missing en
            """\
            id: t
            title: {zh: T}
            items:
              - {id: a, kind: flashcard, front: {en: F, zh: F}, back: {en: B, zh: B}}
            """,
            ":2:8: title: missing 'en'",
        ),
        (item("kind: flashcard", "front: just English", "back: {en: B, zh: B}"),  # a plain string where both languages are needed
         ":6:12: items[0].front: must have both languages: {en: ..., zh: ...}"),
        (  # duplicate id within a file
            """\
            id: t
            title: {en: T, zh: T}
            items:
              - {id: a, kind: flashcard, front: {en: F, zh: F}, back: {en: B, zh: B}}
              - {id: a, kind: flashcard, front: {en: F, zh: F}, back: {en: B, zh: B}}
            """,
            ":5:10: items[1].id: duplicate id 'a' (first defined at ",
        ),
        (item("kind: cloze", "text: {en: no blanks here, zh: 没有空}"),  # cloze without deletions
         ":6:11: items[0].text: a cloze needs at least one deletion like {{c1::answer}}"),
        (item("kind: cloze", 'text: {en: "{{c1::x}} and {{c2::y}}", zh: "{{c1::x}}"}'),  # cloze deletions differ between languages
         ":6:11: items[0].text: en and zh must use the same deletions (en: [1, 2], zh: [1])"),
        (item("kind: choice", "question: {en: Q, zh: Q}", "options:", "  - {text: {en: A, zh: A}, correct: true, why: {en: W, zh: W}}", "  - {text: {en: B, zh: B}, correct: true, why: {en: W, zh: W}}"),  # choice with two correct options
         ":8:7: items[0].options: a choice needs exactly one correct option, found 2"),
        (item("kind: choice", "question: {en: Q, zh: Q}", "options:", "  - {text: {en: A, zh: A}, why: {en: W, zh: W}}", "  - {text: {en: B, zh: B}, why: {en: W, zh: W}}"),  # choice with no correct option
         ":8:7: items[0].options: a choice needs exactly one correct option, found 0"),
        (item("kind: multi", "question: {en: Q, zh: Q}", "options:", "  - {text: {en: A, zh: A}, why: {en: W, zh: W}}", "  - {text: {en: B, zh: B}, why: {en: W, zh: W}}"),  # multi without a correct option
         ":8:7: items[0].options: a multi needs at least one correct option"),
        (item("kind: choice", "question: {en: Q, zh: Q}", "options:", "  - {text: {en: A, zh: A}, correct: true}", "  - {text: {en: B, zh: B}, why: {en: W, zh: W}}"),  # an option without its explanation
         ":8:9: items[0].options[0]: missing required field 'why'"),
        (item("kind: exercise", "family: receptive_fields"),  # unknown exercise family
         ":6:13: items[0].family: unknown exercise family 'receptive_fields' (did you mean 'receptive_field'?)"),
        (item("kind: exercise", "family: ema", "params: {correctd: true}"),  # an exercise parameter the family does not take
         ":7:14: items[0].params.correctd: unknown parameter 'correctd' for ema (allowed: corrected, parts)"),
        (item("kind: flashcard", "front: {en: F, zh: F}"),  # missing required item field
         ":4:5: items[0]: missing required field 'back'"),
        (  # duplicate mapping key (YAML keeps the last silently)
            """\
            id: t
            title: {en: T, zh: T}
            title: {en: U, zh: U}
            items:
              - {id: a, kind: flashcard, front: {en: F, zh: F}, back: {en: B, zh: B}}
            """,
            ":3:1: title: duplicate key 'title'",
        ),
    ],
)
def test_each_error_is_reported_with_position_and_path(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, body)
    found = problems_of(path)
    assert any(p.startswith(str(path) + expected) or (str(path) + expected) in p for p in found), found


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        id: t
        title: {en: T}
        items:
          - {id: a, kind: nope}
          - {id: b, kind: flashcard, front: {en: F, zh: F}, back: {en: B}}
          - {id: c, kind: exercise, family: nonsense}
        """,
    )
    found = problems_of(path)
    assert len(found) == 4, found
    assert [p.split(":")[1] for p in found] == ["2", "4", "5", "6"]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, GOOD.replace("id: demo\n", "id: other\n"), "b.yaml")
    lib = build_library([(first, False), (second, False)])
    assert [str(p) for p in lib.problems] == [
        f"{second}:5:9: items[0].id: duplicate id 'demo-card' (first defined at {first}:5:9)"
    ]
    assert [len(t.items) for t in lib.topics] == [1, 0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ":1:1: empty file"),
        ("# only a comment\n", ":1:1: empty file"),
        ("- a\n- b\n", ":1:1: the top level must be a mapping (id, title, items), not a list"),
        ("id: t\n\ttitle: x\n", ":2:1: malformed YAML: found character '\\t' that cannot start any token"),
        ("id: !!python/object:os.system x\n", ":1:5: malformed YAML: could not determine a constructor for the tag"),
        ("id: [unclosed\n", ":2:1: malformed YAML:"),
        ("key: 'unterminated\n", ":2:1: malformed YAML:"),
        # A value containing itself is refused where it starts (no walk or message can expand it).
        ("a: &x [*x]\n", ":1:4: an alias refers to a value that contains it (a cycle)"),
        # A cycle through a mapping: the alias guard must hold there too (not "nesting too deep").
        ("a: &x {b: *x}\n", ":1:4: an alias refers to a value that contains it (a cycle)"),
    ],
)
def test_bad_yaml_never_raises(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    topic, problems = parse_topic_file(path)
    assert topic is None
    assert problems, "bad YAML must produce at least one problem"
    assert expected in str(problems[0]), [str(p) for p in problems]


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "id: " + "[" * 5000 + "]" * 5000 + "\n")
    topic, problems = parse_topic_file(path)
    assert topic is None and "nesting depth" in str(problems[0])
    assert ":1:1:" not in str(problems[0])  # where the nesting goes too deep, not the file's start


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"id: x\nitems: [" + b"1, " * (10 * 1024 * 1024 // 3) + b"]\n")
    topic, problems = parse_topic_file(path)
    assert topic is None
    assert str(problems[0]).startswith(f"{path}:1:1: cannot read: the file is too large")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: caf\xe9\n")
    _, problems = parse_topic_file(path)
    assert str(problems[0]) == f"{path}:1:8: not UTF-8 text: save the file as UTF-8"


def test_broken_user_deck_does_not_stop_builtin_topics(tmp_path: Path) -> None:
    user = tmp_path / "mydecks"
    user.mkdir()
    write(user, "id: mine\ntitle: {en: Mine}\nitems: []\n", "mine.yaml")
    builtin_only = load_library()
    lib = load_library([user])
    assert [t.id for t in lib.topics] == [t.id for t in builtin_only.topics]
    assert [str(p) for p in lib.problems] == [
        f"{user / 'mine.yaml'}:2:8: title: missing 'zh'",
        f"{user / 'mine.yaml'}:3:8: items: must contain at least one item",
    ]


def test_card_keys_for_siblings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        id: t
        title: {en: T, zh: T}
        items:
          - {id: f, kind: flashcard, reverse: true, front: {en: F, zh: F}, back: {en: B, zh: B}}
          - {id: c, kind: cloze, text: {en: "{{c1::a}} {{c2::b}}", zh: "{{c1::a}} {{c2::b}}"}}
          - {id: e, kind: exercise, family: receptive_field}
        """,
    )
    lib = build_library([(path, False)])
    assert [c.key for c in lib.cards] == ["f", "f::reverse", "c::c1", "c::c2", "e"]


def test_validate_cli_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, "id: t\n\tbroken\n", "bad.yaml")
    ok = subprocess.run([sys.executable, "-m", "quizapp", "validate", str(good)], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("OK: 1 topics, 1 items, 1 cards.")
    fail = subprocess.run([sys.executable, "-m", "quizapp", "validate", str(bad)], capture_output=True, text=True, timeout=60)
    assert fail.returncode == 1
    assert fail.stdout.startswith(f"{bad}:2:1: malformed YAML")
    assert "Traceback" not in fail.stdout + fail.stderr
