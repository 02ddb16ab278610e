"""Checking every field of an imported answer or event against the rules the app's own writes obey
(typed, finite, in range, timezone-aware), so an import can never leave a store that crashes later.

Export version 2 carries the FSRS state after each answer as numbers; version 1 (quizapp ≤ 0.x,
schema 2) carried it as fsrs Card JSON, which is read and checked the same way.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from quizapp.store.records import Part, ReviewRow
from quizapp.store.schema import ACTIONS
from quizapp.timing import to_ms

MAX_TS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z: the last time a datetime can show
MAX_DURATION_MS = 86_400_000  # the app caps at minutes; a day is already absurd
MAX_STABILITY = 1e7  # days
MAX_STEP = 1000
INT64 = 2**63
MAX_TEXT = {"uid": 100, "card_key": 300, "status": 100, "note": 200, "session": 100, "answer": 4000,
            "item_id": 300, "topic": 300, "kind": 50, "family": 100}
MAX_PARTS = 50
MAX_PARAMS_CHARS = 10_000


class TransferError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was changed."""


def fail(where: str, message: str) -> TransferError:
    return TransferError(f"{where}: {message}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def integer(data: dict, name: str, where: str, lo: int, hi: int, *, optional: bool = False) -> int | None:
    value: Any = data.get(name)
    if value is None and optional:
        return None
    if not _is_int(value):
        raise fail(f"{where}.{name}", "must be an integer")
    if not lo <= value <= hi:
        raise fail(f"{where}.{name}", f"must be between {lo} and {hi}")
    return int(value)


def number(value: Any, where: str, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(where, "must be a finite number")
    if not lo <= value <= hi:
        raise fail(where, f"must be between {lo:g} and {hi:g}")
    return float(value)


def flag(data: dict, name: str, where: str) -> bool:
    """true/false (or 0/1); a string such as "no" would otherwise count as true."""
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if _is_int(value) and value in (0, 1):
        return bool(value)
    raise fail(f"{where}.{name}", "must be true or false")


def text(data: dict, name: str, where: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise fail(f"{where}.{name}", "must be a non-empty string" if required else "must be a string")
    if len(value) > MAX_TEXT.get(name, 1000):
        raise fail(f"{where}.{name}", f"is longer than {MAX_TEXT.get(name, 1000)} characters")
    return value


def _aware_ms(value: Any, where: str) -> int:
    if not isinstance(value, str):
        raise fail(where, "must be a date and time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(where, "is not an ISO date and time") from None
    if moment.tzinfo is None:
        raise fail(where, "has no time zone (times must be UTC-aware)")
    ms = to_ms(moment)
    if not 0 <= ms <= MAX_TS:
        raise fail(where, "is out of range")
    return ms


def _state_from_card_json(value: Any, where: str) -> dict[str, Any]:
    """Export version 1: the state after an answer as fsrs Card JSON."""
    if not isinstance(value, str):
        raise fail(where, "must be fsrs card JSON text")
    try:
        card = json.loads(value)
    except (ValueError, RecursionError):
        raise fail(where, "not fsrs card JSON") from None
    if not isinstance(card, dict) or "due" not in card or "state" not in card:
        raise fail(where, "not fsrs card JSON (state and due are needed)")
    return {
        "state_after": card.get("state"), "step": card.get("step"), "stability": card.get("stability"),
        "difficulty": card.get("difficulty"), "due": _aware_ms(card.get("due"), f"{where}.due"),
        "last_review": _aware_ms(card["last_review"], f"{where}.last_review") if card.get("last_review") else None,
    }


def _after(data: dict, where: str, version: int, practice: bool) -> dict[str, Any]:
    if practice:
        return {}
    after = _state_from_card_json(data.get("card_after"), f"{where}.card_after") if version < 2 else data
    here = f"{where}.card_after" if version < 2 else where
    state = integer(after, "state_after", here, 1, 3)
    for name in ("stability", "difficulty"):
        if after.get(name) is None:
            raise fail(f"{here}.{name}", "is needed for a scheduled answer")
    return {
        "state_after": state,
        "step": integer(after, "step", here, 0, MAX_STEP, optional=True),
        "stability": number(after.get("stability"), f"{here}.stability", 1e-6, MAX_STABILITY),
        "difficulty": number(after.get("difficulty"), f"{here}.difficulty", 1.0, 10.0),
        "due": integer(after, "due", here, 0, MAX_TS),
    }


def _parts(value: Any, where: str) -> tuple[Part, ...]:
    if value in (None, []):
        return ()
    if not isinstance(value, list) or len(value) > MAX_PARTS:
        raise fail(where, f"must be a list of at most {MAX_PARTS} parts")
    parts = []
    for i, part in enumerate(value):
        if not isinstance(part, dict):
            raise fail(f"{where}[{i}]", "must be an object")
        parts.append(Part(text(part, "answer", f"{where}[{i}]"), text(part, "status", f"{where}[{i}]"),
                          text(part, "note", f"{where}[{i}]")))
    return tuple(parts)


def _params(value: Any, where: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(json.dumps(value)) > MAX_PARAMS_CHARS:
        raise fail(where, f"must be an object of at most {MAX_PARAMS_CHARS} characters")
    return value


_STRINGS = tuple(MAX_TEXT.items())
_FLAG_NAMES = ("practice", "lapse", "leech", "suspend")


def _in(value: Any, lo: float, hi: float) -> bool:
    """An int (not a bool) or float within [lo, hi] (NaN and infinities are not)."""
    return type(value) in (int, float) and lo <= value <= hi


def _fast_review(d: dict) -> ReviewRow | None:
    """The common case — a well-formed version-2 answer — checked without a call per field.
    None sends the answer to the full check (parse_review), which names what is wrong; this
    accepts nothing the full check refuses."""
    get = d.get
    for name, limit in _STRINGS:
        value = get(name)
        if value is not None and (type(value) is not str or len(value) > limit):
            return None
    ts, rating, before, duration, seed = get("ts"), get("rating"), get("state_before"), get("duration_ms"), get("seed")
    flags = [get(name) for name in _FLAG_NAMES]
    r_before = get("r_before")
    if not (get("card_key") and type(ts) is int and 0 <= ts <= MAX_TS and type(rating) is int and 1 <= rating <= 4
            and type(before) is int and 0 <= before <= 3
            and (duration is None or (type(duration) is int and 0 <= duration <= MAX_DURATION_MS))
            and (seed is None or (type(seed) is int and -INT64 <= seed < INT64))
            and all(f is None or type(f) is bool for f in flags)
            and (r_before is None or _in(r_before, 0.0, 1.0))
            and get("params") is None and not get("parts")):
        return None
    row = ReviewRow(
        card_id=0, card_key=d["card_key"], ts=ts, rating=rating, state_before=before, state_after=before,
        item_id=get("item_id") or "", topic=get("topic") or "", kind=get("kind") or "",
        family=get("family") or "", duration_ms=duration or 0, status=get("status") or "",
        note=get("note") or "", answer=get("answer") or "", session=get("session") or "", seed=seed,
        practice=bool(flags[0]), lapse=bool(flags[1]), leech=bool(flags[2]), suspend=bool(flags[3]),
        r_before=None if r_before is None else float(r_before),
    )
    if row.practice:
        return row
    after, step, stability, difficulty, due = (get(n) for n in ("state_after", "step", "stability", "difficulty", "due"))
    if not (type(after) is int and 1 <= after <= 3 and (step is None or (type(step) is int and 0 <= step <= MAX_STEP))
            and _in(stability, 1e-6, MAX_STABILITY) and _in(difficulty, 1.0, 10.0)
            and type(due) is int and 0 <= due <= MAX_TS):
        return None
    row.state_after, row.step, row.due = after, step, due
    row.stability, row.difficulty = float(stability), float(difficulty)  # type: ignore[arg-type]
    return row


def parse_review(data: Any, where: str, version: int) -> ReviewRow:
    if version >= 2 and type(data) is dict:
        row = _fast_review(data)
        if row is not None:
            return row
    if not isinstance(data, dict):
        raise fail(where, "must be an object")
    text(data, "uid", where)  # version 1 named answers by a uuid; an answer is (card key, ts) now
    row = ReviewRow(
        card_id=0,
        card_key=text(data, "card_key", where, required=True),
        ts=integer(data, "ts", where, 0, MAX_TS) or 0,
        rating=integer(data, "rating", where, 1, 4) or 1,
        state_before=integer(data, "state_before", where, 0, 3) or 0,
        state_after=0,
        item_id=text(data, "item_id", where), topic=text(data, "topic", where),
        kind=text(data, "kind", where), family=text(data, "family", where),
        duration_ms=integer(data, "duration_ms", where, 0, MAX_DURATION_MS, optional=True) or 0,
        status=text(data, "status", where), note=text(data, "note", where),
        answer=text(data, "answer", where), session=text(data, "session", where),
        seed=integer(data, "seed", where, -INT64, INT64 - 1, optional=True),
        params=_params(data.get("params"), f"{where}.params"),
        parts=_parts(data.get("parts"), f"{where}.parts"),
        practice=flag(data, "practice", where), lapse=flag(data, "lapse", where),
        leech=flag(data, "leech", where), suspend=flag(data, "suspend", where),
        r_before=number(data.get("r_before"), f"{where}.r_before", 0.0, 1.0),
    )
    after = _after(data, where, version, row.practice)  # the FSRS state last: it needs the rest
    row.state_after = after.get("state_after", row.state_before)
    row.step, row.stability, row.difficulty, row.due = (
        after.get("step"), after.get("stability"), after.get("difficulty"), after.get("due"),
    )
    return row


def parse_event(data: Any, where: str) -> tuple[str, int, int, int | None]:
    """(card key, ts, action, value) of an imported event."""
    if not isinstance(data, dict):
        raise fail(where, "must be an object")
    name = text(data, "action", where, required=True)
    if name not in ACTIONS:
        raise fail(f"{where}.action", f"must be one of {', '.join(ACTIONS)}")
    action = ACTIONS[name]
    limits = {"set_due": (0, MAX_TS), "bury": (0, 10_000_000), "flag": (0, 4)}.get(name)
    value = integer(data, "value", where, *limits) if limits else None
    ts = integer(data, "ts", where, 0, MAX_TS)
    assert ts is not None
    return text(data, "card_key", where, required=True), ts, action, value
