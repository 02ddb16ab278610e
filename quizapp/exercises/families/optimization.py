"""Why a loss keeps growing: the learning-rate threshold of gradient descent on a quadratic, and
gradient clipping by global norm.

gd_divergence: η* = 2/λ_max for f(w) = ½·wᵀAw, A diagonal. simulate() never uses that formula:
it runs gradient descent for a grid of learning rates at once, calls a rate divergent when the
loss is still growing after STEPS steps, and refines the grid around the switch until the
bracket is ~1e-13 wide.

grad_clipping: g ← g·c/‖g‖ over ALL parameters when ‖g‖ > c; simulate() is explicit loops.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.families._mathtext import bi, bi_lines, pick, scalar_instance, show, sub
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import (
    all_far,
    mistakes_from,
    other_vec_spellings,
    show_vec,
    vector_instance,
)
from quizapp.i18n import Bilingual

CURVATURES = (0.25, 0.5, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 20.0)
STEPS = 200  # every other component (|1 − ηλᵢ| ≤ 0.9 at η*) shrinks by > 1e18
GRID = 128
STAGES = 6


_GD_FEEDBACK = {
    "gd.optimal-step": bi(
        "1/λ_max is the step that reaches the minimum of the steepest direction in one step. "
        "Divergence starts only when |1 − η·λ_max| > 1, at η = 2/λ_max.",
        "1/λ_max 是在最陡方向上一步到达最小值的步长。只有当 |1 − η·λ_max| > 1，即 η > 2/λ_max 时才发散。",
    ),
    "gd.inverted": bi(
        "You multiplied by the curvature. A sharper valley (larger λ) needs a SMALLER step: "
        "η* = 2/λ_max.",
        "你乘以了曲率。山谷越陡（λ 越大），步长要越小：η* = 2/λ_max。",
    ),
    "gd.lambda-min": bi(
        "You used the flattest direction. Every direction must be stable, and the steepest one "
        "(largest λ) fails first: η* = 2/λ_max.",
        "你用了最平缓的方向。所有方向都必须稳定，最陡的方向（λ 最大）最先失稳：η* = 2/λ_max。",
    ),
}


def _gd_text(a: Sequence[float], top: float, answer: float) -> tuple[Bilingual, Bilingual]:
    """The prompt and the worked solution of gd_divergence."""
    terms = " + ".join(f"{show(v)}·w{sub(i)}²" for i, v in enumerate(a, 1))
    diag = ", ".join(show(v) for v in a)
    prompt = bi(
        f"Gradient descent w ← w − η·∇f(w) minimises f(w) = ½·({terms}), i.e. ½·wᵀAw with "
        f"A = diag({diag}).\n"
        "For learning rates below a threshold η* the iterates converge to 0 from any start; above it "
        "they blow up and the loss keeps growing. What is η*? Give a number with at least 4 "
        "significant figures.",
        f"用梯度下降 w ← w − η·∇f(w) 最小化 f(w) = ½·({terms})，即 ½·wᵀAw，A = diag({diag})。\n"
        "学习率低于某个阈值 η* 时，从任意起点出发迭代都收敛到 0；高于它时迭代发散、损失不断增大。"
        "η* 是多少？请给出至少 4 位有效数字。",
    )
    lines = [
        f"∇f(w) = A·w, so each coordinate evolves on its own: wᵢ ← (1 − η·λᵢ)·wᵢ with λ = ({diag}).",
        "It converges iff |1 − η·λᵢ| < 1 for every i, i.e. 0 < η < 2/λᵢ for every i.",
        f"The tightest bound comes from the largest curvature λ_max = {show(top)}: "
        f"η* = 2/λ_max = 2/{show(top)} = {show(answer, 6)}.",
        f"(1/λ_max = {show(1 / top, 6)} is the step that kills that direction in one step, not the threshold.)",
    ]
    zh = [
        f"∇f(w) = A·w，所以每个坐标独立演化：wᵢ ← (1 − η·λᵢ)·wᵢ，λ = ({diag})。",
        "收敛当且仅当对所有 i 都有 |1 − η·λᵢ| < 1，即 0 < η < 2/λᵢ。",
        f"最紧的约束来自最大曲率 λ_max = {show(top)}：η* = 2/λ_max = 2/{show(top)} = {show(answer, 6)}。",
        f"（1/λ_max = {show(1 / top, 6)} 是一步就把该方向降到 0 的步长，而不是阈值。）",
    ]
    return prompt, bi_lines(lines, zh)


class GdDivergence(RetryFamily):
    name = "gd_divergence"

    def attempt(self, rng: Any) -> Attempt:
        m = pick(rng, (2, 2, 3))
        a = sorted({pick(rng, CURVATURES) for _ in range(m)}, key=lambda v: rng.random())
        top, low = max(a), min(a)
        others_ok = all(0.05 * top <= v <= 0.8 * top for v in a if v != top)
        answer = 2 / top
        wrong = {"gd.optimal-step": 1 / top, "gd.inverted": 2 * top, "gd.lambda-min": 2 / low}
        kept = len(a) >= 2 and others_ok and all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            prompt, solution = _gd_text(a, top, answer)
            return scalar_instance(
                self, seed, params, answer, values={"a": [float(v) for v in a]},
                mistakes=mistakes_from(_GD_FEEDBACK, wrong), prompt_text=prompt, solution_text=solution,
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        a = np.array(instance.values["a"], dtype=float)

        def diverges(etas: np.ndarray) -> np.ndarray:
            w = np.ones((len(etas), len(a)))
            step = etas[:, None]
            for i in range(STEPS - 1):
                w = w - step * (a * w)  # the gradient of ½·wᵀAw is A·w
                if i % 8 == 0:
                    # "still growing" is scale-free, so rescale to stay clear of overflow/underflow
                    w /= np.abs(w).max(axis=1, keepdims=True)
            before = 0.5 * (a * w * w).sum(axis=1)
            w = w - step * (a * w)
            return 0.5 * (a * w * w).sum(axis=1) > before

        hi = 1.0
        while not diverges(np.array([hi]))[0]:
            hi *= 2
        lo = 0.0
        for _ in range(STAGES):
            grid = np.linspace(lo, hi, GRID)
            first = int(np.argmax(diverges(grid)))
            lo, hi = float(grid[first - 1]), float(grid[first])
        return (lo + hi) / 2

    def alternative_answers(self, instance: Instance) -> list[str]:
        top = max(instance.values["a"])
        return [f"2/{top:g}", f"{2 / top:.8f}"]


_CLIP_FEEDBACK = {
    "clip.by-value": bi(
        "You clipped each component to [−c, c] (clip_grad_value_). Clipping by norm rescales the "
        "whole gradient by c/‖g‖, keeping its direction.",
        "你把每个分量截断到 [−c, c]（clip_grad_value_）。按范数裁剪是把整个梯度乘以 c/‖g‖，保持方向不变。",
    ),
    "clip.no-multiply": bi(
        "You divided by ‖g‖ but did not multiply by c: that normalises the gradient to length 1, "
        "not to length c.",
        "你除以了 ‖g‖ 但没有乘以 c：这样梯度长度变成 1，而不是 c。",
    ),
    "clip.per-tensor": bi(
        "You clipped each tensor by its own norm. clip_grad_norm_ computes ONE norm over all "
        "parameters together and scales every gradient by the same factor.",
        "你对每个张量分别按自身范数裁剪。clip_grad_norm_ 是把所有参数的梯度合起来算一个总范数，再用同一个系数缩放所有梯度。",
    ),
    "clip.when-below": bi(
        "You rescaled a gradient whose norm was already below c. Clipping only ever shrinks: when the "
        "norm is at most c nothing changes. (Here the total norm is above c, so every component is "
        "scaled by the same c/‖g‖.)",
        "你把一个范数本来就小于 c 的梯度也缩放了。裁剪只会缩小：范数不超过 c 时保持不变。"
        "（本题总范数大于 c，所以所有分量都乘以同一个 c/‖g‖。）",
    ),
}


def _norm(xs: Sequence[float]) -> float:
    return math.sqrt(sum(v * v for v in xs))


def _scale(xs: Sequence[float], f: float) -> list[float]:
    return [v * f for v in xs]


def clipping_chain(g: Sequence[float], c: float) -> Chain:
    """‖g‖² and ‖g‖ and c/‖g‖ as the worked solution shows them, then each clipped component."""
    inputs = (("c", exact(c)), *((f"g{i}", exact(v)) for i, v in enumerate(g, 1)))
    steps = [
        Step("sq", " + ".join(f"g{i}^2" for i in range(1, len(g) + 1)), "Σgᵢ²"),
        Step("norm", "sqrt(sq)", "‖g‖"),
        Step("scale", "c/norm", "c/‖g‖"),
    ]
    steps += [Step(f"r{i}", f"g{i}*scale") for i in range(1, len(g) + 1)]
    return Chain(inputs, tuple(steps))


def _clip_prompt(weight: Sequence[float], bias: Sequence[float], c: float) -> Bilingual:
    return bi(
        "A model has two parameter tensors whose gradients after loss.backward() are\n"
        f"  weight.grad = {show_vec(weight)}\n  bias.grad   = {show_vec(bias)}\n"
        f"Then torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm={show(c)}) runs (L2 norm; "
        "ignore the tiny 1e-6 PyTorch adds to the denominator).\n"
        "What are the gradients afterwards? Give the 5 numbers as one vector "
        "[weight.grad…, bias.grad…], each to at least 4 significant figures.",
        "一个模型有两个参数张量，loss.backward() 之后它们的梯度为\n"
        f"  weight.grad = {show_vec(weight)}\n  bias.grad   = {show_vec(bias)}\n"
        f"接着调用 torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm={show(c)})（L2 范数；"
        "忽略 PyTorch 在分母上加的 1e-6）。\n"
        "裁剪后的梯度是多少？请把 5 个数写成一个向量 [weight.grad…, bias.grad…]，每个分量至少 4 位有效数字。",
    )


def _clip_solution(g: Sequence[float], c: float, total: float, answer: Sequence[float]) -> Bilingual:
    sq = sum(v * v for v in g)
    steps = [
        f"‖g‖ = √(Σ over ALL gradients of gᵢ²) = √{show(sq, 6)} = {show(total, 6)}",
        f"‖g‖ = {show(total, 6)} > c = {show(c)}, so every gradient is multiplied by "
        f"c/‖g‖ = {show(c / total, 6)}",
        f"result = {show_vec(answer)}",
    ]
    zh = [
        f"‖g‖ = √(所有梯度分量的 gᵢ² 之和) = √{show(sq, 6)} = {show(total, 6)}",
        f"‖g‖ = {show(total, 6)} > c = {show(c)}，所以所有梯度都乘以 c/‖g‖ = {show(c / total, 6)}",
        f"结果 = {show_vec(answer)}",
    ]
    steps.append("The direction is unchanged; only the length shrinks to c.")
    zh.append("方向不变，只是长度缩小到 c。")
    return bi_lines(steps, zh)


class GradClipping(RetryFamily):
    name = "grad_clipping"

    def attempt(self, rng: Any) -> Attempt:
        c = pick(rng, (0.5, 2.0, 3.0, 5.0))
        weight = [int(v) / 2 for v in rng.integers(-12, 13, size=3)]
        bias = [int(v) / 2 for v in rng.integers(-6, 7, size=2)]
        g = weight + bias
        total = _norm(g)
        nb, nw = _norm(bias), _norm(weight)
        if not (nb > 0 and nb < c < total and nw > c):
            return False, None
        answer = _scale(g, c / total)
        wrong = {
            "clip.by-value": [min(max(v, -c), c) for v in g],
            "clip.no-multiply": _scale(g, 1 / total),
            "clip.per-tensor": _scale(weight, c / nw) + bias,
            "clip.when-below": _scale(weight, c / nw) + _scale(bias, c / nb),
        }
        kept = all_far([tuple(answer), *(tuple(v) for v in wrong.values())])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            return vector_instance(
                self, seed, params, answer, ("weight[0]", "weight[1]", "weight[2]", "bias[0]", "bias[1]"),
                (_CLIP_FEEDBACK, wrong),
                values={"weight": weight, "bias": bias, "c": c},
                prompt_text=_clip_prompt(weight, bias, c),
                solution_text=_clip_solution(g, c, total, answer),
                chain=clipping_chain(g, c),
                answer_steps=tuple(f"r{i}" for i in range(1, len(g) + 1)),
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        grads = [list(v["weight"]), list(v["bias"])]
        squares = 0.0
        for tensor in grads:
            for x in tensor:
                squares += x * x
        total = math.sqrt(squares)
        out: list[float] = []
        for tensor in grads:
            for x in tensor:
                out.append(x * v["c"] / total if total > v["c"] else x)
        return tuple(out)

    def alternative_answers(self, instance: Instance) -> list[str]:
        spaced, semicolons = other_vec_spellings(instance.spec.reference)
        return [semicolons, spaced]


FAMILIES: list[Family] = [GdDivergence(), GradClipping()]
