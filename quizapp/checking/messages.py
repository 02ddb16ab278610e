"""Bilingual feedback for the generic verdicts (authored mistakes bring their own text)."""

from __future__ import annotations

from quizapp.i18n import Bilingual

CORRECT = Bilingual("Correct.", "正确。")
WRONG = Bilingual("Not correct.", "不正确。")
TIMEOUT = Bilingual(
    "Checking this answer took too long, so it was not marked. Try a simpler form.",
    "判定这个答案耗时过长，未计分。请换一种更简单的写法。",
)
CRASH = Bilingual(
    "The checker failed on this answer, so it was not marked. Try another form.",
    "判定程序处理这个答案时出错，未计分。请换一种写法。",
)
INTERNAL = Bilingual(
    "This answer could not be checked, so it was not marked.",
    "无法判定这个答案，未计分。",
)


# Per generic detector note: the English and Chinese templates; {detail} is the detector's value
# (the power of ten, the factor, the offset…), {zh_factor_2} the Chinese for "twice"/"half".
GENERIC: dict[str, tuple[str, str]] = {
    "generic.sign": (
        "Check the sign: your answer is the negative of the correct one.",
        "注意符号：你的答案与正确答案差一个负号。",
    ),
    "generic.power-of-ten": (
        "Your answer is off by a factor of {detail}: check units and powers of ten (ms vs s, thousands vs millions).",
        "你的答案相差 {detail} 倍：检查单位和数量级（毫秒与秒、千与百万）。",
    ),
    "generic.factor-2": (
        "Your answer is {detail} the correct one: a factor of 2 is off (FLOPs vs MACs? a ½ in the loss?).",
        "你的答案是正确答案的{zh_factor_2}：差了 2 倍（FLOPs 与 MACs？损失函数里的 ½？）。",
    ),
    "generic.factor": (
        "Your answer is a constant multiple ({detail}×) of the correct one.",
        "你的答案是正确答案的常数倍（{detail} 倍）。",
    ),
    "generic.off-by-one": (
        "Off by one: check where 1 is added or subtracted.",
        "差了 1：检查哪里应该加 1 或减 1。",
    ),
    "generic.offset": (
        "Your answer differs from the correct one by a constant ({detail}).",
        "你的答案与正确答案相差一个常数（{detail}）。",
    ),
    "generic.rounding": (
        "Close, but rounded too coarsely: give more significant digits.",
        "很接近，但舍入太粗：请多保留几位有效数字。",
    ),
    "generic.not-integer": (
        "The answer is a whole number; yours is {detail}.",
        "答案应为整数；你的答案是 {detail}。",
    ),
}


def generic(note: str, detail: str = "") -> Bilingual:
    """Feedback for a generic detector note; `detail` is a value such as the power of ten."""
    templates = GENERIC.get(note)
    if templates is None:
        return WRONG
    values = {"detail": detail, "zh_factor_2": "两倍" if detail == "twice" else "一半"}
    return Bilingual(templates[0].format(**values), templates[1].format(**values))


def rounding(needed: int, typed: int | None) -> Bilingual:
    """A value right to the digits typed, but the prompt asks for more (0.012 for 0.011735)."""
    if typed is None:
        return Bilingual(
            f"Close, but rounded too coarsely: give at least {needed} significant digits.",
            f"很接近，但舍入太粗：请至少保留 {needed} 位有效数字。",
        )
    digit = "digit" if typed == 1 else "digits"
    return Bilingual(
        f"Close, but rounded too coarsely: your answer has {typed} significant {digit}; give at least {needed}.",
        f"很接近，但舍入太粗：你的答案只有 {typed} 位有效数字，请至少保留 {needed} 位。",
    )


def inexact(decimals: tuple[str, ...]) -> Bilingual:
    """Equal to float precision but not exactly: the answer is exact, so an approximation is wrong."""
    if decimals:
        shown = decimals[0] if len(decimals[0]) <= 24 else decimals[0][:24] + "…"
        return Bilingual(
            f"Very close, but {shown} is a rounded decimal and this answer is exact: "
            "write it exactly (a fraction, a root, e, π…).",
            f"非常接近，但 {shown} 是舍入后的小数，而本题答案是精确值：请写出精确形式（分数、根式、e、π……）。",
        )
    return Bilingual(
        "Very close, but not equal: this answer is exact, and yours differs by a tiny amount.",
        "非常接近，但并不相等：本题答案是精确值，你的答案与它有微小差别。",
    )


def to_digits(digits: int) -> Bilingual:
    return Bilingual(
        f"Correct to the {digits} significant digits asked for.",
        f"正确（达到了要求的 {digits} 位有效数字）。",
    )


def wrong_components(names: list[str]) -> Bilingual:
    shown = ", ".join(names)
    return Bilingual(
        f"Not correct: check component{'s' if len(names) > 1 else ''} {shown}.",
        f"不正确：请检查分量 {shown}。",
    )


def wrong_choice(missing: int, extra: int) -> Bilingual:
    en, zh = [], []
    if missing:
        en.append(f"{missing} correct option{'s' if missing > 1 else ''} missing")
        zh.append(f"漏选了 {missing} 个正确选项")
    if extra:
        en.append(f"{extra} wrong option{'s' if extra > 1 else ''} chosen")
        zh.append(f"多选了 {extra} 个错误选项")
    return Bilingual("Not correct: " + ", ".join(en) + ".", "不正确：" + "，".join(zh) + "。")


def with_reading(feedback: Bilingual, splits: str) -> Bilingual:
    """Tell the learner how an implicit product was read, e.g. "MK → M·K"."""
    if not splits:
        return feedback
    return Bilingual(f"{feedback.en} (Read as: {splits}.)", f"{feedback.zh}（按 {splits} 理解。）")
