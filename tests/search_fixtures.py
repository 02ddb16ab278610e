"""A small bilingual library with tags, every kind and full-width text, a store and a clock, for
the search, browse and custom-study tests."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from deck_text import options_item, quoted, topic_yaml
from tui_fixtures import FrozenClock as Clock  # noqa: F401 - re-exported for the tests

from quizapp.config import Settings
from quizapp.deck import Library, load_library
from quizapp.store import Store

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

ALPHA = topic_yaml("alpha", 1, quoted("Alpha basics", "甲 基础"), items="""\
  - id: a-flash
    kind: flashcard
    reverse: true
    tags: [followup, Basics]
    front: {en: "What does a ReLU compute?", zh: "ReLU 计算什么？"}
    back: {en: "max(0, x) of its input", zh: "输入的 max(0, x)"}
  - id: a-cloze
    kind: cloze
    tags: [rf]
    text: {en: "The receptive field grows by {{c1::k − 1}} per layer at {{c2::stride|step}} 1",
           zh: "感受野每层增加 {{c1::k − 1}}，{{c2::步幅|stride}} 为 1"}
""" + options_item("a-choice", "choice", ("Which one is an optimiser?", "哪一个是优化器？"), [
    ("ReLU", "ReLU", "an activation", "激活函数"), ("Adam", "Adam", "adaptive moments", "自适应矩估计")], (1,)))

BETA = topic_yaml("beta", 2, quoted("Beta topic", "乙 主题"), items=options_item(
    "b-multi", "multi", ("Which are activations?", "哪些是激活函数？"),
    [("tanh", "tanh", "squashes", "压缩"), ("SGD", "SGD", "an optimiser", "优化器")], (0,), tags="[followup]") + """\
  - id: b-ex
    kind: exercise
    family: receptive_field
  - id: b-wide
    kind: flashcard
    front: {en: "ＦＵＬＬ－ＷＩＤＴＨ Ｔｅｘｔ σ(x)", zh: "全角　文字"}
    back: {en: "half width", zh: "半角"}
""")


@dataclass
class SearchWorld:
    library: Library
    store: Store
    settings: Settings
    root: Path


def make_world(root: Path) -> SearchWorld:
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "alpha.yaml").write_text(textwrap.dedent(ALPHA), encoding="utf-8")
    (content / "beta.yaml").write_text(textwrap.dedent(BETA), encoding="utf-8")
    library = load_library([content], include_builtin=False)
    assert not library.problems, [str(p) for p in library.problems]
    store = Store.open(root / "data")
    store.sync_library(library)
    return SearchWorld(library, store, Settings(language="en", enable_fuzzing=False), root)


def review(world: SearchWorld, key: str, rating: int, when: datetime, *, practice: bool = False) -> None:
    """Answer one card at `when` through a real session (a plan of just that card)."""
    from quizapp.study.session import StudySession

    session = StudySession(world.store, world.library, world.settings, plan_keys=[key],
                           practice=practice, clock=Clock(when))
    card = session.next_card()
    assert card is not None and card.key == key, (key, card)
    session.reveal()
    session.rate(rating)
