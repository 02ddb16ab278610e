"""Custom study from a query (Anki's filtered decks): the plan of card keys a session studies.

    keys = custom_plan(library, store, "tag:followup rated:7:1", now, ahead=None, forgotten=None)
    StudySession(store, library, settings, plan_keys=keys, practice=False)

- `ahead=N`: study ahead — cards due within the next N study days (due ones included), so that
  reviewing before a trip or an interview reschedules them from their real (early) answer.
- `forgotten=N`: the cards answered Again in the last N study days (1 = "forgotten today").
- Practice (no schedule change) is the session's `practice=True`; any query works with it.
Order: studied cards by due date (most overdue first), then new cards in library order.
Suspended and buried cards are left out: they were taken out of the queues on purpose.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.search.cards import find_cards, sort_rows
from quizapp.search.query import MAX_RATED_DAYS, QueryError, parse_query

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.store import Store

MAX_PLAN = 9999


def plan_query(text: str, *, ahead: int | None = None, forgotten: int | None = None) -> str:
    """The query a custom study runs: the learner's query narrowed by the chosen option."""
    parts = [f"({text})"] if text.strip() else []
    if ahead is not None:
        if not 0 <= ahead <= MAX_RATED_DAYS:
            raise QueryError(f"study ahead takes 0 to {MAX_RATED_DAYS} days", 1)
        parts.append(f"-is:new prop:due<={ahead}")
    if forgotten is not None:
        if not 1 <= forgotten <= MAX_RATED_DAYS:
            raise QueryError(f"forgotten takes 1 to {MAX_RATED_DAYS} days", 1)
        parts.append(f"rated:{forgotten}:1")
    parts.append("-is:suspended -is:buried")
    return " ".join(parts)


def custom_plan(
    library: Library, store: Store, text: str, now: datetime, *,
    ahead: int | None = None, forgotten: int | None = None, limit: int = MAX_PLAN,
) -> list[str]:
    """Card keys to study, in order; QueryError (column in the learner's own text) if it is bad."""
    parse_query(text)  # alone first: an error's column then points into what the learner typed
    rows = find_cards(library, store, parse_query(plan_query(text, ahead=ahead, forgotten=forgotten)), now)
    return [row.key for row in sort_rows(rows, "due")][:limit]
