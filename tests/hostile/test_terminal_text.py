"""No control character from a file reaches a terminal (issue 16 item 3).

Every sequence of the issue (ESC[2J, OSC 8 hyperlinks to file:///etc/passwd, OSC 0 window titles,
ESC[5m, the 8-bit CSI U+009B, BEL, CR, the bidi override) is fed through the deck loader and every
output path: the loaded model, the validator, the CLI streams, and the full-screen app (Pilot
screenshots of the dashboard, the topic screen, a study session and the statistics with an
imported log). The line-mode study, `stats`, `suspend` and `validate` runs are in the corpus
(tests/hostile/cases.py, cases_import.py), which checks every command's raw output bytes.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from cases import DECKS, IMPORTS

from quizapp import textsafe
from quizapp.config import Settings
from quizapp.deck import load_library
from quizapp.deck.loader import parse_topic_file
from quizapp.i18n import Bilingual

SEQUENCES = {
    "clear screen": "\x1b[2J",
    "hyperlink": "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",
    "window title": "\x1b]0;owned\x07",
    "blink": "\x1b[5m",
    "8-bit CSI": "\x9b31m",
    "bell": "\x07",
    "carriage return": "line\rOVER",
    "right-to-left override": "\u202egnp.exe",
    "delete": "a\x7fb",
}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("sequence", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_visible_leaves_no_control_character_and_keeps_the_rest(sequence: str) -> None:
    shown = textsafe.visible(f"before {sequence} after\n\tnext line")
    assert not RAW.search(shown)
    assert shown.startswith("before ") and shown.endswith(" after\n\tnext line")  # newline and tab kept
    assert not RAW.search(textsafe.one_line(sequence + "\n\t")) and "\n" not in textsafe.one_line("a\nb")


def test_the_pictures_say_which_character_it_was() -> None:
    assert textsafe.visible("\x1b[2J") == "␛[2J"
    assert textsafe.visible("\x9b31m") == "\\u009b31m"
    assert textsafe.visible("x\ry") == "x␍y"
    assert textsafe.describe("\x1b") == "U+001B (ESC)" and textsafe.describe("\x9b") == "U+009B (CSI)"
    assert textsafe.shorten("a" * 100, 10) == "a" * 9 + "…"


def test_json_through_the_guard_keeps_its_data() -> None:
    import json

    data = {"note": "n\x9b31m\u202e\x7f", "family": "f\x1b[2J"}
    raw = io.StringIO()
    textsafe.SafeStream(raw).write(json.dumps(data, ensure_ascii=False))
    assert not RAW.search(raw.getvalue())
    assert json.loads(raw.getvalue()) == data  # C1, DEL and bidi shown as their own JSON escapes


def _texts(value: Any) -> list[str]:
    """Every string inside a loaded topic (items, options, bilingual texts, tags)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Bilingual):
        return [value.en, value.zh]
    if isinstance(value, tuple | list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(k) + _texts(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [t for f in dataclasses.fields(value) for t in _texts(getattr(value, f.name))]
    return []


def test_deck_text_is_harmless_once_loaded_and_each_character_is_reported() -> None:
    path = DECKS / "escapes.yaml"
    topic, problems = parse_topic_file(path)
    assert topic is not None and len(topic.items) == 3  # the items still load, their text made visible
    texts = _texts(topic)
    assert texts and not [t for t in texts if RAW.search(t)]
    assert any("Front ␛[2J␛[H cleared?" in t for t in texts)
    lines = [str(p) for p in problems]
    assert f"{path}:9:24: items[0].front.en: control character U+001B (ESC) in text (shown as ␛); remove it" in lines
    assert f"{path}:5:79: notes.zh: control character U+202E (RIGHT-TO-LEFT OVERRIDE) in text (shown as \\u202e); remove it" in lines
    assert any(":10:60: items[0].back.zh: control character U+000D (CR)" in line for line in lines)
    assert all(not RAW.search(line) for line in lines)


def test_a_control_character_in_a_file_name_is_not_printed_raw(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "evil\x1b]0;owned\x07.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    library = load_library([folder], include_builtin=False)
    assert library.problems and not RAW.search(str(library.problems[0]))


# ---- the full-screen app ------------------------------------------------------------------------
def _escapes_app(tmp_path: Path) -> Any:
    from tui_app_fixtures import FrozenClock, TestContext

    from quizapp.store.db import Store
    from quizapp.store.transfer import import_json
    from quizapp.tui.app import QuizApp

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "escapes.yaml").write_bytes((DECKS / "escapes.yaml").read_bytes())
    library = load_library([folder], include_builtin=False)
    store = Store.open(tmp_path / "data")
    store.sync_library(library)
    import_json(store, IMPORTS / "escapes.json")  # imported family, note and card keys with escapes
    context = TestContext(Settings(language="en", enable_fuzzing=False), library, store, "en", tmp_path / "c.json")
    return QuizApp(context, clock=FrozenClock())


def screen_text(svg: str) -> str:
    """The screenshot's text, row by row (an SVG splits a row into runs of one style)."""
    rows: dict[float, list[str]] = {}
    for m in re.finditer(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(m.group(1)), []).append(html.unescape(m.group(2)).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items()))


def _assert_harmless(svg: str, *shown: str) -> None:
    text = screen_text(svg)
    assert not RAW.search(svg) and not RAW.search(text), RAW.search(svg) or RAW.search(text)
    for part in shown:
        assert part in text, f"{part!r} not on the screen:\n{text}"


async def test_the_full_screen_app_shows_no_control_character(tmp_path: Path) -> None:
    app = _escapes_app(tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        _assert_harmless(app.export_screenshot(), "Escapes␛]0;owned")
        app.open_topic("hostile-escapes")
        await pilot.pause()
        _assert_harmless(app.export_screenshot(), "Front ␛[2J␛[H cleared?")  # the items
        await pilot.press("n")
        await pilot.pause()
        _assert_harmless(app.export_screenshot(), "a link ␛]8;;file:///etc/passwd")  # the notes
        await pilot.press("escape")
        app.start_study("hostile-escapes")
        for _ in range(8):  # every card: question, then the answer side
            await pilot.pause()
            _assert_harmless(app.export_screenshot())
            await pilot.press("space")
            await pilot.pause()
            _assert_harmless(app.export_screenshot())
            await pilot.press("3")
        app.open_stats()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        _assert_harmless(app.export_screenshot(), "fam␛[2J␛]0;pwned␇")
