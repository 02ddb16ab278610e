"""The review log (the truth): recording answers, reading them back, undo, and the card cache
recomputed from the log and the hand-made events."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from quizapp.store.daily import DailyMixin
from quizapp.store.records import NEW, REVIEW, CardState, Part, ReviewRow
from quizapp.store.schema import (
    BURY,
    FLAG,
    FORGET,
    LEECH_FLAG,
    SET_DUE,
    SUSPEND,
    SUSPEND_FLAG,
    UNSUSPEND,
)
from quizapp.timing import from_ms, study_day

_INSERT = (
    "INSERT OR IGNORE INTO reviews (id, card, day, rating, state, practice, duration, after, step, interval, "
    "stability, difficulty, r_before, flags, status, note, answer, seed, params, session) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_READ = (
    "SELECT r.id, r.card, r.day, r.rating, r.state, r.practice, r.duration, r.after, r.step, r.interval, "
    "r.stability, r.difficulty, r.r_before, r.flags, r.status, r.note, r.answer, r.seed, r.params, "
    "r.session, c.key, c.item_id, c.topic, c.kind, c.family FROM reviews r JOIN cards c ON c.id = r.card"
)
# The first free ms after a taken one: the end of the run of taken ids that starts there.
_NEXT_FREE = (
    "SELECT r.id + 1 FROM reviews r WHERE r.id >= ? "
    "AND NOT EXISTS (SELECT 1 FROM reviews n WHERE n.id = r.id + 1) ORDER BY r.id LIMIT 1"
)
_ASK = object()  # record_answer: look the card's last answer up
# What the fold needs of a review (in time order per card).
_FOLD = "id, practice, state, rating, after, step, interval, stability, difficulty, flags"


def new_uid() -> str:
    """A fresh session id."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class HistoryEntry:
    """One answer of a card's history, as a scheduler fit needs it."""

    ts: int
    day: int
    rating: int
    state: int  # before the answer
    practice: bool
    duration_ms: int


@dataclass(frozen=True)
class CardHistory:
    """A card's answers in time order, and the times of the hand-made changes (forget, set due)
    that cut its history: a fit treats the answers after a cut as a new history."""

    card_id: int
    key: str
    reviews: tuple[HistoryEntry, ...]
    cuts: tuple[int, ...]


class LogMixin(DailyMixin):
    # ---- writing -------------------------------------------------------------------------
    def record_answer(self, row: ReviewRow, after: CardState | None, *, previous: object = _ASK) -> int:
        """Log one answer and update its card in the open transaction; returns the answer's id.

        `after` is the card's new state (None for a practice answer: the schedule is unchanged).
        The id is the answer's time in ms, later than the card's previous answer (so each card's
        history is in commit order, which rebuilds and undo replay) and moved on to the next free
        ms when another card's answer has that one; the card's last_review becomes that id, so a
        rebuild from the log gives exactly the cached row. `previous`: the card's last answer
        (last_answer_time) when the caller has just read it in this transaction.
        """
        last = self.last_answer_time(row.card_id) if previous is _ASK else previous
        if isinstance(last, int):
            row.ts = max(row.ts, last + 1)
        family = after.family if after is not None else str(
            self._one("SELECT family FROM cards WHERE id = ?", (row.card_id,)) or "")
        if after is not None:
            row.set_after(after)
        while not self._insert(row, family):  # tried first: a free ms is the rule
            free = self._one(_NEXT_FREE, (row.ts,))
            if free is None or free == row.ts:
                raise ValueError(f"the answer to card {row.card_id} at {row.ts} was refused by the log")
            row.ts = int(free)
        if after is None:
            self.conn.execute("UPDATE cards SET last_answer = ? WHERE id = ?", (row.ts, row.card_id))
        else:
            after.last_review = after.last_answer = row.ts
            self.write_card(after)
        return row.ts

    def insert_review(self, row: ReviewRow) -> int:
        """Append an answer as it is (imports, tests): its own time, or the next free ms if that
        one is taken. The card is not touched: rebuild it afterwards. Call in a transaction."""
        while self._one("SELECT 1 FROM reviews WHERE id = ?", (row.ts,)) is not None:
            row.ts += 1
        card = self.card_by_id(row.card_id)
        return self._insert(row, card.family if card is not None else row.family)

    def import_reviews(self, rows: list[ReviewRow]) -> list[ReviewRow]:
        """Append answers from another store; returns those added. An answer this store has
        already (the same card answered at the same ms) is skipped; a tie with another card's
        answer moves it 1 ms later. Neither the cards nor the aggregates change: rebuild both
        when the import is done (one pass each, however many answers came in). One query finds
        the times already taken and one statement inserts the rest. Call in a transaction."""
        marks = ", ".join("?" for _ in rows)
        taken = dict(self.conn.execute(f"SELECT id, card FROM reviews WHERE id IN ({marks})", [r.ts for r in rows]))
        fresh, tied = [], []
        for row in rows:
            owner = taken.get(row.ts)
            if owner is None:
                taken[row.ts] = row.card_id
                fresh.append(row)
            elif owner != row.card_id:
                tied.append(row)
        self.conn.executemany(_INSERT, [self._values(row) for row in fresh])
        for row in fresh:
            self._parts_of(row)
        for row in tied:
            while not self._insert(row, None):
                if self._one("SELECT card FROM reviews WHERE id = ?", (row.ts,)) == row.card_id:
                    break
                row.ts += 1
            else:
                fresh.append(row)
        return fresh

    def _values(self, row: ReviewRow) -> tuple:
        flags = (LEECH_FLAG if row.leech else 0) | (SUSPEND_FLAG if row.suspend else 0)
        scheduled = not row.practice and row.due is not None
        return (
            row.ts, row.card_id, study_day(from_ms(row.ts)), row.rating, row.state_before, int(row.practice),
            row.duration_ms, row.state_after if scheduled else None, row.step if scheduled else None,
            row.due - row.ts if scheduled and row.due is not None else None,
            row.stability if scheduled else None, row.difficulty if scheduled else None,
            row.r_before, flags, self.word(row.status), self.word(row.note), row.answer or None, row.seed,
            json.dumps(row.params, sort_keys=True) if row.params else None, self.word(row.session),
        )

    def _parts_of(self, row: ReviewRow) -> None:
        for number, part in enumerate(row.parts):
            self.conn.execute(
                "INSERT INTO parts (review, part, answer, status, note) VALUES (?, ?, ?, ?, ?)",
                (row.ts, number, part.answer or None, self.word(part.status), self.word(part.note)),
            )

    def _insert(self, row: ReviewRow, family: str | None) -> int:
        """Insert the answer (and tally it when its family is given); 0 if its id is taken."""
        values = self._values(row)
        if not self.conn.execute(_INSERT, values).rowcount:
            return 0
        self._parts_of(row)
        if family is not None:
            self.tally(day=values[2], state_before=row.state_before, practice=row.practice, rating=row.rating,
                       duration=row.duration_ms, r_before=row.r_before, family=family, status=values[14],
                       note=values[15])
        row.id = row.ts
        return row.ts

    def delete_review(self, review_id: int) -> int | None:
        """Remove one answer (undo) and recompute its card from the rest of the log.

        Returns the card id, or None if the answer is gone already. Call inside a transaction.
        """
        found = self.conn.execute(
            "SELECT r.card, r.day, r.state, r.practice, r.rating, r.duration, r.r_before, r.status, "
            "r.note, c.family FROM reviews r JOIN cards c ON c.id = r.card WHERE r.id = ?", (review_id,)
        ).fetchone()
        if found is None:
            return None
        card_id, day, state, practice, rating, duration, r_before, status, note, family = found
        self.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        self.conn.execute("DELETE FROM parts WHERE review = ?", (review_id,))
        self.tally(day=day, state_before=state, practice=bool(practice), rating=rating, duration=duration,
                   r_before=r_before, family=family, status=status, note=note, sign=-1)
        self.rebuild_card(card_id)
        return int(card_id)

    # ---- reading -------------------------------------------------------------------------
    def _row(self, values: tuple, parts: tuple[Part, ...] = ()) -> ReviewRow:
        (rid, card, _day, rating, state, practice, duration, after, step, interval, stability,
         difficulty, r_before, flags, status, note, answer, seed, params, session,
         key, item_id, topic, kind, family) = values
        return ReviewRow(
            id=rid, uid=f"{rid}@{key}", card_id=card, card_key=key, item_id=item_id, topic=topic,
            kind=kind, family=family, ts=rid, rating=rating, state_before=state,
            state_after=state if after is None else after, duration_ms=duration,
            status=self.text(status), note=self.text(note), answer=answer or "", seed=seed,
            params=json.loads(params) if params else None, parts=parts, practice=bool(practice),
            session=self.text(session), lapse=bool(not practice and state == REVIEW and rating == 1),
            leech=bool(flags & LEECH_FLAG), suspend=bool(flags & SUSPEND_FLAG), r_before=r_before,
            step=step, stability=stability, difficulty=difficulty,
            due=None if interval is None else rid + interval,
        )

    def _parts(self, review_id: int) -> tuple[Part, ...]:
        rows = self.conn.execute(
            "SELECT answer, status, note FROM parts WHERE review = ? ORDER BY part", (review_id,)
        ).fetchall()
        return tuple(Part(answer or "", self.text(status), self.text(note)) for answer, status, note in rows)

    def iter_reviews(self) -> Iterator[ReviewRow]:
        """The whole log in time order, one answer at a time (exports stream it)."""
        with_parts = {r[0] for r in self.conn.execute("SELECT DISTINCT review FROM parts")}
        for values in self._stream(f"{_READ} ORDER BY r.id"):
            yield self._row(values, self._parts(values[0]) if values[0] in with_parts else ())

    def reviews(self, card_key: str | None = None) -> list[ReviewRow]:
        """The log (of one card, or all of it) in time order."""
        if card_key is None:
            return list(self.iter_reviews())
        rows = self.conn.execute(f"{_READ} WHERE c.key = ? ORDER BY r.id", (card_key,)).fetchall()
        return [self._row(values, self._parts(values[0])) for values in rows]

    def review(self, review_id: int) -> ReviewRow | None:
        values = self.conn.execute(f"{_READ} WHERE r.id = ?", (review_id,)).fetchone()
        return None if values is None else self._row(values, self._parts(review_id))

    def review_count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM reviews"))

    def has_review(self, card_id: int, ts: int) -> bool:
        """Whether the card has an answer at exactly `ts` (how imports recognise one they have)."""
        return self._one("SELECT 1 FROM reviews WHERE card = ? AND id = ?", (card_id, ts)) is not None

    def last_answer_time(self, card_id: int) -> int | None:
        """When the card was last answered (ms; practice included), None if never."""
        found = self._one("SELECT MAX(id) FROM reviews WHERE card = ?", (card_id,))
        return None if found is None else int(found)

    def card_histories(self) -> Iterator[CardHistory]:
        """Every card's answers and cuts, card by card (one pass over the log, constant memory)."""
        keys = dict(self.conn.execute("SELECT id, key FROM cards").fetchall())
        cuts: dict[int, list[int]] = {}
        for card, ts in self.conn.execute(
            "SELECT card, id FROM events WHERE action IN (?, ?) ORDER BY card, id", (FORGET, SET_DUE)
        ):
            cuts.setdefault(card, []).append(ts)
        current: int | None = None
        entries: list[HistoryEntry] = []
        for card, *values in self._stream(
            "SELECT card, id, day, rating, state, practice, duration FROM reviews ORDER BY card, id"
        ):
            if card != current:
                if current is not None:
                    yield CardHistory(current, keys.get(current, ""), tuple(entries), tuple(cuts.get(current, ())))
                current, entries = card, []
            ts, day, rating, state, practice, duration = values
            entries.append(HistoryEntry(ts, day, rating, state, bool(practice), duration))
        if current is not None:
            yield CardHistory(current, keys.get(current, ""), tuple(entries), tuple(cuts.get(current, ())))

    # ---- the cache from the log ----------------------------------------------------------
    def _computed(self, cached: CardState) -> CardState:
        """The card's state as the log says it is (identity columns copied from `cached`)."""
        reviews = self.conn.execute(
            f"SELECT {_FOLD} FROM reviews WHERE card = ? ORDER BY id", (cached.id,)
        ).fetchall()
        events = self.conn.execute(
            "SELECT id, action, value FROM events WHERE card = ? ORDER BY id", (cached.id,)
        ).fetchall()
        return _fold(cached, reviews, events, self._memory_of(cached.id), self._parameters_time())

    def _memory_of(self, card_id: int) -> tuple[float, float] | None:
        found = self.conn.execute(
            "SELECT stability, difficulty FROM memory WHERE card = ?", (card_id,)
        ).fetchone()
        return None if found is None else (found[0], found[1])

    def _parameters_time(self) -> int | None:
        found = self._one("SELECT MAX(id) FROM parameters")
        return None if found is None else int(found)

    def rebuild_card(self, card_id: int) -> CardState:
        cached = self.card_by_id(card_id)
        if cached is None:
            raise KeyError(card_id)
        state = self._computed(cached)
        self.write_card(state)
        return state

    def computed_cards(self) -> list[CardState]:
        """Every card as recomputed from the log (without writing), in id order: compare with
        all_cards()."""
        return list(self._recomputed())

    def _recomputed(self) -> Iterator[CardState]:
        """computed_cards one by one: one ordered pass over the log and the events, one card's
        history in memory at a time."""
        reviews = self._stream(f"SELECT card, {_FOLD} FROM reviews ORDER BY card, id")
        events = self._stream("SELECT card, id, action, value FROM events ORDER BY card, id")
        memory = dict(
            (card, (s, d)) for card, s, d in self.conn.execute("SELECT card, stability, difficulty FROM memory")
        )
        params_at = self._parameters_time()
        next_review, next_event = next(reviews, None), next(events, None)
        for cached in self.all_cards():
            own_reviews, own_events = [], []
            while next_review is not None and next_review[0] <= cached.id:
                if next_review[0] == cached.id:
                    own_reviews.append(next_review[1:])
                next_review = next(reviews, None)
            while next_event is not None and next_event[0] <= cached.id:
                if next_event[0] == cached.id:
                    own_events.append(next_event[1:])
                next_event = next(events, None)
            yield _fold(cached, own_reviews, own_events, memory.get(cached.id), params_at)
        reviews.close()
        events.close()

    def rebuild_cards(self) -> int:
        """Recompute the whole `cards` cache and the aggregates from the log, in one transaction;
        returns the number of cards."""
        with self.transaction():
            return self.rebuild_cache()

    def rebuild_cache(self) -> int:
        """rebuild_cards inside the caller's transaction."""
        count = 0
        for card in self._recomputed():  # reads the log, writes only cards
            self.write_card(card)
            count += 1
        self.rebuild_daily()
        return count


def _fold(
    cached: CardState, reviews: list[tuple], events: list[tuple],
    memory: tuple[float, float] | None, params_at: int | None,
) -> CardState:
    """Replay one card's log: reviews (see _FOLD) and events (id, action, value), each in time
    order; at a tie the answer comes first. Practice answers change nothing but last_answer."""
    state = CardState(
        id=cached.id, key=cached.key, item_id=cached.item_id, topic=cached.topic, kind=cached.kind,
        family=cached.family, ord=cached.ord, retired=cached.retired,
    )
    merged = sorted([(r[0], 0, r) for r in reviews] + [(e[0], 1, e) for e in events])
    last_scheduled = None
    for ts, is_event, values in merged:
        if is_event:
            _apply_event(state, values[1], values[2])
            if values[1] == FORGET:
                last_scheduled = ts
            continue
        _rid, practice, before, rating, after, step, interval, stability, difficulty, flags = values
        state.last_answer = ts
        if practice:
            continue
        state.reps += 1
        state.lapses += int(before == REVIEW and rating == 1)
        state.leech = state.leech or bool(flags & LEECH_FLAG)
        if flags & SUSPEND_FLAG:
            state.suspended = True
        state.state, state.step, state.stability, state.difficulty = after, step, stability, difficulty
        state.due, state.last_review = ts + interval, ts
        last_scheduled = ts
    if memory is not None and params_at is not None and state.state != NEW and (
        last_scheduled is None or last_scheduled < params_at
    ):
        state.stability, state.difficulty = memory  # recomputed when the parameters changed
    return state


def _apply_event(state: CardState, action: int, value: int | None) -> None:
    if action in (SUSPEND, UNSUSPEND):
        state.suspended = action == SUSPEND
    elif action == FORGET:  # history, repetitions and lapses stay (Anki's Forget)
        state.set_schedule(None)
    elif action == SET_DUE:
        if state.state != NEW:
            state.due = value
    elif action == BURY:  # until when (ms); 0 unburies
        state.buried = value or None
    elif action == FLAG:
        state.flag = value or 0
