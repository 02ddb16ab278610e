"""The StudySession step: answer/verdict/proposed rating, undo, skip, exercises, summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from srs_fixtures import TOPIC_PARTS, Env, FakeFamily, FrozenClock

from quizapp.checking.verdict import Verdict
from quizapp.store import Store
from quizapp.store.records import NEW, REVIEW, to_ms
from quizapp.study.cards import Choice, Exercise, Flashcard
from quizapp.study.checker import InProcessChecker
from quizapp.study.session import Remaining, StudyError, StudySession
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


def letter_of(card, text: str) -> str:
    """The letter this review shows an option under (options are shuffled per review)."""
    return next(o.letter for o in card.view.options if o.text.en == text)


def test_choice_answer_proposes_rating_and_invalid_costs_nothing(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = first_card(session, "a-choice")
    assert isinstance(card.view, Choice) and not card.view.multi
    assert sorted((o.text.en, o.text.zh) for o in card.view.options) == [("not this", "不是"), ("this", "是")]
    invalid = session.answer("zz")
    assert invalid.is_invalid and card.proposed is None and card.verdict is None
    invalid = session.answer("c")  # not an option
    assert invalid.is_invalid and card.phase == "question"
    wrong = letter_of(card, "not this")
    verdict = session.answer(wrong)
    assert verdict.status == "wrong" and card.proposed == 1 and card.phase == "answered"
    right = letter_of(card, "this")
    assert verdict.feedback.en == f"You chose {wrong}; the answer is {right}."
    with pytest.raises(StudyError):
        session.answer(right)
    result = session.rate()
    assert result.rating == 1
    row = env.store.reviews()[-1]
    assert (row.card_key, row.rating, row.status, row.note, row.answer) == (
        "a-choice", 1, "wrong", "choice.wrong-option", wrong)
    assert row.seed == card.seed  # the shuffle is logged: the log replays what was shown


def test_choice_options_are_shuffled_per_review_from_the_logged_seed(tmp_path):
    from quizapp.study.cards import build_view

    env = Env(tmp_path)
    ref = env.lib.card("a-multi")
    card = first_card(env.session(topic="alpha"), "a-multi")
    orders = {tuple(o.source for o in build_view(ref, card.view.meta, seed=seed, instance=None).options)
              for seed in range(40)}
    assert len(orders) == 6  # every order of three options turns up
    again = build_view(ref, card.view.meta, seed=card.seed, instance=None)
    assert again == card.view  # the same seed shows the same order


def test_multi_feedback_is_one_sentence_in_the_letters_shown(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = first_card(session, "a-multi")
    one, two, three = (letter_of(card, t) for t in ("one", "two", "three"))
    verdict = session.answer(f"{one} {two}")
    assert verdict.note == "multi.missed-and-extra"
    answer = ", ".join(sorted((one, three)))
    assert verdict.feedback.en == f"The answer is {answer}: you missed {three} and {two} should not be chosen."


def test_correct_answers_propose_good_and_learner_may_change_it(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = first_card(session, "a-cloze::c1")
    assert session.answer(" TWO ").is_correct
    assert card.proposed == 3
    assert session.rate(4).rating == 4
    card = first_card(session, "a-multi")
    assert session.answer(" ".join(o.letter for o in card.view.options if o.correct)).is_correct


def test_flashcard_reveal_then_enter_means_good(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = session.next_card()
    assert card.key == "a-flash" and isinstance(card.view, Flashcard)
    assert (card.view.front.en, card.view.back.en) == ("Front A", "Back A")
    with pytest.raises(StudyError):
        session.rate()  # not revealed yet
    with pytest.raises(StudyError):
        session.answer("x")
    session.reveal()
    assert session.rate().rating == 3


def test_reveal_without_answer_proposes_again_and_is_logged_as_not_known(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = first_card(session, "a-cloze::c1")
    session.reveal()
    assert card.proposed == 1 and card.gave_up and card.must_rate
    session.rate(3)  # the learner may still say Good, but it was not answered
    row = env.store.reviews()[-1]
    assert (row.status, row.note) == ("wrong", "generic.gave-up")
    assert session.summary().correct == 0


def test_a_checked_answer_cannot_be_skipped_or_undone_away(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    first_card(session, "a-choice")
    session.next_card()
    card = session.current
    session.answer(letter_of(card, "not this"))
    with pytest.raises(StudyError):
        session.skip()
    with pytest.raises(StudyError):
        session.undo()
    assert env.store.reviews() == []
    summary = session.end()  # ending records it with the proposed rating
    row = env.store.reviews()[-1]
    assert (row.card_key, row.rating, row.status) == ("a-choice", 1, "wrong")
    assert summary.answered == 1 and summary.correct == 0 and summary.ended_early


def test_a_revealed_flashcard_may_still_be_skipped_and_is_not_recorded_on_end(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    assert session.next_card().key == "a-flash"
    session.reveal()
    assert not session.current.must_rate
    session.skip()
    assert session.next_card().key != "a-flash"
    gamma = env.session(topic="gamma")
    gamma.next_card()
    gamma.reveal()
    assert gamma.end().answered == 0
    assert env.store.reviews() == []


def test_remaining_counts_new_learning_review_and_shrink_as_cards_are_done(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="gamma")
    session.next_card()
    assert session.remaining() == Remaining(new=1, learning=0, review=0)
    session.reveal()
    session.rate(3)  # new -> learning, back in 10 minutes (within the look-ahead)
    assert session.remaining() == Remaining(new=0, learning=1, review=0)
    card = session.next_card()
    assert card.view.meta.state == "learning"
    session.reveal()
    session.rate(3)  # graduates
    assert session.remaining() == Remaining(0, 0, 0)
    assert session.next_card() is None
    summary = session.end()
    assert not summary.ended_early


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
        assert session.current.verdict is None and session.current.phase == "question"
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


def test_skip_and_remaining_and_limit(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="beta", limit=3)
    assert session.remaining() == Remaining(new=3, learning=0, review=0)
    first = session.next_card().key
    session.skip()
    assert session.next_card().key != first
    for _ in range(3):
        session.next_card()
        session.reveal()
        session.rate(3)
    assert session.next_card() is None
    assert session.answered == 3


def test_exercise_gets_a_fresh_seed_each_time_and_it_is_logged(tmp_path, fake_family):
    env = Env(tmp_path)
    session = env.session(topic="delta")
    card = session.next_card()
    assert isinstance(card.view, Exercise) and "mod 97" in card.view.prompt.en
    assert card.view.answer_hint.en == "an integer"  # the front ends word "Answer as"
    assert session.answer("x").is_invalid
    assert session.answer("-1").status == "wrong"
    session.rate()
    card2 = session.next_card()  # the learning step brings it back with a new instance
    assert card2.view.instance.seed != card.view.instance.seed
    assert session.answer(card2.view.instance.answer_text).is_correct
    session.rate()
    rows = env.store.reviews()
    assert [r.seed for r in rows] == fake_family.seeds[:2]
    assert rows[0].note == "fake.off" and rows[0].family == "receptive_field"


def test_checker_is_injectable_and_its_crash_is_not_fatal(tmp_path, fake_family):
    env = Env(tmp_path)
    calls = []

    class Checker(InProcessChecker):
        def check_instance(self, instance, text):
            calls.append(text)
            if text == "boom":
                raise RuntimeError("worker died")
            return Verdict("correct", note="ok")

    session = env.session(topic="delta", checker=Checker())
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
        seeds.append(card.view.instance.seed)
        session.answer(card.view.instance.answer_text)
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
        if isinstance(card.view, Flashcard):
            session.reveal()
            session.rate(3)
            continue
        text = answers.pop(card.key, None)
        if text is None:
            right = ([o.letter for o in card.view.options if o.correct] if isinstance(card.view, Choice)
                     else [{"a-cloze::c1": "two", "a-cloze::c2": "four"}[card.key]])
            assert session.answer(" ".join(right)).is_correct
        else:
            letter = {"a-choice": "not this", "a-multi": "one"}.get(card.key)
            session.answer(letter_of(card, letter) if letter else text)
        session.rate()
    assert answers == {}  # the three wrong answers were all given
    summary = session.summary()
    assert summary.answered == len(answered) >= 4
    assert summary.correct == len(answered) - 3
    assert summary.seconds == pytest.approx(30 * len(answered))
    notes = {m.note: n for m, n in summary.mistakes}
    assert sum(notes.values()) == 3 and notes["choice.wrong-option"] == 1 and notes["multi.missed"] == 1
    assert all(m.family == "" for m, _ in summary.mistakes)
    _, today_end = day_bounds(env.clock.now)
    _, tomorrow_end = day_bounds(today_end + timedelta(hours=1))
    due = [c.key for c in env.store.all_cards()
           if c.due is not None and to_ms(today_end) <= c.due < to_ms(tomorrow_end)]
    assert summary.due_tomorrow == len(due)


def test_due_tomorrow_leaves_out_cards_due_again_today(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="gamma")
    session.next_card()
    session.reveal()
    session.rate(1)  # learning: due again in a minute, today
    assert env.store.card("g-one").due is not None
    assert session.end().due_tomorrow == 0


def test_summary_accuracy_follows_the_verdict_not_the_rating(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    wrong_rated_good = 0
    while (card := session.next_card()) is not None:
        if isinstance(card.view, Choice):
            wrong = next(o.letter for o in card.view.options if not o.correct)
            session.answer(wrong)
            assert card.verdict.status == "wrong"
            wrong_rated_good += 1
            session.rate(3)  # the learner overrides the proposed Again
        elif isinstance(card.view, Flashcard):
            session.reveal()
            session.rate(3)
        else:  # a cloze, answered right
            assert session.answer({"a-cloze::c1": "two", "a-cloze::c2": "four"}[card.key]).is_correct
            session.rate()
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


def test_multi_part_exercise_carries_a_wrong_part_forward_and_logs_every_part(tmp_path):
    """A slip in part one, a second part consistent with it: the second is correct "from your
    value", the card is proposed Again (the weakest part), and the log has both parts."""
    from quizapp.deck import load_library

    env = Env(tmp_path)
    (tmp_path / "content" / "parts.yaml").write_text(TOPIC_PARTS, encoding="utf-8")
    env.lib = load_library([tmp_path / "content"], include_builtin=False)
    env.store.sync_library(env.lib)
    session = env.session(topic="parts")
    card = session.next_card()
    instance = card.view.instance
    assert [p.id for p in instance.parts] == ["size", "params", "flops"]
    assert card.part is instance.parts[0]
    wrong_size = int(instance.parts[0].answer_text) + 1
    assert session.answer("??").is_invalid and card.parts == []  # costs nothing
    first = session.answer(str(wrong_size))
    assert first.status == "wrong" and card.phase == "question" and card.part is instance.parts[1]
    assert session.answer(instance.parts[1].answer_text).is_correct  # params do not use the size
    chain = instance.chain
    own = chain.values({instance.parts[0].steps[0]: wrong_size})
    third = session.answer(str(int(own[instance.parts[2].steps[0]])))
    assert third.is_correct and "from your value" in third.feedback.en
    assert card.phase == "answered" and card.proposed == 1 and card.verdict.status == "wrong"
    session.rate()
    row = env.store.reviews()[-1]
    assert [(p.status, p.note) for p in row.parts] == [
        ("wrong", first.note), ("correct", ""), ("correct", "ecf.own-value")]
    assert [p.answer for p in row.parts] == [str(wrong_size), instance.parts[1].answer_text,
                                             str(int(own[instance.parts[2].steps[0]]))]
    assert row.params == {"parts": True} and row.seed == instance.seed


def test_bury_sets_the_card_aside_until_the_next_study_day(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    assert session.next_card().key == "a-flash"
    session.set_aside("bury")
    assert session.next_card().key != "a-flash"
    assert env.store.reviews() == []  # nothing was answered: nothing recorded
    assert "a-flash" not in env.plan_keys(topic="alpha")  # a new session today leaves it out
    env.clock.advance(days=1)
    assert "a-flash" in env.plan_keys(topic="alpha")  # back on the next study day


def test_a_card_buried_in_another_window_is_not_shown_by_a_running_session(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    first = session.next_card().key
    others = [k for k in env.plan_keys(topic="alpha") if k != first]
    env.store.bury(others[0], now=env.clock())
    session.skip()
    assert session.next_card().key != others[0]


def test_suspending_a_checked_answer_records_it_first(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = first_card(session, "a-choice")
    session.answer(letter_of(card, "not this"))
    session.set_aside("suspend")
    row = env.store.reviews()[-1]
    assert (row.card_key, row.rating, row.status) == ("a-choice", 1, "wrong")
    assert env.store.card("a-choice").suspended and session.current is None


def test_flag_toggles_and_keeps_the_card_on_show(tmp_path):
    env = Env(tmp_path)
    session = env.session(topic="alpha")
    card = session.next_card()
    assert session.toggle_flag() == 1 and env.store.card(card.key).flag == 1
    assert session.current is card
    assert session.toggle_flag() == 0 and env.store.card(card.key).flag == 0
    assert [e[2] for e in env.store.events(card.key)] == ["flag", "flag"]
