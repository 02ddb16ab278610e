"""One definition of "due" (Anki's new · learning · review) for the dashboard, the topic screen,
the stats, `stats --json` and the session summary; "due tomorrow" is the next study day only."""

from __future__ import annotations

import json
from datetime import timedelta

from srs_fixtures import Env

from quizapp.cli.main import main
from quizapp.stats.dashboard import dashboard
from quizapp.stats.report import report
from quizapp.store.records import REVIEW
from quizapp.timing import day_bounds, to_ms


def answer(env: Env, topic: str, n: int, rating: int = 3) -> None:
    session = env.session(topic=topic, limit=n)
    while session.next_card() is not None:
        session.reveal()
        session.rate(rating)


def test_learning_cards_due_now_are_due_everywhere(tmp_path):
    env = Env(tmp_path, new_per_day=3)
    answer(env, "beta", 3)  # three new cards, Good: back in 10 minutes (learning step)
    env.clock.advance(minutes=15)
    d = dashboard(env.store, env.lib, env.settings, env.clock.now)
    beta = d.topic("beta")
    assert (beta.new, beta.learning, beta.review) == (0, 3, 0)
    assert d.totals.due == 3 and (d.totals.new, d.totals.learning, d.totals.review) == (0, 3, 0)
    offered = env.plan_keys(topic="beta")  # what a session started now really shows
    assert len(offered) == beta.new + beta.learning + beta.review
    counts = env.store.due_counts(env.clock.now, env.settings, "beta")
    assert counts.to_dict() == {"new": 0, "learning": 3, "review": 0}
    rep = report(env.store, env.lib, env.settings, env.clock.now)
    assert rep.due.to_dict() == {"new": 0, "learning": 3, "review": 0}
    assert next(t for t in rep.topics if t.topic_id == "beta").due == 3


def test_counts_match_the_queue_with_siblings_and_limits(tmp_path):
    env = Env(tmp_path, new_per_day=5, reviews_per_day=7)
    for _ in range(3):
        env.study()
        env.clock.advance(days=2)
    for topic in ("alpha", "beta", "gamma", None):
        counts = env.store.due_counts(env.clock.now, env.settings, topic)
        offered = env.plan_keys(topic=topic)
        states = [env.store.card(k).state for k in offered]
        assert counts.review == states.count(REVIEW), topic
        assert counts.new == states.count(0), topic
        assert counts.learning + counts.new + counts.review == len(offered), topic


def test_stats_json_shows_the_three_numbers(tmp_path, capsys):
    data = tmp_path / "data"
    common = ["--data-dir", str(data), "--config", str(tmp_path / "c.json")]
    assert main([*common, "stats", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["due"]) == {"new", "learning", "review"} and out["due"]["new"] > 0


def test_due_tomorrow_counts_only_the_next_study_day(tmp_path):
    env = Env(tmp_path, new_per_day=2)
    now = env.clock.now
    _, today_end = day_bounds(now)
    with env.store.transaction():
        for key, due in (("g-one", today_end + timedelta(hours=3)),  # tomorrow
                         ("b-4", today_end + timedelta(days=1, hours=3)),  # the day after
                         ("b-5", now + timedelta(hours=2))):  # later today
            state = env.store.card(key)
            state.state, state.due, state.stability, state.last_review = REVIEW, to_ms(due), 3.0, to_ms(now)
            state.difficulty = 5.0
            env.store.write_card(state)
    session = env.session(topic="beta", limit=2)
    while session.next_card() is not None:
        session.reveal()
        session.rate(3)  # two new cards into learning: due again in minutes, not tomorrow
    assert session.summary().due_tomorrow == 0  # b-4 is the day after, b-5 today
    whole = env.session()
    assert whole.summary().due_tomorrow == 1  # g-one
