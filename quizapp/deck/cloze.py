"""Cloze deletions: render a card with one deletion hidden, and check a typed answer."""

from __future__ import annotations

import re
import unicodedata

from quizapp.checking.spec import AnswerSpec
from quizapp.checking.verdict import Verdict
from quizapp.deck.model import CLOZE_RE, Item
from quizapp.exercises.forms import number_value, vector_value
from quizapp.i18n import LANGS, Bilingual

# Symbols learners type in several ways; folded before comparing.
_FOLD = str.maketrans({"−": "-", "–": "-", "—": "-", "×": "*", "·": "*", "∙": "*", "⋅": "*", "’": "'", "‘": "'"})
_SPACE_RE = re.compile(r"\s+")
# Superscripts become ^n BEFORE NFKC, which would turn x² into x2.
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3", "⁻": "^-", "¹": "^1", "⁰": "^0", "⁴": "^4"})
_GREEK = {
    "lambda": "λ", "sigma": "σ", "alpha": "α", "theta": "θ", "delta": "δ", "gamma": "γ",
    "beta": "β", "eta": "η", "mu": "μ", "pi": "π", "epsilon": "ε", "tau": "τ", "rho": "ρ",
}
_GREEK_RE = re.compile("|".join(sorted(_GREEK, key=len, reverse=True)))
# A multiplication sign next to a letter or bracket is optional (2·PR = 2PR); between two digits it is not.
_OPTIONAL_TIMES_RE = re.compile(r"(?<=\D)\*|\*(?=\D)")


def _parts(body: str) -> tuple[list[str], str]:
    answer, _, hint = body.partition("::")
    return [a.strip() for a in answer.split("|") if a.strip()], hint.strip()


def cloze_prompt(item: Item, number: int, lang: str) -> str:
    """Deletion `number` shown as […] (or [hint]); the other deletions shown filled in."""
    assert item.text is not None

    def repl(m: re.Match[str]) -> str:
        answers, hint = _parts(m.group(2))
        if int(m.group(1)) == number:
            return f"[{hint}]" if hint else "[…]"
        return answers[0] if answers else ""

    return CLOZE_RE.sub(repl, item.text.get(lang))


def cloze_answer_text(item: Item, number: int, lang: str) -> str:
    """The full text with every deletion filled in (deletion `number` in ⟦ ⟧ so it stands out)."""
    assert item.text is not None

    def repl(m: re.Match[str]) -> str:
        answers, _ = _parts(m.group(2))
        first = answers[0] if answers else ""
        return f"⟦{first}⟧" if int(m.group(1)) == number else first

    return CLOZE_RE.sub(repl, item.text.get(lang))


def cloze_answers(item: Item, number: int) -> list[str]:
    """Every accepted answer for a deletion, in both languages (a learner may type either)."""
    assert item.text is not None
    found: list[str] = []
    for lang in LANGS:
        for m in CLOZE_RE.finditer(item.text.get(lang)):
            if int(m.group(1)) == number:
                for answer in _parts(m.group(2))[0]:
                    if answer not in found:
                        found.append(answer)
    return found


def normalize_answer(text: str) -> str:
    """Ignore case, spacing, full-width/half-width, x² vs x^2, η vs eta and optional × signs."""
    folded = unicodedata.normalize("NFKC", text.translate(_SUPERSCRIPTS)).translate(_FOLD).casefold()
    folded = _SPACE_RE.sub("", folded).replace("**", "^")
    folded = _GREEK_RE.sub(lambda m: _GREEK[m.group(0)], folded)
    return _OPTIONAL_TIMES_RE.sub("", folded)


def cloze_spec(item: Item, number: int) -> AnswerSpec | None:
    """The checker's AnswerSpec for a math deletion (its first answer is the reference); None for
    a deletion compared as text. Needs neither sympy nor numpy: send the spec through
    CheckWorker.check_spec / interpret_spec for the time limit and the live preview."""
    form = item.math.get(number)
    if form is None or item.text is None:
        return None
    accepted = cloze_answers(item, number)
    if not accepted:
        return None
    reference = accepted[0]
    if form.kind == "expression":
        return form.spec(reference)
    if form.kind == "vector":
        values = vector_value(reference)
        return None if values is None else form.spec(tuple(float(v) for v in values))
    value = number_value(reference)
    if value is None:
        return None  # the loader reports such a deletion, so a loaded item never gets here
    if form.kind == "integer":
        return form.spec(int(value)) if float(value).is_integer() else None
    return form.spec(float(value))


def check_cloze(item: Item, number: int, typed: str) -> Verdict:
    """Text deletions by normalised comparison; math deletions by the checker, in this process
    (a front end with a CheckWorker sends cloze_spec() through it instead)."""
    if not typed.strip():
        return Verdict("invalid", note="invalid.empty", feedback=Bilingual("Type an answer first.", "请先输入答案。"))
    spec = cloze_spec(item, number)
    if spec is not None:
        from quizapp.checking.pipeline import check_answer

        return check_answer(typed, spec)
    accepted = cloze_answers(item, number)
    expected = accepted[0] if accepted else ""
    if normalize_answer(typed) in {normalize_answer(a) for a in accepted}:
        return Verdict("correct", interpreted=typed.strip(), note="cloze.correct", score=1.0,
                       feedback=Bilingual("Correct.", "正确。"))
    return Verdict(
        "wrong",
        interpreted=typed.strip(),
        note="cloze.wrong",
        feedback=Bilingual(f"Expected: {expected}", f"正确答案：{expected}"),
    )
