"""Multiple-choice (one answer) and select-all-that-apply questions, answered by option letters."""

from __future__ import annotations

import re

from quizapp.checking.verdict import Verdict
from quizapp.deck.model import Item
from quizapp.i18n import Bilingual

LETTERS = "abcdefgh"


def option_letters(item: Item) -> list[str]:
    return list(LETTERS[: len(item.options)])


def parse_choice_input(text: str) -> frozenset[str] | None:
    """'a c', 'A,C', 'ac', 'c; a' -> {'a', 'c'}; None when anything else is typed."""
    cleaned = re.sub(r"[\s,;/、，；]+", "", text.strip().casefold())
    if not cleaned or any(ch not in LETTERS for ch in cleaned):
        return None
    return frozenset(cleaned)


def correct_letters(item: Item) -> frozenset[str]:
    return frozenset(letter for letter, opt in zip(LETTERS, item.options) if opt.correct)


def check_choice(item: Item, selected: frozenset[str]) -> Verdict:
    letters = set(option_letters(item))
    if not selected:
        return Verdict("invalid", note="invalid.empty", feedback=Bilingual("Choose an option first.", "请先选择选项。"))
    if not selected <= letters:
        bad = ", ".join(sorted(selected - letters))
        return Verdict("invalid", note="invalid.option",
                       feedback=Bilingual(f"No option {bad} here.", f"没有选项 {bad}。"))
    if item.kind == "choice" and len(selected) > 1:
        return Verdict("invalid", note="invalid.one-option",
                       feedback=Bilingual("Choose exactly one option.", "只能选一个选项。"))
    right = correct_letters(item)
    shown = " ".join(sorted(selected))
    if selected == right:
        return Verdict("correct", interpreted=shown, note=f"{item.kind}.correct", score=1.0,
                       feedback=Bilingual("Correct.", "正确。"))
    answer = " ".join(sorted(right))
    missed, extra = right - selected, selected - right
    if item.kind == "choice":
        note = "choice.wrong-option"
    elif missed and extra:
        note = "multi.missed-and-extra"
    elif missed:
        note = "multi.missed"
    else:
        note = "multi.extra"
    parts_en = [f"The answer is {answer}."]
    parts_zh = [f"正确答案是 {answer}。"]
    if missed:
        parts_en.append(f"Missed: {' '.join(sorted(missed))}.")
        parts_zh.append(f"漏选：{' '.join(sorted(missed))}。")
    if extra:
        parts_en.append(f"Should not be chosen: {' '.join(sorted(extra))}.")
        parts_zh.append(f"不该选：{' '.join(sorted(extra))}。")
    score = len(selected & right) / len(right | selected)
    return Verdict("wrong", interpreted=shown, note=note, score=score if item.kind == "multi" else 0.0,
                   feedback=Bilingual(" ".join(parts_en), "".join(parts_zh)))
