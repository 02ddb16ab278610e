"""User decks: the new-deck skeleton, writing items (validated first, comments kept, atomic even
when the process is killed mid-write), overrides of built-in items, and reloading changed files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quizapp.deck import load_library
from quizapp.deck.authoring import (
    AuthoringError,
    Draft,
    OptionDraft,
    add_item,
    add_to_new_deck,
    copy_to_user_deck,
    item_location,
    suggest_id,
)
from quizapp.deck.library import build_library
from quizapp.deck.reload import DeckWatcher
from quizapp.deck.userdecks import DeckExists, create_deck, slug, user_decks_dir
from quizapp.i18n import Bilingual

B = Bilingual


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    return folder


def test_user_decks_live_in_the_data_dir(tmp_path: Path) -> None:
    assert user_decks_dir(tmp_path / "d") == tmp_path / "d" / "decks"
    assert user_decks_dir() == Path(os.environ["QUIZAPP_DATA_DIR"]) / "decks"


def test_new_deck_skeleton_is_valid_with_one_item_of_each_kind(decks: Path) -> None:
    path = create_deck(decks, "Interview notes")
    assert path == decks / "interview-notes.yaml"
    library = build_library([(path, False)])
    assert library.problems == []
    assert sorted(i.kind for i in library.topics[0].items) == sorted(
        ["flashcard", "cloze", "choice", "multi", "exercise"])
    assert library.topics[0].title == B("Interview notes", "Interview notes")
    assert path.read_text(encoding="utf-8").count("\n#") + path.read_text(encoding="utf-8").count("  #") >= 6
    with pytest.raises(DeckExists):
        create_deck(decks, "Interview notes")


@pytest.mark.parametrize(("name", "expected"), [
    ("My Deck", "my-deck"), ("  Café  ", "cafe"), ("a/b\\c", "a-b-c"),
])
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_a_chinese_name_gets_an_id_and_keeps_its_title(decks: Path) -> None:
    path = create_deck(decks, "面试笔记")
    assert slug("面试笔记").startswith("deck-")
    assert build_library([(path, False)]).topics[0].title.zh == "面试笔记"


def test_add_item_keeps_comments_and_layout(decks: Path) -> None:
    path = create_deck(decks, "Mine")
    before = path.read_text(encoding="utf-8")
    library = load_library(include_builtin=False, user_dirs=[decks])
    draft = Draft(kind="choice", id="mine-adam", tags=["followup"],
                  question=B("Which keeps two moment estimates?", "哪个维护两个矩估计？"),
                  options=[OptionDraft(B("Adam [β₁, β₂]", "Adam [β₁, β₂]"), B("mean and uncentred variance", "均值和未中心化方差"), True),
                           OptionDraft(B("SGD", "SGD"), B("no moments", "没有矩估计"))])
    line = add_item(path, draft, library)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # everything before is byte for byte the same
    assert after.splitlines()[line - 1].strip() == "- id: mine-adam"
    reloaded = build_library([(path, False)])
    assert reloaded.problems == []
    assert reloaded.items["mine-adam"].options[0].text.en == "Adam [β₁, β₂]"


@pytest.mark.parametrize(("draft", "words"), [
    (Draft(kind="flashcard", id="x1", front=B("F", ""), back=B("B", "反")), "front.zh: must not be empty"),
    (Draft(kind="cloze", id="x2", text=B("no deletion", "没有")), "needs at least one deletion"),
    (Draft(kind="cloze", id="x3", text=B("{{c1::a}}", "{{c2::a}}")), "same deletions"),
    (Draft(kind="choice", id="x4", question=B("q", "问"),
           options=[OptionDraft(B("a", "甲"), B("w", "因")), OptionDraft(B("b", "乙"), B("w", "因"))]),
     "exactly one correct option"),
    (Draft(kind="exercise", id="x5", family="no_such_family"), "unknown exercise family"),
    (Draft(kind="flashcard", id="bad id!", front=B("F", "正"), back=B("B", "反")), "must be letters"),
    (Draft(kind="flashcard", id="mine-cloze", front=B("F", "正"), back=B("B", "反")), "used already"),
])
def test_invalid_items_are_refused_and_nothing_is_written(decks: Path, draft: Draft, words: str) -> None:
    path = create_deck(decks, "Mine")
    before = path.read_bytes()
    library = load_library(include_builtin=False, user_dirs=[decks])
    with pytest.raises(AuthoringError) as info:
        add_item(path, draft, library)
    assert any(words in p for p in info.value.problems), info.value.problems
    assert path.read_bytes() == before
    assert sorted(p.name for p in decks.iterdir()) == ["mine.yaml"]  # no temporary left behind


def test_a_broken_deck_file_is_not_appended_to(decks: Path) -> None:
    path = create_deck(decks, "Mine")
    path.write_text(path.read_text(encoding="utf-8").replace("kind: cloze", "kind: clozz"), encoding="utf-8")
    library = load_library(include_builtin=False, user_dirs=[decks])
    with pytest.raises(AuthoringError, match="fix this file first"):
        add_item(path, Draft(kind="flashcard", id="n1", front=B("F", "正"), back=B("B", "反")), library)


def test_a_new_deck_from_the_form_and_suggested_ids(decks: Path) -> None:
    library = load_library(include_builtin=False, user_dirs=[decks])
    draft = Draft(kind="flashcard", front=B("What is a MAC?", "什么是 MAC？"), back=B("a·b + c", "乘加"))
    draft.id = suggest_id(library, "notes", "What is a MAC?")
    path, line = add_to_new_deck(decks, "Notes", draft, library)
    assert draft.id == "notes-what-is-a-mac"
    assert build_library([(path, False)]).items[draft.id].line == line
    again = load_library(include_builtin=False, user_dirs=[decks])
    assert suggest_id(again, "notes", "What is a MAC?") == "notes-what-is-a-mac-2"
    with pytest.raises(AuthoringError, match="exists already"):
        add_to_new_deck(decks, "Notes", Draft(kind="flashcard", id="z"), again)


def test_a_user_override_of_a_builtin_item_wins_in_place(decks: Path) -> None:
    builtin = load_library()
    path, line = copy_to_user_deck(builtin, "rf-definition", decks)
    assert (path.name, path.read_text(encoding="utf-8").splitlines()[line - 1].strip()) == (
        "my-edits.yaml", "- id: rf-definition")
    path.write_text(path.read_text(encoding="utf-8").replace("What is the receptive field", "Define the receptive field"),
                    encoding="utf-8")
    library = load_library(user_dirs=[decks])
    assert library.problems == []
    ref = library.card("rf-definition")
    assert ref.item.front.en.startswith("Define the receptive field")
    assert ref.topic.id == "receptive-field" and ref.item.topic_id == "receptive-field"
    assert [c.key for c in library.cards] == [c.key for c in builtin.cards]  # same cards, same order
    assert item_location(library, "rf-definition") == (path, line)
    assert copy_to_user_deck(library, "rf-definition", decks) == (path, line)  # already there


def test_two_overrides_of_one_item_are_a_problem(decks: Path) -> None:
    (decks / "a.yaml").write_text(textwrap.dedent("""\
        id: a
        title: {en: A, zh: A}
        items:
          - {id: rf-definition, kind: flashcard, front: {en: F, zh: F}, back: {en: B, zh: B}}
          - {id: rf-definition, kind: flashcard, front: {en: G, zh: G}, back: {en: B, zh: B}}
        """), encoding="utf-8")
    library = load_library(user_dirs=[decks])
    assert [p.message for p in library.problems] == [
        f"duplicate id 'rf-definition' (first defined at {decks / 'a.yaml'}:4:10)"]
    assert library.card("rf-definition").item.front.en == "F"


def test_the_watcher_reloads_changes_and_keeps_a_broken_files_last_good_version(decks: Path) -> None:
    path = create_deck(decks, "Mine")
    library = load_library(include_builtin=False, user_dirs=[decks])
    watcher = DeckWatcher(library)
    assert not watcher.changed()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("What does ReLU compute?", "ReLU(x) = ?"), encoding="utf-8")
    assert watcher.changed()
    result = watcher.reload()
    assert result.changed and result.problems == [] and not watcher.changed()
    assert result.library.card("mine-flashcard").item.front.en == "ReLU(x) = ?"
    path.write_text(text + "  - {id: broken\n", encoding="utf-8")
    result = watcher.reload()
    assert result.kept == [path]
    assert str(result.problems[0]).startswith(f"{path}:")
    assert result.library.card("mine-flashcard").item.front.en == "ReLU(x) = ?"  # still the good one
    (decks / "second.yaml").write_text(
        "id: second\ntitle: {en: S, zh: S}\nitems:\n  - {id: s1, kind: flashcard, front: {en: F, zh: F}, back: {en: B, zh: B}}\n",
        encoding="utf-8")
    result = watcher.reload()
    assert result.library.card("s1") is not None and result.changed


def test_the_first_deck_in_a_folder_that_did_not_exist_is_picked_up(tmp_path: Path) -> None:
    decks = tmp_path / "not-yet"
    library = load_library(user_dirs=[decks])
    watcher = DeckWatcher(library)
    builtin = load_library()
    copy_to_user_deck(builtin, "rf-definition", decks)  # creates the folder and my-edits.yaml
    assert watcher.changed()
    result = watcher.reload()
    assert result.changed and result.library.card("rf-definition").item.source == decks / "my-edits.yaml"


WRITER = """
import sys, time
from pathlib import Path
import quizapp.safeio as safeio
from quizapp.deck import load_library
from quizapp.deck.authoring import Draft, add_item
from quizapp.i18n import Bilingual as B

real_fsync = safeio.os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(30)  # killed here: the temporary file is written, not yet renamed
    real_fsync(fd)
safeio.os.fsync = slow_fsync
decks = Path(sys.argv[1])
library = load_library(include_builtin=False, user_dirs=[decks])
add_item(decks / "mine.yaml", Draft(kind="flashcard", id="late", front=B("F", "正"), back=B("B", "反")), library)
"""


@pytest.mark.slow
def test_killing_the_process_mid_write_leaves_the_deck_intact(decks: Path) -> None:
    path = create_deck(decks, "Mine")
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(decks)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert path.read_bytes() == before
    library = load_library(include_builtin=False, user_dirs=[decks])  # a stray temporary is ignored
    assert library.problems == [] and "late" not in library.items
    time.sleep(0)
