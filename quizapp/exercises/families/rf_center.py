"""Where a unit looks: the centre (or first pixel) of its receptive field on the input.

With odd kernels, the jump jₗ = jₗ₋₁·sₗ (distance on the input between neighbouring units of
layer l) and the centre of unit 0, startₗ = startₗ₋₁ + ((kₗ − 1)·dₗ/2 − pₗ)·jₗ₋₁, give the
centre of unit u as start_L + u·j_L; its field spans r = 1 + Σ (kₗ − 1)·dₗ·jₗ₋₁ positions, so
its first input position is the centre − (r − 1)/2. Positions count from 0 at the first input
pixel; padding lies at negative positions.

simulate() uses neither recursion: it maps unit u back through each layer (position i of a
layer reads i·s − p + t·d of the layer below, t = 0…k−1) and takes the middle and the first of
the input positions it reaches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import (
    bi,
    bi_lines,
    numbered,
    pick,
    scalar_instance,
    show,
    sub,
)
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

Layer = dict[str, Any]  # {"kind": "conv"|"pool", "k": int, "s": int, "p": int, "d": int}


_FEEDBACK = {
    "rfc.no-padding": bi(
        "Padding p adds p positions before the input, so each layer's first window starts p input steps earlier: "
        "start += ((k − 1)·d/2 − p)·j.",
        "填充 p 在输入前面加了 p 个位置，所以每层第一个窗口会提前 p 个步长开始：start += ((k − 1)·d/2 − p)·j。",
    ),
    "rfc.own-stride": bi(
        "A layer's offset is measured in the steps of its INPUT, jₗ₋₁; its own stride only spaces out its outputs (jₗ = jₗ₋₁·sₗ).",
        "一层的偏移以它的输入的步长 jₗ₋₁ 计；它自己的步长只决定输出之间的间距（jₗ = jₗ₋₁·sₗ）。",
    ),
    "rfc.no-jump": bi(
        "Neighbouring units of the last layer are j_L = s₁·…·s_L input pixels apart: the centre of unit u is start + u·j_L.",
        "最后一层相邻单元在输入上相隔 j_L = s₁·…·s_L 个像素：第 u 个单元的中心是 start + u·j_L。",
    ),
    "rfc.padding-sign": bi(
        "Padding moves the windows LEFT on the input: subtract p·j, do not add it.",
        "填充让窗口在输入上向左移：要减去 p·j，而不是加上。",
    ),
    "rfc.center-not-first": bi(
        "That is the centre. The first position is the centre minus half the field: centre − (r − 1)/2.",
        "这是中心。第一个位置是中心减去半个感受野：中心 − (r − 1)/2。",
    ),
    "rfc.whole-field": bi(
        "The field is centred: it extends (r − 1)/2 positions on each side of the centre.",
        "感受野以中心对称：在中心两侧各延伸 (r − 1)/2 个位置。",
    ),
}


def _draw_layer(rng: Any) -> Layer:
    if rng.random() < 0.2:
        return {"kind": "pool", "k": 3, "s": 2, "p": pick(rng, (0, 1)), "d": 1}
    k = pick(rng, (1, 3, 3, 3, 5, 7))
    d = pick(rng, (1, 1, 1, 2)) if k > 1 else 1
    same = (k - 1) * d // 2
    return {"kind": "conv", "k": k, "s": pick(rng, (1, 1, 2)), "p": pick(rng, (same, same, 0)), "d": d}


def walk(layers: Sequence[Layer], *, padding: int = -1, own_stride: bool = False) -> tuple[int, int, int]:
    """(start, jump, r) after all layers; padding = -1 subtracts p (right), 0 ignores it, +1 adds it."""
    start2, jump, r = 0, 1, 1  # start kept doubled so (k − 1)·d/2 stays an integer
    for layer in layers:
        k, s, p, d = layer["k"], layer["s"], layer["p"], layer["d"]
        step = jump * s if own_stride else jump
        start2 += ((k - 1) * d + 2 * padding * p) * step
        r += (k - 1) * d * jump
        jump *= s
    return start2 // 2, jump, r


def _answers(layers: Sequence[Layer], u: int, question: str) -> tuple[int, dict[str, int]]:
    start, jump, r = walk(layers)
    centre = start + u * jump
    first = centre - (r - 1) // 2
    no_pad = walk(layers, padding=0)[0] + u * jump
    if question == "center":
        return centre, {"rfc.no-padding": no_pad, "rfc.own-stride": walk(layers, own_stride=True)[0] + u * jump,
                        "rfc.no-jump": start + u, "rfc.padding-sign": walk(layers, padding=1)[0] + u * jump}
    return first, {"rfc.center-not-first": centre, "rfc.no-padding": no_pad - (r - 1) // 2,
                   "rfc.no-jump": start + u - (r - 1) // 2, "rfc.whole-field": centre - r}


def _describe(layer: Layer) -> Bilingual:
    k, s, p, d = layer["k"], layer["s"], layer["p"], layer["d"]
    if layer["kind"] == "pool":
        return bi(f"max-pool {k}×{k}, stride {s}, padding {p}", f"最大池化 {k}×{k}，步长 {s}，填充 {p}")
    dil, dil_zh = (f", dilation {d}", f"，膨胀率 {d}") if d > 1 else ("", "")
    return bi(f"conv {k}×{k}, stride {s}, padding {p}{dil}", f"卷积 {k}×{k}，步长 {s}，填充 {p}{dil_zh}")


class ReceptiveFieldCenter(RetryFamily):
    name = "rf_center"

    def attempt(self, rng: Any, question: str) -> Attempt:
        layers = [_draw_layer(rng) for _ in range(int(rng.integers(2, 5)))]
        u = int(rng.integers(1, 8))
        answer, wrong = _answers(layers, u, question)
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            return scalar_instance(
                self, seed, params, answer, values={"question": question, "layers": layers, "u": u},
                mistakes=mistakes_from(_FEEDBACK, wrong), prompt_text=self._prompt(layers, u, question),
                solution_text=self._solution(layers, u, question),
            )

        return kept, build

    def _prompt(self, layers: Sequence[Layer], u: int, question: str) -> Bilingual:
        rows = numbered([_describe(layer) for layer in layers])
        ask = (bi("At which input position is the CENTRE of its receptive field?", "它的感受野的中心在输入的哪个位置？")
               if question == "center" else
               bi("What is the FIRST (leftmost) input position of its receptive field?", "它的感受野最左边的第一个输入位置是多少？"))
        return bi(
            "A CNN applies these layers along one axis, from the input to the output:\n"
            f"{rows.en}\n"
            "Positions count from 0 at the first input pixel (padding sits at negative positions) and units of "
            f"every layer count from 0. Take unit u = {u} of the last layer. {ask.en} Give an integer.",
            "一个 CNN 沿一个方向依次（从输入到输出）使用以下各层：\n"
            f"{rows.zh}\n"
            "输入位置从第一个输入像素的 0 开始计（填充位于负位置），每层的单元也从 0 开始编号。"
            f"取最后一层的第 u = {u} 个单元。{ask.zh}请给出一个整数。",
        )

    def _solution(self, layers: Sequence[Layer], u: int, question: str) -> Bilingual:
        en = ["Track the jump j (input pixels between neighbouring units) and the centre of unit 0, start, from "
              "j₀ = 1, start₀ = 0: startₗ = startₗ₋₁ + ((kₗ − 1)·dₗ/2 − pₗ)·jₗ₋₁, jₗ = jₗ₋₁·sₗ, "
              "and the field rₗ = rₗ₋₁ + (kₗ − 1)·dₗ·jₗ₋₁."]
        zh = ["从 j₀ = 1、start₀ = 0 开始，跟踪跳距 j（相邻单元在输入上相隔的像素数）和第 0 个单元的中心 start："
              "startₗ = startₗ₋₁ + ((kₗ − 1)·dₗ/2 − pₗ)·jₗ₋₁，jₗ = jₗ₋₁·sₗ，感受野 rₗ = rₗ₋₁ + (kₗ − 1)·dₗ·jₗ₋₁。"]
        for i in range(1, len(layers) + 1):
            layer = layers[i - 1]
            before, after = walk(layers[: i - 1]), walk(layers[:i])
            offset = show(((layer["k"] - 1) * layer["d"] - 2 * layer["p"]) / 2)
            line = (f"({layer['k']} − 1)·{layer['d']}/2 − {layer['p']} = {offset}; "
                    f"start{sub(i)} = {show(before[0])} + ({offset})·{before[1]} = {show(after[0])}, "
                    f"j{sub(i)} = {after[1]}, r{sub(i)} = {after[2]}")
            en.append(f"  layer {i}: {line}")
            zh.append(f"  第 {i} 层：{line}")
        start, jump, r = walk(layers)
        centre = start + u * jump
        en.append(f"Centre of unit {u}: start + u·j = {show(start)} + {u}·{jump} = {show(centre)}.")
        zh.append(f"第 {u} 个单元的中心：start + u·j = {show(start)} + {u}·{jump} = {show(centre)}。")
        if question == "first":
            first = show(centre - (r - 1) // 2)
            en.append(f"First position: centre − (r − 1)/2 = {show(centre)} − {(r - 1) // 2} = {first}.")
            zh.append(f"第一个位置：中心 − (r − 1)/2 = {show(centre)} − {(r - 1) // 2} = {first}。")
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        reached = footprint(instance.values["layers"], instance.values["u"])
        lo, hi = min(reached), max(reached)
        assert (lo + hi) % 2 == 0, "odd kernels keep every field centred on a pixel"
        return (lo + hi) // 2 if instance.values["question"] == "center" else lo

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.integer
        return [f"{ref}.0", f"{ref + 3} - 3"]


def footprint(layers: Sequence[Mapping[str, Any]], unit: int) -> set[int]:
    """Input positions (padding negative) that unit `unit` of the last layer reads."""
    positions = {unit}
    for layer in reversed(layers):
        k, s, p, d = layer["k"], layer["s"], layer["p"], layer["d"]
        positions = {i * s - p + t * d for i in positions for t in range(k)}
    return positions


FAMILIES: list[Family] = [ReceptiveFieldCenter()]
