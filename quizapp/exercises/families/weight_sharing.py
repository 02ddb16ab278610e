"""Weight sharing: parameters of a conv layer versus a fully-connected layer with the same input
and output sizes.

Closed forms: conv (k²·C_in + 1)·C_out; FC (H·W·C_in)·(H·W·C_out) + H·W·C_out.
simulate() builds the conv's weight and bias tensors and counts their elements, and counts the
FC layer's connections output unit by output unit (one weight per input, plus one bias).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import (
    bi,
    bi_lines,
    grouped,
    pick,
    scalar_instance,
    show,
    stack,
)
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual


def _counts(h: int, c_in: int, c_out: int, k: int, rule: str) -> tuple[int, int]:
    """(conv, fc) parameter counts, right or under one authored mistake."""
    hw = h * h
    conv = (k * k * c_in + 1) * c_out
    fc = hw * c_in * hw * c_out + hw * c_out
    if rule == "ws.no-bias":
        return conv - c_out, fc - hw * c_out
    if rule == "ws.no-input-channels":
        return (k * k + 1) * c_out, (hw + 1) * hw * c_out
    if rule == "ws.no-sharing":
        # A separate filter at every output position (locally connected), mistaken for either layer.
        local = conv * hw
        return local, local
    return conv, fc


_FEEDBACK = {
    "ws.no-bias": bi(
        "You left out the biases: one per conv filter (C_out) and one per FC output unit (H·W·C_out).",
        "你漏掉了偏置：卷积层每个滤波器一个（C_out 个），全连接层每个输出单元一个（H·W·C_out 个）。",
    ),
    "ws.no-input-channels": bi(
        "You forgot the input channels: every filter (and every FC output unit) reads ALL C_in input "
        "channels, so a conv filter has k·k·C_in weights.",
        "你忘了输入通道：每个滤波器（以及全连接层的每个输出单元）都读取全部 C_in 个输入通道，"
        "所以一个卷积滤波器有 k·k·C_in 个权重。",
    ),
    "ws.no-sharing": bi(
        "That is a locally connected layer: a separate k×k×C_in filter at every output position. A conv "
        "layer SHARES one set of filters across all positions, and a fully-connected layer connects "
        "every output to every input.",
        "这是局部连接层的参数量：每个输出位置都有一个独立的 k×k×C_in 滤波器。卷积层在所有位置上共享同一组滤波器，"
        "而全连接层让每个输出连接到所有输入。",
    ),
}


class ConvVsFcParams(RetryFamily):
    name = "conv_vs_fc_params"
    drawn = {"question": ("conv", "fc", "ratio")}

    def attempt(self, rng: Any, question: str) -> Attempt:
        h = pick(rng, (4, 6, 7, 8, 14, 16))
        c_in = pick(rng, (3, 4, 8, 16))
        c_out = pick(rng, (4, 8, 16, 32))
        k = pick(rng, (1, 3, 3, 5))
        answer = self._value(question, h, c_in, c_out, k, "right")
        wrong = {note: self._value(question, h, c_in, c_out, k, note) for note in _FEEDBACK}
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            conv, fc = _counts(h, c_in, c_out, k, "right")
            return scalar_instance(  # an integer count, or a float ratio
                self, seed, params, answer,
                values={"question": question, "h": h, "c_in": c_in, "c_out": c_out, "k": k},
                mistakes=mistakes_from(_FEEDBACK, wrong),
                prompt_text=self._prompt(question, h, c_in, c_out, k),
                solution_text=self._solution(question, h, c_in, c_out, k, conv, fc),
            )

        return kept, build

    @staticmethod
    def _value(question: str, h: int, c_in: int, c_out: int, k: int, rule: str) -> int | float:
        conv, fc = _counts(h, c_in, c_out, k, rule)
        if question == "conv":
            return conv
        if question == "fc":
            return fc
        if rule == "ws.no-sharing":  # the FC count is right, the conv one lacks sharing
            return _counts(h, c_in, c_out, k, "right")[1] / conv
        return fc / conv

    def _prompt(self, question: str, h: int, c_in: int, c_out: int, k: int) -> Bilingual:
        setup = bi(
            f"An input feature map of size H×W×C_in = {h}×{h}×{c_in} goes through one of two layers, both "
            f"producing an output of size {h}×{h}×{c_out}:\n"
            f"  (a) a conv layer with {c_out} filters of size {k}×{k}, stride 1, 'same' padding;\n"
            f"  (b) a fully-connected layer from the flattened input ({h}·{h}·{c_in} values) to the "
            f"flattened output ({h}·{h}·{c_out} values).\n"
            "Count biases too: one per conv filter, one per FC output unit.",
            f"大小为 H×W×C_in = {h}×{h}×{c_in} 的输入特征图经过以下两种层之一，输出大小都是 {h}×{h}×{c_out}：\n"
            f"  (a) 卷积层：{c_out} 个 {k}×{k} 的滤波器，步长 1，'same' 填充；\n"
            f"  (b) 全连接层：从展平的输入（{h}·{h}·{c_in} 个值）映射到展平的输出（{h}·{h}·{c_out} 个值）。\n"
            "偏置也要计入：每个卷积滤波器一个，每个全连接输出单元一个。",
        )
        ask = {
            "conv": bi("How many parameters does the conv layer (a) have? Give an integer.",
                       "卷积层 (a) 有多少个参数？请给出一个整数。"),
            "fc": bi("How many parameters does the fully-connected layer (b) have? Give an integer.",
                     "全连接层 (b) 有多少个参数？请给出一个整数。"),
            "ratio": bi(
                "How many times more parameters does (b) have than (a), i.e. params(b)/params(a)? Give a "
                "number with at least 4 significant figures.",
                "(b) 的参数量是 (a) 的多少倍，即 params(b)/params(a)？请给出至少 4 位有效数字。",
            ),
        }[question]
        return stack(setup, ask)

    def _solution(self, question: str, h: int, c_in: int, c_out: int, k: int, conv: int, fc: int) -> Bilingual:
        hw = h * h
        conv_line = f"conv: ({k}·{k}·{c_in} + 1)·{c_out} = {grouped(conv)}"
        fc_line = f"FC: ({hw}·{c_in})·({hw}·{c_out}) + {hw}·{c_out} = {grouped(fc)}"
        lines = {"conv": [conv_line], "fc": [fc_line], "ratio": [conv_line, fc_line,
                                                                 f"ratio = {grouped(fc)}/{grouped(conv)} = {show(fc / conv, 6)}"]}[question]
        en = [*lines, (
            "The conv layer's count does not depend on H or W: the same filters are reused at every "
            "position (weight sharing), and each output looks only at a k×k window (locality)."
        )]
        zh = [*lines, "卷积层的参数量与 H、W 无关：同一组滤波器在所有位置上重复使用（权重共享），且每个输出只看 k×k 的窗口（局部连接）。"]
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        h, c_in, c_out, k = v["h"], v["c_in"], v["c_out"], v["k"]
        conv = np.zeros((c_out, c_in, k, k)).size + np.zeros(c_out).size  # nn.Conv2d weight + bias
        fc = 0
        for _ in range(h * h * c_out):  # every output unit of the FC layer
            fc += h * h * c_in + 1  # one weight per input value, one bias
        if v["question"] == "conv":
            return int(conv)
        if v["question"] == "fc":
            return fc
        return fc / conv

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        h, c_in, c_out, k = v["h"], v["c_in"], v["c_out"], v["k"]
        conv_text = f"({k}*{k}*{c_in}+1)*{c_out}"
        fc_text = f"({h}*{h}*{c_in})*({h}*{h}*{c_out})+{h}*{h}*{c_out}"
        if v["question"] == "ratio":
            return [f"({fc_text})/({conv_text})"]
        ref = instance.spec.integer
        grouped = f"{ref:,}" if ref >= 1000 else f"{ref - 1} + 1"  # not the answer text again
        return [conv_text if v["question"] == "conv" else fc_text, grouped]


FAMILIES: list[Family] = [ConvVsFcParams()]
