"""Math cloze deletions (`math:` on a cloze item): checked as math by the exercise checker, with
the loader's problems at FILE:LINE:COL and the parse check in `quizapp validate`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from deck_text import quoted
from lazy_imports import sympy_numpy_loaded_after

from quizapp.cli.main import main
from quizapp.deck.cloze import check_cloze, cloze_spec
from quizapp.deck.library import build_library
from quizapp.deck.model import Item


def math_cloze(item_id: str, en: str, zh: str, math: str) -> str:
    """A cloze item's lines (under `items:`): its text in both languages and its `math:` map."""
    return f"  - id: {item_id}\n    kind: cloze\n    text: {quoted(en, zh)}\n    math: {math}\n"


DECK = "id: mc\ntitle: {en: Math cloze, zh: 数学填空}\nitems:\n" + "".join([
    math_cloze("mc-flops", "One output costs {{c1::2N−1}} FLOPs", "每个输出需要 {{c1::2N−1}} 次浮点运算", "{c1: {form: expression, in: {N: natural}}}"),
    math_cloze("mc-sigmoid", "∂oₖ/∂netₖ = {{c1::oₖ(1 − oₖ)}}", "∂oₖ/∂netₖ = {{c1::oₖ(1 − oₖ)}}", "{c1: {form: expression, in: [o_k]}}"),
    math_cloze("mc-numbers", "{{c1::73,728}} weights, keep {{c2::0.5}}, {{c3::dropout}}", "{{c1::73728}} 个权重，保留 {{c2::0.5}}，{{c3::dropout}}", "{c1: integer, c2: {form: real, rtol: 0.01}}"),
    math_cloze("mc-vector", "softmax = {{c1::[0.09, 0.245, 0.665]}}", "softmax = {{c1::[0.09, 0.245, 0.665]}}", "{c1: {form: vector, rtol: 0.01}}"),
])


def write(tmp_path: Path, text: str, name: str = "deck.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def items(tmp_path: Path) -> dict[str, Item]:
    lib = build_library([(write(tmp_path, DECK), False)])
    assert lib.problems == []
    return lib.items


@pytest.mark.parametrize(
    ("item_id", "number", "typed", "status"),
    [
        ("mc-flops", 1, "-1+2N", "correct"),  # the examples
        ("mc-flops", 1, "2N - 1", "correct"),
        ("mc-flops", 1, "2N", "wrong"),
        ("mc-flops", 1, "2**", "invalid"),  # invalid costs nothing
        ("mc-sigmoid", 1, "o_k - o_k^2", "correct"),
        ("mc-sigmoid", 1, "oₖ − oₖ²", "correct"),  # typed with the subscript the card shows
        ("mc-sigmoid", 1, "o_k^2 - o_k", "wrong"),
        ("mc-numbers", 1, "3*3*64*128", "correct"),
        ("mc-numbers", 1, "73728", "correct"),
        ("mc-numbers", 1, "73,729", "wrong"),
        ("mc-numbers", 2, "1/2", "correct"),
        ("mc-numbers", 2, "0.504", "correct"),  # inside the deletion's rtol 0.01
        ("mc-numbers", 2, "0.52", "wrong"),
        ("mc-vector", 1, "0.09 0.245 0.665", "correct"),
        ("mc-vector", 1, "[0.09, 0.245]", "invalid"),  # wrong length
    ],
)
def test_math_deletions_go_through_the_checker(items: dict[str, Item], item_id: str, number: int, typed: str, status: str) -> None:
    assert check_cloze(items[item_id], number, typed).status == status


def test_plain_deletions_keep_the_text_comparison(items: dict[str, Item]) -> None:
    item = items["mc-numbers"]
    assert cloze_spec(item, 3) is None
    assert check_cloze(item, 3, "Dropout").status == "correct"
    assert check_cloze(item, 3, "2**").status == "wrong"  # text: a wrong word, not invalid math


def test_cloze_spec_gives_the_reference_and_form(items: dict[str, Item]) -> None:
    flops = cloze_spec(items["mc-flops"], 1)
    assert flops is not None and flops.kind == "expression" and flops.reference == "2N−1"
    assert flops.variables == ("N",)
    numbers = cloze_spec(items["mc-numbers"], 1)
    assert numbers is not None and (numbers.kind, numbers.reference) == ("integer", 73728)
    real = cloze_spec(items["mc-numbers"], 2)
    assert real is not None and (real.kind, real.reference, real.rtol) == ("real", 0.5, 0.01)
    vector = cloze_spec(items["mc-vector"], 1)
    assert vector is not None and vector.reference == (0.09, 0.245, 0.665)


def test_the_interpreted_preview_works_on_a_cloze_spec(items: dict[str, Item]) -> None:
    from quizapp.checking import interpret

    spec = cloze_spec(items["mc-flops"], 1)
    assert spec is not None
    assert interpret("2N-1", spec).valid
    assert not interpret("2**", spec).valid


BROKEN = "id: broken\ntitle: {en: Broken, zh: 坏}\nitems:\n" + "".join([
    math_cloze("b-key", "a {{c1::2}}", "a {{c1::2}}", "{c3: integer}"),
    math_cloze("b-form", "a {{c1::x}}", "a {{c1::x}}", "{c1: {form: matrix}}"),
    math_cloze("b-domain", "a {{c1::x}}", "a {{c1::x}}", "{c1: {form: expression, in: {x: fuzzy}}}"),
    math_cloze("b-number", "a {{c1::many}}", "a {{c1::许多}}", "{c1: integer}"),
    math_cloze("b-name", "a {{c1::y + 1}}", "a {{c1::y + 1}}", "{c1: {form: expression, in: [x]}}"),
    math_cloze("b-ok", "a {{c1::x + 1}}", "a {{c1::x + 1}}", "{c1: {form: expression, in: [x]}}"),
])


def test_loader_reports_bad_math_fields_with_positions(tmp_path: Path) -> None:
    lib = build_library([(write(tmp_path, BROKEN), False)])
    found = [str(p).split(":", 1)[1] for p in lib.problems]
    assert "7:16: items[0].math.c3: the text has no deletion c3 (it has c1)" in found
    assert any(p.startswith("11:23: items[1].math.c1.form: unknown answer form 'matrix'") for p in found)
    assert any(p.startswith("15:43: items[2].math.c1.in.x: unknown domain 'fuzzy'") for p in found)
    assert "18:16: items[3].text.en: c1: 'many' is not a number or arithmetic (+ − × ÷ ^) that can be checked" in found
    assert any(p.startswith("22:16: items[4].text.en: c1: 'y + 1' does not read as math: unknown variable 'y'") for p in found)
    assert list(lib.items) == ["b-ok"]  # the broken items are skipped, the good one loads


def test_validate_parses_every_math_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, """\
        id: v
        title: {en: V, zh: V}
        items:
          - id: v-mismatch
            kind: cloze
            text: {en: "σ′ = {{c1::σ(x)(1 − σ(x))}}", zh: "σ′ = {{c1::σ(x)(1 + σ(x))}}"}
            math: {c1: {form: expression, in: [x]}}
          - id: v-power
            kind: cloze
            text:
              en: "{{c1::x^200}}"
              zh: "{{c1::x^200}}"
            math: {c1: {form: expression, in: [x]}}
        """)
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{path}:6:51: items[0].text.zh: c1: 'σ(x)(1 + σ(x))' is not equivalent to the first answer" in out
    assert f"{path}:11:11: items[1].text.en: c1: 'x^200' does not parse: Exponents above 64" in out


def test_loading_math_clozes_imports_neither_sympy_nor_numpy(tmp_path: Path) -> None:
    path = write(tmp_path, DECK)
    code = (
        "from pathlib import Path\nfrom quizapp.deck.library import build_library\n"
        "from quizapp.deck.cloze import cloze_spec\n"
        f"lib = build_library([(Path({str(path)!r}), False)])\n"
        "assert not lib.problems and cloze_spec(lib.items['mc-flops'], 1) is not None\n"
    )
    assert sympy_numpy_loaded_after(code) == ["False", "False"]
