"""Shared helpers for the store / srs / study tests: a small synthetic library and a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

TOPIC_A = """
id: alpha
order: 1
title: {en: Alpha, zh: 甲}
items:
  - id: a-flash
    kind: flashcard
    front: {en: "Front A", zh: "正面 A"}
    back: {en: "Back A", zh: "背面 A"}
    reverse: true
  - id: a-cloze
    kind: cloze
    text: {en: "One {{c1::two}} three {{c2::four}}", zh: "一 {{c1::二}} 三 {{c2::四}}"}
  - id: a-choice
    kind: choice
    question: {en: "Pick b", zh: "选 b"}
    options:
      - {text: {en: "not this", zh: "不是"}, why: {en: "no", zh: "不"}}
      - {text: {en: "this", zh: "是"}, correct: true, why: {en: "yes", zh: "对"}}
  - id: a-multi
    kind: multi
    question: {en: "Pick a and c", zh: "选 a 和 c"}
    options:
      - {text: {en: "one", zh: "一"}, correct: true, why: {en: "y", zh: "是"}}
      - {text: {en: "two", zh: "二"}, why: {en: "n", zh: "否"}}
      - {text: {en: "three", zh: "三"}, correct: true, why: {en: "y", zh: "是"}}
"""

TOPIC_B = """
id: beta
order: 2
title: {en: Beta, zh: 乙}
items:
"""
BETA_ITEMS = 6


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
