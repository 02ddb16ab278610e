"""Shared helpers for the store / srs / study tests: a small synthetic library and a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deck_text import options_item, topic_yaml

TOPIC_A = "\n" + topic_yaml("alpha", 1, '{en: Alpha, zh: 甲}', items="""\
  - id: a-flash
    kind: flashcard
    front: {en: "Front A", zh: "正面 A"}
    back: {en: "Back A", zh: "背面 A"}
    reverse: true
  - id: a-cloze
    kind: cloze
    text: {en: "One {{c1::two}} three {{c2::four}}", zh: "一 {{c1::二}} 三 {{c2::四}}"}
""" + options_item("a-choice", "choice", ("Pick b", "选 b"), [("not this", "不是", "no", "不"), ("this", "是", "yes", "对")], (1,))
    + options_item("a-multi", "multi", ("Pick a and c", "选 a 和 c"), [("one", "一", "y", "是"), ("two", "二", "n", "否"), ("three", "三", "y", "是")], (0, 2)))

TOPIC_B = "\n" + topic_yaml("beta", 2, '{en: Beta, zh: 乙}', items="""\
""")
BETA_ITEMS = 6

TOPIC_GAMMA = "\n" + topic_yaml("gamma", 3, '{en: Gamma, zh: 丙}', items="""\
  - id: g-one
    kind: flashcard
    front: {en: "G front", zh: "丙 正面"}
    back: {en: "G back", zh: "丙 背面"}
""")

TOPIC_DELTA = "\n" + topic_yaml("delta", 4, '{en: Delta, zh: 丁}', items="""\
  - id: d-rf
    kind: exercise
    family: receptive_field
""")

# Not in write_library's set: a multi-part exercise, for the tests that add it.
TOPIC_PARTS = "\n" + topic_yaml("parts", 9, '{en: Parts, zh: 分步}', items="""\
  - id: p-conv
    kind: exercise
    family: conv_cost
    params: {parts: true}
""")


def beta_items() -> str:
    return "".join(
        f"""  - id: b-{i}
    kind: flashcard
    front: {{en: "B front {i}", zh: "乙 正面 {i}"}}
    back: {{en: "B back {i}", zh: "乙 背面 {i}"}}
"""
        for i in range(BETA_ITEMS)
    )


def write_library(root: Path, *, with_beta: bool = True) -> Path:
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "alpha.yaml").write_text(TOPIC_A, encoding="utf-8")
    (content / "gamma.yaml").write_text(TOPIC_GAMMA, encoding="utf-8")
    (content / "delta.yaml").write_text(TOPIC_DELTA, encoding="utf-8")
    beta = content / "beta.yaml"
    if with_beta:
        beta.write_text(TOPIC_B + beta_items(), encoding="utf-8")
    elif beta.exists():
        beta.unlink()
    return content


def load(root: Path, *, with_beta: bool = True):
    from quizapp.deck import load_library

    lib = load_library([write_library(root, with_beta=with_beta)], include_builtin=False)
    assert not lib.problems, [str(p) for p in lib.problems]
    return lib


@dataclass
class FrozenClock:
    now: datetime = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


def settings(**kw):
    from quizapp.config import Settings

    base = {"language": "en", "enable_fuzzing": False}
    base.update(kw)
    return Settings(**base)


class FakeInstance:
    """Stands in for an exercise Instance: the answer is the seed mod 97."""

    def __init__(self, seed: int) -> None:
        from quizapp.i18n import Bilingual

        self.family = "receptive_field"
        self.seed = seed
        self.answer_text = str(seed % 97)
        self.answer_hint = Bilingual("an integer", "整数")
        self.prompt_text = Bilingual(f"What is {seed} mod 97?", f"{seed} 除以 97 的余数是多少？")
        self.solution_text = Bilingual(f"{seed} mod 97 = {self.answer_text}", f"{seed} mod 97 = {self.answer_text}")
        self.parts: tuple[object, ...] = ()
        self.params: dict[str, object] = {}

    def check(self, text: str):
        from quizapp.checking.verdict import Verdict

        text = text.strip()
        if not text.lstrip("-").isdigit():
            return Verdict("invalid", note="invalid.syntax")
        if text == self.answer_text:
            return Verdict("correct", interpreted=text, note="correct")
        return Verdict("wrong", interpreted=text, note="fake.off")


class FakeFamily:
    name = "receptive_field"

    def __init__(self) -> None:
        self.seeds: list[int] = []

    def generate(self, seed: int, **params):
        self.seeds.append(seed)
        return FakeInstance(seed)


class Env:
    """A synthetic library, a fresh store and a frozen clock in tmp_path."""

    def __init__(self, root: Path, **settings_kw) -> None:
        from quizapp.store import Store

        self.root = root
        self.lib = load(root)
        self.store = Store.open(root / "data")
        self.clock = FrozenClock()
        self.settings = settings(**settings_kw)
        self.store.sync_library(self.lib)

    def reload(self, *, with_beta: bool = True) -> None:
        self.lib = load(self.root, with_beta=with_beta)
        self.store.sync_library(self.lib)

    def session(self, **kw):
        from quizapp.study.session import StudySession

        return StudySession(self.store, self.lib, self.settings, clock=self.clock, **kw)

    def study(self, rating=3, *, max_answers: int = 500, step_minutes: float = 1.0, **kw):
        """Answer everything the session offers; `rating` is an int or card -> int.
        Returns [(key, ReviewResult)]."""
        session = self.session(**kw)
        done = []
        while (card := session.next_card()) is not None:
            assert len(done) < max_answers, "session does not end"
            session.reveal()
            r = rating(card) if callable(rating) else rating
            done.append((card.key, session.rate(r)))
            self.clock.advance(minutes=step_minutes)
        return done

    def plan_keys(self, **kw) -> list[str]:
        """The keys a new session would show, in order, without answering (skips through)."""
        session = self.session(**kw)
        keys = []
        while (card := session.next_card()) is not None:
            keys.append(card.key)
            session.skip()
        return keys


def assert_store_sound(data: Path) -> None:
    """The file passes SQLite's integrity check and the card cache equals a rebuild from the log."""
    from quizapp.store import Store

    store = Store.open(data)
    try:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.computed_cards() == store.all_cards()
    finally:
        store.close()
