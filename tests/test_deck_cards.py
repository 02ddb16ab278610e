"""Cloze rendering/checking and choice checking (no sympy involved)."""

from __future__ import annotations

from quizapp.deck.choice import check_choice, parse_choice_input
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


def test_choice_and_multi() -> None:
    choice = Item(id="q", kind="choice", topic_id="t", question=Bilingual("Q", "Q"),
                  options=(_opt("A"), _opt("B", True), _opt("C")))
    assert parse_choice_input("A, c") == frozenset("ac")
    assert parse_choice_input("x") is None
    assert check_choice(choice, frozenset("b")).status == "correct"
    assert check_choice(choice, frozenset("a")).note == "choice.wrong-option"
    assert check_choice(choice, frozenset("ab")).status == "invalid"
    assert check_choice(choice, frozenset("e")).status == "invalid"
    multi = Item(id="m", kind="multi", topic_id="t", question=Bilingual("Q", "Q"),
                 options=(_opt("A", True), _opt("B", True), _opt("C")))
    assert check_choice(multi, frozenset("ab")).status == "correct"
    missed = check_choice(multi, frozenset("a"))
    assert (missed.status, missed.note, missed.score) == ("wrong", "multi.missed", 0.5)
    assert check_choice(multi, frozenset("abc")).note == "multi.extra"
    assert check_choice(multi, frozenset("ac")).note == "multi.missed-and-extra"


def test_cloze_normalisation_folds_notation_not_numbers() -> None:
    from quizapp.deck.cloze import normalize_answer

    assert normalize_answer("(HW)²") == normalize_answer("(h w)^2") == normalize_answer("(H*W)**2")
    assert normalize_answer("η·λ") == normalize_answer("eta*lambda") == normalize_answer("ηλ")
    assert normalize_answer("2·PR/(P+R)") == normalize_answer("2PR/(P+R)")
    assert normalize_answer("2*3") != normalize_answer("23")
