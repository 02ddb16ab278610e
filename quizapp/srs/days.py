"""Study days. A study day starts at 04:00 local time (as in Anki), so a late-night session still
counts as the evening's work. All boundaries are returned as UTC-aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

ROLLOVER_HOUR = 4


def utc_now() -> datetime:
    return datetime.now(UTC)


def study_day(moment: datetime) -> date:
    """The study day `moment` falls on (local time, shifted by the rollover hour)."""
    return (moment.astimezone() - timedelta(hours=ROLLOVER_HOUR)).date()


def day_start(day: date) -> datetime:
    """When study day `day` begins, in UTC."""
    local = datetime.combine(day, time(ROLLOVER_HOUR)).astimezone()  # naive -> local tz
    return local.astimezone(UTC)


def day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the study day containing `moment`, in UTC."""
    day = study_day(moment)
    return day_start(day), day_start(day + timedelta(days=1))
