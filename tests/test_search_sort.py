"""sort_rows: every column, both directions, against the rule it promises (cards without a value
last both ways, ties in the rows' own order), over rows with many ties and missing values."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest

from quizapp.search import SORT_COLUMNS, CardRow, sort_rows
from quizapp.search.cards import pack_sort_keys
from quizapp.timing import DAY_MS

NOW_MS = 1_773_144_000_000


def value_of(row: CardRow, column: str) -> Any:
    """The column's value as a learner reads it (None: the card has none)."""
    return {
        "key": row.key, "topic": row.topic_id, "kind": row.kind, "state": row.state, "reps": row.reps,
        "lapses": row.lapses, "due": row.due, "interval": row.interval_days, "stability": row.stability,
        "difficulty": row.difficulty, "recall": row.recall, "flag": row.flag or None,
    }[column]


def by_the_rule(rows: list[CardRow], column: str, descending: bool) -> list[CardRow]:
    """Written from the promise, not from sort_rows: stable sort of the cards with a value, then
    the others in their order."""
    if column == "order":
        return rows[::-1] if descending else list(rows)
    present = [r for r in rows if value_of(r, column) is not None]
    missing = [r for r in rows if value_of(r, column) is None]
    # Python's sort with reverse=True is stable too: equal values keep the rows' order.
    return sorted(present, key=lambda r: value_of(r, column), reverse=descending) + missing


def some_rows(n: int, seed: int) -> list[CardRow]:
    """New cards (no due, no recall), studied ones, and values drawn from small sets (ties)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        ref = SimpleNamespace(key=f"c{rng.randrange(n // 3)}", topic=SimpleNamespace(id=rng.choice("xyz")),
                              item=SimpleNamespace(kind=rng.choice(("flashcard", "cloze", "exercise"))))
        flag = rng.choice((0, 0, 1, 2, 4))
        if rng.random() < 0.25:
            rows.append(CardRow(ref, 0, 0, None, None, None, None, 0, 0, False, False, flag, False, None))  # type: ignore[arg-type]
            continue
        last = NOW_MS - rng.randrange(30) * DAY_MS
        due = last + rng.choice((10 * 60_000, DAY_MS, 3 * DAY_MS, 3 * DAY_MS + 1))
        stability = rng.choice((None, 0.5, 2.0, 2.0, 31.25))
        recall = None if stability is None else rng.choice((0.5, 0.9, 0.9, rng.random()))
        rows.append(CardRow(ref, i + 1, rng.choice((0, 1, 2, 3)), due, stability, rng.choice((None, 5.0, 7.5)),  # type: ignore[arg-type]
                            rng.choice((None, last)), rng.randrange(4), rng.randrange(3), False, False, flag,
                            False, recall))
    return rows


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_every_column_sorts_by_the_rule(column: str, descending: bool) -> None:
    for seed in range(5):
        rows = some_rows(300, seed)
        got = sort_rows(rows, column, descending=descending)
        assert [id(r) for r in got] == [id(r) for r in by_the_rule(rows, column, descending)], (column, seed)


@pytest.mark.parametrize("column", ["due", "recall", "interval", "flag"])
def test_a_re_sort_keeps_the_previous_order_among_ties(column: str) -> None:
    """Sorting the browser's current results by another column: equal values stay in the order
    the first sort gave (what the learner sees as a second sort key)."""
    rows = some_rows(300, 11)
    first = sort_rows(rows, "lapses", descending=True)
    second = sort_rows(first, column, descending=True)
    assert [id(r) for r in second] == [id(r) for r in by_the_rule(first, column, True)]
    tied = [r for r in second if value_of(r, column) is None]
    assert tied and [r.lapses for r in tied] == sorted((r.lapses for r in tied), reverse=True)


@pytest.mark.parametrize("descending", [False, True])
def test_all_missing_or_none_missing_or_empty(descending: bool) -> None:
    rows = some_rows(200, 3)
    new = [r for r in rows if r.due is None]
    studied = [r for r in rows if r.recall is not None]
    assert new and studied
    assert sort_rows(new, "due", descending=descending) == new
    assert sort_rows(studied, "recall", descending=descending) == by_the_rule(studied, "recall", descending)
    assert sort_rows([], "recall", descending=descending) == []


def test_packing_the_sort_keys_changes_no_order() -> None:
    """The browser re-makes the keys in the background (CardIndex.warm): same values, same orders,
    including while a re-sort runs on rows packed half-way."""
    rows = some_rows(300, 5)
    before = {(c, d): sort_rows(rows, c, descending=d) for c in SORT_COLUMNS for d in (False, True)}
    keys = [(r.due_key, r.recall_key, r.interval_key, r.stability_key, r.difficulty_key, r.flag_key) for r in rows]
    pack_sort_keys(rows[:150])
    assert sort_rows(rows, "due", descending=True) == before["due", True]
    pack_sort_keys(rows)
    assert [(r.due_key, r.recall_key, r.interval_key, r.stability_key, r.difficulty_key, r.flag_key)
            for r in rows] == keys
    assert rows[0].recall_key is not keys[0][1]  # made again, not the same objects
    assert {(c, d): sort_rows(rows, c, descending=d) for c in SORT_COLUMNS for d in (False, True)} == before
