"""Mistake notes in plain words (gerund phrases: "forgetting the stride product"), for stats.

A family describes its own authored notes (Family.mistake_notes); the checking pipeline's generic
notes ("generic.sign", …) are described here unless quizapp.checking offers descriptions itself.
"""

from __future__ import annotations

from quizapp.i18n import Bilingual

B = Bilingual

GENERIC_NOTES: dict[str, Bilingual] = {
    "generic.sign": B("getting the sign wrong", "符号弄反"),
    "generic.power-of-ten": B("being off by a power of ten", "差了 10 的若干次方"),
    "generic.factor-2": B("being off by a factor of 2", "差了 2 倍"),
    "generic.off-by-one": B("being off by one", "差了 1（差一错误）"),
    "generic.offset": B("being off by a constant", "差了一个常数"),
    "generic.rounding": B("rounding too coarsely", "四舍五入太粗"),
    "generic.not-integer": B("giving a non-integer where an integer is expected", "该填整数时填了非整数"),
    "generic.wrong-length": B("giving the wrong number of components", "给出的分量个数不对"),
    "generic.wrong": B("a wrong answer of no known kind", "无法归类的错误答案"),
    "choice.wrong-option": B("picking a wrong option", "选了错误选项"),
    "multi.missed": B("missing a correct option", "漏选了正确选项"),
    "multi.extra": B("selecting a wrong option as well", "多选了错误选项"),
    "cloze.wrong": B("filling in the blank wrongly", "填空填错"),
}


def describe_note(note: str, family: str | None = None) -> Bilingual:
    """Plain words for a mistake note; the note itself when nobody described it."""
    if family:
        try:
            from quizapp.exercises import get_family

            described = get_family(family).mistake_notes.get(note)
        except Exception:  # an unknown or broken family must not break the stats screen
            described = None
        if described is not None:
            return described
    described = _checking_description(note)
    if described is not None:
        return described
    if note in GENERIC_NOTES:
        return GENERIC_NOTES[note]
    return B(note, note)


def _checking_description(note: str) -> Bilingual | None:
    """Descriptions offered by quizapp.checking (describe_note / NOTE_DESCRIPTIONS) if it has any."""
    try:
        from quizapp.checking import notes as checking_notes  # type: ignore[attr-defined]
    except ImportError:
        return None
    table = getattr(checking_notes, "NOTE_DESCRIPTIONS", None)
    if isinstance(table, dict) and isinstance(table.get(note), Bilingual):
        return table[note]
    describe = getattr(checking_notes, "describe_note", None)
    if callable(describe):
        try:
            value = describe(note)
        except Exception:
            return None
        return value if isinstance(value, Bilingual) else None
    return None
