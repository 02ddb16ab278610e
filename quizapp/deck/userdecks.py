"""My decks: the user's own topic files, in `<data dir>/decks` (the platform's user data folder,
`~/.local/share/quizapp/decks` on Linux; `--data-dir DIR` gives DIR/decks). Every .yaml file there
loads beside the built-in topics; `--content DIR` still adds more.

`quizapp new-deck NAME` writes a valid bilingual skeleton there with one item of each kind.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from quizapp import paths

DECKS_FOLDER = "decks"
OVERRIDES_DECK = "my-edits"


def user_decks_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the user's decks live (not created here)."""
    return paths.data_dir(data_dir) / DECKS_FOLDER


def slug(name: str, *, fallback: str = "deck") -> str:
    """An id from a name: ascii letters, digits and '-' (a name without any gets a short hash)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    from quizapp.deck.loader import ID_RE  # the YAML reader: not on the way to the first screen

    if not text or not ID_RE.match(text):
        digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:6]
        text = f"{fallback}-{digest}"
    return text


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def skeleton(deck_id: str, title: str) -> str:
    """A valid topic file with one item of each kind, commented for a first-time author."""
    t = _quoted(title)
    return f"""\
# {title}: a deck of your own. quizapp loads every .yaml file in this folder beside the
# built-in topics, and picks up changes while it runs. Check a file with: quizapp validate FILE
#
# Every text a learner sees has both languages: {{en: ..., zh: ...}}.
# Every item has an id: your progress is kept by it, so reword freely but keep the id.
# Formulas in unicode (σ, ∂, ², ×, Σ, −), never LaTeX.
id: {deck_id}
order: 100                 # position among your decks (smaller first)
title: {{en: {t}, zh: {t}}}
summary: {{en: "My own cards", zh: "我自己的卡片"}}
notes:                     # Markdown, shown on the topic screen
  en: |
    Notes for this topic.
  zh: |
    本主题的笔记。
items:
  # Flashcard: a front and a back. `reverse: true` adds a second card, back → front.
  - id: {deck_id}-flashcard
    kind: flashcard
    tags: [example]
    front: {{en: "What does ReLU compute?", zh: "ReLU 计算什么？"}}
    back: {{en: "max(0, x): the input where it is positive, 0 elsewhere.", zh: "max(0, x)：输入为正时取输入，否则为 0。"}}

  # Cloze: each {{{{cN::answer}}}} is one card. Alternatives after |, a hint after ::.
  # Both languages use the same deletion numbers.
  - id: {deck_id}-cloze
    kind: cloze
    text: {{en: "Adam keeps exponential moving averages of the gradient and of its {{{{c1::square|squares::2nd moment}}}}.",
           zh: "Adam 维护梯度及其{{{{c1::平方|square::二阶矩}}}}的指数移动平均。"}}

  # Choice: exactly one correct option; `why` says why each option is right or wrong.
  - id: {deck_id}-choice
    kind: choice
    question: {{en: "Which one is an optimiser?", zh: "哪一个是优化器？"}}
    options:
      - {{text: {{en: "Adam", zh: "Adam"}}, correct: true, why: {{en: "It updates the weights.", zh: "它更新权重。"}}}}
      - {{text: {{en: "ReLU", zh: "ReLU"}}, why: {{en: "An activation function.", zh: "激活函数。"}}}}

  # Multi: select all that apply (at least one correct option; at most 8 options).
  - id: {deck_id}-multi
    kind: multi
    question: {{en: "Which are activation functions?", zh: "哪些是激活函数？"}}
    options:
      - {{text: {{en: "tanh", zh: "tanh"}}, correct: true, why: {{en: "Squashes to (−1, 1).", zh: "压缩到 (−1, 1)。"}}}}
      - {{text: {{en: "GELU", zh: "GELU"}}, correct: true, why: {{en: "x·Φ(x), smooth.", zh: "x·Φ(x)，平滑。"}}}}
      - {{text: {{en: "SGD", zh: "SGD"}}, why: {{en: "An optimiser.", zh: "优化器。"}}}}

  # Exercise: a fresh computed instance each time (families: quizapp exercise --list).
  - id: {deck_id}-exercise
    kind: exercise
    family: receptive_field
    params: {{}}           # only the options the family declares
"""


class DeckExists(FileExistsError):
    """new-deck would overwrite a file."""


def create_deck(decks_dir: Path, name: str) -> Path:
    """Write the skeleton for `name` into the decks folder; DeckExists if the file is there."""
    from quizapp.deck.authoring import validate_text
    from quizapp.safeio import atomic_write_text

    deck_id = slug(name)
    path = decks_dir / f"{deck_id}.yaml"
    if path.exists():
        raise DeckExists(f"{path} exists already; choose another name or edit that file")
    title = " ".join("".join(ch for ch in name if ch.isprintable() or ch.isspace()).split())
    text = skeleton(deck_id, title or deck_id)
    validate_text(text, path)  # our own template: a failure here is a bug, never a broken file
    atomic_write_text(path, text)
    return path
