"""Plain-words descriptions of the notes the checking pipeline itself produces (no sympy here).

quizapp.stats reads NOTE_DESCRIPTIONS / describe_note to say which mistakes a learner makes most.
Families describe their own authored notes (Family.mistake_notes).
"""

from __future__ import annotations

from quizapp.i18n import Bilingual

B = Bilingual

NOTE_DESCRIPTIONS: dict[str, Bilingual] = {
    "generic.sign": B("getting the sign wrong", "符号弄反"),
    "generic.power-of-ten": B("being off by a power of ten (units?)", "差了 10 的若干次方（单位？）"),
    "generic.factor-2": B("being off by a factor of 2", "差了 2 倍"),
    "generic.factor": B("being off by a constant factor", "差了一个常数倍"),
    "generic.off-by-one": B("being off by one", "差了 1（差一错误）"),
    "generic.offset": B("being off by a constant", "差了一个常数"),
    "generic.rounding": B("rounding too coarsely", "四舍五入太粗"),
    "generic.inexact": B("a rounded decimal where the answer is exact", "答案是精确值时写了近似小数"),
    "generic.not-integer": B("giving a non-integer where an integer is expected", "该填整数时填了非整数"),
    "generic.wrong": B("a wrong answer of no known kind", "无法归类的错误答案"),
    "generic.gave-up": B("showing the answer without answering", "没有作答就看了答案"),
    "invalid.syntax": B("typing something that is not a readable expression", "输入了无法识别的表达式"),
    "invalid.unknown-name": B("using a name the exercise does not define", "使用了题目中没有的名字"),
    "invalid.character": B("typing a character that cannot be read", "输入了无法识别的字符"),
    "invalid.empty": B("submitting an empty answer", "提交了空答案"),
    "invalid.length": B("giving the wrong number of components", "给出的分量个数不对"),
    "invalid.too-long": B("typing an answer that is too long", "答案过长"),
    "invalid.too-big": B("typing a number too large to check", "数字太大无法判定"),
    "invalid.undefined": B("typing an undefined value (division by zero)", "输入了无定义的值（除以零）"),
    "invalid.not-real": B("typing a value that is not a real number", "输入了非实数"),
    "invalid.timeout": B("an answer that took too long to check", "答案判定超时"),
    "invalid.crash": B("an answer the checker failed on", "判定程序出错的答案"),
    "invalid.reference": B("an exercise whose answer key could not be read", "题目答案无法解析"),
    "invalid.error": B("an answer that could not be checked", "无法判定的答案"),
}


def describe_note(note: str) -> Bilingual | None:
    return NOTE_DESCRIPTIONS.get(note)
