"""The recall model: FSRS-6's power forgetting curve, written once.

    R(t, S) = (1 + F·t/S)^(−w20),   F = 0.9^(−1/w20) − 1,   so that R = 0.9 when t = S

t is the elapsed time in whole days (as fsrs.Scheduler.get_card_retrievability counts it), S the
card's stability in days and w20 the curve's decay parameter (fsrs's default unless a fitted set
of parameters is passed in). `retrievability` evaluates it in Python; `recall_sql` generates the
same expression as SQL text from the same Python code (the formula is evaluated over SQL
fragments instead of numbers), so the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.timing import DAY_MS

DEFAULT_DECAY = DEFAULT_PARAMETERS[20]  # w20
TARGET = 0.9  # the recall probability at t = S, which fixes F
# What "mastered" looks ahead to: recall a month from now, so a card learned today (S of a few
# days) counts for much less than one that has been kept for months.
MASTERY_HORIZON_DAYS = 30


def _factor(decay: float) -> float:
    return TARGET ** (-1 / decay) - 1


def _elapsed_days(now: Any, last_review: Any, maximum: Callable[[Any, Any], Any]) -> Any:
    return maximum(0, (now - last_review) // DAY_MS)


def _curve(elapsed_days: Any, stability: Any, decay: float, power: Callable[[Any, Any], Any]) -> Any:
    return power(1 + _factor(decay) * elapsed_days / stability, -decay)


def retrievability(
    stability: float | None, last_review_ms: int | None, now_ms: int, decay: float = DEFAULT_DECAY
) -> float:
    """Predicted recall in [0, 1] at `now_ms`; 0 for a card never reviewed (no stability)."""
    if not stability or last_review_ms is None:
        return 0.0
    return float(_curve(_elapsed_days(now_ms, last_review_ms, max), stability, decay, math.pow))


class _Sql:
    """An SQL fragment that composes with numbers through Python's arithmetic operators."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _bin(self, op: str, other: Any, *, right: bool = False) -> _Sql:
        a, b = (_text(other), self.text) if right else (self.text, _text(other))
        return _Sql(f"({a} {op} {b})")

    def __add__(self, other: Any) -> _Sql:
        return self._bin("+", other)

    def __radd__(self, other: Any) -> _Sql:
        return self._bin("+", other, right=True)

    def __sub__(self, other: Any) -> _Sql:
        return self._bin("-", other)

    def __mul__(self, other: Any) -> _Sql:
        return self._bin("*", other)

    def __rmul__(self, other: Any) -> _Sql:
        return self._bin("*", other, right=True)

    def __truediv__(self, other: Any) -> _Sql:
        return self._bin("*", 1.0, right=True)._bin("/", other)  # force real division

    def __floordiv__(self, other: Any) -> _Sql:
        return self._bin("/", other)  # integer operands: SQLite's / truncates (t >= 0 here)


def _text(value: Any) -> str:
    return value.text if isinstance(value, _Sql) else repr(value)


def _sql_call(name: str) -> Callable[[Any, Any], _Sql]:
    return lambda a, b: _Sql(f"{name}({_text(a)}, {_text(b)})")


def recall_sql(
    stability: str = "stability", last_review: str = "last_review", now: str = "?",
    decay: float = DEFAULT_DECAY,
) -> str:
    """The SQL expression of `retrievability` over columns (or parameters) holding integer ms.

    NULL when stability or last_review is NULL (callers COALESCE to 0 for never-reviewed cards).
    """
    elapsed = _elapsed_days(_Sql(now), _Sql(last_review), _sql_call("MAX"))
    return _text(_curve(elapsed, _Sql(f"NULLIF({stability}, 0)"), decay, _sql_call("pow")))
