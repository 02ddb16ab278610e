"""Card marks made by hand in the browser, replayed when the card cache is rebuilt from the log.

The table `card_marks` (created by schema.ENSURE) logs, one row per change:
    flag     value = 0 (none) .. 4 (red, orange, green, blue)       — read from the log, not cached
    bury     value = until when (ms; 0 = unbury)                    — read from the log, not cached
    forget   value NULL: the card goes back to new (its history stays in `reviews`)
    set-due  value = the new due time (ms) of a studied card

`forget` and `set-due` change the cached schedule, so `Store._fold` replays them: a mark made after
the card's last (non-practice) review applies on top of that review's state, in time order; a
review made after a mark already started from the marked state, so the mark is superseded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from quizapp.store.records import NEW, CardState

SCHEDULE_ACTIONS = ("forget", "set-due")
ACTIONS = ("flag", "bury", "forget", "set-due")

MARKS_DDL = """
CREATE TABLE IF NOT EXISTS card_marks (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    card_id INTEGER NOT NULL REFERENCES cards (id),
    card_key TEXT NOT NULL,
    ts INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('flag', 'bury', 'forget', 'set-due')),
    value INTEGER
);
CREATE INDEX IF NOT EXISTS card_marks_card ON card_marks (card_id, ts);
"""


def with_due(fsrs_json: str, due_ms: int) -> str:
    """The same fsrs Card JSON with another due time."""
    data = json.loads(fsrs_json)
    data["due"] = datetime.fromtimestamp(due_ms / 1000, tz=UTC).isoformat()
    return json.dumps(data)


def apply_schedule_mark(state: CardState, action: str, value: int | None) -> None:
    """One forget / set-due on a card state, in place (set-due leaves a new card new)."""
    if action == "forget":
        state.schedule_from_json(None)
        state.state = NEW
    elif action == "set-due" and value is not None and state.fsrs is not None and state.state != NEW:
        state.schedule_from_json(with_due(state.fsrs, value))


def replay_marks(state: CardState, marks: Iterable[tuple[int, str, int | None]], last_review_ts: int | None) -> None:
    """Apply the schedule marks (ts, action, value) made after the last review, in time order."""
    for ts, action, value in sorted(marks, key=lambda m: m[0]):
        if action in SCHEDULE_ACTIONS and (last_review_ts is None or ts > last_review_ts):
            apply_schedule_mark(state, action, value)
