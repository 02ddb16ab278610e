"""Words (repeated strings stored once) and the per-day aggregates of the log (`daily`).

The aggregates change in the same transaction as the log: +1 answer when one is recorded, −1 when
one is undone, and `rebuild_daily` recomputes them from the log in one GROUP BY (after a migration,
an import or a repair), so statistics over any period read days instead of reviews.
"""

from __future__ import annotations

import math

from quizapp.store.base import StoreBase
from quizapp.store.schema import (
    CALIBRATION_BINS,
    NEW_CLASS,
    PRACTICE_CLASS,
    REVIEW_CLASS,
    STEP_CLASS,
)

_EPS = 1e-6  # predicted recall is clipped before log loss so a certain-but-wrong guess stays finite

_UPSERT = (
    "INSERT INTO daily (day, class, bin, family, status, note, answers, passed, again, duration, "
    "predicted, loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
    "answers = answers + excluded.answers, passed = passed + excluded.passed, "
    "again = again + excluded.again, duration = duration + excluded.duration, "
    "predicted = predicted + excluded.predicted, loss = loss + excluded.loss"
)

# The same classification as `tally`, in SQL, over reviews r joined with cards c.
_CLASS_SQL = f"CASE WHEN r.practice THEN {PRACTICE_CLASS} WHEN r.state = 0 THEN {NEW_CLASS} " \
             f"WHEN r.state = 2 THEN {REVIEW_CLASS} ELSE {STEP_CLASS} END"
_CALIBRATED_SQL = "(r.practice = 0 AND r.r_before IS NOT NULL AND r.r_before < 1)"
_REBUILD = f"""
INSERT INTO daily (day, class, bin, family, status, note, answers, passed, again, duration, predicted, loss)
SELECT r.day, {_CLASS_SQL},
       CASE WHEN {_CALIBRATED_SQL} THEN MIN({CALIBRATION_BINS - 1}, CAST(r.r_before * {CALIBRATION_BINS} AS INTEGER))
            ELSE -1 END AS b,
       COALESCE(w.id, 0), COALESCE(r.status, 0), COALESCE(r.note, 0),
       COUNT(*), SUM(r.rating > 1), SUM(r.rating = 1), SUM(r.duration),
       SUM(CASE WHEN {_CALIBRATED_SQL} THEN r.r_before ELSE 0 END),
       SUM(CASE WHEN {_CALIBRATED_SQL} THEN
             CASE WHEN r.rating > 1 THEN -ln(MAX(r.r_before, {_EPS})) ELSE -ln(MAX(1 - r.r_before, {_EPS})) END
           ELSE 0 END)
FROM reviews r JOIN cards c ON c.id = r.card LEFT JOIN words w ON w.text = c.family AND c.family != ''
GROUP BY 1, 2, 3, 4, 5, 6
"""


def answer_class(state_before: int, practice: bool) -> int:
    if practice:
        return PRACTICE_CLASS
    return {0: NEW_CLASS, 2: REVIEW_CLASS}.get(state_before, STEP_CLASS)


class DailyMixin(StoreBase):
    _words: dict[str, int]
    _texts: dict[int, str]

    # ---- words ---------------------------------------------------------------------------
    def word(self, text: str) -> int | None:
        """The id of `text` in `words` (created if new; call in a transaction); None for ''."""
        if not text:
            return None
        found = self._words.get(text)
        if found is None:
            self.conn.execute("INSERT OR IGNORE INTO words (text) VALUES (?)", (text,))
            found = int(self._one("SELECT id FROM words WHERE text = ?", (text,)))
            self._words[text] = found
            self._texts[found] = text
        return found

    def text(self, word: int | None) -> str:
        if word is None:
            return ""
        found = self._texts.get(word)
        if found is None:
            found = str(self._one("SELECT text FROM words WHERE id = ?", (word,)) or "")
            self._texts[word] = found
        return found

    # ---- the aggregates ------------------------------------------------------------------
    def tally(
        self, *, day: int, state_before: int, practice: bool, rating: int, duration: int,
        r_before: float | None, family: str, status: int | None, note: int | None, sign: int = 1,
    ) -> None:
        """Add one answer to `daily` (sign=-1 takes it away again). Call in a transaction."""
        calibrated = not practice and r_before is not None and r_before < 1
        if calibrated:
            assert r_before is not None
            p = max(r_before, _EPS) if rating > 1 else max(1 - r_before, _EPS)
            bin_, predicted, loss = min(CALIBRATION_BINS - 1, int(r_before * CALIBRATION_BINS)), r_before, -math.log(p)
        else:
            bin_, predicted, loss = -1, 0.0, 0.0
        key = (day, answer_class(state_before, practice), bin_, self.word(family) or 0, status or 0, note or 0)
        self.conn.execute(_UPSERT, (*key, sign, sign * (rating > 1), sign * (rating == 1), sign * duration,
                                    sign * predicted, sign * loss))
        if sign < 0:
            self.conn.execute(
                "DELETE FROM daily WHERE day = ? AND class = ? AND bin = ? AND family = ? AND status = ? "
                "AND note = ? AND answers <= 0", key,
            )

    def rebuild_daily(self) -> None:
        """Recompute the aggregates from the log. Call in a transaction."""
        self.conn.execute(
            "INSERT OR IGNORE INTO words (text) SELECT DISTINCT family FROM cards WHERE family != ''"
        )
        self.conn.execute("DELETE FROM daily")
        self.conn.execute(_REBUILD)
