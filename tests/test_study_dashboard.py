"""Dashboard counts against what a session really offers, mastery, streaks, today's totals."""

from __future__ import annotations

import pytest
from srs_fixtures import BETA_ITEMS, Env

from quizapp.stats.dashboard import dashboard
from quizapp.stats.report import report


def dash(env: Env):
    return dashboard(env.store, env.lib, env.settings, env.clock.now)


def test_fresh_store(tmp_path):
    env = Env(tmp_path)
    d = dash(env)
    assert [t.topic_id for t in d.topics] == ["alpha", "beta", "gamma", "delta"]
    beta = d.topic("beta")
    assert (beta.due, beta.new, beta.learning, beta.mastery, beta.last_studied) == (0, BETA_ITEMS, 0, 0.0, None)
    assert d.totals.reviewed_today == 0 and d.totals.streak_days == 0 and d.totals.due == 0
    assert d.totals.new == min(20, len(env.lib.items))  # one new card per item a day


def test_after_a_session_and_over_the_following_days(tmp_path):
    env = Env(tmp_path, new_per_day=4)
    session_start = env.clock.now
    done = env.study(topic="beta")
    d = dash(env)
    beta = d.topic("beta")
    # a month ahead, cards learned today are far from certain: mastery is not coverage
    assert 0 < beta.mastery < 4 / BETA_ITEMS
    assert beta.new == 0 and d.totals.new == 0  # the 4 new cards of today are used up
    assert d.totals.reviewed_today == len(done)
    assert d.totals.seconds_today == pytest.approx(0)
    assert d.totals.streak_days == 1
    assert session_start <= beta.last_studied <= env.clock.now
    env.clock.advance(days=1)
    d1 = dash(env)
    assert d1.totals.streak_days == 1  # today is not over: yesterday's streak still counts
    assert d1.topic("beta").new == 2
    assert 0 < d1.topic("beta").mastery < beta.mastery
    env.clock.advance(days=30)
    d30 = dash(env)
    assert d30.totals.streak_days == 0
    planned = env.plan_keys(topic="beta")
    assert d30.topic("beta").due == sum(1 for k in planned if env.store.card(k).state == 2)
    assert d30.topic("beta").new == 2


def test_suspended_cards_leave_the_counts(tmp_path):
    env = Env(tmp_path)
    assert env.store.suspend("b-0")
    beta = dash(env).topic("beta")
    assert beta.new == BETA_ITEMS - 1 and beta.suspended == 1
    assert env.store.unsuspend("b-0")
    assert dash(env).topic("beta").new == BETA_ITEMS


def test_streak_counts_consecutive_days(tmp_path):
    env = Env(tmp_path)
    for _ in range(5):
        env.study(topic="beta", limit=1)
        env.clock.advance(days=1)
    assert dash(env).totals.streak_days == 5
    env.clock.advance(days=1)
    assert dash(env).totals.streak_days == 0


def test_review_cap_caps_due_and_new(tmp_path):
    env = Env(tmp_path)
    env.study(topic="beta")
    env.clock.advance(days=60)
    env.settings.reviews_per_day = 3
    d = dash(env)
    assert d.totals.due == 3 and d.totals.new == 0
    assert report(env.store, env.lib, env.settings, env.clock.now).forecast[0] == BETA_ITEMS  # the backlog


def test_new_counts_follow_sibling_burying(tmp_path):
    env = Env(tmp_path)
    alpha = dash(env).topic("alpha")
    assert alpha.new == 4  # a-flash, a-cloze (one deletion a day), a-choice, a-multi
    env.study(topic="alpha")
    assert dash(env).topic("alpha").new == len([k for k in env.plan_keys(topic="alpha")
                                                if env.store.card(k).state == 0]) == 0
    env.clock.advance(days=1)
    planned_new = [k for k in env.plan_keys(topic="alpha") if env.store.card(k).state == 0]
    assert dash(env).topic("alpha").new >= len(planned_new) > 0
