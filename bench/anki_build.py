"""The synthetic history (bench/synthetic.py) as an Anki collection, for bench/vs_anki.py.

Decks, deck options and FSRS are set up through Anki's own API; the 100,000 notes and cards and
the 1,000,000 revlog rows go straight into its tables (Anki's importer would take far longer
than the benchmark itself), with the same times, ratings and FSRS memory states quizapp gets.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from synthetic import DAY, TOPICS, CardHistory

BATCH = 50_000


def _decks(col: object, new_per_day: int, reviews_per_day: int) -> list[int]:
    decks = col.decks  # type: ignore[attr-defined]
    parent = decks.id("Topics")
    ids = [decks.id(f"Topics::T{t}") for t in range(TOPICS)]
    conf = decks.config_dict_for_deck_id(parent)
    conf["new"]["perDay"] = new_per_day
    conf["rev"]["perDay"] = reviews_per_day
    decks.update_config(conf)
    for did in [parent, *ids]:
        deck = decks.get(did)
        deck["conf"] = conf["id"]
        decks.save(deck)
    decks.select(parent)
    col.set_config("fsrs", True)  # type: ignore[attr-defined]
    return ids


def build(path: Path, histories: Iterable[CardHistory], *, new_per_day: int = 20,
          reviews_per_day: int = 200) -> int:
    """Create the collection at `path`; returns the number of revlog rows."""
    from anki.collection import Collection

    col = Collection(str(path))
    deck_ids = _decks(col, new_per_day, reviews_per_day)
    model = col.models.by_name("Basic")
    assert model is not None
    mid, crt = model["id"], col.crt
    col.close()
    conn = sqlite3.connect(path)
    # Anki's own collation, which its indexes name (the Rust backend registers it)
    conn.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    conn.execute("PRAGMA synchronous = OFF")  # a disposable bench file: no fsync while loading
    notes, cards, revlog = [], [], []
    count = 0
    for card in histories:
        nid = cid = 1_000_000_000 + card.index
        notes.append((nid, f"g{card.index}", mid, 0, -1, "", f"q{card.index}\x1fa{card.index}",
                      f"q{card.index}", card.index, 0, ""))
        cards.append(_card(cid, nid, deck_ids[card.topic], card, crt))
        for a in card.answers:
            ivl = (a.due - a.ts) // DAY
            kind = {0: 0, 1: 0, 2: 1, 3: 2}[a.state_before]
            revlog.append((a.ts, cid, -1, a.rating, ivl if ivl > 0 else -(a.due - a.ts) // 1000, 0,
                           int(a.difficulty * 100), min(a.duration_ms, 60_000), kind))
        count += len(card.answers)
        if len(revlog) >= BATCH:
            _flush(conn, notes, cards, revlog)
    _flush(conn, notes, cards, revlog)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return count


def _card(cid: int, nid: int, did: int, card: CardHistory, crt: int) -> tuple:
    if not card.answers:  # new: due is its position
        return (cid, nid, did, 0, 0, -1, 0, 0, card.index, 0, 0, 0, 0, 0, 0, 0, 0, "")
    last = card.answers[-1]
    ivl = max(1, (last.due - last.ts) // DAY)
    due_day = (last.due // 1000 - crt) // 86_400
    lapses = sum(1 for a in card.answers if a.state_before == 2 and a.rating == 1)
    data = json.dumps({"s": round(last.stability, 4), "d": round(last.difficulty, 4), "dr": 0.9,
                       "lrt": last.ts // 1000})
    return (cid, nid, did, 0, 0, -1, 2, 2, due_day, ivl, 2500, len(card.answers), lapses, 0, 0, 0, 0, data)


def _flush(conn: sqlite3.Connection, notes: list, cards: list, revlog: list) -> None:
    conn.executemany("INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", notes)
    conn.executemany("INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, "
                     "lapses, left, odue, odid, flags, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                     "?, ?, ?)", cards)
    conn.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    notes.clear()
    cards.clear()
    revlog.clear()
