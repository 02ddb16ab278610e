"""The SQLite schema of quizapp.sqlite3 (PRAGMA user_version = 3), modelled on Anki's revlog.

All times are integer milliseconds since the Unix epoch, UTC. Study days are day numbers of the
study clock (quizapp.timing.study_day). Text is stored only where there is text; repeated strings
(verdict statuses, mistake notes, session ids, family names in the aggregates) are numbers that
point into `words`.

reviews — the append-only review log: the TRUTH. One row per answer (practice answers included).
    id          INTEGER PRIMARY KEY  when it was answered (ms); unique and time-ordered: a tie is
                                     moved 1 ms later, as Anki does with revlog ids
    card        INTEGER              cards.id
    day         INTEGER              study day it counted for (the local clock when answered)
    rating      INTEGER              1 Again, 2 Hard, 3 Good, 4 Easy
    state       INTEGER              card state before: 0 new, 1 learning, 2 review, 3 relearning
    practice    INTEGER 0/1          1 = practice/cram/drill: the schedule did not change
    duration    INTEGER ms           from showing the card to rating it (capped)
    after, step, interval, stability, difficulty   the FSRS state after the answer, as numbers:
                                     state, learning step, due − id (ms), S (days), D (1–10);
                                     NULL for practice
    r_before    REAL | NULL          predicted recall just before (NULL: new card, or practice)
    flags       INTEGER              1 = tagged leech by this answer, 2 = suspended by it
    status      INTEGER | NULL       words: verdict status (correct, wrong, …); NULL self-graded
    note        INTEGER | NULL       words: stable mistake note
    answer      TEXT | NULL          what the learner typed
    seed        INTEGER | NULL       exercise instance seed, or the choice options' shuffle seed
    params      TEXT | NULL          exercise params (JSON) when they differ from the item's
    session     INTEGER | NULL       words: the session's id (undo stays within a session)
    A lapse is derived: Again on a review-state card, not practice.

parts — each part of a multi-part exercise answer: (review, part) → answer, status, note.

events — hand-made changes, also log (replayed with the reviews, in time order)
    id INTEGER PRIMARY KEY (ms, as reviews), card, action, value:
    1 suspend · 2 unsuspend · 3 forget (back to new; history, reps and lapses kept) ·
    4 set_due (value: due ms) · 5 bury (value: until when, ms; 0 = unbury) · 6 flag (value: 0–4).
    Forget and set_due cut a card's history for fitting the scheduler.

parameters — FSRS parameters adopted (id: when, ms; weights: JSON list). memory — the FSRS memory
    state of every card recomputed with the latest parameters at their adoption (a card reviewed
    since then takes its state from its last review): rebuild = cache after a change of parameters.

cards — one row per card key ever seen. key/item_id/topic/kind/family/ord/retired describe the
    card as last loaded (retired = no longer in the content: history kept, out of queues); the
    rest is a CACHE recomputed from reviews + events (Store.rebuild_cards) and must equal it:
    state, due, stability, difficulty, step, last_review (id of the last scheduled answer), reps,
    lapses, leech, suspended, buried (until when, ms), flag, last_answer (id of the last answer,
    practice included).

daily — aggregates of the log kept as it grows (one row per study day and kind of answer), so
    statistics over any period read days, not reviews: class (0 new, 1 learning step, 2 review,
    3 practice), calibration bin (−1: nothing predicted), family/status/note (words, 0 = none)
    → answers, passed (Hard or better), again, duration, sum of predicted recall, log loss.

meta — key/value TEXT: created_at, created_by, library_fingerprint (of the content last synced).
words — id ↔ text.
"""

from __future__ import annotations

CURRENT_VERSION = 3

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE words (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    item_id TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    family TEXT NOT NULL DEFAULT '',
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
    buried INTEGER,
    flag INTEGER NOT NULL DEFAULT 0,
    last_answer INTEGER
);
CREATE INDEX cards_due ON cards (state, topic, due);
CREATE INDEX cards_new ON cards (topic, ord) WHERE state = 0;
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    card INTEGER NOT NULL,
    day INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    state INTEGER NOT NULL,
    practice INTEGER NOT NULL DEFAULT 0,
    duration INTEGER NOT NULL DEFAULT 0,
    after INTEGER,
    step INTEGER,
    interval INTEGER,
    stability REAL,
    difficulty REAL,
    r_before REAL,
    flags INTEGER NOT NULL DEFAULT 0,
    status INTEGER,
    note INTEGER,
    answer TEXT,
    seed INTEGER,
    params TEXT,
    session INTEGER
);
CREATE INDEX reviews_card ON reviews (card, id);
CREATE TABLE parts (
    review INTEGER NOT NULL,
    part INTEGER NOT NULL,
    answer TEXT,
    status INTEGER,
    note INTEGER,
    PRIMARY KEY (review, part)
) WITHOUT ROWID;
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    card INTEGER NOT NULL,
    action INTEGER NOT NULL CHECK (action BETWEEN 1 AND 6),
    value INTEGER
);
CREATE INDEX events_card ON events (card, id);
CREATE TABLE parameters (id INTEGER PRIMARY KEY, weights TEXT NOT NULL);
CREATE TABLE memory (card INTEGER PRIMARY KEY, stability REAL, difficulty REAL);
CREATE TABLE daily (
    day INTEGER NOT NULL,
    class INTEGER NOT NULL,
    bin INTEGER NOT NULL,
    family INTEGER NOT NULL,
    status INTEGER NOT NULL,
    note INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    again INTEGER NOT NULL,
    duration INTEGER NOT NULL,
    predicted REAL NOT NULL,
    loss REAL NOT NULL,
    PRIMARY KEY (day, class, bin, family, status, note)
) WITHOUT ROWID;
"""

TABLES = ("meta", "words", "cards", "reviews", "parts", "events", "parameters", "memory", "daily")

# Event actions (events.action).
SUSPEND, UNSUSPEND, FORGET, SET_DUE, BURY, FLAG = 1, 2, 3, 4, 5, 6
ACTIONS = {
    "suspend": SUSPEND, "unsuspend": UNSUSPEND, "forget": FORGET, "set_due": SET_DUE,
    "bury": BURY, "flag": FLAG,
}
ACTION_NAMES = {code: name for name, code in ACTIONS.items()}

# reviews.flags
LEECH_FLAG, SUSPEND_FLAG = 1, 2

# daily.class
NEW_CLASS, STEP_CLASS, REVIEW_CLASS, PRACTICE_CLASS = 0, 1, 2, 3
CALIBRATION_BINS = 10
