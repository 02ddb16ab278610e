"""The recall model: one forgetting curve, in Python and (generated from it) in SQL."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Scheduler, State

import quizapp
from quizapp.forgetting import DEFAULT_DECAY, recall_sql, retrievability
from quizapp.timing import DAY_MS, to_ms


def test_recall_is_point_nine_when_the_elapsed_time_equals_the_stability() -> None:
    for stability in (1.0, 3.0, 17.0, 365.0):
        assert retrievability(stability, 0, int(stability) * DAY_MS) == pytest.approx(0.9, rel=1e-12)
    assert retrievability(None, 0, DAY_MS) == 0.0  # never reviewed
    assert retrievability(5.0, None, DAY_MS) == 0.0
    assert retrievability(5.0, 10 * DAY_MS, 0) == 1.0  # a clock before the review: nothing elapsed


def test_python_matches_fsrs_and_sql_matches_python() -> None:
    rng = random.Random(5)
    sched = Scheduler()
    conn = sqlite3.connect(":memory:")
    expression = recall_sql("s", "last", "now")
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    for _ in range(300):
        stability = rng.uniform(0.1, 2000)
        last = now - timedelta(seconds=rng.uniform(0, 4e7))
        card = Card(card_id=1, state=State.Review, stability=stability, difficulty=5.0, due=now, last_review=last)
        python = retrievability(stability, to_ms(last), to_ms(now))
        assert python == pytest.approx(sched.get_card_retrievability(card, now), rel=1e-12)
        (sql,) = conn.execute(f"SELECT {expression} FROM (SELECT ? AS s, ? AS last, ? AS now)",
                              (stability, to_ms(last), to_ms(now))).fetchone()
        assert sql == pytest.approx(python, rel=1e-12)
    (none,) = conn.execute(f"SELECT {expression} FROM (SELECT NULL AS s, NULL AS last, 0 AS now)").fetchone()
    assert none is None


def test_a_fitted_decay_is_used_by_both() -> None:
    conn = sqlite3.connect(":memory:")
    for decay in (0.1, DEFAULT_DECAY, 0.5):
        python = retrievability(4.0, 0, 10 * DAY_MS, decay)
        (sql,) = conn.execute(f"SELECT {recall_sql('4.0', '0', str(10 * DAY_MS), decay)}").fetchone()
        assert sql == pytest.approx(python, rel=1e-12)
        assert retrievability(4.0, 0, 4 * DAY_MS, decay) == pytest.approx(0.9)


def test_the_curve_is_written_once() -> None:
    root = Path(quizapp.__file__).parent
    patterns = [r"0\.9\s*\*\*", r"DEFAULT_PARAMETERS\s*\[\s*20\s*\]", r"pow\(\s*1\s*\+", r"\*\*\s*-?\s*DECAY",
                r"\bFACTOR\b", r"get_card_retrievability"]
    found = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        for pattern in patterns
        if re.search(pattern, path.read_text(encoding="utf-8"))
    }
    assert found == {"forgetting.py"}
    # and the SQL comes from the store's single helper, never typed out
    sql_users = {str(p.relative_to(root)) for p in root.rglob("*.py") if "recall_sql(" in p.read_text(encoding="utf-8")}
    assert sql_users <= {"forgetting.py", "store/queries.py", "store/stats.py"}
