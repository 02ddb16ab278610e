"""Cloze rendering/checking and choice checking (no sympy involved)."""

from __future__ import annotations

from quizapp.deck.choice import parse_choice_input
from quizapp.deck.cloze import check_cloze, cloze_answer_text, cloze_answers, cloze_prompt
from quizapp.deck.model import Item, Option
from quizapp.i18n import Bilingual

CLOZE = Item(
    id="c",
    kind="cloze",
    topic_id="t",
    text=Bilingual(
        "σ′(x) = {{c1::σ(1−σ)|s(1-s)}}, and BP means {{c2::backpropagation::algorithm}}",
        "σ′(x) = {{c1::σ(1−σ)}}，BP 指{{c2::反向传播|backprop::算法}}",
    ),
)


def test_cloze_prompt_hides_only_its_deletion() -> None:
    assert cloze_prompt(CLOZE, 1, "en") == "σ′(x) = […], and BP means backpropagation"
    assert cloze_prompt(CLOZE, 2, "en") == "σ′(x) = σ(1−σ), and BP means [algorithm]"
    assert cloze_prompt(CLOZE, 2, "zh") == "σ′(x) = σ(1−σ)，BP 指[算法]"
    assert cloze_answer_text(CLOZE, 1, "en").startswith("σ′(x) = ⟦σ(1−σ)⟧")


def test_cloze_accepts_alternatives_in_both_languages() -> None:
    assert cloze_answers(CLOZE, 2) == ["backpropagation", "反向传播", "backprop"]


def test_cloze_check_ignores_case_spacing_and_width() -> None:
    assert check_cloze(CLOZE, 2, "  BackPropagation ").status == "correct"
    assert check_cloze(CLOZE, 2, "反向传播").status == "correct"
    assert check_cloze(CLOZE, 1, "σ( 1 - σ )").status == "correct"  # unicode minus folded
    assert check_cloze(CLOZE, 1, "ｓ（１－ｓ）").status == "correct"  # full-width
    assert check_cloze(CLOZE, 1, "sigma(1-sigma)").status == "correct"  # Greek names
    wrong = check_cloze(CLOZE, 2, "forward pass")
    assert (wrong.status, wrong.note) == ("wrong", "cloze.wrong")
    assert "backpropagation" in wrong.feedback.en
    assert check_cloze(CLOZE, 2, "   ").status == "invalid"


def _opt(text: str, correct: bool = False) -> Option:
    return Option(Bilingual(text, text), correct, Bilingual("why", "原因"))


def _view(kind: str, *options: Option):
    from quizapp.study.cards import Choice, ChoiceOption

    shown = tuple(ChoiceOption("abc"[i], o.text, o.correct, o.why, i) for i, o in enumerate(options))
    return Choice(None, Bilingual("Q", "Q"), shown, multi=kind == "multi")  # type: ignore[arg-type]


def test_choice_and_multi() -> None:
    from quizapp.study.cards import check_choice_view

    choice = _view("choice", _opt("A"), _opt("B", True), _opt("C"))
    assert parse_choice_input("A, c") == frozenset("ac")
    assert parse_choice_input("x") is None
    assert check_choice_view(choice, "b").status == "correct"
    assert check_choice_view(choice, "a").note == "choice.wrong-option"
    assert check_choice_view(choice, "ab").status == "invalid"
    assert check_choice_view(choice, "e").status == "invalid"
    multi = _view("multi", _opt("A", True), _opt("B", True), _opt("C"))
    assert check_choice_view(multi, "ab").status == "correct"
    missed = check_choice_view(multi, "a")
    assert (missed.status, missed.note, missed.score) == ("wrong", "multi.missed", 0.5)
    assert check_choice_view(multi, "abc").note == "multi.extra"
    assert check_choice_view(multi, "ac").note == "multi.missed-and-extra"


def test_cloze_normalisation_folds_notation_not_numbers() -> None:
    from quizapp.deck.cloze import normalize_answer

    assert normalize_answer("(HW)²") == normalize_answer("(h w)^2") == normalize_answer("(H*W)**2")
    assert normalize_answer("η·λ") == normalize_answer("eta*lambda") == normalize_answer("ηλ")
    assert normalize_answer("2·PR/(P+R)") == normalize_answer("2PR/(P+R)")
    assert normalize_answer("2*3") != normalize_answer("23")
