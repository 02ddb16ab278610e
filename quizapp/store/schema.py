"""The SQLite schema of quizapp.sqlite3 and its migrations (PRAGMA user_version).

Version 2 (current). All times are integer milliseconds since the Unix epoch, UTC.

cards — one row per card key ever seen; a CACHE rebuilt from `reviews` + `events` (Store.rebuild_cards)
    id           INTEGER PRIMARY KEY   our own stable card id (also the fsrs Card.card_id)
    key          TEXT UNIQUE           "<item id>", "<item id>::reverse", "<item id>::c<N>"
    item_id      TEXT                  siblings share it (burying)
    topic        TEXT                  topic id as last loaded
    kind         TEXT                  flashcard | cloze | choice | multi | exercise
    ord          INTEGER               position in the library (order new cards are introduced)
    retired      INTEGER 0/1           1 = not in the content loaded last (history kept, out of queues)
    state        INTEGER               0 new, 1 learning, 2 review, 3 relearning (fsrs State + 0 = new)
    due          INTEGER ms | NULL     NULL for new cards
    stability, difficulty REAL | NULL; step INTEGER | NULL; last_review INTEGER ms | NULL
    reps         INTEGER               scheduled (non-practice) reviews
    lapses       INTEGER               Again on a card in the review state
    leech        INTEGER 0/1           tagged leech (stays tagged after unsuspend)
    suspended    INTEGER 0/1           out of the queues (leech action or by hand)
    fsrs         TEXT | NULL           exact fsrs Card JSON (Card.from_json); NULL for new cards

reviews — the append-only review log: the TRUTH. One row per answer (practice answers included)
    id           INTEGER PRIMARY KEY   insertion order
    uid          TEXT UNIQUE           stable id (uuid4 hex) — import dedupes by it
    card_id      INTEGER → cards.id;   card_key, item_id, topic, kind: copies at review time
    family       TEXT                  exercise family ('' otherwise)
    ts           INTEGER ms            when the rating was recorded
    rating       INTEGER               1 Again, 2 Hard, 3 Good, 4 Easy
    duration_ms  INTEGER               time from showing the card to rating (capped)
    status       TEXT                  verdict status: correct | wrong | '' (self-graded flashcard)
    note         TEXT                  verdict note (stable mistake tag), '' if none
    answer       TEXT                  what the learner typed ('' for flashcards)
    seed         INTEGER | NULL        exercise instance seed (reproducible)
    practice     INTEGER 0/1           1 = practice/cram/drill: schedule unchanged
    session      TEXT                  session id (undo only removes rows of its own session)
    state_before, state_after INTEGER  0..3 as in cards.state
    card_before  TEXT | NULL           fsrs Card JSON before (NULL when the card was new)
    card_after   TEXT | NULL           fsrs Card JSON after (== card_before for practice)
    lapse        INTEGER 0/1           this answer was a lapse (Again in review state)
    leech        INTEGER 0/1           this answer tagged the card as a leech (or re-warned)
    suspend      INTEGER 0/1           this answer suspended the card (leech action)
    r_before     REAL | NULL           (v2) predicted recall just before the answer (NULL when new)

events — (v2) hand-made card changes, also log (rebuild replays them in time order with `reviews`)
    id INTEGER PRIMARY KEY, uid TEXT UNIQUE, card_id, card_key, ts INTEGER ms,
    action TEXT ('suspend' | 'unsuspend')

card_marks — browser marks (flag, bury, forget, set-due), also log: see quizapp.store.marks
    (created on open by ENSURE; rebuild replays forget/set-due after each card's last review).

meta — key/value TEXT: created_at, created_by (app version), library_fingerprint (of the content
    last synced into `cards`, so an unchanged library costs no sync work at start-up).

v1 → v2: adds `events` (suspension by hand was only in the cache in v1, so a rebuild lost it; the
migration turns each suspended-by-hand v1 card into a 'suspend' event) and `reviews.r_before`
(backfilled from card_before, so calibration stats cover old reviews too).
"""

from __future__ import annotations

from quizapp.store.marks import MARKS_DDL

CURRENT_VERSION = 2

# Kept verbatim so tests can create a real v1 file and upgrade it.
SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    item_id TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    ord INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    state INTEGER NOT NULL DEFAULT 0,
    due INTEGER,
    stability REAL,
    difficulty REAL,
    step INTEGER,
    last_review INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    leech INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    fsrs TEXT
);
CREATE INDEX cards_state_due ON cards (state, due);
CREATE INDEX cards_state_ord ON cards (state, ord);
CREATE INDEX cards_topic ON cards (topic);
CREATE INDEX cards_item ON cards (item_id);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    card_id INTEGER NOT NULL REFERENCES cards (id),
    card_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    family TEXT NOT NULL DEFAULT '',
    ts INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    seed INTEGER,
    practice INTEGER NOT NULL DEFAULT 0,
    session TEXT NOT NULL DEFAULT '',
    state_before INTEGER NOT NULL,
    state_after INTEGER NOT NULL,
    card_before TEXT,
    card_after TEXT,
    lapse INTEGER NOT NULL DEFAULT 0,
    leech INTEGER NOT NULL DEFAULT 0,
    suspend INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reviews_ts ON reviews (ts);
CREATE INDEX reviews_card ON reviews (card_id, ts);
CREATE INDEX reviews_topic_ts ON reviews (topic, ts);
"""

MIGRATE_V1_TO_V2 = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    card_id INTEGER NOT NULL REFERENCES cards (id),
    card_key TEXT NOT NULL,
    ts INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('suspend', 'unsuspend'))
);
CREATE INDEX events_card ON events (card_id, ts);
ALTER TABLE reviews ADD COLUMN r_before REAL;
"""

# Idempotent, run on every open (after migrations): indexes added after a schema version shipped.
# cards_dash covers the dashboard's one-pass aggregate (no table rows are read).
ENSURE = """
CREATE INDEX IF NOT EXISTS cards_dash ON cards (retired, topic, state, suspended, due, last_review, stability);
""" + MARKS_DDL

TABLES = ("meta", "cards", "reviews")
