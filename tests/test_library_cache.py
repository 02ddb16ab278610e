"""The parsed-library cache: an unchanged deck is not parsed again, a changed one is, and a
damaged cache only costs a parse."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from deck_text import topic_yaml
from srs_fixtures import write_library

import quizapp.deck.library as library_module
from quizapp.deck import load_library
from quizapp.deck.cache import FILE_NAME, cache_dir

MATH_TOPIC = "\n" + topic_yaml("mathy", 9, '{en: Mathy, zh: 数学}', items="""\
  - id: m-ema
    kind: cloze
    text: {en: "v = {{c1::0.9}} · v + {{c2::2N - 1}}", zh: "v = {{c1::0.9}} · v + {{c2::2N - 1}}"}
    math: {c1: {form: real, rtol: 0.01}, c2: {form: expression, in: {N: natural}}}
  - id: m-params
    kind: exercise
    vars:
      n: {int: [2, 9]}
      d: {choice: [64, 128]}
      p: {real: [0.1, 0.9], digits: 2}
    where: "n < d"
    prompt: {en: "{n} inputs, {d} outputs, dropout {p}: parameters?", zh: "{n} 个输入，{d} 个输出，丢弃率 {p}：参数？"}
    answer: "n*d + d"
    form: integer
    mistakes:
      - {answer: "n*d", note: {en: "Forgot the bias.", zh: "忘了偏置。"}}
""")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files actually parsed (not served from the cache)."""
    seen: list[Path] = []
    real = library_module.parse_topic_file

    def counting(path: Path, *, builtin: bool = False):  # noqa: ANN202
        seen.append(path)
        return real(path, builtin=builtin)

    monkeypatch.setattr(library_module, "parse_topic_file", counting)
    return seen


def test_an_unchanged_library_is_not_parsed_again(tmp_path: Path, parses: list[Path]) -> None:
    content = write_library(tmp_path)
    (content / "broken.yaml").write_text("id: x\nitems: [\n", encoding="utf-8")  # problems are cached too
    (content / "math.yaml").write_text(MATH_TOPIC, encoding="utf-8")
    first = load_library([content])
    assert len(parses) > 15 and first.problems and first.items["m-ema"].math
    parses.clear()
    second = load_library([content])
    assert parses == []
    # every field, those equality leaves out (positions, math forms' spots) included
    assert [dataclasses.asdict(t) for t in second.topics] == [dataclasses.asdict(t) for t in first.topics]
    assert second.problems == first.problems
    assert second.items["m-ema"].math and second.items["m-ema"].math == first.items["m-ema"].math
    # a YAML exercise (its variables, answer, mistakes) comes back whole from the cache
    assert second.items["m-params"].exercise is not None
    assert second.items["m-params"].exercise == first.items["m-params"].exercise
    assert [c.key for c in second.cards] == [c.key for c in first.cards]


def test_a_changed_file_is_parsed_again(tmp_path: Path, parses: list[Path]) -> None:
    content = write_library(tmp_path)
    load_library([content], include_builtin=False)
    gamma = content / "gamma.yaml"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("G back", "G back, edited"), encoding="utf-8")
    parses.clear()
    lib = load_library([content], include_builtin=False)
    assert parses == [gamma]
    assert lib.items["g-one"].back.en == "G back, edited"


def test_a_damaged_cache_only_costs_a_parse(tmp_path: Path, parses: list[Path]) -> None:
    content = write_library(tmp_path)
    expected = load_library([content], include_builtin=False)
    (cache_dir() / FILE_NAME).write_text('{"format": 1, "code": "x", "files": [}', encoding="utf-8")
    parses.clear()
    assert load_library([content], include_builtin=False).topics == expected.topics
    assert len(parses) == 4


def test_a_quizapp_written_cache_is_read_in_one_pass(tmp_path: Path, parses: list[Path]) -> None:
    from quizapp.deck.cache import LibraryCache

    content = write_library(tmp_path)
    load_library([content], include_builtin=False)
    assert LibraryCache().decoded  # no control character in its text: the model is built as it is read


def test_a_control_character_planted_in_the_cache_comes_back_visible(tmp_path: Path, parses: list[Path]) -> None:
    from quizapp.deck.cache import LibraryCache

    content = write_library(tmp_path)
    load_library([content], include_builtin=False)
    cache = cache_dir() / FILE_NAME
    text = cache.read_text(encoding="utf-8")
    assert "G back" in text
    for planted, shown in (("\\u001b[2J", "␛[2J"), ("\\r", "␍"), ("\u009b", "\\u009b")):
        cache.write_text(text.replace("G back", f"G {planted}back"), encoding="utf-8")
        assert not LibraryCache().decoded
        parses.clear()
        lib = load_library([content], include_builtin=False)
        assert parses == []  # still served from the cache, each text made visible
        assert lib.items["g-one"].back.en == f"G {shown}back"


def test_every_built_in_topic_file_can_be_cached() -> None:
    """A type the cache cannot hold (a YAML exercise's definition, say) makes its file parse at
    every start-up: the built-in content must all be cacheable, and come back equal."""
    from quizapp.deck.cache import decode, encode
    from quizapp.deck.loader import parse_topic_file
    from quizapp.paths import builtin_content_dir

    for path in sorted(builtin_content_dir().glob("[0-9]*.yaml")):
        parsed = parse_topic_file(path, builtin=True)
        assert decode(json.loads(json.dumps(encode(parsed)))) == parsed, path.name
