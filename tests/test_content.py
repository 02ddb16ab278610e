"""The shipped content: validates, meets the counts of the content issue, reads well in a terminal."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from quizapp.deck import load_library
from quizapp.deck.library import Library
from quizapp.i18n import Bilingual

SEED_ORDER = [
    "backpropagation", "moving-average", "fine-tuning", "flops", "fps", "cnn-vs-transformer",
    "pytorch-graph", "cnn-overfitting", "receptive-field", "ai-ml-dl", "problem-types",
    "weight-sharing", "spatial-invariance", "data-normalization", "growing-loss",
]
LATEX_RE = re.compile(r"\\(frac|sigma|partial|sum|cdot|times|mathbb|mathrm|left|right|sqrt|alpha|beta|theta|delta|lambda|eta|in|le|ge|text)\b|\$[^$\n]+\$|\\\(|\\\[")
HTML_RE = re.compile(r"<(font|br|h\d|img|div|span)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def all_texts(lib: Library) -> list[tuple[str, Bilingual]]:
    found: list[tuple[str, Bilingual]] = []
    for topic in lib.topics:
        found += [(f"{topic.id}.title", topic.title), (f"{topic.id}.summary", topic.summary), (f"{topic.id}.notes", topic.notes)]
        for item in topic.items:
            for name in ("front", "back", "text", "extra", "question"):
                value = getattr(item, name)
                if value is not None:
                    found.append((f"{item.id}.{name}", value))
            for i, opt in enumerate(item.options):
                found += [(f"{item.id}.options[{i}].text", opt.text), (f"{item.id}.options[{i}].why", opt.why)]
    return found


def test_shipped_content_validates(lib: Library) -> None:
    assert [str(p) for p in lib.problems] == []


def test_fifteen_topics_in_seed_order(lib: Library) -> None:
    assert [t.id for t in lib.topics] == SEED_ORDER
    assert [t.order for t in lib.topics] == list(range(1, 16))


def test_counts_per_topic(lib: Library) -> None:
    assert sum(len(t.items) for t in lib.topics) >= 240
    for topic in lib.topics:
        kinds = Counter(item.kind for item in topic.items)
        assert len(topic.items) >= 14, topic.id
        assert len(kinds) >= 3, (topic.id, kinds)
        followups = [i.id for i in topic.items if "followup" in i.tags]
        assert len(followups) >= 2, (topic.id, followups)
        assert topic.notes.en.strip() and topic.notes.zh.strip(), topic.id
    with_exercises = [t.id for t in lib.topics if any(i.kind == "exercise" for i in t.items)]
    assert len(with_exercises) >= 13, with_exercises


def test_every_family_is_used(lib: Library) -> None:
    from quizapp.exercises.catalog import CATALOG

    used = {item.family for item in lib.items.values() if item.kind == "exercise" and item.exercise is None}
    assert used <= set(CATALOG)
    assert set(CATALOG) == used, f"families no content item uses: {sorted(set(CATALOG) - used)}"


def test_no_latex_or_html_and_both_languages_written(lib: Library) -> None:
    bad: list[str] = []
    for where, text in all_texts(lib):
        for lang in ("en", "zh"):
            value = text.get(lang)
            if LATEX_RE.search(value) or HTML_RE.search(value):
                bad.append(f"{where}.{lang}: {value[:60]!r}")
        # Chinese text must contain Chinese (not an English copy), except for pure formulas/names
        # (a formula such as "δⱼ = oⱼ(1 − oⱼ) · Σₖ δₖ wⱼₖ" is the same in both languages).
        if len(text.zh) > 25 and not re.search(r"[\u4e00-\u9fff]", text.zh) and re.search(r"[A-Za-z]{3,}", text.zh):
            bad.append(f"{where}.zh has no Chinese")
    assert bad == []


def test_markdown_and_brackets_balanced(lib: Library) -> None:
    bad: list[str] = []
    for where, text in all_texts(lib):
        for lang in ("en", "zh"):
            value = text.get(lang)
            if value.count("```") % 2:
                bad.append(f"{where}.{lang}: unbalanced code fence")
            for open_, close in ("()", "[]", "（）"):
                # half-open intervals like [0, 1) are legitimate; only flag gross imbalance
                if abs(value.count(open_) - value.count(close)) > 1:
                    bad.append(f"{where}.{lang}: unbalanced {open_}{close}")
    assert bad == []


def test_seed_corrections_are_flagged(lib: Library) -> None:
    corrections = [i.id for i in lib.items.values() if "seed-correction" in i.tags]
    assert len(corrections) >= 8
    flagged_notes = [t.id for t in lib.topics if "原资料" in t.notes.zh or "source" in t.notes.en.lower()]
    assert len(flagged_notes) >= 6


@pytest.mark.slow
def test_every_exercise_item_checks_its_own_answer(lib: Library) -> None:
    from quizapp.exercises import generate_item

    for item in lib.items.values():
        if item.kind != "exercise":
            continue
        # The content issue asks for 50 seeds per shipped item (the families' own tests vary more);
        # generate_item covers YAML exercises in the shipped topics too.
        for seed in range(50):
            inst = generate_item(item, seed)
            verdict = inst.check(inst.answer_text)
            assert verdict.status == "correct", (item.id, seed, inst.answer_text, verdict)
