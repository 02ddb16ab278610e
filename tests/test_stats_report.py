"""Full stats over synthetic logs whose answers are known by construction."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path

import pytest
from stats_fixtures import NOW, LogBuilder, make_library

from quizapp.config import Settings
from quizapp.forgetting import MASTERY_HORIZON_DAYS
from quizapp.stats.measures import MIN_CALIBRATION_REVIEWS, calibration
from quizapp.stats.report import HEATMAP_DAYS, report

DAY = timedelta(days=1)


pytestmark = pytest.mark.usefixtures("utc_days")


@pytest.fixture
def library(tmp_path: Path):
    return make_library(tmp_path, {"alpha": ["a1", "a2", "a3", "a4"], "beta": ["b1", "b2"]})


def test_streak_of_three_days_ending_today(library) -> None:
    log = LogBuilder(library)
    for days_ago in (0, 1, 2, 4):  # a gap 3 days ago ends the streak at 3
        log.review("a1", NOW - days_ago * DAY, 3)
    rep = report(log.store, library, Settings(), NOW)
    assert rep.streak_days == 3
    assert rep.reviews_today == 1


def test_streak_counts_from_yesterday_when_today_is_not_done_yet(library) -> None:
    log = LogBuilder(library)
    assert report(log.store, library, Settings(), NOW).streak_days == 0
    log.review("a1", NOW - 2 * DAY, 3)
    assert report(log.store, library, Settings(), NOW).streak_days == 0  # yesterday is missing
    log.review("a1", NOW - DAY, 3)
    assert report(log.store, library, Settings(), NOW).streak_days == 2  # today is not over yet


def test_today_counts_time_again_and_new(library) -> None:
    log = LogBuilder(library)
    log.review("a1", NOW - timedelta(hours=2), 1, duration_ms=4000)
    log.review("a2", NOW - timedelta(hours=1), 3, state_before=0, duration_ms=6000)
    log.review("a3", NOW - DAY, 3, duration_ms=9000)  # yesterday: not today
    rep = report(log.store, library, Settings(), NOW)
    assert (rep.reviews_today, rep.seconds_today, rep.again_today, rep.new_today) == (2, 10.0, 1, 1)
    assert rep.total_reviews == 3


def test_heatmap_covers_a_year_ending_today(library) -> None:
    log = LogBuilder(library)
    for _ in range(3):
        log.review("a1", NOW - 10 * DAY, 3)
    log.review("a1", NOW - 400 * DAY, 3)  # older than the heatmap
    rep = report(log.store, library, Settings(), NOW)
    assert len(rep.heatmap) == HEATMAP_DAYS
    assert rep.heatmap[-1].day == NOW.date()
    assert rep.heatmap[0].day == NOW.date() - (HEATMAP_DAYS - 1) * DAY
    by_day = {d.day: d.reviews for d in rep.heatmap}
    assert by_day[(NOW - 10 * DAY).date()] == 3
    assert sum(by_day.values()) == 3


def test_true_retention_075_from_four_first_reviews(library) -> None:
    log = LogBuilder(library)
    day = NOW - 3 * DAY
    log.review("a1", day, 3)
    log.review("a2", day, 1)
    log.review("a2", day + timedelta(minutes=10), 3, state_before=3)  # relearning step: ignored
    log.review("a3", day, 2)  # Hard is a pass
    log.review("a4", day, 4)
    log.review("b1", day, 1, state_before=0)  # first ever answer of a new card: not retention
    log.review("b1", day + timedelta(minutes=1), 3, state_before=1)  # learning step: ignored
    log.review("b2", day, 1, practice=1)  # practice: not retention
    rep = report(log.store, library, Settings(desired_retention=0.9), NOW)
    month = rep.retention_over(30)
    assert (month.reviews, month.passed, month.rate, month.target) == (4, 3, 0.75, 0.9)


def test_retention_windows_split_by_age(library) -> None:
    log = LogBuilder(library)
    log.review("a1", NOW - 2 * DAY, 3)
    log.review("a1", NOW - 20 * DAY, 1)
    log.review("a1", NOW - 200 * DAY, 1)
    rep = report(log.store, library, Settings(), NOW)
    assert rep.retention_over(7).rate == 1.0
    assert rep.retention_over(30).rate == 0.5
    assert rep.retention_over(365).reviews == 3


def test_forecast_lumps_overdue_into_today_and_skips_suspended_and_retired(library) -> None:
    log = LogBuilder(library)
    log.card("a1", "alpha", due=NOW - 5 * DAY)  # overdue -> day 0
    log.card("a2", "alpha", due=NOW + timedelta(hours=1))  # later today -> day 0
    log.card("a3", "alpha", due=NOW + 2 * DAY)
    log.card("a4", "alpha", due=NOW + 2 * DAY, suspended=1)
    log.card("b1", "beta", due=NOW + 3 * DAY, retired=1)
    log.card("b2", "beta", due=NOW + 40 * DAY)  # beyond the forecast
    rep = report(log.store, library, Settings(), NOW)
    assert len(rep.forecast) == 30
    assert rep.forecast[0] == 2 and rep.forecast[2] == 1 and sum(rep.forecast) == 3


def test_mastery_is_mean_recall_a_month_ahead_with_unseen_cards_at_zero(library) -> None:
    log = LogBuilder(library)
    # Reviewed today with a stability of exactly the horizon: R = 0.9 a month from now (the
    # curve's definition: R = 0.9 when the elapsed time equals the stability).
    log.card("a1", "alpha", stability=float(MASTERY_HORIZON_DAYS), last_review=NOW, due=NOW + 30 * DAY)
    # Stability far beyond the horizon: recall in a month is nearly certain.
    log.card("a2", "alpha", stability=1e9, last_review=NOW, due=NOW + 900 * DAY)
    log.card("a3", "alpha", stability=1.0, last_review=NOW - 20 * DAY, suspended=1)  # still counts
    rep = report(log.store, library, Settings(), NOW)
    alpha = next(t for t in rep.topics if t.topic_id == "alpha")
    factor = 0.9 ** (-1 / 0.1542) - 1  # fsrs-6 default decay w20 = 0.1542
    r3 = (1 + factor * 50 / 1.0) ** -0.1542
    assert math.isclose(alpha.mastery, (0.9 + 1.0 + r3 + 0) / 4, rel_tol=1e-6)
    assert (alpha.cards, alpha.seen, alpha.coverage) == (4, 3, 0.75)
    assert alpha.mastery < alpha.coverage  # studied is not the same as mastered
    beta = next(t for t in rep.topics if t.topic_id == "beta")
    assert (beta.mastery, beta.coverage) == (0.0, 0.0)


def test_sql_retrievability_matches_fsrs(library) -> None:
    from fsrs import Card, Scheduler, State

    sched = Scheduler()
    log = LogBuilder(library)
    last = NOW - timedelta(days=7, hours=5)
    log.card("a1", "alpha", stability=3.3, last_review=last, due=NOW)
    card = Card(card_id=1, state=State.Review, stability=3.3, difficulty=5.0, due=NOW, last_review=last)
    rep = report(log.store, library, Settings(), NOW)
    alpha = next(t for t in rep.topics if t.topic_id == "alpha")
    horizon = NOW + MASTERY_HORIZON_DAYS * DAY
    assert math.isclose(alpha.mastery * 4, sched.get_card_retrievability(card, horizon), rel_tol=1e-9)


def test_exercise_accuracy_and_most_frequent_mistakes(tmp_path: Path) -> None:
    library = make_library(tmp_path, {"alpha": ["a1"]}, exercises={"rf1": "receptive_field"})
    log = LogBuilder(library)
    kw = {"kind": "exercise", "family": "receptive_field"}
    log.review("rf1", NOW, 3, status="correct", **kw)
    for _ in range(3):
        log.review("rf1", NOW, 1, status="wrong", note="rf.no-stride-product", **kw)
    log.review("rf1", NOW, 1, status="wrong", note="generic.sign", **kw)
    log.review("a1", NOW, 3)  # a self-graded flashcard is not an exercise attempt
    rep = report(log.store, library, Settings(), NOW)
    (fam,) = rep.families
    assert (fam.family, fam.attempts, fam.correct, fam.accuracy) == ("receptive_field", 5, 1, 0.2)
    assert [(m.note, m.count) for m in fam.mistakes] == [("rf.no-stride-product", 3), ("generic.sign", 1)]
    assert rep.top_mistakes[0].note == "rf.no-stride-product"
    assert rep.top_mistakes[1].description.en == "getting the sign wrong"
    assert "most often getting the sign wrong (1×)" in rep.top_mistakes[1].sentence("en")
    assert "最常见的错误是" in rep.top_mistakes[1].sentence("zh")


def test_calibration_of_a_perfectly_calibrated_log(library) -> None:
    # 100 answers predicted at 0.9 with 90 recalled, 100 at 0.6 with 60 recalled.
    pairs = [(0.9, i < 90) for i in range(100)] + [(0.6, i < 60) for i in range(100)]
    cal = calibration(pairs)
    assert cal is not None
    assert cal.rmse == pytest.approx(0.0, abs=1e-12)
    h = lambda p: -(p * math.log(p) + (1 - p) * math.log(1 - p))  # noqa: E731
    assert cal.log_loss == pytest.approx((h(0.9) + h(0.6)) / 2)
    # The same log through SQL gives the same numbers.
    log = LogBuilder(library)
    for p, y in pairs:
        log.review("a1", NOW - 3 * DAY, 3 if y else 1, r_before=p)
    log.review("a1", NOW, 1, r_before=1.0)  # same-day review: predicted exactly 1, left out
    log.review("a1", NOW, 1, r_before=0.5, practice=1)  # practice: left out
    sql_cal = report(log.store, library, Settings(), NOW).calibration
    assert sql_cal is not None and sql_cal.reviews == 200
    assert sql_cal.rmse == pytest.approx(0.0, abs=1e-9)
    assert sql_cal.log_loss == pytest.approx(cal.log_loss)


def test_miscalibration_shows_in_rmse() -> None:
    cal = calibration([(0.9, i < 50) for i in range(100)])
    assert cal is not None and cal.rmse == pytest.approx(0.4)


def test_calibration_needs_enough_reviews() -> None:
    assert calibration([(0.9, True)] * (MIN_CALIBRATION_REVIEWS - 1)) is None


def test_report_to_dict_is_json(library) -> None:
    log = LogBuilder(library)
    log.card("a1", "alpha", stability=2.0, last_review=NOW - DAY, due=NOW + DAY)
    log.review("a1", NOW - DAY, 3, state_before=0)
    data = json.loads(json.dumps(report(log.store, library, Settings(), NOW).to_dict()))
    assert data["today"]["date"] == "2026-03-10"
    assert data["heatmap"][-2] == {"day": "2026-03-09", "reviews": 1}
    assert data["card_counts"]["total"] == 6 and data["card_counts"]["review"] == 1
    assert data["calibration"] is None
    assert {t["topic"] for t in data["topics"]} == {"alpha", "beta"}


def test_empty_store(library) -> None:
    rep = report(LogBuilder(library).store, library, Settings(), NOW)
    assert rep.streak_days == 0 and rep.total_reviews == 0 and rep.retention_over(30).rate is None
    assert rep.calibration is None and rep.families == () and sum(rep.forecast) == 0


def test_days_roll_over_at_four_in_the_morning(library) -> None:
    log = LogBuilder(library)
    start_of_today = NOW.replace(hour=4, minute=0)
    log.review("a1", start_of_today - timedelta(minutes=1), 3)  # 03:59: still yesterday
    log.review("a1", start_of_today, 3)
    rep = report(log.store, library, Settings(), NOW)
    assert rep.reviews_today == 1 and rep.heatmap[-2].reviews == 1


def test_a_streak_longer_than_the_heatmap(library) -> None:
    log = LogBuilder(library)
    for days_ago in range(400):
        log.review("a1", NOW - days_ago * DAY, 3)
    assert report(log.store, library, Settings(), NOW).streak_days == 400


def test_every_figure_covers_its_whole_period(library) -> None:
    """No window of recent answers: 5,000 exercise answers from 300 days ago still count after
    50,000 newer ones, in the yearly retention and in the exercise accuracy."""
    log = LogBuilder(library)
    kw = {"kind": "exercise", "family": "receptive_field"}
    log.review("rf1", NOW - 300 * DAY, 1, status="wrong", note="rf.old", times=5000, **kw)
    log.review("a2", NOW - 200 * DAY, 3, times=10)
    log.review("a1", NOW - DAY, 3, times=50_000)
    rep = report(log.store, library, Settings(), NOW)
    (fam,) = rep.families
    assert (fam.attempts, fam.correct, fam.mistakes[0].count) == (5000, 0, 5000)
    assert rep.retention_over(365).reviews == 55_010 and rep.retention_over(30).reviews == 50_000
    assert rep.total_reviews == 55_010
