"""The study clock: "now", study days and their bounds, for everyone (queue, stats, store, UI).

A study day starts at 04:00 local time (Anki's rollover), so a late-night session still counts as
the evening's work. Days are numbered: `study_day(moment)` is the number of days from 1970-01-01
to the local date of the study day, so day arithmetic is integer arithmetic and stays right across
daylight-saving changes (a study day is 23 or 25 hours long on those dates; its bounds always come
from the local 04:00, never from a fixed UTC offset). All datetimes returned are UTC-aware.
"""

from __future__ import annotations

import os
import time as _libc_time
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

ROLLOVER_HOUR = 4
DAY_MS = 86_400_000  # a day of elapsed time (recall, intervals); study days are 23-25 hours
_EPOCH = date(1970, 1, 1)
_TICK = timedelta(microseconds=1)


def now() -> datetime:
    """The current moment, UTC-aware (the default clock of sessions and commands)."""
    return datetime.now(UTC)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the Unix epoch (how the store keeps every time)."""
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def study_date(moment: datetime) -> date:
    """The local date of the study day `moment` falls on (before 04:00 it is the day before)."""
    if moment.tzinfo is None:
        raise ValueError("the study clock needs timezone-aware datetimes")
    return (moment.astimezone() - timedelta(hours=ROLLOVER_HOUR)).date()


def study_day(moment: datetime) -> int:
    """The study day `moment` falls on, as a day number (days since 1970-01-01)."""
    if moment.tzinfo is None:
        raise ValueError("the study clock needs timezone-aware datetimes")
    zone = _zone()
    last = _last_day
    if last is not None and last[0] == zone and last[1] <= moment < last[2]:
        return last[3]  # asked several times per answer, nearly always for the same day
    day = (study_date(moment) - _EPOCH).days
    _remember(zone, day)
    return day


def _zone() -> tuple[object, ...]:
    """What the local time zone depends on (TZ and tzset change it)."""
    return os.environ.get("TZ"), _libc_time.tzname, _libc_time.timezone


# The day study_day last computed: (zone, start, end, day, start ms, end ms).
_last_day: tuple[tuple[object, ...], datetime, datetime, int, int, int] | None = None


def _remember(zone: tuple[object, ...], day: int) -> None:
    """Keep the bounds of `day`, if they are where study_date puts them (a zone whose 04:00 is
    skipped or repeated is asked the long way every time)."""
    global _last_day
    start, end = _day_start(day, *zone), _day_start(day + 1, *zone)
    inside = start < end and study_date(start) == study_date(end - _TICK) == day_date(day)
    _last_day = (zone, start, end, day, to_ms(start), to_ms(end)) if inside else None


def day_date(day: int) -> date:
    """The local date of study day number `day`."""
    return _EPOCH + timedelta(days=day)


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def day_start(day: int) -> datetime:
    """When study day `day` begins: 04:00 local time on its date, in UTC."""
    # Asked for every card a session shows: kept per day and time zone (TZ and tzset change it).
    return _day_start(day, *_zone())


@lru_cache(maxsize=256)
def _day_start(day: int, *_zone: object) -> datetime:
    local = datetime.combine(day_date(day), time(ROLLOVER_HOUR)).astimezone()  # naive -> local
    return local.astimezone(UTC)


def day_start_ms(day: int) -> int:
    return to_ms(day_start(day))


def day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the study day containing `moment`, in UTC."""
    day = study_day(moment)
    last = _last_day
    if last is not None and last[3] == day:  # study_day just checked the zone and the bounds
        return last[1], last[2]
    return day_start(day), day_start(day + 1)


def day_bounds_ms(day: int) -> tuple[int, int]:
    """[start, end) of study day `day` in milliseconds."""
    last = _last_day
    if last is not None and last[3] == day and last[0] == _zone():
        return last[4], last[5]
    return day_start_ms(day), day_start_ms(day + 1)
