"""Synthetic review logs for the stats tests: a real schema, rows whose answers are known."""

from __future__ import annotations

import shutil
import tempfile
import textwrap
import weakref
from datetime import UTC, datetime
from pathlib import Path

from quizapp.deck import Library, load_library

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
    """Writes cards and reviews straight into a real store (its own temp folder) through the
    store's own row methods, so the figures are known by construction."""

    def __init__(self, library: Library | None = None, root: Path | None = None) -> None:
        from quizapp.store import Store

        own = root is None
        root = Path(tempfile.mkdtemp(prefix="quizapp-log-")) if root is None else root
        self.store = Store.open(root)
        if own:  # removed with the store
            weakref.finalize(self.store, shutil.rmtree, str(root), True)
        if library is not None:  # as the app does on start: every card of the content has a row
            self.store.sync_library(library)
        self.ids: dict[str, int] = {c.key: c.id for c in self.store.all_cards()}

    def card(self, key: str, topic: str, *, state: int = 2, due: datetime | None = None,
             stability: float | None = None, last_review: datetime | None = None,
             suspended: int = 0, retired: int = 0, kind: str = "flashcard") -> int:
        from quizapp.store.records import CardState

        with self.store.transaction():
            card_id = self.store.ensure_card(key, topic, kind)
            self.store.write_card(CardState(
                id=card_id, key=key, item_id=key.split("::")[0], topic=topic, kind=kind,
                state=state, due=ms(due), stability=stability, last_review=ms(last_review),
                suspended=bool(suspended),
            ))
            # who a card is belongs to the library sync; a test sets it directly
            self.store.conn.execute("UPDATE cards SET retired = ?, topic = ?, kind = ? WHERE id = ?",
                                    (retired, topic, kind, card_id))
        self.ids[key] = card_id
        return card_id

    def review(self, key: str, when: datetime, rating: int, *, state_before: int = 2,
               practice: int = 0, duration_ms: int = 1000, kind: str = "flashcard",
               family: str = "", status: str = "", note: str = "", r_before: float | None = None,
               times: int = 1) -> None:
        """Log `times` answers (a second apart) of the card."""
        from quizapp.store.records import ReviewRow

        if key not in self.ids:
            self.card(key, "t", kind=kind)
        if family:
            self.store.conn.execute("UPDATE cards SET family = ? WHERE id = ?", (family, self.ids[key]))
        with self.store.transaction():
            for i in range(times):
                self.store.insert_review(ReviewRow(
                    card_id=self.ids[key], ts=(ms(when) or 0) + 1000 * i, rating=rating,
                    duration_ms=duration_ms, status=status, note=note, practice=bool(practice),
                    state_before=state_before, state_after=2, r_before=r_before,
                    stability=1.0, difficulty=5.0, due=(ms(when) or 0) + 1000 * i + 86_400_000,
                ))


def ms(when: datetime | None) -> int | None:
    return None if when is None else int(when.timestamp() * 1000)
