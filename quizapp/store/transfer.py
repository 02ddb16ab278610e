"""Export and import of the review log, streamed (constant memory at any size).

JSON (`export_json` / `write_export` / `import_json`), export version 2:
    {"format": "quizapp-export", "version": 2, "schema": 3, "exported_at": ISO UTC,
     "reviews": [{"card_key", "ts", "rating", "duration_ms", "state_before", "state_after", "step",
                  "stability", "difficulty", "due", "r_before", "practice", "lapse", "leech",
                  "suspend", "status", "note", "answer", "seed", "params", "parts", "session",
                  "item_id", "topic", "kind", "family"}, ...],          # one answer per line;
                                                                        # empty fields left out
     "events":  [{"card_key", "ts", "action", "value"}, ...],
     "cards":   [<the cards row without id>, ...]}                      # informational
Cards are named by their stable string keys and an answer by (card key, ts), never by this
database's integer ids. Import appends the answers and events the store does not have yet
(importing the same file twice adds nothing), creates rows for unknown card keys (retired until
the content has them) and rebuilds the touched cards — in one transaction: a bad file changes
nothing. Every field is checked (quizapp.store.importing). Version 1 exports (card states as fsrs
JSON) are read too.

CSV (`export_csv`): a pair of files, <stem>.reviews.csv and <stem>.cards.csv, with a readable UTC
time column next to each millisecond time. Files are written through quizapp.safeio: an old
export at the same path stays intact until the new one is complete.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from quizapp.safeio import UnsafeFile, atomic_writer, atomic_writers, check_regular
from quizapp.store.db import Store
from quizapp.store.importing import TransferError, fail, parse_event, parse_review
from quizapp.store.jsonstream import JsonStreamError, members
from quizapp.store.records import CARD_COLUMNS, ReviewRow
from quizapp.textsafe import shorten
from quizapp.timing import from_ms

__all__ = ["TransferError", "csv_paths", "export_csv", "export_json", "import_json", "write_export"]

FORMAT = "quizapp-export"
VERSION = 2
Progress = Callable[[str, int], None]  # (what, how many so far)
PROGRESS_EVERY = 50_000
REBUILD_ALL_FROM = 2_000  # touched cards
BATCH = 500  # answers per insert


def _card_dicts(store: Store) -> Iterator[dict[str, Any]]:
    for card in store.all_cards():
        data = dict(zip(CARD_COLUMNS, card.as_tuple()))
        data.pop("id")
        for name in ("retired", "leech", "suspended"):
            data[name] = bool(data[name])
        yield data


def _event_dicts(store: Store) -> Iterator[dict[str, Any]]:
    for key, ts, action, value in store.events():
        yield {"card_key": key, "ts": ts, "action": action, "value": value}


def _array(fh: IO[str], name: str, items: Iterator[dict[str, Any]], progress: Progress | None) -> int:
    fh.write(f',\n"{name}": [')
    count = 0
    for item in items:
        fh.write(",\n" if count else "\n")
        fh.write(json.dumps(item, ensure_ascii=False))
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(name, count)
    fh.write("\n]")
    return count


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without the fields that hold nothing (import reads a missing field as empty): half the size."""
    return {k: v for k, v in data.items() if not (v is None or v is False or v == "" or v == [])}


def write_export(store: Store, fh: IO[str], progress: Progress | None = None) -> dict[str, int]:
    """The export as JSON text on `fh`, one answer per line; returns the counts."""
    head = {"format": FORMAT, "version": VERSION, "schema": store.schema_version,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds")}
    fh.write(json.dumps(head)[:-1])
    counts = {
        "reviews": _array(fh, "reviews", (_compact(r.to_dict()) for r in store.iter_reviews()), progress),
        "events": _array(fh, "events", _event_dicts(store), progress),
        "cards": _array(fh, "cards", _card_dicts(store), progress),
    }
    fh.write("}\n")
    return counts


def export_json(store: Store, path: Path, progress: Progress | None = None) -> dict[str, int]:
    with atomic_writer(path) as fh:
        return write_export(store, fh, progress)


def csv_paths(path: Path) -> tuple[Path, Path]:
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    return stem.with_name(stem.name + ".reviews.csv"), stem.with_name(stem.name + ".cards.csv")


def export_csv(store: Store, path: Path, progress: Progress | None = None) -> tuple[Path, Path]:
    reviews_path, cards_path = csv_paths(path)
    with atomic_writers(reviews_path, cards_path) as (fh, cards_fh):  # a pair: both new or both old
        writer = csv.writer(fh)
        writer.writerow(["time_utc", *ReviewRow.EXPORTED])
        for count, row in enumerate(store.iter_reviews(), start=1):
            data = row.to_dict()
            writer.writerow([from_ms(row.ts).isoformat(), *(_cell(data[c]) for c in ReviewRow.EXPORTED)])
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress("reviews", count)
        writer = csv.writer(cards_fh)
        card_cols = [c for c in CARD_COLUMNS if c != "id"]
        writer.writerow([*card_cols, "due_utc"])
        for card in _card_dicts(store):
            due = card["due"]
            writer.writerow([*(_cell(card[c]) for c in card_cols), from_ms(due).isoformat() if due is not None else ""])
    return reviews_path, cards_path


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return value


# ---- import ---------------------------------------------------------------------------------
class _Import:
    """One import in progress, inside the store's transaction."""

    def __init__(self, store: Store, progress: Progress | None) -> None:
        self.store = store
        self.progress = progress
        self.ids: dict[str, int] = {}
        self.touched: set[int] = set()
        self.counts = {"added": 0, "already_present": 0, "events_added": 0, "cards": 0}
        self.latest = store.latest_answer_ms()  # the rule `quizapp check` applies: tomorrow at most

    def card_id(self, key: str, topic: str = "", kind: str = "", family: str = "") -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = self.store.ensure_card(key, topic, kind, family)
        return found

    def reviews(self, items: Iterator[Any], version: int) -> None:
        batch: list[ReviewRow] = []
        for i, data in enumerate(items):
            row = parse_review(data, f"reviews[{i}]", version)
            if row.ts > self.latest:
                raise fail(f"reviews[{i}].ts", f"{from_ms(row.ts):%Y-%m-%d} is in the future: an answer cannot come from it")
            row.card_id = self.card_id(row.card_key, row.topic, row.kind, row.family)
            batch.append(row)
            if len(batch) >= BATCH:
                self._add(batch)
            if self.progress is not None and (i + 1) % PROGRESS_EVERY == 0:
                self.progress("reviews", i + 1)
        self._add(batch)

    def _add(self, batch: list[ReviewRow]) -> None:
        if not batch:
            return
        added = self.store.import_reviews(batch)
        self.touched.update(row.card_id for row in added)
        self.counts["added"] += len(added)
        self.counts["already_present"] += len(batch) - len(added)
        batch.clear()

    def events(self, items: Iterator[Any]) -> None:
        for i, data in enumerate(items):
            key, ts, action, value = parse_event(data, f"events[{i}]")
            card_id = self.card_id(key)
            if not self.store.has_event(card_id, ts, action):
                self.store.insert_event(card_id, ts, action, value)
                self.touched.add(card_id)
                self.counts["events_added"] += 1

    def finish(self) -> dict[str, int]:
        if len(self.touched) > REBUILD_ALL_FROM:
            self.store.rebuild_cache()  # one pass over the whole log beats a query per card
        else:
            for card_id in self.touched:
                self.store.rebuild_card(card_id)
            if self.counts["added"]:
                self.store.rebuild_daily()
        self.counts["cards"] = len(self.touched)
        return self.counts


def _head(key: str, value: Any, path: Path) -> int | None:
    """Check the members before the arrays; returns the export version once it is known."""
    if key == "format" and value != FORMAT:
        raise TransferError(f'{path} is not a quizapp export (expected "format": "{FORMAT}")')
    if key == "version":
        if not isinstance(value, int) or isinstance(value, bool):  # 1.0, "1", true
            raise TransferError(f"{path}: export version {shorten(repr(value))} is not a valid integer "
                                "(a whole number such as 2)")
        if value < 1:
            raise TransferError(f"{path}: export version {value} is not one this quizapp knows")
        if value > VERSION:
            raise TransferError(f"{path}: export version {value} is newer than this quizapp understands")
        return value
    return None


def import_json(store: Store, path: Path, progress: Progress | None = None) -> dict[str, int]:
    """Append what is new in the file; returns counts of added and already-present rows."""
    try:
        check_regular(path)
        fh = path.open(encoding="utf-8")
    except (UnsafeFile, OSError) as exc:
        raise TransferError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    with fh, store.transaction():
        job, version, seen_format = _Import(store, progress), None, False
        try:
            for key, value in members(fh, streamed={"reviews", "events", "cards"}):
                version = _head(key, value, path) or version
                seen_format = seen_format or key == "format"
                if key in ("reviews", "events") and not (seen_format and version):
                    raise TransferError(f"{path} is not a quizapp export (format and version must come first)")
                if key == "reviews":
                    job.reviews(_list(value, path, key), version or VERSION)
                elif key == "events":
                    job.events(_list(value, path, key))
        except (JsonStreamError, UnicodeDecodeError) as exc:
            raise TransferError(f"{path} is not a JSON file: {exc}") from None
        if not seen_format:
            raise TransferError(f'{path} is not a quizapp export (expected "format": "{FORMAT}")')
        return job.finish()


def _list(value: Any, path: Path, name: str) -> Iterator[Any]:
    if isinstance(value, list):
        return iter(value)
    if isinstance(value, Iterator):
        return value
    raise TransferError(f"{path}: '{name}' must be a list")
