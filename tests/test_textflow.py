"""Prose in both languages: YAML hard wraps undone, Chinese wrapped between characters with
kinsoku (no closing punctuation at a line start), Latin words kept whole."""

from __future__ import annotations

import pytest

from quizapp.textflow import _tokens, cells, reflow, wrap

ZH = "用户创建并设置 requires_grad=True 的张量是叶子节点，它的梯度会累加到 .grad 中。非叶子张量（2次）默认不保存梯度；如果需要，调用 retain_grad()。"
CLOSING = "，。、；：！？）」』】》"


def test_reflow_joins_what_the_yaml_broke_and_keeps_lists_and_formulas() -> None:
    text = (
        "It computes ∂L/∂w for every parameter by applying the chain rule\n"
        "backwards through the graph.\n"
        "\n"
        "- a list item that was long\n"
        "  and continues here\n"
        "- another item\n"
        "\n"
        "    σ'(x) = σ(x)(1 − σ(x))\n"
        "Then the optimiser updates w."
    )
    assert reflow(text) == (
        "It computes ∂L/∂w for every parameter by applying the chain rule backwards through the graph.\n"
        "\n"
        "- a list item that was long and continues here\n"
        "- another item\n"
        "\n"
        "    σ'(x) = σ(x)(1 − σ(x))\n"
        "Then the optimiser updates w."
    )


def test_reflow_joins_chinese_without_a_space() -> None:
    assert reflow("反向传播计算每个参数的\n梯度，更新由优化器完成。") == "反向传播计算每个参数的梯度，更新由优化器完成。"
    assert reflow("梯度 ∂L/∂w\n由链式法则得到") == "梯度 ∂L/∂w由链式法则得到"


@pytest.mark.parametrize("width", range(12, 61, 3))
def test_chinese_wraps_between_characters_and_keeps_kinsoku(width: int) -> None:
    lines = wrap(ZH, width)
    assert "".join(lines).replace(" ", "") == ZH.replace(" ", "")  # nothing lost or added
    assert all(cells(line) <= width for line in lines)
    assert not any(line[0] in CLOSING for line in lines[1:])  # no 。 or ） starting a line
    assert not any(line.endswith("（") for line in lines)
    # Lines are full: a line ends early only when the next unbreakable piece would not fit.
    for line, following in zip(lines, lines[1:]):
        first = next(t for t in _tokens(following) if not t.isspace())
        assert cells(line) + 1 + cells(first) > width, (line, following)


def test_the_issue_cases_stay_together() -> None:
    lines = wrap(ZH, 18)
    assert not any(line.endswith("（2") for line in lines)  # "（2" / "次）" never split
    assert "requires_grad=True" in "\n".join(lines)  # a Latin word is never broken


def test_latin_text_wraps_at_spaces_and_folds_only_overlong_words() -> None:
    assert wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]
    assert wrap("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]


def test_list_items_hang_and_formula_lines_keep_their_indent() -> None:
    assert wrap("- first item that is long", 14) == ["- first item", "  that is long"]
    assert wrap("    σ(x) = 1/(1 + exp(−x))", 16)[0].startswith("    σ(x)")
