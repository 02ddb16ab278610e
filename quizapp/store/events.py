"""Hand-made changes to cards, logged as events (suspend, unsuspend, forget, set due, bury, flag),
and the FSRS parameters adopted over time with the memory states recomputed for them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from quizapp.forgetting import DEFAULT_DECAY
from quizapp.store.base import StoreBase
from quizapp.store.records import NEW, CardState
from quizapp.store.schema import ACTION_NAMES, BURY, FLAG, FORGET, SET_DUE, SUSPEND, UNSUSPEND
from quizapp.timing import now as clock_now
from quizapp.timing import study_day, to_ms

FLAG_COLOURS = 4  # flags 1-4 (0 = none), as Anki's red, orange, green, blue


class EventsMixin(StoreBase):
    _decay: tuple[int | None, float] | None

    def _event(
        self, key: str, action: int, value: int | None, now: datetime | None,
        change: Callable[[CardState], bool],
    ) -> bool:
        """Log `action` on the card and apply `change` to its cached row, in one transaction.
        False (nothing logged) when the card is unknown or `change` says there is nothing to do."""
        with self.transaction():
            state = self.card(key)
            if state is None or not change(state):
                return False
            ts = max(to_ms(now or clock_now()), int(self._one("SELECT COALESCE(MAX(id), 0) FROM events")) + 1)
            self.conn.execute(
                "INSERT INTO events (id, card, action, value) VALUES (?, ?, ?, ?)", (ts, state.id, action, value)
            )
            self.write_card(state)
        return True

    def suspend(self, key: str, *, now: datetime | None = None) -> bool:
        """Take a card out of every queue (False if unknown or suspended already)."""
        return self._event(key, SUSPEND, None, now, lambda s: _set(s, "suspended", True))

    def unsuspend(self, key: str, *, now: datetime | None = None) -> bool:
        return self._event(key, UNSUSPEND, None, now, lambda s: _set(s, "suspended", False))

    def forget(self, key: str, *, now: datetime | None = None) -> bool:
        """Back to new (history kept, but a scheduler fit starts the card afresh from here)."""

        def change(state: CardState) -> bool:
            if state.state == NEW and not state.reps:
                return False
            state.set_schedule(None)
            state.reps, state.lapses, state.leech = 0, 0, False
            return True

        return self._event(key, FORGET, None, now, change)

    def set_due(self, key: str, due: datetime, *, now: datetime | None = None) -> bool:
        """Reschedule a studied card by hand (a new card has nothing to reschedule: False)."""
        due_ms = to_ms(due)

        def change(state: CardState) -> bool:
            if state.state == NEW:
                return False
            return _set(state, "due", due_ms)

        return self._event(key, SET_DUE, due_ms, now, change)

    def bury(self, key: str, *, now: datetime | None = None) -> bool:
        """Out of the queue until the next study day."""
        day = study_day(now or clock_now())
        return self._event(key, BURY, day, now, lambda s: _set(s, "buried", day))

    def flag(self, key: str, colour: int, *, now: datetime | None = None) -> bool:
        """Flag a card with a colour 1-4, or 0 to clear it."""
        if not 0 <= colour <= FLAG_COLOURS:
            raise ValueError(f"a flag is 0 (none) to {FLAG_COLOURS}, not {colour!r}")
        return self._event(key, FLAG, colour, now, lambda s: _set(s, "flag", colour))

    def events(self) -> Iterator[tuple[str, int, str, int | None]]:
        """(card key, ts, action name, value) of every hand-made change, in time order."""
        for key, ts, action, value in self._stream(
            "SELECT c.key, e.id, e.action, e.value FROM events e JOIN cards c ON c.id = e.card ORDER BY e.id"
        ):
            yield key, ts, ACTION_NAMES[action], value

    def has_event(self, card_id: int, ts: int, action: int) -> bool:
        return self._one(
            "SELECT 1 FROM events WHERE card = ? AND id = ? AND action = ?", (card_id, ts, action)
        ) is not None

    def insert_event(self, card_id: int, ts: int, action: int, value: int | None) -> int:
        """Append an event as it is (imports): its own time, or the next free ms. Call in a
        transaction and rebuild the card afterwards."""
        while self._one("SELECT 1 FROM events WHERE id = ?", (ts,)) is not None:
            ts += 1
        self.conn.execute(
            "INSERT INTO events (id, card, action, value) VALUES (?, ?, ?, ?)", (ts, card_id, action, value)
        )
        return ts

    # ---- FSRS parameters -----------------------------------------------------------------
    def adopt_parameters(
        self, weights: list[float], states: Iterable[tuple[int, float, float]], *, now: datetime | None = None
    ) -> None:
        """Log new FSRS parameters and the memory state (card id, stability, difficulty) of every
        studied card recomputed with them (one pass over card_histories()), in one transaction.
        The cache takes the new states; rebuilds give the same (store.schema: memory)."""
        with self.transaction():
            ts = max(to_ms(now or clock_now()), int(self._one("SELECT COALESCE(MAX(id), 0) FROM parameters")) + 1)
            self.conn.execute("INSERT INTO parameters (id, weights) VALUES (?, ?)", (ts, json.dumps(weights)))
            self.conn.execute("DELETE FROM memory")
            rows = [(card, s, d) for card, s, d in states]
            self.conn.executemany("INSERT INTO memory (card, stability, difficulty) VALUES (?, ?, ?)", rows)
            self.conn.executemany(
                "UPDATE cards SET stability = ?, difficulty = ? WHERE id = ? AND state != 0",
                [(s, d, card) for card, s, d in rows],
            )
        self._decay = None

    def parameters(self) -> list[float] | None:
        """The FSRS parameters adopted last (None: the defaults)."""
        found = self._one("SELECT weights FROM parameters ORDER BY id DESC LIMIT 1")
        return None if found is None else [float(w) for w in json.loads(found)]

    def decay(self) -> float:
        """The forgetting curve's decay (w20) of the parameters in use."""
        latest = self._one("SELECT MAX(id) FROM parameters")
        if self._decay is None or self._decay[0] != latest:
            weights = self.parameters()
            self._decay = (latest, weights[20] if weights and len(weights) > 20 else DEFAULT_DECAY)
        return self._decay[1]


def _set(state: CardState, name: str, value: object) -> bool:
    if getattr(state, name) == value:
        return False
    setattr(state, name, value)
    return True
