"""Browser actions on many cards: each one logged, kept by a rebuild of the card cache from the
log, and seen by the queues; one card's history with intervals; custom study plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from search_fixtures import NOW, Clock, SearchWorld, make_world, review

from quizapp.search import QueryError
from quizapp.search.custom import custom_plan
from quizapp.srs.queue import build_queue
from quizapp.store import browse
from quizapp.store.records import NEW, REVIEW, to_ms
from quizapp.study.session import StudySession


@pytest.fixture
def world(tmp_path: Path) -> SearchWorld:
    w = make_world(tmp_path)
    review(w, "a-flash", 3, NOW - timedelta(days=20))
    review(w, "a-flash", 3, NOW - timedelta(days=20, minutes=-20))
    review(w, "a-flash", 3, NOW - timedelta(days=12))
    return w


def rebuilt_equals_cache(world: SearchWorld) -> None:
    before = {c.key: c for c in world.store.all_cards()}
    world.store.rebuild_cards()
    after = {c.key: c for c in world.store.all_cards()}
    assert after == before


def test_forget_goes_back_to_new_keeps_history_and_survives_a_rebuild(world: SearchWorld) -> None:
    store = world.store
    assert store.card("a-flash").state == REVIEW
    assert browse.forget_cards(store, ["a-flash", "b-wide"], NOW) == 1  # b-wide is new already
    state = store.card("a-flash")
    assert state.state == NEW and state.due is None and state.fsrs is None
    assert len(browse.card_history(store, "a-flash")) == 3
    rebuilt_equals_cache(world)
    assert store.card("a-flash").state == NEW


def test_a_review_after_forget_wins_and_undo_brings_forget_back(world: SearchWorld) -> None:
    store = world.store
    browse.forget_cards(store, ["a-flash"], NOW)
    session = StudySession(store, world.library, world.settings, plan_keys=["a-flash"],
                           clock=Clock(NOW + timedelta(minutes=5)))
    session.next_card()
    session.reveal()
    session.rate(3)
    assert store.card("a-flash").state != NEW
    rebuilt_equals_cache(world)
    assert session.undo()
    assert store.card("a-flash").state == NEW  # the forget mark applies again


def test_set_due_moves_studied_cards_only_and_survives_a_rebuild(world: SearchWorld) -> None:
    store = world.store
    due = NOW + timedelta(days=3)
    assert browse.set_due(store, ["a-flash", "b-wide"], due, NOW) == 1
    assert store.card("a-flash").due == to_ms(due)
    assert store.card("b-wide").state == NEW
    rebuilt_equals_cache(world)
    assert store.card("a-flash").due == to_ms(due)


def test_suspend_many_in_one_go_is_logged_and_leaves_the_queue(world: SearchWorld) -> None:
    store = world.store
    assert browse.suspend_cards(store, ["b-wide", "a-choice"], NOW) == 2
    assert browse.suspend_cards(store, ["b-wide"], NOW) == 0
    keys = {q.key for q in build_queue(store, world.settings, NOW)}
    assert "b-wide" not in keys and "a-choice" not in keys
    rebuilt_equals_cache(world)
    assert store.card("b-wide").suspended
    assert browse.unsuspend_cards(store, ["b-wide"], NOW) == 1
    assert "b-wide" in {q.key for q in build_queue(store, world.settings, NOW)}


def test_bury_keeps_a_card_out_until_its_day_ends(world: SearchWorld) -> None:
    store = world.store
    assert "b-wide" in {q.key for q in build_queue(store, world.settings, NOW)}
    browse.bury_cards(store, ["b-wide"], NOW, NOW + timedelta(hours=6))
    assert "b-wide" not in {q.key for q in build_queue(store, world.settings, NOW)}
    assert "b-wide" in {q.key for q in build_queue(store, world.settings, NOW + timedelta(hours=7))}
    browse.unbury_cards(store, ["b-wide"], NOW)
    assert "b-wide" in {q.key for q in build_queue(store, world.settings, NOW)}


def test_flags_latest_wins_and_zero_clears(world: SearchWorld) -> None:
    store = world.store
    assert browse.set_flag(store, ["a-flash", "b-wide"], 1, NOW) == 2
    assert browse.set_flag(store, ["a-flash"], 1, NOW) == 0
    browse.set_flag(store, ["b-wide"], 4, NOW + timedelta(seconds=1))
    ids = {store.card(k).id: k for k in ("a-flash", "b-wide")}
    assert {ids[c]: f for c, f in browse.flags(store).items()} == {"a-flash": 1, "b-wide": 4}
    browse.set_flag(store, ["a-flash"], 0, NOW + timedelta(seconds=2))
    assert {ids[c] for c in browse.flags(store)} == {"b-wide"}
    with pytest.raises(ValueError):
        browse.set_flag(store, ["a-flash"], 7, NOW)
    assert [a for _, a, _ in browse.marks_of(store, "a-flash")] == ["flag", "flag"]


def test_history_has_answers_verdicts_and_intervals(world: SearchWorld) -> None:
    history = browse.card_history(world.store, "a-flash")
    assert [h.rating for h in history] == [3, 3, 3]
    assert history[0].interval_ms is not None and history[0].interval_ms < 3_600_000  # a learning step
    assert history[-1].interval_ms > 86_400_000 and history[-1].stability > history[1].stability
    assert browse.card_history(world.store, "no-such-card") == []


def test_custom_plan_options(world: SearchWorld) -> None:
    review(world, "a-choice", 1, NOW - timedelta(hours=2))
    lib, store = world.library, world.store
    assert custom_plan(lib, store, "rated:1:1", NOW) == ["a-choice"]
    assert custom_plan(lib, store, "", NOW, forgotten=1) == ["a-choice"]
    assert "a-flash" not in custom_plan(lib, store, "", NOW, ahead=0)
    assert "a-flash" in custom_plan(lib, store, "", NOW, ahead=60)
    assert custom_plan(lib, store, "kind:flashcard", NOW, ahead=60) == ["a-flash"]
    browse.suspend_cards(store, ["a-choice"], NOW)
    assert custom_plan(lib, store, "rated:1:1", NOW) == []
    with pytest.raises(QueryError) as info:
        custom_plan(lib, store, "tag:", NOW)
    assert info.value.column == 5


def test_studying_ahead_reschedules_a_card_not_due(world: SearchWorld) -> None:
    store = world.store
    before = store.card("a-flash")
    assert before.due > to_ms(NOW + timedelta(days=1))
    session = StudySession(store, world.library, world.settings, plan_keys=["a-flash"], clock=Clock(NOW))
    card = session.next_card()
    assert card is not None and card.key == "a-flash"
    session.reveal()
    session.rate(3)
    assert session.next_card() is None
    assert store.card("a-flash").last_review == to_ms(NOW)


def test_practice_plan_changes_no_schedule(world: SearchWorld) -> None:
    store = world.store
    before = store.card("a-flash")
    session = StudySession(store, world.library, world.settings, plan_keys=["a-flash", "b-wide"],
                           practice=True, clock=Clock(NOW))
    seen = []
    while (card := session.next_card()) is not None:
        seen.append(card.key)
        session.reveal()
        session.rate(1)
    assert seen == ["a-flash", "b-wide"]
    # the schedule is the same; only when the card was last answered moves
    assert replace(store.card("a-flash"), last_answer=None) == replace(before, last_answer=None)
    assert store.card("b-wide").state == NEW
