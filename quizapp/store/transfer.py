"""Export and import of the review log and card states.

JSON (`export_json` / `import_json`):
    {"format": "quizapp-export", "version": 1, "schema": <store schema>, "exported_at": ISO UTC,
     "reviews": [<reviews row without id; card_id dropped, card_key identifies the card>, ...],
     "events":  [{"uid", "card_key", "ts", "action"}, ...],
     "cards":   [<cards row without id>, ...]}          # informational: import rebuilds states
Import appends log rows whose `uid` is not in the store yet (so importing the same file twice adds
nothing), creates rows for unknown card keys (retired until the content has them), rewrites the
card ids inside the logged fsrs JSON to the local ids, and rebuilds the touched cards from the log —
all in one transaction: a bad file changes nothing.

CSV (`export_csv`): a pair of files, <stem>.reviews.csv and <stem>.cards.csv, with a readable UTC
time column next to each millisecond timestamp.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fsrs import Card

from quizapp.safeio import check_regular
from quizapp.store.db import Store
from quizapp.store.records import CARD_COLUMNS, ReviewRow, card_json_with_id, from_ms
from quizapp.textsafe import shorten

FORMAT = "quizapp-export"
VERSION = 1
EVENT_ACTIONS = ("suspend", "unsuspend")
INT64_MAX = 2**63 - 1  # SQLite INTEGER
MAX_TS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z: the last time a datetime can show


class TransferError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was changed."""


def _review_dicts(store: Store) -> list[dict[str, Any]]:
    out = []
    for row in store.reviews():
        data = row.to_dict()
        data.pop("card_id", None)
        out.append(data)
    return out


def _card_dicts(store: Store) -> list[dict[str, Any]]:
    out = []
    for card in store.all_cards():
        data = dict(zip(CARD_COLUMNS, card.as_tuple()))
        data.pop("id")
        for flag in ("retired", "leech", "suspended"):
            data[flag] = bool(data[flag])
        out.append(data)
    return out


def export_data(store: Store) -> dict[str, Any]:
    events = [
        {"uid": uid, "card_key": key, "ts": ts, "action": action}
        for uid, key, ts, action in store.events()
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema": store.schema_version,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reviews": _review_dicts(store),
        "events": events,
        "cards": _card_dicts(store),
    }


def export_json(store: Store, path: Path) -> dict[str, int]:
    data = export_data(store)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return {"reviews": len(data["reviews"]), "events": len(data["events"]), "cards": len(data["cards"])}


def csv_paths(path: Path) -> tuple[Path, Path]:
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    return stem.with_name(stem.name + ".reviews.csv"), stem.with_name(stem.name + ".cards.csv")


def export_csv(store: Store, path: Path) -> tuple[Path, Path]:
    reviews_path, cards_path = csv_paths(path)
    with reviews_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        cols = [c for c in ReviewRow.COLUMNS if c != "card_id"]
        writer.writerow(["time_utc", *cols])
        for data in _review_dicts(store):
            writer.writerow([from_ms(data["ts"]).isoformat(), *(_cell(data[c]) for c in cols)])
    with cards_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        cols = [c for c in CARD_COLUMNS if c != "id"]
        writer.writerow([*cols, "due_utc"])
        for data in _card_dicts(store):
            due = from_ms(data["due"]).isoformat() if data["due"] is not None else ""
            writer.writerow([*(_cell(data[c]) for c in cols), due])
    return reviews_path, cards_path


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


# ---- import ---------------------------------------------------------------------------------
def _fail(where: str, message: str) -> TransferError:
    return TransferError(f"{where}: {message}")


def _valid_card_json(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(where, "must be fsrs card JSON text or null")
    try:
        card = Card.from_json(value)
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail(where, f"not fsrs card JSON ({exc})") from None
    if card.due.tzinfo is None:
        raise _fail(where, "card times must be UTC-aware")
    return value


def _int(data: dict, name: str, where: str, lo: int | None = None, hi: int | None = None,
         optional: bool = False) -> int | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{where}.{name}", "must be an integer")
    hi = INT64_MAX if hi is None else hi
    lo = -INT64_MAX - 1 if lo is None else lo
    if value < lo or value > hi:
        raise _fail(f"{where}.{name}", f"must be between {lo} and {hi}")
    return value


def _flag(data: dict, name: str, where: str) -> bool:
    """true/false (or 0/1); a string such as "no" would otherwise count as true."""
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if _is_plain_int(value) and value in (0, 1):
        return bool(value)
    raise _fail(f"{where}.{name}", "must be true or false")


def _is_plain_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _str(data: dict, name: str, where: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise _fail(f"{where}.{name}", "must be a non-empty string" if required else "must be a string")
    return value


def _parse_review(data: Any, where: str) -> ReviewRow:
    if not isinstance(data, dict):
        raise _fail(where, "must be an object")
    r_before = data.get("r_before")
    if r_before is not None and (
        isinstance(r_before, bool) or not isinstance(r_before, int | float) or not 0 <= r_before <= 1
    ):
        raise _fail(f"{where}.r_before", "must be a number from 0 to 1, or null")
    return ReviewRow(
        uid=_str(data, "uid", where, required=True),
        card_id=0,
        card_key=_str(data, "card_key", where, required=True),
        item_id=_str(data, "item_id", where) or _str(data, "card_key", where).split("::", 1)[0],
        topic=_str(data, "topic", where),
        kind=_str(data, "kind", where),
        family=_str(data, "family", where),
        ts=_int(data, "ts", where, 0, MAX_TS) or 0,
        rating=_int(data, "rating", where, 1, 4) or 1,
        duration_ms=_int(data, "duration_ms", where, 0, optional=True) or 0,
        status=_str(data, "status", where),
        note=_str(data, "note", where),
        answer=_str(data, "answer", where),
        seed=_int(data, "seed", where, optional=True),
        practice=_flag(data, "practice", where),
        session=_str(data, "session", where),
        state_before=_int(data, "state_before", where, 0, 3) or 0,
        state_after=_int(data, "state_after", where, 0, 3) or 0,
        card_before=_valid_card_json(data.get("card_before"), f"{where}.card_before"),
        card_after=_valid_card_json(data.get("card_after"), f"{where}.card_after"),
        lapse=_flag(data, "lapse", where),
        leech=_flag(data, "leech", where),
        suspend=_flag(data, "suspend", where),
        r_before=float(r_before) if r_before is not None else None,
    )


def _bounded_int(digits: str) -> int:
    if len(digits) > 1000:  # far beyond 64 bits, below what int() refuses; ranges are checked per field
        raise ValueError(f"a number of {len(digits):,} digits")
    return int(digits)


def load_export(path: Path) -> dict[str, Any]:
    try:
        check_regular(path)  # a FIFO or /dev/zero is refused before anything blocks
        data = json.loads(path.read_text(encoding="utf-8"), parse_int=_bounded_int)
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or getattr(exc, 'reason', None) or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise TransferError(f"{path} is not a JSON file: {exc}") from None
    except RecursionError:
        raise TransferError(f"{path} is not a JSON file: nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(f"{path} is not a quizapp export (expected \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TransferError(f"{path}: export version {shorten(repr(version))} is not a valid integer "
                            "(a whole number such as 1)")
    if version > VERSION:
        raise TransferError(f"{path}: export version {version} is newer than this quizapp understands")
    if not isinstance(data.get("reviews", []), list) or not isinstance(data.get("events", []), list):
        raise TransferError(f"{path}: 'reviews' and 'events' must be lists")
    return data


def import_json(store: Store, path: Path) -> dict[str, int]:
    """Append what is new in the file; returns counts of added and already-present rows."""
    data = load_export(path)
    reviews = [_parse_review(r, f"reviews[{i}]") for i, r in enumerate(data.get("reviews", []))]
    events = []
    for i, ev in enumerate(data.get("events", [])):
        where = f"events[{i}]"
        if not isinstance(ev, dict):
            raise _fail(where, "must be an object")
        action = _str(ev, "action", where, required=True)
        if action not in EVENT_ACTIONS:
            raise _fail(f"{where}.action", "must be 'suspend' or 'unsuspend'")
        events.append((_str(ev, "uid", where, required=True), _str(ev, "card_key", where, required=True),
                       _int(ev, "ts", where, 0, MAX_TS), action))
    added = skipped = events_added = 0
    touched: set[int] = set()
    with store.transaction():
        for row in reviews:
            if store.has_review_uid(row.uid):
                skipped += 1
                continue
            row.card_id = store.ensure_card(row.card_key, row.topic, row.kind)
            row.card_before = card_json_with_id(row.card_before, row.card_id)
            row.card_after = card_json_with_id(row.card_after, row.card_id)
            store.insert_review(row)
            touched.add(row.card_id)
            added += 1
        for uid, key, ts, action in events:
            if store.has_event_uid(uid):
                continue
            card_id = store.ensure_card(key)
            store.insert_event(uid, card_id, key, ts or 0, action)
            touched.add(card_id)
            events_added += 1
        for card_id in touched:
            store.rebuild_card(card_id)
    return {"added": added, "already_present": skipped, "events_added": events_added, "cards": len(touched)}
