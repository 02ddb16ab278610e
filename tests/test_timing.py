"""The study clock: days roll over at 04:00 local time, DST-correct, one day index for everyone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from srs_fixtures import Env
from stats_fixtures import LogBuilder, make_library

from quizapp.config import Settings
from quizapp.stats.report import report
from quizapp.timing import day_bounds, day_date, day_number, day_start, study_date, study_day


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Call zone(name) to run in that time zone; the original is restored (and tzset) after."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def test_rollover_at_four_local(zone):
    zone("Asia/Shanghai")  # UTC+8, no DST
    # 19:30 UTC = 03:30 next day in Shanghai: still the previous study day
    assert study_date(datetime(2026, 3, 1, 19, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert study_date(datetime(2026, 3, 1, 20, 30, tzinfo=UTC)) == date(2026, 3, 2)
    start, end = day_bounds(datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert start == datetime(2026, 2, 28, 20, tzinfo=UTC)  # 04:00 on 1 March in Shanghai
    assert end == datetime(2026, 3, 1, 20, tzinfo=UTC)
    assert start.tzinfo is not None and day_start(day_number(date(2026, 3, 1))) == start


def test_day_numbers_are_dates(zone):
    zone("UTC")
    moment = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert day_date(study_day(moment)) == date(2026, 3, 1)
    assert study_day(moment) - study_day(moment - timedelta(days=1)) == 1
    with pytest.raises(ValueError):
        study_day(datetime(2026, 3, 1, 12))  # naive: which zone?


# (zone, date of the change, UTC start of that study day, UTC start of the next, hours long,
#  a moment at 03:30 local on the change's morning (still the day before))
DST = [
    ("Europe/Berlin", date(2026, 3, 29), datetime(2026, 3, 29, 2, tzinfo=UTC),
     datetime(2026, 3, 30, 2, tzinfo=UTC), 23, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ("Europe/Berlin", date(2026, 10, 25), datetime(2026, 10, 25, 3, tzinfo=UTC),
     datetime(2026, 10, 26, 3, tzinfo=UTC), 25, datetime(2026, 10, 25, 2, 30, tzinfo=UTC)),
    ("America/New_York", date(2026, 3, 8), datetime(2026, 3, 8, 8, tzinfo=UTC),
     datetime(2026, 3, 9, 8, tzinfo=UTC), 23, datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
    ("America/New_York", date(2026, 11, 1), datetime(2026, 11, 1, 9, tzinfo=UTC),
     datetime(2026, 11, 2, 9, tzinfo=UTC), 25, datetime(2026, 11, 1, 8, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize(("name", "day", "start", "next_start", "hours", "early"), DST,
                         ids=[f"{d[0]}-{d[1]}" for d in DST])
def test_daylight_saving_changes(zone, name, day, start, next_start, hours, early):
    zone(name)
    index = day_number(day)
    assert day_start(index) == start
    assert day_start(index + 1) == next_start
    # the day holding the change is 23 or 25 hours long: the one before it (which the change's
    # early hours still belong to) or the change's own day
    before = day_start(index) - day_start(index - 1)
    own = day_start(index + 1) - day_start(index)
    assert timedelta(hours=hours) in (before, own)
    assert {before, own} <= {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}
    assert study_day(early) == index - 1  # 03:30 local on the morning of the change
    assert study_day(start) == index and study_day(start - timedelta(milliseconds=1)) == index - 1
    assert day_bounds(start + timedelta(hours=5)) == (start, next_start)


def test_a_winter_night_review_is_the_same_day_for_the_queue_and_for_stats_in_summer(zone, tmp_path):
    """TZ=Europe/Berlin: a review at 03:30 CET on 15 January belongs to the 14 January study day,
    for the queue (siblings buried that day) and for the stats viewed in July (CEST)."""
    zone("Europe/Berlin")
    library = make_library(tmp_path, {"alpha": ["a1", "a2"]})
    log = LogBuilder(library)
    review = datetime(2026, 1, 15, 2, 30, tzinfo=UTC)  # 03:30 CET
    log.review("a1", review, 3)
    assert study_date(review) == date(2026, 1, 14)
    assert log.store.items_studied_today(datetime(2026, 1, 14, 12, tzinfo=UTC)) == {"a1"}
    assert log.store.items_studied_today(datetime(2026, 1, 15, 12, tzinfo=UTC)) == set()
    july = datetime(2026, 7, 10, 12, tzinfo=UTC)
    by_day = {d.day: d.reviews for d in report(log.store, library, Settings(), july).heatmap}
    assert by_day[date(2026, 1, 14)] == 1 and by_day[date(2026, 1, 15)] == 0


def test_late_night_answers_count_for_the_evening(tmp_path, zone):
    zone("Asia/Shanghai")
    env = Env(tmp_path, new_per_day=2)
    env.clock.now = datetime(2026, 3, 1, 15, tzinfo=UTC)  # 23:00 in Shanghai
    env.study(topic="beta", limit=1)
    env.clock.now = datetime(2026, 3, 1, 19, tzinfo=UTC)  # 03:00: same study day
    new_now = [k for k in env.plan_keys(topic="beta") if env.store.card(k).state == 0]
    assert len(new_now) == 1
    env.clock.now = datetime(2026, 3, 1, 20, 5, tzinfo=UTC)  # 04:05: a new day, a new allowance
    new_later = [k for k in env.plan_keys(topic="beta") if env.store.card(k).state == 0]
    assert len(new_later) == 2


def test_study_day_from_the_remembered_day_agrees_with_the_local_date(zone):
    """study_day keeps the bounds of the day it last computed; every moment still gets the day of
    its local date, across DST changes (Havana changes at midnight, Lord Howe by half an hour) and
    when the zone itself changes between two calls."""
    moment = datetime(2026, 3, 1, 19, 30, tzinfo=UTC)
    zone("UTC")
    assert study_day(moment) == day_number(date(2026, 3, 1))
    zone("Asia/Shanghai")  # 03:30 on the 2nd there: still the 1st's study day, then 04:30: the 2nd
    assert study_day(moment) == day_number(date(2026, 3, 1))
    assert study_day(moment + timedelta(hours=1)) == day_number(date(2026, 3, 2))
    for name in ("America/Havana", "Australia/Lord_Howe", "Europe/Berlin", "America/Santiago"):
        zone(name)
        for start in (datetime(2026, 3, 5, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)):
            for step in range(0, 60 * 24 * 40, 37):  # forty days, every 37 minutes
                at = start + timedelta(minutes=step)
                assert study_day(at) == day_number(study_date(at)), (name, at)
