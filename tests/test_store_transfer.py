"""Export/import round trip: the same log and card states in another store; twice adds nothing."""

from __future__ import annotations

import json

import pytest
from srs_fixtures import Env

from quizapp.store import Store
from quizapp.store.transfer import TransferError, csv_paths, export_csv, export_json, import_json


def _history(env: Env) -> None:
    env.study(topic="beta")
    env.clock.advance(days=4)
    env.study(lambda c: 1 if c.key == "b-2" and c.view.meta.state == "review" else 3)
    env.study(1, practice=True, limit=3)
    env.store.suspend("b-4", now=env.clock.now)


def comparable(store: Store) -> list[tuple]:
    out = []
    for c in store.all_cards():
        out.append((c.key, c.state, c.due, c.stability, c.difficulty, c.step, c.last_review, c.reps,
                    c.lapses, c.leech, c.suspended, c.flag, c.last_answer))
    return sorted(out, key=lambda t: t[0])


def _daily(store: Store) -> list[tuple]:
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in r[:6] + r[6:])
            for r in store.conn.execute(
                "SELECT d.day, d.class, d.bin, COALESCE(f.text, ''), COALESCE(s.text, ''), COALESCE(n.text, ''), "
                "d.answers, d.passed, d.again, d.duration, d.predicted, d.loss FROM daily d "
                "LEFT JOIN words f ON f.id = d.family LEFT JOIN words s ON s.id = d.status "
                "LEFT JOIN words n ON n.id = d.note ORDER BY 1, 2, 3, 4, 5, 6")]


def test_round_trip_and_twice_adds_nothing(tmp_path):
    env = Env(tmp_path / "a")
    _history(env)
    path = tmp_path / "export.json"
    counts = export_json(env.store, path)
    assert counts["reviews"] == len(env.store.reviews()) and counts["events"] == 1
    other = Env(tmp_path / "b")
    # the other store knows the cards in a different order: ids differ
    other.store.conn.execute("UPDATE cards SET id = id + 1000")
    first = import_json(other.store, path)
    assert first["added"] == counts["reviews"] and first["events_added"] == 1
    assert comparable(other.store) == comparable(env.store)
    assert [r.uid for r in other.store.reviews()] == [r.uid for r in env.store.reviews()]
    for card in other.store.all_cards():
        if card.fsrs:
            assert json.loads(card.fsrs)["card_id"] == card.id
    assert _daily(other.store) == _daily(env.store)
    second = import_json(other.store, path)
    assert second["added"] == 0 and second["already_present"] == counts["reviews"]
    assert second["events_added"] == 0
    assert len(other.store.reviews()) == counts["reviews"]
    assert other.store.computed_cards() == other.store.all_cards()


def test_import_into_an_empty_store_creates_unknown_cards_retired(tmp_path):
    env = Env(tmp_path / "a")
    _history(env)
    path = tmp_path / "export.json"
    export_json(env.store, path)
    bare = Store.open(tmp_path / "bare")
    try:
        import_json(bare, path)
        card = bare.card("b-0")
        assert card is not None and card.retired and card.reps >= 2
    finally:
        bare.close()


@pytest.mark.parametrize(
    "payload, message",
    [
        ("not json", "not a JSON file"),
        ('{"format": "other"}', "not a quizapp export"),
        ('{"format": "quizapp-export", "version": 9}', "newer"),
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", "ts": 1, '
         '"rating": 7, "state_before": 0, "state_after": 1}]}', "reviews[0].rating"),
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", "ts": 1, '
         '"rating": 3, "state_before": 0, "state_after": 1, "card_after": "{}"}]}', "reviews[0].card_after"),
        # numbers SQLite cannot store, or times no date can show, are errors, not tracebacks
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", '
         '"ts": 1000000000000000000000000000000, "rating": 3, "state_before": 0, "state_after": 1}]}',
         "reviews[0].ts"),
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", "ts": 1, '
         '"seed": 1000000000000000000000000000000, "rating": 3, "state_before": 0, "state_after": 1}]}',
         "reviews[0].seed"),
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", "ts": 1, '
         '"duration_ms": 99999999999999999999, "rating": 3, "state_before": 0, "state_after": 1}]}',
         "reviews[0].duration_ms"),
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", "ts": 1, '
         '"r_before": NaN, "rating": 3, "state_before": 0, "state_after": 1}]}', "reviews[0].r_before"),
        ('{"format": "quizapp-export", "version": 1, "events": [{"uid": "e", "card_key": "k", '
         '"ts": 9999999999999999999999, "action": "suspend"}]}', "events[0].ts"),
        ('{"format": "quizapp-export", "version": 1, "reviews": [{"uid": "x", "card_key": "k", "ts": 1, '
         '"practice": "no", "rating": 3, "state_before": 0, "state_after": 1}]}', "reviews[0].practice"),
    ],
)
def test_bad_files_change_nothing(tmp_path, payload, message):
    env = Env(tmp_path / "a")
    _history(env)
    before = (env.store.all_cards(), env.store.reviews())
    path = tmp_path / "bad.json"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(TransferError, match=message.replace("[", r"\[").replace("]", r"\]")):
        import_json(env.store, path)
    assert (env.store.all_cards(), env.store.reviews()) == before


def test_partial_failure_rolls_back(tmp_path):
    env = Env(tmp_path / "a")
    _history(env)
    path = tmp_path / "export.json"
    export_json(env.store, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reviews"][-1]["rating"] = "three"
    path.write_text(json.dumps(data), encoding="utf-8")
    other = Env(tmp_path / "b")
    with pytest.raises(TransferError):
        import_json(other.store, path)
    assert other.store.reviews() == []


def test_csv_pair(tmp_path):
    env = Env(tmp_path / "a")
    _history(env)
    reviews, cards = export_csv(env.store, tmp_path / "x.csv")
    assert (reviews, cards) == csv_paths(tmp_path / "x")
    assert reviews.name == "x.reviews.csv" and cards.name == "x.cards.csv"
    assert len(reviews.read_text(encoding="utf-8").splitlines()) == len(env.store.reviews()) + 1
    assert len(cards.read_text(encoding="utf-8").splitlines()) == len(env.store.all_cards()) + 1


def test_an_export_of_schema_2_imports_to_the_same_cards_as_the_migration(tmp_path):
    """tests/fixtures/export_v1.json was exported by quizapp at schema 2 from store_v2.sqlite3:
    importing it streams its fsrs-JSON states into numbers, and gives the cards the migration of
    that same database gives."""
    import shutil
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    migrated_dir = tmp_path / "migrated"
    migrated_dir.mkdir()
    shutil.copy(fixtures / "store_v2.sqlite3", migrated_dir / "quizapp.sqlite3")
    migrated = Store.open(migrated_dir)
    fresh = Store.open(tmp_path / "fresh")
    try:
        counts = import_json(fresh, fixtures / "export_v1.json")
        assert counts["added"] == migrated.review_count() == 156 and counts["events_added"] == 3
        assert comparable(fresh) == comparable(migrated)
        assert [r.uid for r in fresh.reviews()] == [r.uid for r in migrated.reviews()]
        assert import_json(fresh, fixtures / "export_v1.json")["added"] == 0
    finally:
        migrated.close()
        fresh.close()


def test_a_huge_export_streams_in_bounded_memory(tmp_path):
    """The reader never holds more than an element: a file whose one review is enormous is refused
    (not read into memory), and deep nesting or endless numbers are clean errors."""
    env = Env(tmp_path / "a")
    for payload, message in [
        ('{"format": "quizapp-export", "version": 2, "reviews": [{"card_key": "' + "k" * 2_000_000 + '"}]}',
         "longer than"),
        ('{"format": "quizapp-export", "version": 2, "reviews": [' + "[" * 100_000 + "]" * 100_000 + "]}",
         "not a JSON file"),
        ('{"format": "quizapp-export", "version": 2, "reviews": [{"ts": ' + "9" * 5001 + "}]}", "not a JSON file"),
    ]:
        path = tmp_path / "bad.json"
        path.write_text(payload, encoding="utf-8")
        with pytest.raises(TransferError, match=message):
            import_json(env.store, path)


def test_long_exports_and_imports_report_progress(tmp_path, monkeypatch):
    import quizapp.store.transfer as transfer

    monkeypatch.setattr(transfer, "PROGRESS_EVERY", 5)
    env = Env(tmp_path / "a")
    _history(env)
    heard: list[tuple[str, int]] = []
    path = tmp_path / "export.json"
    counts = export_json(env.store, path, lambda what, n: heard.append((what, n)))
    assert ("reviews", 5) in heard and ("reviews", 10) in heard
    heard.clear()
    import_json(Env(tmp_path / "b").store, path, lambda what, n: heard.append((what, n)))
    assert [n for what, n in heard if what == "reviews"] == list(range(5, counts["reviews"] + 1, 5))
