"""`quizapp export --apkg`: the package opened as what it is (a zip holding an Anki SQLite
collection), counted against the library, exported twice, and fed hostile content."""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from quizapp.bridges.anki_models import NOTE_TYPES
from quizapp.cli.main import main
from quizapp.deck import load_library

slow = pytest.mark.slow  # builds every exercise instance of the built-in content
CLOZE_DELETION = re.compile(r"\{\{c\d+::.*?\}\}", re.DOTALL)
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
KIND_OF_MODEL = {note_type.name: kind for kind, note_type in NOTE_TYPES.items()}


def export(tmp_path: Path, name: str, *options: str) -> Path:
    target = tmp_path / name
    assert main(["export", "--apkg", str(target), *options]) == 0
    return target


def read_package(path: Path, tmp_path: Path) -> dict[str, Any]:
    """Models, decks and notes (guid, model name, tags, fields by name) of an .apkg."""
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {}
        db = tmp_path / f"{path.stem}.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        models_json, decks_json = conn.execute("SELECT models, decks FROM col").fetchone()
        models = {int(mid): m for mid, m in json.loads(models_json).items()}
        decks = {int(did): d["name"] for did, d in json.loads(decks_json).items()}
        notes = []
        for nid, guid, mid, tags, flds in conn.execute("SELECT id, guid, mid, tags, flds FROM notes"):
            names = [f["name"] for f in models[mid]["flds"]]
            dids = {did for (did,) in conn.execute("SELECT did FROM cards WHERE nid = ?", (nid,))}
            cards = conn.execute("SELECT count(*) FROM cards WHERE nid = ?", (nid,)).fetchone()[0]
            notes.append({"guid": guid, "model": models[mid]["name"], "tags": tags.split(),
                          "fields": dict(zip(names, flds.split("\x1f"), strict=True)),
                          "decks": {decks[d] for d in dids}, "cards": cards})
    finally:
        conn.close()
    return {"models": models, "decks": decks, "notes": notes}


def summary_counts(capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, int]:
    """Items per kind, as `quizapp validate --summary` prints them."""
    capsys.readouterr()
    main(["validate", "--summary", *options])
    totals = next(line for line in capsys.readouterr().out.splitlines() if " topics, " in line)
    return {kind: int(n) for kind, n in re.findall(r"\b(flashcard|cloze|choice|multi|exercise) (\d+)", totals)}


def assert_inert(package: dict[str, Any]) -> None:
    """No field holds markup or syntax the content did not mean, nor a raw control character."""
    for note in package["notes"]:
        for name, value in note["fields"].items():
            where = f"{note['fields'].get('ItemId')}: {name}"
            assert "<script" not in value.lower(), where
            assert not RAW_CONTROL.search(value), where
            outside = CLOZE_DELETION.sub("", value) if name.startswith("Text_") else value
            assert "{{" not in outside and "}}" not in outside, where
            assert "[sound:" not in value, where


@pytest.fixture(scope="module")
def builtin_package(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("apkg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUIZAPP_DATA_DIR", str(tmp / "data"))
        mp.setenv("QUIZAPP_CONFIG", str(tmp / "config.json"))
        return read_package(export(tmp, "quizapp.apkg", "--lang", "both"), tmp)


@slow
def test_notes_per_type_are_what_the_library_predicts(builtin_package, capsys) -> None:
    items = summary_counts(capsys)
    per_model = Counter(KIND_OF_MODEL[note["model"]] for note in builtin_package["notes"])
    assert per_model == Counter({**items, "exercise": items["exercise"] * 5})  # --instances default 5
    # Anki's cards: one per schedulable card of the library, exercises once per instance.
    library = load_library()
    expected_cards = sum(1 for ref in library.cards if ref.kind != "exercise") + items["exercise"] * 5
    assert sum(note["cards"] for note in builtin_package["notes"]) == expected_cards
    reversed_notes = [n for n in builtin_package["notes"] if n["fields"].get("AddReverse")]
    assert len(reversed_notes) == sum(1 for i in library.items.values() if i.reverse)
    assert all(n["cards"] == 2 for n in reversed_notes)


@slow
def test_decks_tags_and_fields_of_the_builtin_package(builtin_package) -> None:
    library = load_library()
    decks = set(builtin_package["decks"].values())
    assert "quizapp" in decks
    assert {d for d in decks if d.startswith("quizapp::")} == {
        f"quizapp::{t.order:02d} {t.title.en} · {t.title.zh}" for t in library.topics}
    for note in builtin_package["notes"]:
        item = library.items[note["fields"]["ItemId"]]
        assert note["decks"] == {f"quizapp::{library.topic(item.topic_id).order:02d} "
                                 f"{library.topic(item.topic_id).title.en} · {library.topic(item.topic_id).title.zh}"}
        assert set(note["tags"]) >= {f"topic::{item.topic_id}", f"kind::{item.kind}", *item.tags}
        assert note["fields"]["Notes_en"] and note["fields"]["Notes_zh"]  # the topic notes, for the back
    kinds = {KIND_OF_MODEL[n["model"]] for n in builtin_package["notes"]}
    assert kinds == {"flashcard", "cloze", "choice", "multi", "exercise"}
    exercise = next(n for n in builtin_package["notes"] if n["model"] == NOTE_TYPES["exercise"].name)
    assert exercise["fields"]["Solution_en"].startswith("<pre>") and exercise["fields"]["Seed"].isdigit()
    model = next(m for m in builtin_package["models"].values() if m["name"] == NOTE_TYPES["exercise"].name)
    assert "static snapshot" in model["tmpls"][0]["afmt"] and "{{Seed}}" in model["tmpls"][0]["afmt"]
    cloze_model = next(m for m in builtin_package["models"].values() if m["name"] == NOTE_TYPES["cloze"].name)
    assert cloze_model["type"] == 1 and "{{cloze:Text_en}}" in cloze_model["tmpls"][0]["qfmt"]


@slow
def test_cloze_alternatives_and_hints_in_anki_syntax(builtin_package) -> None:
    library = load_library()
    clozes = {n["fields"]["ItemId"]: n["fields"] for n in builtin_package["notes"]
              if n["model"] == NOTE_TYPES["cloze"].name}
    with_alternatives = [i for i in library.items.values() if i.kind == "cloze" and "|" in (i.text.en or "")]
    assert with_alternatives, "the built-in content has a deletion with alternatives"
    for item in with_alternatives:
        fields = clozes[item.id]
        assert "|" not in "".join(CLOZE_DELETION.findall(fields["Text_en"]))  # Anki shows the first answer
        assert fields["Accepted_en"]  # the others are listed on the back
    assert_inert(builtin_package)


@slow
def test_no_field_is_markup_it_did_not_mean(builtin_package) -> None:
    assert_inert(builtin_package)


@slow
def test_exporting_twice_gives_the_same_guids_and_ids(tmp_path, builtin_package) -> None:
    first = read_package(export(tmp_path, "a.apkg", "--instances", "2", "--lang", "en"), tmp_path)
    second = read_package(export(tmp_path, "b.apkg", "--instances", "2", "--lang", "en"), tmp_path)
    guids = [n["guid"] for n in first["notes"]]
    assert len(set(guids)) == len(guids)
    exercises = sum(1 for i in load_library().items.values() if i.kind == "exercise")
    assert sum(1 for n in first["notes"] if n["model"] == NOTE_TYPES["exercise"].name) == exercises * 2
    assert guids == [n["guid"] for n in second["notes"]]
    assert [n["fields"] for n in first["notes"]] == [n["fields"] for n in second["notes"]]
    # Another language or number of instances: the same note types and decks (ids), and the
    # GUIDs of the instances both exports have.
    assert set(first["models"]) == set(builtin_package["models"])
    assert first["decks"] == builtin_package["decks"]  # names too: Anki files notes by deck name
    assert set(guids) < {n["guid"] for n in builtin_package["notes"]}
    # The language is the notes' Lang field, not the note types (Anki updates the notes of an
    # unchanged note type only): the same templates, fields and styles in every language.
    def shape(models: dict[int, Any]) -> dict[int, Any]:
        return {mid: ([(t["qfmt"], t["afmt"]) for t in m["tmpls"]], [f["name"] for f in m["flds"]], m["css"],
                      m["sortf"], m["type"]) for mid, m in models.items()}

    assert shape(first["models"]) == shape(builtin_package["models"])
    assert {n["fields"]["Lang"] for n in first["notes"]} == {"en"}
    assert {n["fields"]["Lang"] for n in builtin_package["notes"]} == {"both"}


# Markup and template syntax only: terminal control characters are refused by the loader before
# anything is exported (tested below).
HOSTILE = r'''
id: hostile
order: 99
title: {en: "Evil ::<b>title</b>", zh: "恶意 {{c1::x}}"}
summary: {en: "<script>alert(1)</script>", zh: "]0;pwned"}
notes:
  en: |
    ## <script>alert('notes')</script>

    [link](javascript:alert(1)) ![img](http://example.com/x.png) <img src=x onerror=alert(1)>
    {{Front_en}} [sound:evil.mp3] \(x^2\)
  zh: "[2J{{x}}"
items:
  - id: hostile-flash
    kind: flashcard
    front: {en: "<script>alert(1)</script> {{x}} red", zh: "{{Back_zh}} evil"}
    back: {en: "</div><script>x</script>", zh: "bell [sound:a.mp3]"}
    reverse: true
    tags: [evil]
  - id: hostile-cloze
    kind: cloze
    text:
      en: "A {{c1::<script>x</script>|<b>alt</b>::hint {y}}} and {{c2::a:b}} {x} [sound:c.mp3]"
      zh: "甲 {{c1::<i>x</i>|alt::提示}} 乙 {{c2::a:b}} {x}"
    extra: {en: "{{Extra_zh}}", zh: "<iframe src=x>"}
  - id: hostile-choice
    kind: choice
    question: {en: "<script>q</script>{{q}}", zh: "q"}
    options:
      - {text: {en: "<b>right</b>", zh: "{{o}}"}, correct: true, why: {en: "<script>w</script>", zh: "]8;;http://x w"}}
      - {text: {en: "[sound:x.mp3]", zh: "x"}, why: {en: "{{why}}", zh: "y"}}
'''


@slow
def test_hostile_deck_goes_through_inert(tmp_path, capsys) -> None:
    content = tmp_path / "decks"
    content.mkdir()
    (content / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    assert summary_counts(capsys, "--content", str(content))["cloze"] >= 1
    assert main(["validate", str(content / "hostile.yaml")]) == 0, capsys.readouterr().out
    target = export(tmp_path, "hostile.apkg", "--content", str(content), "--instances", "1")
    package = read_package(target, tmp_path)
    hostile = [n for n in package["notes"] if n["fields"]["ItemId"].startswith("hostile-")]
    assert len(hostile) == 3
    assert_inert(package)
    fields = {n["fields"]["ItemId"]: n["fields"] for n in hostile}
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123;x&#125;&#125; red" in fields["hostile-flash"]["Front_en"]
    cloze = fields["hostile-cloze"]["Text_en"]
    # Our deletion ends at the first }}, as the app reads it; the brace left after it is text.
    assert CLOZE_DELETION.findall(cloze) == ["{{c1::&lt;script&gt;x&lt;/script&gt;::hint &#123;y}}",
                                             "{{c2::a&#58;b}}"]
    assert cloze.startswith("A {{c1::") and "}}&#125; and" in cloze
    assert "&lt;b&gt;alt&lt;/b&gt;" in fields["hostile-cloze"]["Accepted_en"]
    notes = fields["hostile-flash"]["Notes_en"]
    assert "<h2>&lt;script&gt;" in notes and "<a " not in notes and "<img" not in notes
    hostile_deck = next(d for d in package["decks"].values() if d.startswith("quizapp::99"))
    assert hostile_deck.count("::") == 1


@slow
def test_a_deck_with_terminal_control_characters_is_refused_not_exported(tmp_path, capsys) -> None:
    content = tmp_path / "decks"
    content.mkdir()
    (content / "escape.yaml").write_text(HOSTILE.replace("red", "\\e[31mred").replace('"q"', '"\\u202eq"'),
                                         encoding="utf-8")
    assert main(["validate", str(content / "escape.yaml")]) == 1
    out = capsys.readouterr().out
    assert "control character U+001B (ESC)" in out and "U+202E" in out
    # Exported anyway (validate is the gate), the control characters never reach a field.
    main(["--content", str(content), "export", "--apkg", str(tmp_path / "x.apkg")])
    package = read_package(tmp_path / "x.apkg", tmp_path)
    texts = [v for n in package["notes"] for v in n["fields"].values()]
    assert any("red" in t for t in texts) and not any("\x1b" in t or "\u202e" in t for t in texts)


def test_apkg_options_and_errors(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["study", "--lang", "both"])  # only export --apkg knows "both"
    assert exit_info.value.code == 2
    assert main(["export", "--json", str(tmp_path / "x.json"), "--query", "tag:x"]) == 2
    assert "--query and --instances go with --apkg FILE" in capsys.readouterr().err
    assert main(["export", "--apkg", "-"]) == 2
    assert "cannot go to standard output" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--apkg", str(tmp_path / "x.apkg"), "--instances", "0"])
    assert "between 1 and 100" in capsys.readouterr().err


def test_a_failed_write_leaves_the_old_package_and_no_temporary_file(tmp_path, capsys, monkeypatch) -> None:
    import errno
    import os

    import quizapp.safeio as safeio

    def full_disk(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "out" / "deck.apkg"
    target.parent.mkdir()
    target.write_bytes(b"the previous package")
    monkeypatch.setattr(safeio.os, "fsync", full_disk)  # the package is written, then the disk is full
    assert main(["export", "--apkg", str(target), "--instances", "1"]) == 1
    assert f"{target}: the disk is full" in capsys.readouterr().err
    assert target.read_bytes() == b"the previous package"
    assert [p.name for p in target.parent.iterdir()] == ["deck.apkg"]
    monkeypatch.setattr(safeio.os, "fsync", os.fsync)
    assert main(["export", "--apkg", str(tmp_path), "--instances", "1"]) == 2  # a folder
    assert f"--apkg {tmp_path} is a folder" in capsys.readouterr().err


def test_query_exports_the_items_it_finds(tmp_path, capsys) -> None:
    library = load_library()
    clozes = {i.id for i in library.topic("receptive-field").items if i.kind == "cloze"}
    package = read_package(export(tmp_path, "rf.apkg", "--query", "topic:receptive-field kind:cloze"), tmp_path)
    assert {n["fields"]["ItemId"] for n in package["notes"]} == clozes
    # The search sees the learner's cards: a suspended reverse card brings its whole note.
    reversed_item = next(i for i in library.items.values() if i.reverse)
    assert main(["suspend", f"{reversed_item.id}::reverse"]) == 0
    package = read_package(export(tmp_path, "suspended.apkg", "--query", "is:suspended"), tmp_path)
    assert [(n["fields"]["ItemId"], n["cards"]) for n in package["notes"]] == [(reversed_item.id, 2)]
    capsys.readouterr()
    assert main(["export", "--apkg", str(tmp_path / "none.apkg"), "--query", "tag:no-such-tag"]) == 1
    assert "no card matches" in capsys.readouterr().err and not (tmp_path / "none.apkg").exists()
    assert main(["export", "--apkg", str(tmp_path / "bad.apkg"), "--query", "kind:("]) == 2
    err = capsys.readouterr().err
    assert "--query: unknown kind" in err and "(column 6)" in err and "\n       ^" in err


def test_a_multi_part_instance_lists_its_parts_and_their_answers() -> None:
    from types import SimpleNamespace

    from quizapp.bridges.anki import _exercise
    from quizapp.i18n import Bilingual

    def part(label: str, prompt: str, typed: str, shown: str) -> SimpleNamespace:
        return SimpleNamespace(label=label, prompt=lambda lang: f"{prompt} ({lang})", answer_text=typed,
                               answer_display=shown)

    parts = (part("o₁", "(a) o₁", "0.4164", ""), part("δ<o>", "(b) δ<o>", "2*s*(1-s)", "2·s·(1 − s)"))
    instance = SimpleNamespace(
        prompt=lambda lang: f"A 2-2-2 network ({lang})", solution=lambda lang: f"worked {{x}} ({lang})",
        answer_hint=Bilingual("a number", "一个数"), answer_text="2*s*(1-s)", answer_display="2·s·(1 − s)",
        family="not-a-family", seed=7, parts=parts)
    fields = _exercise(instance)
    assert fields["Prompt_zh"] == ('A 2-2-2 network (zh)<ul class="parts"><li>(a) o₁ (zh)</li>'
                                   "<li>(b) δ&lt;o&gt; (zh)</li></ul>")
    assert fields["Answer"] == "o₁ = 0.4164<br>δ&lt;o&gt; = 2·s·(1 − s)"
    assert fields["Solution_en"] == "<pre>worked &#123;x&#125; (en)</pre>" and fields["Seed"] == "7"
    single = _exercise(SimpleNamespace(**{**vars(instance), "parts": (), "answer_display": ""}))
    assert single["Answer"] == "2*s*(1-s)" and "<ul" not in single["Prompt_en"]


MINE = """
id: mine
order: 50
title: {en: Mine, zh: 我的}
items:
  - id: mine-1
    kind: cloze
    text: {en: "The answer is {{c1::VERSION|v}}.", zh: "答案是 {{c1::VERSION|v}}。"}
"""


def _anki_import(collection: Any, path: Path) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as When

    newer = When.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER  # Anki's defaults
    options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                       update_notes=newer, update_notetypes=newer)
    return collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


@slow
@pytest.mark.skipif(importlib.util.find_spec("anki") is None,
                    reason="Anki's own engine is not installed (pip install -e '.[bench]')")
def test_anki_itself_imports_the_package_and_a_later_export_updates_it(tmp_path) -> None:
    import time

    from anki.collection import Collection

    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "mine.yaml").write_text(MINE.replace("VERSION", "first"), encoding="utf-8")
    first = export(tmp_path, "first.apkg", "--content", str(deck), "--instances", "1", "--lang", "both")
    expected = len(read_package(first, tmp_path)["notes"])
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        log = _anki_import(collection, first)
        assert len(log.new) == expected and collection.note_count() == expected
        assert collection.card_count() == sum(n["cards"] for n in read_package(first, tmp_path)["notes"])
        assert not collection.get_empty_cards().notes  # Anki finds no card its templates leave blank
        note = collection.get_note(collection.find_notes("ItemId:mine-1")[0])
        question = note.cards()[0].question()
        shown = re.sub(r"<style>.*?</style>|<[^>]+>", "", question, flags=re.DOTALL)
        assert 'class="qa lang-both"' in question and shown == "The answer is [...].答案是 [...]。"
        assert "first" in note.cards()[0].answer()
        time.sleep(1.5)  # a later export: its notes are newer than the ones in the collection
        (deck / "mine.yaml").write_text(MINE.replace("VERSION", "second"), encoding="utf-8")
        second = export(tmp_path, "second.apkg", "--content", str(deck), "--instances", "1", "--lang", "zh")
        log = _anki_import(collection, second)
        # Matched by GUID: no copies; every note is newer, so every note is updated (to zh).
        assert len(log.new) == 0 and len(log.updated) == expected and collection.note_count() == expected
        note = collection.get_note(collection.find_notes("ItemId:mine-1")[0])
        assert "second" in note["Text_en"] and "second" in note.cards()[0].answer()
        assert 'class="qa lang-zh"' in note.cards()[0].question()
        assert len(collection.models.all_names_and_ids()) == len(NOTE_TYPES) + 6  # ours + Anki's stock
    finally:
        collection.close()
