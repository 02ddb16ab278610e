"""Hand-made changes to cards, logged as events (suspend, unsuspend, forget, set due, bury, flag),
and the FSRS parameters adopted over time with the memory states recomputed for them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime

from quizapp.forgetting import DEFAULT_DECAY
from quizapp.store.base import StoreBase
from quizapp.store.records import NEW, CardState
from quizapp.store.schema import ACTION_NAMES, BURY, FLAG, FORGET, SET_DUE, SUSPEND, UNSUSPEND
from quizapp.timing import day_bounds, to_ms
from quizapp.timing import now as clock_now

FLAG_COLOURS = 4  # flags 1-4 (0 = none), as Anki's red, orange, green, blue


class EventsMixin(StoreBase):
    _decay: tuple[int | None, float] | None

    def _event(
        self, keys: Sequence[str] | str, action: int, value: int | None, now: datetime | None,
        change: Callable[[CardState], bool],
    ) -> int:
        """Log `action` on each card and apply `change` to its cached row, all in ONE transaction;
        returns how many changed (unknown cards, and cards `change` leaves alone, log nothing)."""
        changed = 0
        with self.transaction():
            ts = to_ms(now or clock_now())
            for key in [keys] if isinstance(keys, str) else keys:
                state = self.card(key)
                if state is None or not change(state):
                    continue
                ts = max(ts, int(self._one("SELECT COALESCE(MAX(id), 0) FROM events")) + 1)
                self.conn.execute(
                    "INSERT INTO events (id, card, action, value) VALUES (?, ?, ?, ?)", (ts, state.id, action, value)
                )
                self.write_card(state)
                changed += 1
        return changed

    def suspend(self, keys: Sequence[str] | str, *, now: datetime | None = None) -> int:
        """Take cards out of every queue; how many were not suspended yet (0: none, or unknown)."""
        return self._event(keys, SUSPEND, None, now, lambda s: _set(s, "suspended", True))

    def unsuspend(self, keys: Sequence[str] | str, *, now: datetime | None = None) -> int:
        return self._event(keys, UNSUSPEND, None, now, lambda s: _set(s, "suspended", False))

    def forget(self, keys: Sequence[str] | str, *, now: datetime | None = None) -> int:
        """Back to new, as Anki's Forget: history, repetition and lapse counts kept; a scheduler
        fit starts the card afresh from here."""

        def change(state: CardState) -> bool:
            if state.state == NEW:
                return False
            state.set_schedule(None)
            return True

        return self._event(keys, FORGET, None, now, change)

    def set_due(self, keys: Sequence[str] | str, due: datetime, *, now: datetime | None = None) -> int:
        """Reschedule studied cards by hand (a new card has no schedule to move)."""
        due_ms = to_ms(due)
        return self._event(keys, SET_DUE, due_ms, now, lambda s: s.state != NEW and _set(s, "due", due_ms))

    def bury(
        self, keys: Sequence[str] | str, *, until: datetime | None = None, now: datetime | None = None
    ) -> int:
        """Out of the queues until `until` (by default the start of the next study day)."""
        moment = now or clock_now()
        end = to_ms(until or day_bounds(moment)[1])
        return self._event(keys, BURY, end, now, lambda s: (s.buried or 0) < end and _set(s, "buried", end))

    def unbury(self, keys: Sequence[str] | str, *, now: datetime | None = None) -> int:
        at = to_ms(now or clock_now())
        return self._event(keys, BURY, 0, now, lambda s: (s.buried or 0) > at and _set(s, "buried", None))

    def flag(self, keys: Sequence[str] | str, colour: int, *, now: datetime | None = None) -> int:
        """Flag cards with a colour 1-4, or 0 to clear it."""
        if colour not in range(FLAG_COLOURS + 1):
            raise ValueError(f"a flag is 0 (none) to {FLAG_COLOURS}, not {colour!r}")
        return self._event(keys, FLAG, colour, now, lambda s: _set(s, "flag", colour))

    def events(self, key: str | None = None) -> Iterator[tuple[str, int, str, int | None]]:
        """(card key, ts, action name, value) of every hand-made change (of one card), in time order."""
        where, params = ("WHERE c.key = ? ", (key,)) if key is not None else ("", ())
        for card_key, ts, action, value in self._stream(
            f"SELECT c.key, e.id, e.action, e.value FROM events e JOIN cards c ON c.id = e.card {where}ORDER BY e.id",
            params,
        ):
            yield card_key, ts, ACTION_NAMES[action], value

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
