"""Small text renderings shared by screens: a mastery bar and human durations."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from quizapp.tui import strings

BAR_WIDTH = 10


def mastery_bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    """'███████░░░ 70%' with theme-neutral styles (the table colours the row)."""
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    bar = Text()
    bar.append("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {round(fraction * 100):>3d}%")
    return bar


def short_interval(delta: timedelta, lang: str) -> str:
    """An interval as on Anki's buttons: <1m, 10m, 3h, 4d, 2mo, 1.5y."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return strings.text("dur.now", lang)
    minutes = seconds / 60
    if minutes < 60:
        return strings.text("dur.min", lang, n=round(minutes))
    hours = minutes / 60
    if hours < 24:
        return strings.text("dur.hour", lang, n=round(hours))
    days = hours / 24
    if days < 30:
        return strings.text("dur.day", lang, n=round(days))
    if days < 365:
        return strings.text("dur.month", lang, n=round(days / 30, 1 if days < 90 else None))
    return strings.text("dur.year", lang, n=round(days / 365, 1))


def last_studied(when: datetime | None, now: datetime, lang: str) -> str:
    if when is None:
        return strings.text("dash.never", lang)
    days = (now.date() - when.date()).days
    if days <= 0:
        return strings.text("dash.today-word", lang)
    if days == 1:
        return strings.text("dash.yesterday", lang)
    return strings.text("dash.days-ago", lang, n=days)


def clock_time(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
