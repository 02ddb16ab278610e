"""find_cards: what each operator matches over a real store with a real study history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from search_fixtures import NOW, SearchWorld, make_world, review

from quizapp.search import CardIndex, find_cards, parse_query, sort_rows
from quizapp.store import browse

ALL = ["a-flash", "a-flash::reverse", "a-cloze::c1", "a-cloze::c2", "a-choice", "b-multi", "b-ex", "b-wide"]


@pytest.fixture
def world(tmp_path: Path) -> SearchWorld:
    w = make_world(tmp_path)
    # a-flash: learnt 5 days ago, a review overdue by 3 days; b-wide: a review due in 26 days;
    # a-choice: failed an hour ago (learning); b-multi: failed 3 days ago, Good 30 minutes ago
    # (still learning); a-cloze::c1: practised (no schedule change) 2 days ago.
    review(w, "a-flash", 3, NOW - timedelta(days=5))
    review(w, "a-flash", 3, NOW - timedelta(days=5, minutes=-20))
    review(w, "b-wide", 3, NOW - timedelta(days=20))
    review(w, "b-wide", 3, NOW - timedelta(days=20, minutes=-20))
    review(w, "b-wide", 4, NOW - timedelta(days=12))
    review(w, "a-choice", 1, NOW - timedelta(hours=1))
    review(w, "b-multi", 1, NOW - timedelta(days=3))
    review(w, "b-multi", 3, NOW - timedelta(minutes=30))
    review(w, "a-cloze::c1", 3, NOW - timedelta(days=2), practice=True)
    return w


def keys(world: SearchWorld, text: str) -> list[str]:
    return [row.key for row in find_cards(world.library, world.store, parse_query(text), NOW)]


def test_empty_query_lists_every_card_in_library_order(world: SearchWorld) -> None:
    assert keys(world, "") == ALL


@pytest.mark.parametrize(("text", "expected"), [
    ("relu", ["a-flash", "a-flash::reverse", "a-choice"]),
    ("RELU", ["a-flash", "a-flash::reverse", "a-choice"]),
    ("计算", ["a-flash", "a-flash::reverse"]),
    ("感受野", ["a-cloze::c1", "a-cloze::c2"]),
    ("full-width", ["b-wide"]),  # the card says ＦＵＬＬ－ＷＩＤＴＨ
    ("全角 文字", ["b-wide"]),  # both words (the card has an ideographic space between them)
    ('"全角 文字"', ["b-wide"]),  # the phrase, ideographic space folded to a space
    ("ｒｅｌｕ", ["a-flash", "a-flash::reverse", "a-choice"]),  # a full-width query
    ("σ(x)", ["b-wide"]),
    ("k − 1", ["a-cloze::c1", "a-cloze::c2"]),  # inside cloze markup
    ("grows by k", ["a-cloze::c1", "a-cloze::c2"]),  # across the markup
    ("step", ["a-cloze::c1", "a-cloze::c2"]),  # an alternative answer
    ("adaptive", ["a-choice"]),  # an option's explanation
    ("rec*field", ["a-cloze::c1", "a-cloze::c2", "b-ex"]),  # wildcard; b-ex is receptive_field
    ("receptive field", ["a-cloze::c1", "a-cloze::c2", "b-ex"]),
    ("nothing-like-this", []),
])
def test_free_text(world: SearchWorld, text: str, expected: list[str]) -> None:
    assert keys(world, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("topic:alpha", ALL[:5]),
    ("topic:ALPHA", ALL[:5]),
    ("deck:beta", ALL[5:]),
    ("topic:b*", ALL[5:]),
    ("topic:乙*", ALL[5:]),  # the Chinese title
    ('topic:"alpha basics"', ALL[:5]),  # the English title
    ("topic:alp", []),  # whole values only, unless a * says otherwise
    ("tag:followup", ["a-flash", "a-flash::reverse", "b-multi"]),
    ("tag:basics", ["a-flash", "a-flash::reverse"]),  # case-insensitive
    ("tag:f*", ["a-flash", "a-flash::reverse", "b-multi"]),
    ("tag:none", ["a-choice", "b-ex", "b-wide"]),
    ("kind:flashcard", ["a-flash", "a-flash::reverse", "b-wide"]),
    ("kind:cloze", ["a-cloze::c1", "a-cloze::c2"]),
    ("kind:choice", ["a-choice"]),
    ("kind:multi", ["b-multi"]),
    ("kind:exercise", ["b-ex"]),
    ("family:receptive_field", ["b-ex"]),
    ("family:rec*", ["b-ex"]),
    ("id:a-flash", ["a-flash", "a-flash::reverse"]),  # an item id: all its cards
    ("id:a-flash::reverse", ["a-flash::reverse"]),
    ("id:a-cloze::c*", ["a-cloze::c1", "a-cloze::c2"]),
    ("id:b-*", ALL[5:]),
])
def test_fields(world: SearchWorld, text: str, expected: list[str]) -> None:
    assert keys(world, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("is:new", ["a-flash::reverse", "a-cloze::c1", "a-cloze::c2", "b-ex"]),
    ("-is:new", ["a-flash", "a-choice", "b-multi", "b-wide"]),
    ("is:learning", ["a-choice", "b-multi"]),
    ("is:relearning", []),
    ("is:review", ["a-flash", "b-wide"]),
    ("is:due", ["a-flash", "a-choice", "b-multi"]),
    ("-is:due -is:new", ["b-wide"]),
    ("is:suspended", []),
    ("is:leech", []),
    ("is:buried", []),
    ("rated:1", ["a-choice", "b-multi"]),
    ("rated:1:1", ["a-choice"]),
    ("rated:4:1", ["a-choice", "b-multi"]),
    ("rated:3", ["a-cloze::c1", "a-choice", "b-multi"]),  # the practice answer counts
    ("rated:6:3", ["a-flash", "a-cloze::c1", "b-multi"]),
    ("rated:5:3", ["a-cloze::c1", "b-multi"]),
    ("rated:13:4", ["b-wide"]),
    ("rated:12:4", []),
    ("prop:reps>=2", ["a-flash", "b-multi", "b-wide"]),
    ("prop:reps=1", ["a-choice"]),
    ("prop:lapses>0", []),
    ("prop:r<=1", ["a-flash", "a-choice", "b-multi", "b-wide"]),  # new cards have no recall
    ("prop:r<0.9", ["a-flash"]),
    ("prop:due<0", ["a-flash"]),
    ("prop:due=-3", ["a-flash"]),
    ("prop:due<=0", ["a-flash", "a-choice", "b-multi"]),
    ("prop:due>0", ["b-wide"]),
    ("prop:due=26", ["b-wide"]),
    ("prop:due!=26", ["a-flash", "a-choice", "b-multi"]),
    ("prop:due>=27", []),
    ("prop:s>30", ["b-wide"]),
    ("prop:d>=1", ["a-flash", "a-choice", "b-multi", "b-wide"]),
    ("prop:ivl>=1", ["a-flash", "b-wide"]),
    ("prop:ivl>30", ["b-wide"]),
])
def test_states_answers_and_properties(world: SearchWorld, text: str, expected: list[str]) -> None:
    assert keys(world, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("tag:followup kind:flashcard", ["a-flash", "a-flash::reverse"]),
    ("tag:followup -kind:flashcard", ["b-multi"]),
    ("kind:choice or kind:multi", ["a-choice", "b-multi"]),
    ("(kind:choice or kind:multi) topic:beta", ["b-multi"]),
    ("-(kind:choice or kind:multi) -is:new", ["a-flash", "b-wide"]),
    ("relu or 感受野", ["a-flash", "a-flash::reverse", "a-cloze::c1", "a-cloze::c2", "a-choice"]),
    ("tag:followup rated:7:1", ["b-multi"]),
    ("-tag:followup -is:new", ["a-choice", "b-wide"]),
    ("topic:alpha and -relu", ["a-cloze::c1", "a-cloze::c2"]),
])
def test_combinations(world: SearchWorld, text: str, expected: list[str]) -> None:
    assert keys(world, text) == expected


def test_recall_is_the_recall_function_now(world: SearchWorld) -> None:
    from quizapp.forgetting import retrievability

    row = next(r for r in CardIndex(world.library, world.store, NOW).rows if r.key == "a-flash")
    state = world.store.card("a-flash")
    assert row.recall == retrievability(state.stability, state.last_review, int(NOW.timestamp() * 1000))
    later = CardIndex(world.library, world.store, NOW + timedelta(days=30))
    assert next(r for r in later.rows if r.key == "a-flash").recall < row.recall


def test_marks_are_searchable(world: SearchWorld) -> None:
    store = world.store
    browse.set_flag(store, ["b-wide"], 2, NOW)
    browse.suspend_cards(store, ["a-choice"], NOW)
    browse.bury_cards(store, ["b-multi"], NOW, NOW + timedelta(hours=3))
    assert keys(world, "flag:2") == ["b-wide"]
    assert keys(world, "flag:orange") == ["b-wide"]
    assert keys(world, "-flag:0") == ["b-wide"]
    assert keys(world, "is:suspended") == ["a-choice"]
    assert keys(world, "is:buried") == ["b-multi"]
    assert keys(world, "is:due") == ["a-flash"]  # suspended and buried cards are not due
    later = [r.key for r in find_cards(world.library, store, parse_query("is:buried"), NOW + timedelta(hours=4))]
    assert later == []


def test_one_index_answers_many_queries(world: SearchWorld) -> None:
    index = CardIndex(world.library, world.store, NOW)
    assert [r.key for r in index.find(parse_query("kind:cloze"))] == ["a-cloze::c1", "a-cloze::c2"]
    assert len(index.find(parse_query(""))) == len(ALL)


def test_sort_puts_cards_without_a_value_last_both_ways(world: SearchWorld) -> None:
    rows = find_cards(world.library, world.store, parse_query(""), NOW)
    up = [r.key for r in sort_rows(rows, "due")]
    down = [r.key for r in sort_rows(rows, "due", descending=True)]
    assert up[:4] == ["a-flash", "a-choice", "b-multi", "b-wide"]
    assert down[:4] == ["b-wide", "b-multi", "a-choice", "a-flash"]
    assert up[4:] == down[4:] == ["a-flash::reverse", "a-cloze::c1", "a-cloze::c2", "b-ex"]
    assert [r.key for r in sort_rows(rows, "kind")][:3] == ["a-choice", "a-cloze::c1", "a-cloze::c2"]
    with pytest.raises(ValueError):
        sort_rows(rows, "nope")


def test_cards_unknown_to_the_store_are_new(world: SearchWorld, tmp_path: Path) -> None:
    from quizapp.store import Store

    fresh = Store.open(tmp_path / "other")
    rows = find_cards(world.library, fresh, parse_query("is:new"), NOW)
    assert [r.key for r in rows] == ALL
    assert all(r.id == 0 for r in rows)
