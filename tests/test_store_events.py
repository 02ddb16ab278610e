"""Hand-made changes are log events the rebuild replays; FSRS parameter changes keep rebuild ==
cache; the fitter's stream of per-card histories."""

from __future__ import annotations

from datetime import timedelta

from srs_fixtures import Env

from quizapp.store.records import NEW, REVIEW


def studied(tmp_path) -> Env:  # noqa: ANN001
    env = Env(tmp_path)
    env.study(topic="beta")
    env.clock.advance(days=3)
    env.study(topic="beta")
    return env


def test_each_event_changes_the_card_and_survives_a_rebuild(tmp_path):
    env = studied(tmp_path)
    store, now = env.store, env.clock.now
    assert store.flag("b-0", 3, now=now) and store.card("b-0").flag == 3
    assert not store.flag("b-0", 3, now=now)  # nothing to do: nothing logged
    assert store.bury("b-1", now=now) and store.card("b-1").buried is not None
    assert "b-1" not in env.plan_keys(topic="beta") and "b-1" not in [
        k for k in env.plan_keys()]  # out of today's queue...
    env.clock.advance(days=1)
    assert store.card("b-1").buried is not None  # ...and back the next study day
    due = now + timedelta(days=30)
    assert store.set_due("b-2", due, now=now) and store.card("b-2").due == int(due.timestamp() * 1000)
    history = store.card("b-3").reps
    assert history and store.forget("b-3", now=now)
    forgotten = store.card("b-3")
    # Anki's Forget: back to new, repetitions and lapses kept with the history
    assert (forgotten.state, forgotten.reps, forgotten.due, forgotten.stability) == (NEW, history, None, None)
    assert len(store.reviews("b-3")) == history  # history kept
    assert not store.forget("b-3", now=now) and not store.set_due("b-3", due, now=now)  # new: nothing to do
    cache = store.all_cards()
    assert store.computed_cards() == cache
    store.rebuild_cards()
    assert store.all_cards() == cache
    assert [(k, a) for k, _ts, a, _v in store.events()] == [
        ("b-0", "flag"), ("b-1", "bury"), ("b-2", "set_due"), ("b-3", "forget")]


def test_forget_and_set_due_cut_the_histories_a_fit_reads(tmp_path):
    env = studied(tmp_path)
    env.store.forget("b-0", now=env.clock.now)
    env.store.set_due("b-1", env.clock.now + timedelta(days=5), now=env.clock.now)
    histories = {h.key: h for h in env.store.card_histories()}
    assert set(histories) == {f"b-{i}" for i in range(6)}
    b0, b2 = histories["b-0"], histories["b-2"]
    assert len(b0.cuts) == 1 and b0.cuts[0] > b0.reviews[-1].ts and len(histories["b-1"].cuts) == 1
    assert b2.cuts == () and [e.ts for e in b2.reviews] == sorted(e.ts for e in b2.reviews)
    assert [e.rating for e in b2.reviews] == [r.rating for r in env.store.reviews("b-2")]
    assert all(e.day >= 0 for e in b2.reviews) and b2.reviews[0].state == NEW


def test_new_parameters_keep_rebuild_equal_to_the_cache(tmp_path):
    env = studied(tmp_path)
    store = env.store
    weights = [0.3] * 20 + [0.25]
    studied_cards = [c for c in store.all_cards() if c.state != NEW]
    # a fit recomputes every studied card's memory state in one pass over the log
    states = [(c.id, c.stability * 2, 7.5) for c in studied_cards]
    store.adopt_parameters(weights, states, now=env.clock.now)
    assert store.parameters() == weights and store.decay() == 0.25
    assert all(store.card_by_id(c.id).difficulty == 7.5 for c in studied_cards)
    assert store.computed_cards() == store.all_cards()
    adopted = int(env.clock.now.timestamp() * 1000)
    env.clock.advance(days=20)
    done = env.study(topic="beta", limit=2)  # answers after the change are logged with their own state
    assert done
    cache = store.all_cards()
    assert store.computed_cards() == cache
    store.rebuild_cards()
    assert store.all_cards() == cache
    for card in cache:
        if card.state == REVIEW and card.last_review > adopted:  # from its last answer, not the snapshot
            last = store.reviews(card.key)[-1]
            assert (card.stability, card.difficulty) == (last.stability, last.difficulty)
