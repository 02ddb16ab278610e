"""one_line: the front of a card on one line of the browser's table and `quizapp cards`."""

from __future__ import annotations

import random

import pytest

from quizapp.search.display import one_line
from quizapp.textflow import cells

ASCII = "ab cd\t\n\x1b\x07"
MIXED = ASCII + "é梯度注意力\u200b\u202e–"


@pytest.mark.parametrize("seed", range(4))
def test_one_line_fits_the_width_and_cuts_with_an_ellipsis(seed: int) -> None:
    """ASCII text (its own quick path) and mixed text keep the same rules."""
    rng = random.Random(seed)
    for _ in range(400):
        text = "".join(rng.choice(ASCII if rng.random() < 0.5 else MIXED) for _ in range(rng.randrange(40)))
        width = rng.randrange(14)
        flat = one_line(text, 1000)
        assert not any(ord(ch) < 32 or ch in "\u200b\u202e" for ch in flat)
        assert flat == flat.strip() and "  " not in flat
        line = one_line(text, width)
        if cells(flat) <= width:
            assert line == flat
        else:
            assert line.endswith("…") and flat.startswith(line[:-1])
            assert width - 2 <= cells(line[:-1]) <= max(width - 1, 0)  # a wide character may not fit


def test_one_line_in_both_languages() -> None:
    assert one_line("What does\n  a ReLU\tcompute?", 40) == "What does a ReLU compute?"
    assert one_line("What does a ReLU compute?", 10) == "What does…"
    assert one_line("ReLU 计算什么？", 9) == "ReLU 计…"
    assert one_line("abc", 0) == one_line("abc", 1) == "…"
