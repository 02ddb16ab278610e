"""Fitting FSRS to the learner's own log (quizapp.sched): training items built as Anki builds
them, an honest time-series evaluation, adoption only when better, the memory states recomputed
so that a rebuild equals the cache, and the scheduler using what was adopted."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sched_fixtures import START, TRUE_WEIGHTS, learner_log, new_store

from quizapp.config import ConfigError, Settings, load_settings
from quizapp.forgetting import retrievability
from quizapp.sched.adopt import adopt, bring_in_step, in_step, reset
from quizapp.sched.fit import ADOPT, HELD_OUT, MIN_REVIEWS, NO_BETTER, TOO_FEW, default_weights, fit
from quizapp.sched.items import card_histories, training_data
from quizapp.srs.scheduler import SrsScheduler
from quizapp.store.log import CardHistory, HistoryEntry
from quizapp.store.records import REVIEW
from quizapp.timing import to_ms

LATER = START + timedelta(days=160)


@pytest.fixture(scope="module")
def learner():
    """300 cards studied for 150 days by a learner whose memory follows TRUE_WEIGHTS."""
    store, ids = new_store(300)
    answers = learner_log(store, ids, days=150)
    return store, answers


D = 86_400_000


def entry(ts: int, rating: int, state: int, practice: bool = False) -> HistoryEntry:
    return HistoryEntry(ts, ts // D, rating, state, practice, 5000)


def test_histories_follow_ankis_rules() -> None:
    h = 3_600_000
    card = CardHistory(7, "k", (
        entry(10 * h, 3, 0), entry(11 * h, 3, 1),  # new, then a learning step an hour later
        entry(12 * h, 1, 2, practice=True),  # practice: not part of any history
        entry(3 * D + 9 * h, 3, 2),  # 2 days 22 hours after the step: t = 2 whole days
        entry(5 * D, 1, 2), entry(5 * D + h, 3, 3),  # a lapse, relearnt the same day
        entry(9 * D, 3, 2),  # (a due date set by hand on day 7 is no cut)
        entry(12 * D, 3, 0), entry(14 * D, 3, 2),  # after a Forget on day 11: afresh
    ), (7 * D, 11 * D))
    first, second = card_histories(card, [11 * D])
    assert (first.ratings, first.delta_t, first.current) == ([3, 3, 3, 1, 3, 3], [0, 0, 2, 1, 0, 3], False)
    assert list(first.item_positions()) == [2, 3, 5]  # answers within a day are history, not items
    assert (second.ratings, second.delta_t, second.current) == ([3, 3], [0, 2], True)
    assert list(second.item_positions()) == [1]


def test_a_history_not_starting_new_is_left_out_and_a_forget_after_the_last_answer_ends_it() -> None:
    partial = CardHistory(1, "k", (entry(1000, 3, 2), entry(4 * D, 3, 2)), ())
    assert card_histories(partial, []) == []
    forgotten = CardHistory(2, "k", (entry(1000, 3, 0), entry(4 * D, 3, 2)), (4 * D,))
    (history,) = card_histories(forgotten, [4 * D])  # at a tie the answer came first
    assert not history.current  # the card is new again: no memory state to recompute


def test_the_split_is_in_time_and_the_fit_beats_the_defaults_on_later_reviews(learner) -> None:
    store, answers = learner
    data = training_data(store)
    times = [ts for ts, _h, _a in data.order]
    assert times == sorted(times)
    report = fit(store, Settings(language="en"))
    assert report.verdict == ADOPT and report.answers == answers and report.reviews == data.items
    assert report.held_out == pytest.approx(data.items * HELD_OUT, abs=1)
    assert report.defaults is not None and report.fitted is not None
    assert report.fitted.log_loss < report.defaults.log_loss - 0.01
    # The learner's first memories last far longer than FSRS-6's defaults say: the fit sees it.
    assert report.weights[2] > 2 * default_weights()[2]
    assert sum(b[2] for b in report.fitted.bins) == report.held_out


def test_fifty_reviews_are_declined_with_the_reason() -> None:
    from quizapp.cli.optimize_cmd import report_lines

    store, ids = new_store(40)
    assert learner_log(store, ids, days=30, max_answers=50) == 50
    report = fit(store, Settings(language="en"))
    assert report.verdict == TOO_FEW and report.answers == 50 and report.reviews < MIN_REVIEWS
    (message,) = report_lines(report)
    assert f"at least {MIN_REVIEWS} reviews" in message and f"you have {report.reviews} (of 50 answers)" in message


def test_adopting_changes_the_intervals_and_a_rebuild_equals_the_cache(learner, tmp_path: Path) -> None:
    store, _answers = learner
    settings, config = Settings(language="en", enable_fuzzing=False), tmp_path / "config.json"
    cards = [c for c in store.all_cards() if c.state == REVIEW][:40]
    before = [SrsScheduler(settings).preview(c, LATER)[3] for c in cards]
    report = fit(store, settings)
    adopted = adopt(store, settings, report, config, LATER)
    assert store.parameters() == report.weights == adopted.fsrs_weights() == load_settings(config).fsrs_weights()
    assert store.computed_cards() == store.all_cards()
    after_cards = [store.card_by_id(c.id) for c in cards]
    after = [SrsScheduler(adopted).preview(c, LATER)[3] for c in after_cards if c is not None]
    # This learner remembers better than the defaults assume: Good waits longer now.
    assert sum(a > b for a, b in zip(after, before)) > 0.9 * len(cards)
    back = reset(store, adopted, config, LATER + timedelta(seconds=1))
    assert back.fsrs_weights() is None and load_settings(config).fsrs_presets == {}
    assert store.parameters() == default_weights() and store.computed_cards() == store.all_cards()
    reset_cards = [store.card_by_id(c.id) for c in cards]
    again = [SrsScheduler(back).preview(c, LATER)[3] for c in reset_cards if c is not None]
    assert all(abs(a - b) <= max(timedelta(days=1), 0.03 * b) for a, b in zip(again, before))


def test_recomputed_memory_states_are_the_schedulers_own() -> None:
    """With the same parameters, the Rust core replaying the items reaches the state the
    scheduler (py-fsrs) logged answer by answer: the items carry the scheduler's delta_t."""
    store, ids = new_store(60)
    learner_log(store, ids, days=60)
    logged = {c.id: (c.stability, c.difficulty) for c in store.all_cards() if c.stability}
    reset(store, Settings(language="en"), Path(store.path.parent) / "c.json", LATER)
    for card in store.all_cards():
        if card.id in logged:
            s, d = logged[card.id]
            assert card.stability == pytest.approx(s, rel=2e-3) and card.difficulty == pytest.approx(d, rel=2e-3)


def test_a_second_fit_on_the_same_reviews_is_no_better_and_changes_nothing(tmp_path: Path) -> None:
    store, ids = new_store(300)
    learner_log(store, ids, days=150, seed=11)
    config = tmp_path / "config.json"
    adopted = adopt(store, Settings(language="en"), fit(store, Settings(language="en")), config, LATER)
    saved, weights = config.read_bytes(), store.parameters()
    report = fit(store, adopted)
    assert report.verdict == NO_BETTER and report.in_use is not None
    assert report.fitted is not None and report.fitted.log_loss >= report.in_use.log_loss
    assert config.read_bytes() == saved and store.parameters() == weights


def test_the_scheduler_uses_the_adopted_parameters_and_previews_what_it_records(learner, tmp_path: Path) -> None:
    store, _answers = learner
    report = fit(store, Settings(language="en"))
    settings = adopt(store, Settings(language="en"), report, tmp_path / "c.json", LATER)
    scheduler = SrsScheduler(settings)
    assert list(scheduler.fsrs.parameters) == report.weights
    for card in [c for c in store.all_cards() if c.state == REVIEW][:20]:
        preview = scheduler.preview(card, LATER)
        for rating in (1, 2, 3, 4):
            outcome = scheduler.outcome(card, rating, LATER)
            assert outcome.interval == preview[rating]
        # Recall before the answer follows the fitted forgetting curve (w20), not the default's.
        assert outcome.r_before == retrievability(card.stability, card.last_review, to_ms(LATER), report.weights[20])
    reset(store, settings, tmp_path / "c.json", LATER + timedelta(seconds=1))


def test_parameters_pasted_into_the_config_are_brought_into_the_store(learner) -> None:
    store, _answers = learner
    weights = list(TRUE_WEIGHTS)
    pasted = Settings.from_dict({"fsrs_presets": {"default": {
        "weights": weights, "fitted_at": "2026-01-01T00:00:00+00:00", "reviews": 1, "held_out": 1,
        "defaults": {"log_loss": 0.4, "rmse": 0.1, "bins": []}, "fitted": {"log_loss": 0.3, "rmse": 0.05, "bins": []},
    }}})
    assert not in_step(store, pasted)
    assert bring_in_step(store, pasted, LATER) is True
    assert store.parameters() == weights and in_step(store, pasted) and not bring_in_step(store, pasted, LATER)
    assert store.computed_cards() == store.all_cards()
    assert bring_in_step(store, Settings(language="en"), LATER + timedelta(seconds=1))
    assert store.parameters() == default_weights()


def test_fitted_parameters_round_trip_through_the_config_file(learner, tmp_path: Path) -> None:
    store, _answers = learner
    report = fit(store, Settings(language="en"))
    settings = adopt(store, Settings(language="en"), report, tmp_path / "config.json", LATER)
    assert load_settings(tmp_path / "config.json") == settings
    text = (tmp_path / "config.json").read_text(encoding="utf-8")
    assert '"weights": [' + str(report.weights[0]) in text  # one line, readable
    reset(store, settings, tmp_path / "config.json", LATER + timedelta(seconds=1))


PRESET = {"weights": TRUE_WEIGHTS, "fitted_at": "2026-01-01T00:00:00+00:00", "reviews": 500, "held_out": 100,
          "defaults": {"log_loss": 0.4, "rmse": 0.1, "bins": [[0.9, 0.95, 100]]},
          "fitted": {"log_loss": 0.3, "rmse": 0.05, "bins": []}}


@pytest.mark.parametrize("change, problem", [
    ({"weights": [1.0] * 20}, "fsrs_presets.default.weights must be a list of 21 numbers"),
    ({"weights": [500.0] + TRUE_WEIGHTS[1:]}, "fsrs_presets.default.weights [0] = 500.0 is outside"),
    ({"reviews": "many"}, "reviews and held_out must be whole numbers"),
    ({"defaults": {"log_loss": "low"}}, "fsrs_presets.default.defaults"),
    ({"extra": 1}, "fsrs_presets.default must have exactly"),
])
def test_hand_edited_fitted_parameters_are_checked(tmp_path: Path, change: dict, problem: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"fsrs_presets": {"default": {**PRESET, **change}}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[")):
        load_settings(path)


def test_only_the_default_preset_is_used_today(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"fsrs_presets": {"maths": PRESET}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="only 'default' is used today, not 'maths'"):
        load_settings(path)
    path.write_text(json.dumps({"fsrs_presets": {"default": PRESET}}), encoding="utf-8")
    assert load_settings(path).fsrs_weights() == TRUE_WEIGHTS
