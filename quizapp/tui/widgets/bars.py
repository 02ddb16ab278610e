"""Small text renderings shared by screens: a mastery bar and human durations."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from quizapp import strings

BAR_WIDTH = 10


def mastery_bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    """'███████░░░  70%' with theme-neutral styles (the table colours the row); width 0 gives
    the percentage alone, for narrow terminals."""
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    bar = Text()
    if width:
        bar.append("█" * filled, style="green")
        bar.append("░" * (width - filled), style="dim")
        bar.append(" ")
    bar.append(f"{round(fraction * 100):>3d}%")
    return bar


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
