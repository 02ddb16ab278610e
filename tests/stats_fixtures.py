"""Synthetic review logs for the stats tests: a real schema, rows whose answers are known."""

from __future__ import annotations

import sqlite3
import textwrap
import uuid
from datetime import UTC, datetime
from pathlib import Path

from quizapp.deck import Library, load_library
from quizapp.store.schema import MIGRATE_V1_TO_V2, SCHEMA_V1

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DAY_MS = 86_400_000

TOPIC_YAML = """\
id: {tid}
order: {order}
title: {{en: "{title}", zh: "{title} 中文"}}
summary: {{en: "s", zh: "s"}}
notes: {{en: "n", zh: "n"}}
items:
"""

FLASH = """\
  - id: {iid}
    kind: flashcard
    front: {{en: "front {iid}", zh: "正面 {iid}"}}
    back: {{en: "back {iid}", zh: "背面 {iid}"}}
"""

EXERCISE = """\
  - id: {iid}
    kind: exercise
    family: {family}
"""


def make_library(tmp_path: Path, topics: dict[str, list[str]], exercises: dict[str, str] | None = None) -> Library:
    """topics: topic id -> flashcard ids; exercises: item id -> family (put in the first topic)."""
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)
    for order, (tid, items) in enumerate(topics.items(), start=1):
        text = TOPIC_YAML.format(tid=tid, order=order, title=tid.title())
        for iid in items:
            text += FLASH.format(iid=iid)
        if order == 1:
            for iid, family in (exercises or {}).items():
                text += EXERCISE.format(iid=iid, family=family)
        (folder / f"{order:02d}-{tid}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    lib = load_library([folder], include_builtin=False)
    assert not lib.problems, [str(p) for p in lib.problems]
    return lib


class LogBuilder:
    """Writes cards and reviews straight into a schema-v2 database."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self.conn = sqlite3.connect(path)
        self.conn.executescript(SCHEMA_V1)
        self.conn.executescript(MIGRATE_V1_TO_V2)
        self.ids: dict[str, int] = {}

    def card(self, key: str, topic: str, *, state: int = 2, due: datetime | None = None,
             stability: float | None = None, last_review: datetime | None = None,
             suspended: int = 0, retired: int = 0, kind: str = "flashcard") -> int:
        card_id = len(self.ids) + 1
        self.ids[key] = card_id
        self.conn.execute(
            "INSERT INTO cards (id, key, item_id, topic, kind, state, due, stability, last_review, "
            "suspended, retired) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (card_id, key, key.split("::")[0], topic, kind, state, ms(due), stability, ms(last_review),
             suspended, retired),
        )
        return card_id

    def review(self, key: str, when: datetime, rating: int, *, state_before: int = 2,
               practice: int = 0, duration_ms: int = 1000, kind: str = "flashcard",
               family: str = "", status: str = "", note: str = "", r_before: float | None = None) -> None:
        if key not in self.ids:
            self.card(key, "t", kind=kind)
        self.conn.execute(
            "INSERT INTO reviews (uid, card_id, card_key, item_id, topic, kind, family, ts, rating, "
            "duration_ms, status, note, practice, state_before, state_after, r_before) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (uuid.uuid4().hex, self.ids[key], key, key.split("::")[0], "t", kind, family, ms(when),
             rating, duration_ms, status, note, practice, state_before, 2, r_before),
        )


def ms(when: datetime | None) -> int | None:
    return None if when is None else int(when.timestamp() * 1000)
