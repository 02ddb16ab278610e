"""Study days roll over at 04:00 local time; all boundaries come back as UTC-aware datetimes."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from srs_fixtures import Env

from quizapp.srs.days import day_bounds, day_start, study_day


@pytest.fixture
def shanghai(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # UTC+8, no DST
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_rollover_at_four_local(shanghai):
    # 19:30 UTC = 03:30 next day in Shanghai: still the previous study day
    assert study_day(datetime(2026, 3, 1, 19, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert study_day(datetime(2026, 3, 1, 20, 30, tzinfo=UTC)) == date(2026, 3, 2)
    start, end = day_bounds(datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert start == datetime(2026, 2, 28, 20, tzinfo=UTC)  # 04:00 on 1 March in Shanghai
    assert end == datetime(2026, 3, 1, 20, tzinfo=UTC)
    assert start.tzinfo is not None and day_start(date(2026, 3, 1)) == start


def test_late_night_answers_count_for_the_evening(tmp_path, shanghai):
    env = Env(tmp_path, new_per_day=2)
    env.clock.now = datetime(2026, 3, 1, 15, tzinfo=UTC)  # 23:00 in Shanghai
    env.study(topic="beta", limit=1)
    env.clock.now = datetime(2026, 3, 1, 19, tzinfo=UTC)  # 03:00: same study day
    new_now = [k for k in env.plan_keys(topic="beta") if env.store.card(k).state == 0]
    assert len(new_now) == 1
    env.clock.now = datetime(2026, 3, 1, 20, 5, tzinfo=UTC)  # 04:05: a new day, a new allowance
    new_later = [k for k in env.plan_keys(topic="beta") if env.store.card(k).state == 0]
    assert len(new_later) == 2
