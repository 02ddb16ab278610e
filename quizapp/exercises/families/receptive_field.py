"""Receptive field of a random conv/pool stack with strides and dilation.

Closed form: r = 1 + Σₗ (kₗ − 1)·dₗ·jₗ₋₁ with the jump jₗ₋₁ = s₁·…·sₗ₋₁.
simulate() never uses it: it marks one unit of the last layer and maps the set of positions that
can influence it back through each layer (position i of a layer reads i·s + t·d of the layer
below, t = 0…k−1), then measures the span of the marked input positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, bi_lines, numbered, pick, scalar_instance, sub
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

Layer = dict[str, Any]  # {"kind": "conv"|"pool", "k": int, "s": int, "d": int}


def _draw_layer(rng: Any) -> Layer:
    if rng.random() < 0.3:
        k = pick(rng, (2, 3))
        return {"kind": "pool", "k": k, "s": 2, "d": 1}
    k = pick(rng, (1, 3, 3, 3, 5, 5, 7))
    s = pick(rng, (1, 1, 2))
    d = pick(rng, (1, 1, 2)) if k > 1 else 1
    return {"kind": "conv", "k": k, "s": s, "d": d}


def _field(layers: Sequence[Layer], *, strides: bool = True, dilation: bool = True,
           own_stride: bool = False) -> int:
    """1 + Σ (k − 1)·d·jump, with switches that reproduce the authored mistakes."""
    r, jump = 1, 1
    for layer in layers:
        if own_stride:
            jump *= layer["s"]
        r += (layer["k"] - 1) * (layer["d"] if dilation else 1) * (jump if strides else 1)
        if not own_stride:
            jump *= layer["s"]
    return r


def _describe(layer: Layer) -> Bilingual:
    k, s, d = layer["k"], layer["s"], layer["d"]
    if layer["kind"] == "pool":
        return bi(f"max-pool {k}×{k}, stride {s}", f"最大池化 {k}×{k}，步长 {s}")
    return bi(f"conv {k}×{k}, stride {s}, dilation {d}", f"卷积 {k}×{k}，步长 {s}，膨胀率 {d}")


_FEEDBACK = {
    "rf.no-stride-product": bi(
        "You added (k − 1)·d for every layer as if all strides were 1. After a stride-s layer, "
        "one step of the next layer moves s input positions, so each layer's growth is multiplied "
        "by the product of the strides before it.",
        "你把每层的 (k − 1)·d 直接相加，相当于所有步长都是 1。经过步长为 s 的层之后，下一层移动一步"
        "对应输入上的 s 个位置，所以每层的增长要乘以它之前所有层步长的乘积。",
    ),
    "rf.no-dilation": bi(
        "You ignored dilation. A k×k kernel with dilation d spans d·(k − 1) + 1 positions, so its "
        "growth is (k − 1)·d, not k − 1.",
        "你忽略了膨胀率。膨胀率为 d 的 k×k 卷积核覆盖 d·(k − 1) + 1 个位置，所以增长是 (k − 1)·d 而不是 k − 1。",
    ),
    "rf.sum-kernels": bi(
        "You added the kernel sizes. Each layer adds (k − 1)·d·(product of earlier strides), "
        "starting from 1.",
        "你把卷积核大小直接相加了。应从 1 开始，每层加上 (k − 1)·d·(之前各层步长的乘积)。",
    ),
    "rf.includes-own-stride": bi(
        "You multiplied a layer's growth by its own stride too. A layer's stride only spreads out "
        "the layers AFTER it; use the product of the strides of the earlier layers.",
        "你把某层自身的步长也乘了进去。一层的步长只影响它之后的层；应使用它之前各层步长的乘积。",
    ),
    "rf.off-by-one": bi(
        "Off by one: start from r = 1 (a unit of the input sees itself) and add the growth of "
        "each layer.",
        "差了 1：应从 r = 1 开始（输入上的一个单元只看到它自己），再加上每层的增长。",
    ),
}


class ReceptiveField(RetryFamily):
    name = "receptive_field"

    def attempt(self, rng: Any) -> Attempt:
        layers = [_draw_layer(rng) for _ in range(int(rng.integers(2, 6)))]
        answer = _field(layers)
        wrong = {
            "rf.no-stride-product": _field(layers, strides=False),
            "rf.no-dilation": _field(layers, dilation=False),
            "rf.sum-kernels": sum(layer["k"] for layer in layers),
            "rf.includes-own-stride": _field(layers, own_stride=True),
            "rf.off-by-one": answer - 1,
        }
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            return scalar_instance(
                self, seed, params, answer, values={"layers": layers}, mistakes=mistakes_from(_FEEDBACK, wrong),
                prompt_text=self._prompt(layers), solution_text=self._solution(layers, answer),
            )

        return kept, build

    def _prompt(self, layers: Sequence[Layer]) -> Bilingual:
        rows = numbered([_describe(layer) for layer in layers])
        return bi(
            "A CNN applies these layers, from the input to the output (square kernels, so the "
            "receptive field is the same along each axis):\n"
            f"{rows.en}\n"
            "What is the receptive field of one unit of the last layer on the input, i.e. the width "
            "in input pixels of the window from the first to the last input position that can "
            "influence it? Padding does not change it. Give an integer.",
            "一个 CNN 依次（从输入到输出）使用以下各层（卷积核为正方形，所以每个方向上的感受野相同）：\n"
            f"{rows.zh}\n"
            "最后一层的一个单元在输入上的感受野是多少？即能影响它的第一个到最后一个输入位置所构成窗口的宽度"
            "（以输入像素计）。填充不影响感受野。请给出一个整数。",
        )

    def _solution(self, layers: Sequence[Layer], answer: int) -> Bilingual:
        en = [
            "Use r = 1 + Σₗ (kₗ − 1)·dₗ·jₗ₋₁, where the jump jₗ₋₁ = s₁·…·sₗ₋₁ is the product of the "
            "strides of the layers BEFORE layer l (j₀ = 1)."
        ]
        zh = ["使用 r = 1 + Σₗ (kₗ − 1)·dₗ·jₗ₋₁，其中 jₗ₋₁ = s₁·…·sₗ₋₁ 是第 l 层之前各层步长的乘积（j₀ = 1）。"]
        r, jump = 1, 1
        for i, layer in enumerate(layers, 1):
            k, s, d = layer["k"], layer["s"], layer["d"]
            grow = (k - 1) * d * jump
            r += grow
            en.append(
                f"Layer {i} ({_describe(layer).en}): + ({k} − 1)·{d}·{jump} = {grow} → r = {r}; "
                f"j{sub(i)} = {jump}·{s} = {jump * s}"
            )
            zh.append(
                f"第 {i} 层（{_describe(layer).zh}）：+ ({k} − 1)·{d}·{jump} = {grow} → r = {r}；"
                f"j{sub(i)} = {jump}·{s} = {jump * s}"
            )
            jump *= s
        en.append(f"The receptive field is {answer} input pixels.")
        zh.append(f"感受野为 {answer} 个输入像素。")
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        positions = {0}  # one unit of the last layer
        for layer in reversed(instance.values["layers"]):
            k, s, d = layer["k"], layer["s"], layer["d"]
            positions = {i * s + t * d for i in positions for t in range(k)}
        return max(positions) - min(positions) + 1

    def alternative_answers(self, instance: Instance) -> list[str]:
        terms, jump = ["1"], 1
        for layer in instance.values["layers"]:
            terms.append(f"({layer['k']}-1)*{layer['d']}*{jump}")
            jump *= layer["s"]
        return ["+".join(terms), f"{instance.spec.reference}.0"]


FAMILIES: list[Family] = [ReceptiveField()]
