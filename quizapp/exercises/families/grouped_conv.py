"""Cost of grouped, depthwise and depthwise separable convolutions.

With groups g, each output channel sees only C_in/g input channels: parameters
C_out·(C_in/g)·K² (+ C_out biases), MACs H_out·W_out·C_out·(C_in/g)·K². Depthwise: g = C_in =
C_out. Depthwise separable: a depthwise K×K conv, then a pointwise 1×1 conv C_in → C_out.

simulate() never divides by g: it builds the channel-connection mask of each conv (output
channel o reads input channel i iff they fall in the same group), counts its connections, and
multiplies by the kernel taps and by the output positions it visits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, grouped, pick
from quizapp.exercises.families._retry import Attempt, RetryFamily, scalar_build
from quizapp.exercises.families._values import all_far
from quizapp.i18n import Bilingual

KINDS = ("grouped", "depthwise", "separable")
QUANTITIES = ("params", "macs")
CHANNELS = (32, 48, 64, 96, 128, 192, 256)
SIDES = (7, 14, 28, 56)


_FEEDBACK = {
    "gconv.no-groups": bi(
        "That is a standard convolution, where every output channel reads every input channel. With groups each "
        "output channel reads only C_in/g input channels.",
        "这是普通卷积：每个输出通道读取所有输入通道。分组后每个输出通道只读取 C_in/g 个输入通道。",
    ),
    "gconv.groups-squared": bi(
        "The groups cut the connections by g once: C_out·(C_in/g)·K². Dividing the output channels by g as well counts "
        "only one group's outputs.",
        "分组只让连接数减少为 1/g：C_out·(C_in/g)·K²。再把输出通道也除以 g，就只算了一个组的输出。",
    ),
    "gconv.sep-depthwise-only": bi(
        "A depthwise separable conv is the depthwise K×K conv followed by a pointwise 1×1 conv that mixes the channels: add both.",
        "深度可分离卷积是逐通道 K×K 卷积加上一个混合通道的逐点 1×1 卷积：两部分都要算。",
    ),
    "gconv.sep-pointwise-only": bi(
        "Add the depthwise K×K part too: one K×K filter per input channel.",
        "还要加上逐通道 K×K 卷积部分：每个输入通道一个 K×K 卷积核。",
    ),
    "gconv.no-bias": bi("Each conv has one bias per output channel.", "每个卷积层的每个输出通道都有一个偏置。"),
    "gconv.flops": bi("That counts 2 FLOPs per multiply-add. The question asks for MACs (multiply-accumulates).",
                      "这是把每次乘加算成 2 次浮点运算。题目问的是 MACs（乘加次数）。"),
}


def conv_cost(c_in: int, c_out: int, k: int, g: int, side: int) -> tuple[int, int]:
    """(parameters with bias, MACs) of one conv layer with groups g."""
    weights = c_out * (c_in // g) * k * k
    return weights + c_out, weights * side * side


def _layers(v: Mapping[str, Any]) -> list[tuple[int, int, int, int]]:
    """(c_in, c_out, k, groups) of each conv the question is about."""
    if v["kind"] == "separable":
        return [(v["c_in"], v["c_in"], v["k"], v["c_in"]), (v["c_in"], v["c_out"], 1, 1)]
    return [(v["c_in"], v["c_out"], v["k"], v["g"])]


def _answers(v: Mapping[str, Any]) -> tuple[int, dict[str, int]]:
    pick_q = 0 if v["quantity"] == "params" else 1
    side, k = v["side"], v["k"]
    costs = [conv_cost(*layer, side) for layer in _layers(v)]
    answer = sum(c[pick_q] for c in costs)
    standard = conv_cost(v["c_in"], v["c_out"], k, 1, side)[pick_q]
    wrong = {"gconv.no-groups": standard}
    if v["kind"] == "separable":
        wrong |= {"gconv.sep-depthwise-only": costs[0][pick_q], "gconv.sep-pointwise-only": costs[1][pick_q]}
    else:
        g = v["g"]
        squared = v["c_out"] * v["c_in"] * k * k // (g * g)
        wrong["gconv.groups-squared"] = squared + v["c_out"] if pick_q == 0 else squared * side * side
    if pick_q == 0:
        wrong["gconv.no-bias"] = answer - sum(layer[1] for layer in _layers(v))
    else:
        wrong["gconv.flops"] = 2 * answer
    return answer, wrong


def _draw_values(rng: Any, kind: str, quantity: str) -> dict[str, Any]:
    c_in, k, side = pick(rng, CHANNELS), pick(rng, (3, 3, 5)), pick(rng, SIDES)
    if kind == "depthwise":
        return {"kind": kind, "quantity": quantity, "c_in": c_in, "c_out": c_in, "k": k, "g": c_in, "side": side}
    if kind == "separable":
        return {"kind": kind, "quantity": quantity, "c_in": c_in, "c_out": pick(rng, CHANNELS), "k": k,
                "g": c_in, "side": side}
    g = pick(rng, (2, 4, 8, 16))
    c_out = pick(rng, [c for c in CHANNELS if c % g == 0])
    return {"kind": kind, "quantity": quantity, "c_in": c_in, "c_out": c_out, "k": k, "g": g, "side": side}


class GroupedConvCost(RetryFamily):
    name = "grouped_conv_cost"

    def attempt(self, rng: Any, kind: str, quantity: str) -> Attempt:
        v = _draw_values(rng, kind, quantity)
        answer, wrong = _answers(v)
        return all_far([answer, *wrong.values()]), scalar_build(self, answer, v, (_FEEDBACK, wrong), _prompt, _solution)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        total = 0
        for c_in, c_out, k, g in _layers(v):
            group_out = np.arange(c_out) // (c_out // g)
            group_in = np.arange(c_in) // (c_in // g)
            links = int((group_out[:, None] == group_in[None, :]).sum())  # (output, input) channel pairs
            if v["quantity"] == "params":
                total += links * k * k + c_out
            else:
                positions = sum(1 for _ in range(v["side"]) for _ in range(v["side"]))
                total += positions * links * k * k
        return total

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        terms = []
        for c_in, c_out, k, g in _layers(v):
            body = f"{c_out}*{c_in // g}*{k}*{k}"
            terms.append(f"{body}+{c_out}" if v["quantity"] == "params" else f"{v['side']}^2*{body}")
        return ["+".join(terms), f"{instance.spec.integer}.0"]


def _prompt(v: Mapping[str, Any]) -> Bilingual:
    c_in, c_out, k, g, side = v["c_in"], v["c_out"], v["k"], v["g"], v["side"]
    if v["kind"] == "grouped":
        conv = bi(f"A {k}×{k} convolution with C_in = {c_in}, C_out = {c_out} and groups = {g} (each group of "
                  f"{c_in // g} input channels feeds its own {c_out // g} output channels)",
                  f"一个 {k}×{k} 卷积，C_in = {c_in}，C_out = {c_out}，groups = {g}（每组 {c_in // g} 个输入通道只连到本组的 "
                  f"{c_out // g} 个输出通道）")
    elif v["kind"] == "depthwise":
        conv = bi(f"A depthwise {k}×{k} convolution on {c_in} channels (groups = C_in = C_out = {c_in}: one filter per channel)",
                  f"一个 {k}×{k} 逐通道卷积，作用于 {c_in} 个通道（groups = C_in = C_out = {c_in}：每个通道一个卷积核）")
    else:
        conv = bi(f"A depthwise separable convolution: a depthwise {k}×{k} conv on {c_in} channels, then a pointwise 1×1 "
                  f"conv from {c_in} to {c_out} channels",
                  f"一个深度可分离卷积：先对 {c_in} 个通道做 {k}×{k} 逐通道卷积，再做从 {c_in} 到 {c_out} 通道的逐点 1×1 卷积")
    if v["quantity"] == "params":
        ask = bi("How many parameters does it have (every conv has a bias)? Give an integer.",
                 "它有多少个参数（每个卷积都有偏置）？请给出一个整数。")
    else:
        ask = bi("How many multiply-accumulate operations (MACs) does it take for one input image (biases ignored)? "
                 "Give an integer (arithmetic like 28*28*64*9 is fine).",
                 "处理一张输入图像需要多少次乘加运算（MACs，不计偏置）？请给出一个整数（可以写算式，如 28*28*64*9）。")
    return bi(f"{conv.en}. The output is {side}×{side} (padding keeps the size).\n{ask.en}",
              f"{conv.zh}。输出大小为 {side}×{side}（填充保持尺寸）。\n{ask.zh}")


def _solution(v: Mapping[str, Any], answer: int) -> Bilingual:
    params = v["quantity"] == "params"
    en, zh = [], []
    labels = {"grouped": [("grouped conv", "分组卷积")], "depthwise": [("depthwise conv", "逐通道卷积")],
              "separable": [("depthwise", "逐通道"), ("pointwise 1×1", "逐点 1×1")]}[v["kind"]]
    for (c_in, c_out, k, g), label in zip(_layers(v), labels):
        p, m = conv_cost(c_in, c_out, k, g, v["side"])
        formula = (f"{c_out}·({c_in}/{g})·{k}² + {c_out} = {grouped(p)}" if params
                   else f"{v['side']}²·{c_out}·({c_in}/{g})·{k}² = {grouped(m)}")
        en.append(f"  {label[0]}: C_out·(C_in/g)·K²{' + C_out' if params else ' per position × positions'}: {formula}")
        zh.append(f"  {label[1]}：C_out·(C_in/g)·K²{' + C_out' if params else '（每个位置）× 位置数'}：{formula}")
    standard = conv_cost(v["c_in"], v["c_out"], v["k"], 1, v["side"])[0 if params else 1]
    return bi(
        "Each output channel reads only C_in/g input channels, so the cost shrinks by g.\n" + "\n".join(en)
        + f"\nTotal: {grouped(answer)} (a standard {v['k']}×{v['k']} conv {v['c_in']} → {v['c_out']}: {grouped(standard)}, "
        f"{standard / answer:.3g}× more)",
        "每个输出通道只读取 C_in/g 个输入通道，所以开销变为 1/g。\n" + "\n".join(zh)
        + f"\n合计：{grouped(answer)}（普通 {v['k']}×{v['k']} 卷积 {v['c_in']} → {v['c_out']}：{grouped(standard)}，"
        f"是它的 {standard / answer:.3g} 倍）",
    )


FAMILIES: list[Family] = [GroupedConvCost()]
