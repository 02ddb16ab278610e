"""The card on show, as data: one type per card kind, built once when the card is drawn.

Front ends dispatch on the type once (``match view: case Flashcard(): …``) and word everything
themselves; nothing here formats a label. Choice options come in the order this review shows
them (shuffled per review from a logged seed), lettered in that order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quizapp.checking.spec import AnswerSpec
from quizapp.checking.verdict import Verdict
from quizapp.deck.choice import LETTERS, parse_choice_input
from quizapp.deck.cloze import cloze_answer_text, cloze_prompt, cloze_spec
from quizapp.i18n import LANGS, Bilingual
from quizapp.textflow import reflow

if TYPE_CHECKING:
    from quizapp.deck import CardRef
    from quizapp.exercises.base import Instance

EMPTY = Bilingual("", "")


@dataclass(frozen=True)
class CardMeta:
    """What every card view carries: which card, where it comes from, its scheduling state."""

    key: str
    item_id: str
    kind: str  # flashcard | cloze | choice | multi | exercise
    topic_id: str
    topic_title: Bilingual
    state: str  # new | learning | review | relearning
    family: str = ""  # the exercise family ('' for other kinds)


@dataclass(frozen=True)
class Flashcard:
    meta: CardMeta
    front: Bilingual
    back: Bilingual


@dataclass(frozen=True)
class Cloze:
    meta: CardMeta
    prompt: Bilingual  # the sentence with this deletion blanked: […] or [hint]
    answer: Bilingual  # the sentence with every deletion filled, this one in ⟦ ⟧
    extra: Bilingual | None = None
    spec: AnswerSpec | None = None  # a math deletion: checked like an exercise answer


@dataclass(frozen=True)
class ChoiceOption:
    letter: str  # as shown in this review (a, b, c … in display order)
    text: Bilingual
    correct: bool
    why: Bilingual
    source: int  # index of the option in the item (the shuffle is undone with it)


@dataclass(frozen=True)
class Choice:
    meta: CardMeta
    question: Bilingual
    options: tuple[ChoiceOption, ...]
    multi: bool  # select all that apply

    @property
    def correct_letters(self) -> frozenset[str]:
        return frozenset(o.letter for o in self.options if o.correct)


@dataclass(frozen=True)
class Exercise:
    meta: CardMeta
    instance: Instance = field(repr=False)

    @property
    def prompt(self) -> Bilingual:
        return self.instance.prompt_text

    @property
    def answer_hint(self) -> Bilingual:
        return self.instance.answer_hint

    @property
    def answer(self) -> str:
        """The answer pretty-printed for the learner ("2·σ(2x)·(1 − σ(2x))"), never code form."""
        return self.instance.shown_answer

    def worked_solution(self, lang: str, width: int = 60) -> str:
        """The worked solution, with its figure (at most `width` columns) where there is one."""
        from quizapp.exercises.figures import worked_solution

        return worked_solution(self.instance, lang, width)


CardView = Flashcard | Cloze | Choice | Exercise
TYPED = (Cloze, Exercise)  # answered by typing


def _bi(make: object) -> Bilingual:
    """Bilingual text from a function of the language, reflowed (see _flow)."""
    assert callable(make)
    en, zh = (reflow(str(make(lang))) for lang in LANGS)
    return Bilingual(en, zh)


def _flow(text: Bilingual | None) -> Bilingual:
    """Deck prose without the line breaks the YAML source put in it (lists and formulas kept)."""
    return Bilingual(reflow(text.en), reflow(text.zh)) if text is not None else EMPTY


def build_view(ref: CardRef, meta: CardMeta, *, seed: int, instance: Instance | None) -> CardView:
    """The view of `ref` for one review; `seed` shuffles choice options, `instance` is the
    exercise drawn for this review."""
    item = ref.item
    if ref.kind == "flashcard":
        front, back = _flow(item.front), _flow(item.back)
        return Flashcard(meta, back, front) if ref.sibling == "reverse" else Flashcard(meta, front, back)
    if ref.kind == "cloze":
        number = ref.cloze_number or 1
        return Cloze(
            meta,
            prompt=_bi(lambda lang: cloze_prompt(item, number, lang)),
            answer=_bi(lambda lang: cloze_answer_text(item, number, lang)),
            extra=_flow(item.extra) if item.extra else None,
            spec=cloze_spec(item, number),
        )
    if ref.kind in ("choice", "multi"):
        order = list(range(len(item.options)))
        random.Random(seed).shuffle(order)
        options = tuple(
            ChoiceOption(LETTERS[shown], _flow(item.options[src].text), item.options[src].correct,
                         _flow(item.options[src].why), src)
            for shown, src in enumerate(order)
        )
        return Choice(meta, _flow(item.question), options, multi=ref.kind == "multi")
    if instance is None:
        raise ValueError(f"{ref.key}: an exercise card needs its drawn instance")
    return Exercise(meta, instance)


# ---- choice answers ---------------------------------------------------------------------------

def _listed(letters: frozenset[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(sorted(letters))


def check_choice_view(view: Choice, text: str) -> Verdict:
    """Mark option letters typed against the order shown; the feedback is one sentence."""
    selected = parse_choice_input(text)
    letters = {o.letter for o in view.options}
    if not selected:
        return Verdict("invalid", note="invalid.letters", feedback=Bilingual(
            "Type option letters, for example: a   or   a c", "请输入选项字母，例如：a 或 a c"))
    if not selected <= letters:
        bad = _listed(frozenset(selected - letters), "en")
        return Verdict("invalid", note="invalid.option", feedback=Bilingual(
            f"There is no option {bad} here.", f"没有选项 {_listed(frozenset(selected - letters), 'zh')}。"))
    if not view.multi and len(selected) > 1:
        return Verdict("invalid", note="invalid.one-option",
                       feedback=Bilingual("Choose exactly one option.", "只能选一个选项。"))
    right = view.correct_letters
    shown = " ".join(sorted(selected))
    kind = "multi" if view.multi else "choice"
    if selected == right:
        return Verdict("correct", interpreted=shown, note=f"{kind}.correct", score=1.0,
                       feedback=Bilingual("Correct.", "正确。"))
    if not view.multi:
        return Verdict("wrong", interpreted=shown, note="choice.wrong-option", feedback=Bilingual(
            f"You chose {shown}; the answer is {_listed(right, 'en')}.",
            f"你选了 {shown}，正确答案是 {_listed(right, 'zh')}。"))
    missed, extra = frozenset(right - selected), frozenset(selected - right)
    note = "multi.missed-and-extra" if missed and extra else "multi.missed" if missed else "multi.extra"
    en = [f"you missed {_listed(missed, 'en')}"] if missed else []
    zh = [f"漏选了 {_listed(missed, 'zh')}"] if missed else []
    if extra:
        en.append(f"{_listed(extra, 'en')} should not be chosen")
        zh.append(f"{_listed(extra, 'zh')} 不该选")
    score = len(selected & right) / len(right | selected)
    return Verdict("wrong", interpreted=shown, note=note, score=score, feedback=Bilingual(
        f"The answer is {_listed(right, 'en')}: {' and '.join(en)}.",
        f"正确答案是 {_listed(right, 'zh')}：{'，'.join(zh)}。"))
