"""The schemas of earlier quizapp databases, kept verbatim: migrations read them and tests build
real old files with them. Version 1: cards + reviews (JSON card states, uuid per review, copies of
card_key/item_id/topic/kind, four log indexes). Version 2 added `events` (suspend/unsuspend by hand)
and `reviews.r_before`. quizapp.store.migrate turns either into the current schema.
"""

from __future__ import annotations

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

# Run on every v2 open (an index added after v2 shipped).
ENSURE_V2 = """
CREATE INDEX IF NOT EXISTS cards_dash ON cards (retired, topic, state, suspended, due, last_review, stability);
"""
