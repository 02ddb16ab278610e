"""Translation equivariance with strides: where a feature lands after the input is shifted.

The 1-D stack mixes stride-1 'same' convolutions (positions unchanged) with downsampling layers
whose kernel equals their stride s (input position i → output position ⌊i/s⌋). The closed form
is ⌊x/S⌋ with S the product of the strides. simulate() builds a signal with a spike at x, runs the
actual layers with numpy (peaked symmetric kernels, strided sum/max windows) and takes the argmax.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import (
    bi,
    bi_lines,
    numbered,
    pick,
    scalar_instance,
    stack,
)
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

LENGTH = 128
MARGIN = 12  # keep the spike away from the zero padding at the borders
SAME_KERNELS = {3: (1.0, 2.0, 1.0), 5: (1.0, 2.0, 3.0, 2.0, 1.0)}

Layer = dict[str, Any]  # {"kind": "conv"|"down-conv"|"pool", "k": int, "s": int}

_FEEDBACK = {
    "equi.no-stride": bi(
        "You ignored the strides. A shift of Δ input positions moves the response by Δ/S positions of "
        "the last feature map, where S is the product of all strides.",
        "你忽略了步长。输入平移 Δ 个位置，最后一层特征图上的响应只移动 Δ/S 个位置，S 是所有步长的乘积。",
    ),
    "equi.multiplied": bi(
        "You multiplied by the total stride. Downsampling SHRINKS distances: positions are divided "
        "by S (rounding down), not multiplied.",
        "你乘以了总步长。下采样会缩小距离：位置要除以 S（向下取整），而不是乘以 S。",
    ),
    "equi.one-stride": bi(
        "You divided by only the first downsampling layer's stride. Every downsampling layer divides "
        "positions again; the total factor is the product of all strides.",
        "你只除以了第一个下采样层的步长。每个下采样层都会再除一次；总的因子是所有步长的乘积。",
    ),
}


def _draw_layers(rng: Any) -> list[Layer]:
    downs = pick(rng, (2, 2, 3))
    layers: list[Layer] = []
    for i in range(downs):
        for _ in range(int(rng.integers(0 if i else 1, 3))):
            layers.append({"kind": "conv", "k": pick(rng, (3, 5)), "s": 1})
        layers.append({"kind": pick(rng, ("pool", "down-conv")), "k": 2, "s": 2})
    if rng.random() < 0.5:
        layers.append({"kind": "conv", "k": 3, "s": 1})
    return layers


def _describe(layer: Layer) -> Bilingual:
    if layer["kind"] == "conv":
        return bi(f"conv, kernel {layer['k']}, stride 1, 'same' padding",
                  f"卷积，核大小 {layer['k']}，步长 1，'same' 填充")
    if layer["kind"] == "pool":
        return bi("max-pool, kernel 2, stride 2", "最大池化，核大小 2，步长 2")
    return bi("conv, kernel 2, stride 2, no padding", "卷积，核大小 2，步长 2，无填充")


def _position(x: int, strides: Sequence[int]) -> int:
    for s in strides:
        x //= s
    return x


def _answer(question: str, x: int, delta: int, strides: Sequence[int]) -> int:
    after = _position(x + delta, strides)
    return after if question == "index" else after - _position(x, strides)


class ShiftEquivariance(RetryFamily):
    name = "shift_equivariance"
    # index: the new position; moved: shift Δ divisible by S; partial: Δ not divisible by S
    drawn = {"question": ("index", "moved", "partial")}

    def attempt(self, rng: Any, question: str) -> Attempt:
        layers = _draw_layers(rng)
        strides = [layer["s"] for layer in layers if layer["s"] > 1]
        total = int(np.prod(strides))
        if question == "moved":
            delta = total * int(rng.integers(1, 4))
        else:
            delta = int(rng.integers(3, 4 * total))
            if question == "partial" and delta % total == 0:
                return False, None
        x = int(rng.integers(MARGIN, LENGTH - MARGIN - delta))
        answer = _answer(question, x, delta, strides)
        kind = "index" if question == "index" else "moved"
        wrong = {
            "equi.no-stride": x + delta if kind == "index" else delta,
            "equi.multiplied": (x + delta) * total if kind == "index" else delta * total,
            "equi.one-stride": _answer(question, x, delta, strides[:1]),
        }
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            return scalar_instance(
                self, seed, params, answer,
                values={"question": question, "layers": layers, "x": x, "delta": delta},
                mistakes=mistakes_from(_FEEDBACK, wrong), prompt_text=self._prompt(question, layers, x, delta),
                solution_text=self._solution(question, strides, x, delta, answer),
            )

        return kept, build

    def _prompt(self, question: str, layers: Sequence[Layer], x: int, delta: int) -> Bilingual:
        rows = numbered([_describe(layer) for layer in layers])
        setup = bi(
            f"A 1-D CNN takes a signal of length {LENGTH} (positions 0…{LENGTH - 1}) through these layers:\n"
            f"{rows.en}\n"
            "A stride-1 'same' conv keeps positions; a layer with kernel = stride = 2 maps input position "
            "i to output position ⌊i/2⌋. The input contains one sharp feature (a spike) at position "
            f"x = {x}; then the input is shifted right by Δ = {delta} positions, so the feature is at "
            f"{x + delta}.",
            f"一个一维 CNN 把长度为 {LENGTH}（位置 0…{LENGTH - 1}）的信号依次送入以下各层：\n"
            f"{rows.zh}\n"
            "步长为 1 的 'same' 卷积保持位置不变；核大小 = 步长 = 2 的层把输入位置 i 映射到输出位置 ⌊i/2⌋。"
            f"输入在位置 x = {x} 有一个尖锐的特征（一个尖峰）；然后把输入向右平移 Δ = {delta} 个位置，"
            f"特征移到了 {x + delta}。",
        )
        ask = {
            "index": bi(
                "At which index (counting from 0) of the LAST feature map is the strongest response to "
                "the shifted input? Give an integer.",
                "对于平移后的输入，最后一层特征图中最强的响应位于哪个下标（从 0 开始）？请给出一个整数。",
            ),
            "moved": bi(
                "By how many positions of the LAST feature map does the strongest response move? "
                "Give an integer.",
                "最后一层特征图中最强响应移动了多少个位置？请给出一个整数。",
            ),
            "partial": bi(
                "Δ is not a multiple of the total stride, so the response cannot move by exactly Δ/S. "
                "By how many whole positions of the LAST feature map does the strongest response move "
                "(new index − old index, with the ⌊·⌋ mapping above)? Give an integer (it may be 0).",
                "Δ 不是总步长的整数倍，所以响应不可能恰好移动 Δ/S。按照上面的 ⌊·⌋ 映射，"
                "最后一层特征图中最强响应移动了多少个整数位置（新下标 − 旧下标）？请给出一个整数（可以是 0）。",
            ),
        }[question]
        return stack(setup, ask)

    def _solution(self, question: str, strides: Sequence[int], x: int, delta: int, answer: int) -> Bilingual:
        total = int(np.prod(strides))
        chain = " · ".join(str(s) for s in strides)
        en = [f"Only the downsampling layers move positions: total stride S = {chain} = {total}, and "
              f"position i ends up at ⌊i/{total}⌋ (the stride-1 'same' convs keep positions)."]
        zh = [f"只有下采样层会改变位置：总步长 S = {chain} = {total}，位置 i 最终落在 ⌊i/{total}⌋"
              "（步长为 1 的 'same' 卷积不改变位置）。"]
        old, new = x // total, (x + delta) // total
        new_line = f"⌊{x + delta}/{total}⌋ = {new}"
        if question == "index":
            en.append(f"The shifted feature at {x + delta} lands at {new_line}.")
            zh.append(f"平移后的特征位于 {x + delta}，落在 {new_line}。")
        else:
            en.append(f"Before: ⌊{x}/{total}⌋ = {old}; after: {new_line}; it moves {new} − {old} = {answer}.")
            zh.append(f"平移前：⌊{x}/{total}⌋ = {old}；平移后：{new_line}；移动了 {new} − {old} = {answer}。")
        if delta % total == 0:
            en.append(f"Δ = {delta} is a multiple of S, so the map shifts exactly by Δ/S = {delta // total}: "
                      "the network is equivariant to this shift.")
            zh.append(f"Δ = {delta} 是 S 的整数倍，所以特征图恰好平移 Δ/S = {delta // total}：网络对这种平移是等变的。")
        else:
            en.append(f"Here Δ/S = {delta}/{total} is not a whole number: depending on where the feature sits, "
                      f"the response moves by ⌊Δ/S⌋ = {delta // total} or ⌈Δ/S⌉ = {-(-delta // total)} positions, "
                      "and the output is not simply a shifted copy. Strided CNNs are equivariant only to "
                      "shifts by multiples of the total stride.")
            zh.append(f"这里 Δ/S = {delta}/{total} 不是整数：取决于特征所在的位置，响应移动 ⌊Δ/S⌋ = {delta // total} "
                      f"或 ⌈Δ/S⌉ = {-(-delta // total)} 个位置，输出不再是简单的平移副本。带步长的 CNN "
                      "只对总步长整数倍的平移保持等变。")
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values

        def run(position: int) -> int:
            signal = np.zeros(LENGTH)
            signal[position] = 1.0
            for layer in v["layers"]:
                if layer["kind"] == "conv":
                    kernel = np.array(SAME_KERNELS[layer["k"]])
                    pad = len(kernel) // 2
                    padded = np.concatenate([np.zeros(pad), signal, np.zeros(pad)])
                    signal = np.array([padded[i:i + len(kernel)] @ kernel for i in range(len(signal))])
                else:
                    s = layer["s"]
                    windows = signal[: len(signal) // s * s].reshape(-1, s)
                    signal = windows.max(axis=1) if layer["kind"] == "pool" else windows @ np.ones(s)
            return int(np.argmax(signal))

        after = run(v["x"] + v["delta"])
        return after if v["question"] == "index" else after - run(v["x"])

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        strides = [layer["s"] for layer in v["layers"] if layer["s"] > 1]
        total = int(np.prod(strides))
        if v["question"] == "moved":
            return [f"{v['delta']}/{total}"]
        return [f"{instance.spec.reference}+0", f"{instance.spec.reference}.0"]


FAMILIES: list[Family] = [ShiftEquivariance()]
