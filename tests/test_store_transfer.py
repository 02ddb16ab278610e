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
        fsrs = json.loads(c.fsrs) if c.fsrs else None
        if fsrs:
            fsrs.pop("card_id")
        out.append((c.key, c.state, c.due, c.reps, c.lapses, c.leech, c.suspended, fsrs))
    return sorted(out, key=lambda t: t[0])


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
