"""The StudySession step: answer/verdict/proposed rating, undo, skip, exercises, summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from srs_fixtures import Env, FakeFamily, FrozenClock

from quizapp.checking.verdict import Verdict
from quizapp.store import Store
from quizapp.store.records import NEW, REVIEW, to_ms
from quizapp.study.session import StudyError, StudySession
from quizapp.timing import day_bounds


@pytest.fixture
def fake_family(monkeypatch):
    family = FakeFamily()
    import quizapp.exercises

    monkeypatch.setattr(quizapp.exercises, "get_family", lambda name: family)
    return family


def first_card(session, key):
    card = session.next_card()
    while card is not None and card.key != key:
        session.skip()
        card = session.next_card()
    assert card is not None, key
    return card


def test_choice_answer_proposes_rating_and_invalid_costs_nothing(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = first_card(session, "a-choice")
    assert card.options("en") == [("a", "not this"), ("b", "this")]
    assert card.options("zh") == [("a", "不是"), ("b", "是")]
    invalid = session.answer("zz")
    assert invalid.is_invalid and session.proposed_rating is None and card.verdict is None
    invalid = session.answer("c")  # not an option
    assert invalid.is_invalid and not card.revealed
    verdict = session.answer("a")
    assert verdict.status == "wrong" and session.proposed_rating == 1 and card.revealed
    with pytest.raises(StudyError):
        session.answer("b")
    result = session.rate()
    assert result.rating == 1
    row = env.store.reviews()[-1]
    assert (row.card_key, row.rating, row.status, row.note, row.answer) == (
        "a-choice", 1, "wrong", "choice.wrong-option", "a")


def test_correct_answers_propose_good_and_learner_may_change_it(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    first_card(session, "a-cloze::c1")
    assert session.answer(" TWO ").is_correct
    assert session.proposed_rating == 3
    assert session.rate(4).rating == 4
    card = first_card(session, "a-multi")
    assert session.answer("c,a").is_correct
    assert "✓" in card.back("en")


def test_flashcard_reveal_then_enter_means_good(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = session.next_card()
    assert card.key == "a-flash" and card.front("en") == "Front A" and card.back("en") == "Back A"
    with pytest.raises(StudyError):
        session.rate()  # not revealed yet
    with pytest.raises(StudyError):
        session.answer("x")
    session.reveal()
    assert session.rate().rating == 3


def test_reveal_without_answer_proposes_again(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    first_card(session, "a-cloze::c1")
    session.reveal()
    assert session.proposed_rating == 1


def test_intervals_for_the_buttons(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="gamma")
    session.next_card()
    intervals = session.intervals()
    assert intervals[1] == timedelta(minutes=1) and intervals[3] == timedelta(minutes=10)
    assert intervals[4] >= timedelta(days=1)


def test_undo_is_multi_level_and_restores_exactly(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    env.clock.advance(days=30)
    snapshots = {k: env.store.card(k) for k in ("b-0", "b-1", "b-2")}
    before_rows = env.store.review_count()
    session = env.session(topic="beta")
    answered = []
    for rating in (1, 3, 4):
        card = session.next_card()
        answered.append(card.key)
        session.reveal()
        session.rate(rating)
        env.clock.advance(seconds=20)
    assert env.store.card(answered[0]).lapses == 1
    pending = session.next_card().key  # a fourth card is showing
    for key in reversed(answered):
        assert session.undo()
        assert session.current.key == key
        assert session.current.verdict is None and not session.current.revealed
    assert not session.undo()
    for key, state in snapshots.items():
        assert env.store.card(key) == state
    assert env.store.review_count() == before_rows
    # the card that was showing before the undos comes back later in this session
    keys = []
    while (card := session.next_card()) is not None:
        keys.append(card.key)
        session.skip()
    assert pending in keys


def test_undo_of_a_leech_unsuspends(tmp_path):
    env = Env(tmp_path, leech_threshold=1)
    env.study(topic="gamma")
    env.clock.advance(days=30)
    before = env.store.card("g-one")
    session = env.session(topic="gamma")
    session.next_card()
    session.reveal()
    assert session.rate(1).suspended
    assert session.undo()
    assert env.store.card("g-one") == before


def test_undo_only_touches_this_sessions_rows(tmp_path):
    env = Env(tmp_path)
    one = env.session(topic="beta")
    two = env.session(topic="beta")
    one.next_card()
    one.reveal()
    one.rate(3)
    assert not two.undo()
    assert env.store.review_count() == 1


def test_skip_and_progress_and_limit(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="beta", limit=3)
    assert session.progress == (0, 3)
    first = session.next_card().key
    session.skip()
    assert session.next_card().key != first
    for _ in range(3):
        session.next_card()
        session.reveal()
        session.rate(3)
    assert session.next_card() is None
    assert session.progress == (3, 3)


def test_exercise_gets_a_fresh_seed_each_time_and_it_is_logged(tmp_path, fake_family):
    env = Env(tmp_path)
    session = env.session(topic="delta")
    card = session.next_card()
    assert card.kind == "exercise" and "mod 97" in card.front("en") and card.front("en").endswith("Answer as: an integer")
    assert session.answer("x").is_invalid
    assert session.answer("-1").status == "wrong"
    session.rate()
    card2 = session.next_card()  # the learning step brings it back with a new instance
    assert card2.instance.seed != card.instance.seed
    assert session.answer(card2.instance.answer_text).is_correct
    session.rate()
    rows = env.store.reviews()
    assert [r.seed for r in rows] == fake_family.seeds[:2]
    assert rows[0].note == "fake.off" and rows[0].family == "receptive_field"


def test_checker_is_injectable_and_its_crash_is_not_fatal(tmp_path, fake_family):
    env = Env(tmp_path)
    calls = []

    def checker(instance, text):
        calls.append(text)
        if text == "boom":
            raise RuntimeError("worker died")
        return Verdict("correct", note="ok")

    session = env.session(topic="delta", checker=checker)
    session.next_card()
    assert session.answer("boom").is_invalid
    assert session.answer("42").is_correct
    assert calls == ["boom", "42"]


def test_drill_runs_fresh_instances_without_scheduling(tmp_path, fake_family):
    env = Env(tmp_path)
    session = env.session(drill_family="receptive_field", limit=4)
    assert session.practice
    seeds = []
    while (card := session.next_card()) is not None:
        seeds.append(card.instance.seed)
        session.answer(card.instance.answer_text)
        session.rate()
    assert len(seeds) == 4 and len(set(seeds)) == 4
    assert env.store.card("d-rf").state == NEW
    assert all(r.practice for r in env.store.reviews())


def test_exercise_generation_failure_skips_the_card(tmp_path, monkeypatch):
    import quizapp.exercises

    def broken(name):
        raise RuntimeError("no such module")

    monkeypatch.setattr(quizapp.exercises, "get_family", broken)
    env = Env(tmp_path)
    session = env.session(topic="delta")
    assert session.next_card() is None
    assert session.problems and "d-rf" in session.problems[0]


def test_summary_counts_accuracy_time_and_mistakes(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    answers = {"a-cloze::c1": "nope", "a-choice": "a", "a-multi": "a"}
    answered = []  # counted here, not read back from the session's internals
    while (card := session.next_card()) is not None:
        env.clock.advance(seconds=30)
        answered.append(card.key)
        if card.kind == "flashcard":
            session.reveal()
            session.rate(3)
            continue
        text = answers.pop(card.key, None)
        if text is None:
            session.reveal()
            session.rate(3)
        else:
            session.answer(text)
            session.rate()
    assert answers == {}  # the three wrong answers were all given
    summary = session.summary()
    assert summary.answered == len(answered) >= 4
    assert summary.correct == len(answered) - 3
    assert summary.seconds == pytest.approx(30 * len(answered))
    notes = dict(summary.mistakes)
    assert sum(notes.values()) == 3 and notes["choice.wrong-option"] == 1 and notes["multi.missed"] == 1
    _, today_end = day_bounds(env.clock.now)
    _, tomorrow_end = day_bounds(today_end + timedelta(hours=1))
    due = [c.key for c in env.store.all_cards() if c.due is not None and c.due < to_ms(tomorrow_end)]
    assert 0 < summary.due_tomorrow == len(due)


def test_summary_accuracy_follows_the_verdict_not_the_rating(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    wrong_rated_good = 0
    while (card := session.next_card()) is not None:
        if card.kind in ("choice", "multi"):
            session.answer("a")
            if session.current is not None and session.current.verdict is not None \
                    and session.current.verdict.status == "wrong":
                wrong_rated_good += 1
            session.rate(3)  # the learner overrides the proposed Again
        else:
            session.reveal()
            session.rate(3)
    summary = session.summary()
    assert wrong_rated_good >= 1
    assert summary.correct == summary.answered - wrong_rated_good


def test_duration_is_capped(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="gamma")
    session.next_card()
    env.clock.advance(hours=2)
    session.reveal()
    session.rate(3)
    assert env.store.reviews()[-1].duration_ms == 180_000


def test_answer_committed_state_is_in_the_store(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="gamma")
    session.next_card()
    session.reveal()
    result = session.rate(4)
    card = env.store.card("g-one")
    assert card.state == REVIEW and result.due is not None
    assert card.due == int(result.due.timestamp() * 1000)


def test_answer_committed_after_another_window_is_logged_after_it(tmp_path):
    """Two windows show the same card; the one whose clock reads earlier (it read the time, then
    waited for the write lock) commits last. The log must keep commit order, or rebuilding the
    cache (and undo) would replay the two answers the wrong way round."""
    env = Env(tmp_path)
    other_store = Store.open(tmp_path / "data")
    behind = FrozenClock(env.clock.now - timedelta(seconds=2))
    mine = env.session(topic="gamma")
    theirs = StudySession(other_store, env.lib, env.settings, topic="gamma", clock=behind)
    assert mine.next_card().key == theirs.next_card().key == "g-one"
    mine.reveal()
    mine.rate(1)  # new -> learning
    theirs.reveal()
    theirs.rate(4)  # committed last, scheduled from the learning state
    cached = env.store.card("g-one")
    assert cached.state == REVIEW
    assert env.store.computed_cards() == env.store.all_cards()
    ts = [r.ts for r in env.store.reviews("g-one")]
    assert ts == sorted(ts) and len(ts) == 2
    assert theirs.undo()
    assert env.store.card("g-one").state not in (NEW, REVIEW)  # back to mine: learning
    other_store.close()
