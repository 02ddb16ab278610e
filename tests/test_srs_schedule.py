"""Scheduling over days and weeks with a frozen clock: states, limits, siblings, leeches, practice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from srs_fixtures import BETA_ITEMS, Env

from quizapp.srs.queue import Queued, interleave
from quizapp.store.records import LEARNING, NEW, RELEARNING, REVIEW, to_ms
from quizapp.timing import day_bounds

BETA = [f"b-{i}" for i in range(BETA_ITEMS)]


def next_day(env: Env, days: int = 1) -> None:
    """Jump to 12:00 local-ish of a later study day (well past the 04:00 rollover)."""
    env.clock.advance(days=days)


def test_new_card_goes_through_learning_to_review_and_intervals_grow(tmp_path):
    env = Env(tmp_path)
    done = env.study(topic="gamma")
    # new -> Good (10 min step) -> learn-ahead brings it back -> Good graduates it
    assert [k for k, _ in done] == ["g-one", "g-one"]
    assert done[0][1].interval == timedelta(minutes=10)
    card = env.store.card("g-one")
    assert card.state == REVIEW and card.reps == 2
    first_interval = done[1][1].interval
    assert first_interval >= timedelta(days=1)
    # nothing more today
    assert env.plan_keys(topic="gamma") == []
    intervals = [first_interval]
    for _ in range(4):
        env.clock.now = datetime.fromtimestamp(env.store.card("g-one").due / 1000, tz=UTC) + timedelta(minutes=1)
        ((key, result),) = env.study(topic="gamma")
        assert key == "g-one"
        intervals.append(result.interval)
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0] * 4


def test_lapse_goes_to_relearning_and_comes_back_in_the_session(tmp_path):
    env = Env(tmp_path)
    env.study(topic="gamma")
    env.clock.now = datetime.fromtimestamp(env.store.card("g-one").due / 1000, tz=UTC)
    ratings = iter([1, 3])
    done = env.study(lambda card: next(ratings), topic="gamma")
    assert [k for k, _ in done] == ["g-one", "g-one"]
    assert done[0][1].interval == timedelta(minutes=10)  # the relearning step
    card = env.store.card("g-one")
    assert card.state == REVIEW and card.lapses == 1


def test_relearning_state_after_again(tmp_path):
    env = Env(tmp_path)
    env.study(topic="gamma")
    env.clock.now = datetime.fromtimestamp(env.store.card("g-one").due / 1000, tz=UTC)
    session = env.session(topic="gamma")
    card = session.next_card()
    assert card.view.meta.state == "review"
    session.reveal()
    session.rate(1)
    assert env.store.card("g-one").state == RELEARNING
    assert session.next_card().view.meta.state == "relearning"


def test_come_back_next_day_finds_exactly_the_due_cards(tmp_path):
    env = Env(tmp_path)
    # Day 0: learn all of beta; Again on b-0 the first time so it gets a shorter interval.
    first = set()

    def rating(card):
        if card.key == "b-0" and card.key not in first:
            first.add(card.key)
            return 1
        return 3 if card.key != "b-5" else 4

    env.study(rating, topic="beta")
    states = {k: env.store.card(k) for k in BETA}
    assert all(s.state == REVIEW for s in states.values())
    for day in range(1, 30):
        env.clock.now = datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(days=day)
        _, end = day_bounds(env.clock.now)
        expected = {k for k in BETA if env.store.card(k).due < to_ms(end)}
        planned = env.plan_keys(topic="beta")
        assert set(planned) == expected, day
        env.study(topic="beta")
        assert env.plan_keys(topic="beta") == []


def test_new_card_limit_counts_cards_introduced_earlier_today(tmp_path):
    env = Env(tmp_path, new_per_day=3)
    assert env.plan_keys(topic="beta") == BETA[:3]
    env.study(topic="beta", limit=2)
    # two introduced already: one more today
    assert [k for k in env.plan_keys(topic="beta") if env.store.card(k).state == NEW] == ["b-2"]
    env.study(topic="beta")
    assert all(env.store.card(k).state == NEW for k in BETA[3:])
    assert env.plan_keys(topic="beta") == []
    next_day(env)
    planned_new = [k for k in env.plan_keys(topic="beta") if env.store.card(k).state == NEW]
    assert planned_new == BETA[3:6]


def test_review_cap_limits_reviews_and_new_cards(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    next_day(env, 30)
    assert len(env.plan_keys(topic="beta")) == BETA_ITEMS
    env.settings.reviews_per_day = 4
    assert len(env.plan_keys(topic="beta")) == 4
    env.study(topic="beta", limit=3)
    assert len(env.plan_keys(topic="beta")) == 1
    # the cap also holds new cards back
    env.settings.reviews_per_day = 3
    assert env.plan_keys() == []


def test_due_reviews_first_then_new_and_interleaved_across_topics(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    env.study(topic="gamma")
    next_day(env, 40)
    keys = env.plan_keys()
    topic_of = {ref.key: ref.topic.id for ref in env.lib.cards}
    states = [env.store.card(k).state for k in keys]
    assert states == sorted(states, key=lambda s: s != REVIEW)  # reviews before new
    reviews = [topic_of[k] for k, s in zip(keys, states) if s == REVIEW]
    assert reviews[:2] in (["beta", "gamma"], ["gamma", "beta"])  # not a block of beta first


def test_interleave_round_robin():
    q = [Queued(i, f"{t}{i}", f"{t}{i}", t, REVIEW) for i, t in enumerate("aaabbc")]
    assert [c.topic for c in interleave(q)] == list("abcaba")


def test_siblings_are_buried_for_the_rest_of_the_day(tmp_path):
    env = Env(tmp_path)
    planned = env.plan_keys(topic="alpha")
    assert planned == ["a-flash", "a-cloze::c1", "a-choice", "a-multi"]
    env.study(topic="alpha")
    assert env.plan_keys(topic="alpha") == []
    next_day(env)
    later = env.plan_keys(topic="alpha")
    assert "a-flash::reverse" in later and "a-cloze::c2" in later
    # one card per item per day: the due a-flash and its new reverse never come together
    items = [k.split("::")[0] for k in later]
    assert len(items) == len(set(items))


def test_sibling_answered_in_the_session_buries_the_rest_of_the_plan(tmp_path):
    env = Env(tmp_path)
    env.study(topic="alpha")
    for _ in range(3):  # get a-flash and a-flash::reverse both due the same day eventually
        next_day(env, 20)
        env.study(topic="alpha")
    next_day(env, 400)
    # both siblings of a-flash and of a-cloze are in review and due today
    _, end = day_bounds(env.clock.now)
    for key in ("a-flash", "a-flash::reverse", "a-cloze::c1", "a-cloze::c2"):
        card = env.store.card(key)
        assert card.state == REVIEW and card.due < to_ms(end), key
    session = env.session(topic="alpha")
    seen = []
    while (card := session.next_card()) is not None:
        seen.append(card.key)
        session.reveal()
        session.rate(3)
    items = [k.split("::")[0] for k in seen]
    # every item appears exactly once (all graduate with Good from review, so no learning repeats)
    assert sorted(items) == ["a-choice", "a-cloze", "a-flash", "a-multi"], seen


def test_leech_is_tagged_and_suspended_after_threshold_lapses(tmp_path):
    env = Env(tmp_path, leech_threshold=3)
    env.study(topic="gamma")
    results = []
    for _ in range(3):
        env.clock.now = datetime.fromtimestamp(env.store.card("g-one").due / 1000, tz=UTC)
        session = env.session(topic="gamma")
        assert session.next_card().key == "g-one"
        session.reveal()
        results.append(session.rate(1))
        env.clock.advance(minutes=15)
        if results[-1].suspended:
            assert session.next_card() is None  # suspended: gone, even from learning
            break
        env.study(topic="gamma")  # relearn
    assert [r.leech for r in results] == [False, False, True]
    assert results[-1].suspended
    card = env.store.card("g-one")
    assert card.leech and card.suspended and card.lapses == 3
    next_day(env, 365)
    assert env.plan_keys(topic="gamma") == []
    assert env.store.unsuspend("g-one")
    assert env.plan_keys(topic="gamma") == ["g-one"]
    assert env.store.card("g-one").leech  # the tag stays


def test_leech_action_tag_only_keeps_the_card(tmp_path):
    env = Env(tmp_path, leech_threshold=1, leech_action="tag")
    env.study(topic="gamma")
    env.clock.now = datetime.fromtimestamp(env.store.card("g-one").due / 1000, tz=UTC)
    session = env.session(topic="gamma")
    session.next_card()
    session.reveal()
    result = session.rate(1)
    assert result.leech and not result.suspended
    card = env.store.card("g-one")
    assert card.leech and not card.suspended


def test_suspend_by_hand(tmp_path):
    env = Env(tmp_path)
    assert env.store.suspend("b-0")
    assert not env.store.suspend("b-0")
    assert "b-0" not in env.plan_keys(topic="beta")
    assert env.store.unsuspend("b-0")
    assert "b-0" in env.plan_keys(topic="beta")
    assert not env.store.suspend("no-such-card")


def test_practice_records_attempts_but_changes_no_schedule(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    def schedules():  # everything but when the card was last answered
        return [replace(c, last_answer=None) for c in env.store.all_cards()]

    before = schedules()
    count = env.store.review_count()
    done = env.study(1, practice=True, limit=8)
    assert len(done) == 8 and all(r.practice and r.interval == timedelta(0) for _, r in done)
    assert schedules() == before
    assert sum(r.practice for r in env.store.reviews()) == 8
    assert env.store.review_count() == count + 8
    # practice does not use up today's new cards or bury anything
    assert env.plan_keys(topic="alpha")[:1] == ["a-flash"]
    assert env.session(practice=True).intervals() == {}


def test_practice_takes_weakest_seen_cards_first(tmp_path):
    env = Env(tmp_path)
    env.study(lambda c: 4 if c.key != "b-3" else 3, topic="beta")
    next_day(env, 8)
    env.study(lambda c: 4 if c.key != "b-3" else 2, topic="beta")
    next_day(env, 3)
    keys = env.plan_keys(topic="beta", practice=True, limit=2)
    assert keys[0] == "b-3"


def test_removed_items_keep_history_and_leave_the_queues(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    reviews = sum(r.topic == "beta" for r in env.store.reviews())
    env.reload(with_beta=False)
    next_day(env, 60)
    assert not any(k.startswith("b-") for k in env.plan_keys())
    assert env.store.card("b-0").retired and env.store.card("b-0").state == REVIEW
    assert sum(r.topic == "beta" for r in env.store.reviews()) == reviews
    env.reload(with_beta=True)
    assert "b-0" in env.plan_keys()
    assert not env.store.card("b-0").retired


def test_fuzzed_preview_matches_the_recorded_interval(tmp_path):
    env = Env(tmp_path, enable_fuzzing=True)
    env.study(topic="beta")
    next_day(env, 3)
    seen_intervals = set()
    for _ in range(3):
        env.clock.now = datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(days=60 * (_ + 1))
        session = env.session(topic="beta")
        while session.next_card() is not None:
            session.reveal()
            preview = session.intervals()
            result = session.rate(3)
            assert result.interval == preview[3]
            seen_intervals.add(result.interval.days)
    assert len(seen_intervals) > 2  # fuzz spreads same-looking cards


def test_naive_clock_is_refused(tmp_path):
    env = Env(tmp_path)
    env.clock.now = datetime(2026, 3, 2, 12)
    with pytest.raises(ValueError):
        env.session()


def test_learning_steps_come_from_settings(tmp_path):
    env = Env(tmp_path, learning_steps_minutes=[2.0, 30.0], relearning_steps_minutes=[5.0])
    session = env.session(topic="gamma")
    session.next_card()
    intervals = session.intervals()
    assert intervals[1] == timedelta(minutes=2)
    assert intervals[3] == timedelta(minutes=30)
    session.reveal()
    session.rate(3)
    assert env.store.card("g-one").state == LEARNING
    # a 30-minute step is beyond learn-ahead: not shown again yet
    assert session.next_card() is None


def test_maximum_interval_is_respected(tmp_path):
    env = Env(tmp_path, maximum_interval_days=3)
    env.study(4, topic="gamma")
    for _ in range(6):
        next_day(env, 10)
        done = env.study(4, topic="gamma")
        assert [key for key, _ in done] == ["g-one"]
        assert done[0][1].interval == timedelta(days=3)  # Easy would go further; the cap holds it


def test_a_sibling_in_learning_still_buries_the_others_for_the_day(tmp_path):
    env = Env(tmp_path)
    env.study(topic="alpha")
    # the day a-flash is due (review) while its reverse is still new: Again on a-flash
    env.clock.now = datetime.fromtimestamp(env.store.card("a-flash").due / 1000, tz=UTC)
    assert env.store.card("a-flash::reverse").state == NEW
    session = env.session(topic="alpha")
    seen = []
    while (card := session.next_card()) is not None:
        seen.append(card.key)
        session.reveal()
        session.rate(1 if card.key == "a-flash" and card.view.meta.state == "review" else 3)
        env.clock.advance(minutes=1)
    assert "a-flash" in seen and "a-flash::reverse" not in seen


@pytest.mark.parametrize("fuzz", [False, True])
def test_intervals_keep_their_order_in_every_state(tmp_path, fuzz):
    """Again ≤ Hard ≤ Good < Easy on every button, as in Anki; a graduating card's Easy used to
    equal its Good ("3 Good (1d) 4 Easy (1d)")."""
    import random

    from srs_fixtures import settings

    from quizapp.srs.scheduler import SrsScheduler
    from quizapp.store.records import CardState

    scheduler = SrsScheduler(settings(enable_fuzzing=fuzz))
    rng = random.Random(7)
    checked = 0
    for card_id in range(1, 41):
        state = CardState(id=card_id, key=f"k{card_id}", item_id=f"k{card_id}")
        now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
        for _ in range(12):
            ivl = scheduler.preview(state, now)
            top = timedelta(days=scheduler.settings.maximum_interval_days)
            assert ivl[1] <= ivl[2] <= ivl[3] < ivl[4] or ivl[3] == ivl[4] == top, (state, ivl)
            rating = rng.choice((1, 2, 3, 3, 3, 4))
            outcome = scheduler.outcome(state, rating, now)
            assert outcome.interval == ivl[rating]  # the button shows what is recorded
            state = outcome.card
            now += outcome.interval + timedelta(minutes=rng.randrange(0, 3000))
            checked += 1
    assert checked == 480


def test_new_cards_take_turns_across_topics(tmp_path):
    """A first "review everything" session used to be all one topic (library order)."""
    env = Env(tmp_path, new_per_day=6)
    session = env.session()
    keys = []
    while (card := session.next_card()) is not None and len(keys) < 6:
        keys.append(card.view.meta.topic_id)
        session.skip()
    assert keys == ["alpha", "beta", "gamma", "delta", "alpha", "beta"], keys
    # within one topic the library order stays
    assert env.plan_keys(topic="beta")[:3] == ["b-0", "b-1", "b-2"]


@pytest.mark.parametrize("fuzz", [False, True])
def test_a_rating_after_its_preview_is_what_a_fresh_scheduler_gives_then(fuzz):
    """The buttons' preview is computed once per card and reused by the rating that follows; the
    rating, minutes or days later, must still be exactly what scheduling it from scratch gives."""
    import random

    from srs_fixtures import settings

    from quizapp.srs.scheduler import SrsScheduler
    from quizapp.store.records import CardState

    config = settings(enable_fuzzing=fuzz)
    reused, rng = SrsScheduler(config), random.Random(11)
    compared = 0
    for card_id in range(1, 31):
        state = CardState(id=card_id, key=f"k{card_id}", item_id=f"k{card_id}")
        now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 1440))
        for _ in range(10):
            reused.preview(state, now)
            # later the same minute, hours later (over a day boundary of the elapsed time too)
            later = now + timedelta(seconds=rng.choice((0, 1, 59, 3 * 3600, 20 * 3600, 30 * 3600)))
            rating = rng.choice((1, 2, 3, 3, 4))
            outcome = reused.outcome(state, rating, later)
            assert outcome == SrsScheduler(config).outcome(state, rating, later)
            assert reused.preview(state, later)[rating] == outcome.interval
            state = outcome.card
            now = later + outcome.interval + timedelta(minutes=rng.randrange(0, 4000))
            compared += 1
    assert compared == 300


def test_a_running_session_sees_learning_cards_changed_by_another_window_or_this_store(tmp_path):
    """The session keeps the day's learning cards between two changes of the file: a card another
    window sends into learning reaches it when due; a learning card this store suspends (as the
    browser does) leaves it; its own Again comes back after the step."""
    from quizapp.store import Store
    from quizapp.study.session import StudySession

    env = Env(tmp_path)
    keys = env.plan_keys(topic="beta")
    other = keys[1]
    mine = env.session(topic="beta")
    for expected in keys[0], keys[2]:
        assert mine.next_card().key == expected  # keys[1] went to learning meanwhile (below)
        mine.reveal()
        mine.rate(4)  # straight to review: the learning cards read still hold
        if expected == keys[0]:
            with Store.open(tmp_path / "data") as their_store:  # another window: `other` Again
                theirs = StudySession(their_store, env.lib, env.settings, clock=env.clock, plan_keys=[other])
                assert theirs.next_card().key == other
                theirs.reveal()
                theirs.rate(1)
    env.clock.advance(minutes=2)
    assert mine.next_card().key == other  # due now
    mine.reveal()
    mine.rate(1)  # due again in a minute
    assert mine.next_card().key == keys[3]
    env.store.suspend(other, now=env.clock.now)  # this store, outside the session (the browser)
    mine.reveal()
    mine.rate(4)  # recorded after that change: the learning cards read no longer hold
    env.clock.advance(minutes=2)
    assert mine.next_card().key == keys[4]
