"""One step of Adam with bias correction, after a short history of gradients.

m_t = β₁·m_{t−1} + (1 − β₁)·g_t, v_t = β₂·v_{t−1} + (1 − β₂)·g_t², m̂ = m_t/(1 − β₁ᵗ),
v̂ = v_t/(1 − β₂ᵗ), Δθ = −α·m̂/(√v̂ + ε). Bias correction matters most early: without it the
first steps are wrong by factors like (1 − β₁)/√(1 − β₂).

simulate() runs the optimiser the way PyTorch's Adam arranges it (in-place moment updates,
step size α/(1 − β₁ᵗ), denominator √v_t/√(1 − β₂ᵗ) + ε) on a parameter and returns the change
made by the last step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._hand import Rounder, exact, fair, sig4
from quizapp.exercises.families._mathtext import (
    bi,
    bi_lines,
    par,
    pick,
    scalar_instance,
    show,
    sub,
    sup,
)
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

EPS = 1e-8
LRS = (0.001, 0.003, 0.01, 0.1)
BETAS = ((0.9, 0.999), (0.9, 0.99), (0.8, 0.999))


_FEEDBACK = {
    "adam.no-correction": bi(
        "Without bias correction. m and v start at 0, so early on they are too small by the factors 1 − β₁ᵗ and "
        "1 − β₂ᵗ: divide m_t and v_t by them.",
        "没有做偏差修正。m 和 v 从 0 开始，前几步分别偏小 1 − β₁ᵗ 和 1 − β₂ᵗ 倍：要把 m_t 和 v_t 分别除以它们。",
    ),
    "adam.m-only": bi("v needs its own correction too: v̂ = v_t/(1 − β₂ᵗ).", "v 也要修正：v̂ = v_t/(1 − β₂ᵗ)。"),
    "adam.v-only": bi("m needs its own correction too: m̂ = m_t/(1 − β₁ᵗ).", "m 也要修正：m̂ = m_t/(1 − β₁ᵗ)。"),
    "adam.no-sqrt": bi(
        "Adam divides by the square root of the second moment, √v̂ (the gradient's RMS), which makes the step "
        "scale-free: about α per step.",
        "Adam 除以的是二阶矩的平方根 √v̂（梯度的均方根），这样步长与梯度的尺度无关：每步约为 α。",
    ),
    "adam.sign": bi("The update goes against the gradient: Δθ = −α·m̂/(√v̂ + ε).", "更新方向与梯度相反：Δθ = −α·m̂/(√v̂ + ε)。"),
    "adam.sgd": bi(
        "That is plain SGD. Adam replaces g by the corrected moving average m̂ and divides by √v̂ + ε.",
        "这是普通 SGD。Adam 用修正后的指数移动平均 m̂ 代替 g，并除以 √v̂ + ε。",
    ),
    "adam.exponent-off-by-one": bi(
        "After t updates the moments have given their data a total weight 1 − βᵗ: divide by 1 − β₁ᵗ and 1 − β₂ᵗ.",
        "t 次更新后，矩估计给数据的总权重是 1 − βᵗ：要除以 1 − β₁ᵗ 和 1 − β₂ᵗ。",
    ),
}


def chain(grads: Sequence[float], b1: float, b2: float, lr: float, r: Rounder = exact,
          power_shift: int = 0) -> dict[str, Any]:
    """The worked solution's steps; r rounds each intermediate (exact, or 4 figures by hand)."""
    m = v = 0.0
    ms, vs = [], []
    for g in grads:
        m, v = r(b1 * m + (1 - b1) * g), r(b2 * v + (1 - b2) * g * g)
        ms.append(m)
        vs.append(v)
    t = len(grads) - power_shift
    c1, c2 = r(1 - b1**t), r(1 - b2**t)
    m_hat, v_hat = r(m / c1), r(v / c2)
    root = r(math.sqrt(v_hat))
    return {"ms": ms, "vs": vs, "c1": c1, "c2": c2, "m_hat": m_hat, "v_hat": v_hat, "root": root,
            "step": -lr * m_hat / (root + EPS)}


def _wrong(grads: Sequence[float], b1: float, b2: float, lr: float) -> dict[str, float]:
    st = chain(grads, b1, b2, lr)
    m, v = st["ms"][-1], st["vs"][-1]
    return {
        "adam.no-correction": -lr * m / (math.sqrt(v) + EPS),
        "adam.m-only": -lr * st["m_hat"] / (math.sqrt(v) + EPS),
        "adam.v-only": -lr * m / (st["root"] + EPS),
        "adam.no-sqrt": -lr * st["m_hat"] / (st["v_hat"] + EPS),
        "adam.sign": -st["step"],
        "adam.sgd": -lr * grads[-1],
        "adam.exponent-off-by-one": chain(grads, b1, b2, lr, power_shift=1)["step"],
    }


def _draw_grads(rng: Any) -> list[float]:
    scale = pick(rng, (0.01, 0.1, 1.0))
    t = int(rng.integers(2, 5))
    return [round(float(v), 2) * scale for v in rng.uniform(-3, 3, size=t)]


class AdamStep(RetryFamily):
    name = "adam_step"

    def attempt(self, rng: Any) -> Attempt:
        grads = [round(g, 6) for g in _draw_grads(rng)]
        (b1, b2), lr = pick(rng, BETAS), pick(rng, LRS)
        st = chain(grads, b1, b2, lr)
        wrong = _wrong(grads, b1, b2, lr)
        steady = abs(st["m_hat"]) >= 0.25 * max(abs(g) for g in grads)  # no near-cancelling moments
        kept = steady and fair(st["step"], chain(grads, b1, b2, lr, sig4)["step"]) and all_far([st["step"], *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            values = {"grads": grads, "beta1": b1, "beta2": b2, "lr": lr}
            return scalar_instance(
                self, seed, params, st["step"], values=values, mistakes=mistakes_from(_FEEDBACK, wrong),
                prompt_text=_prompt(values), solution_text=_solution(values),
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        b1, b2, lr = v["beta1"], v["beta2"], v["lr"]
        theta, exp_avg, exp_avg_sq, before = 0.0, 0.0, 0.0, 0.0
        for step, grad in enumerate(v["grads"], start=1):
            exp_avg += (grad - exp_avg) * (1 - b1)  # lerp towards the gradient
            exp_avg_sq = exp_avg_sq * b2 + (1 - b2) * grad * grad
            step_size = lr / (1 - b1**step)
            denom = math.sqrt(exp_avg_sq) / math.sqrt(1 - b2**step) + EPS
            before, theta = theta, theta - step_size * exp_avg / denom
        return theta - before

    def hand_answer(self, instance: Instance) -> Value:
        """The answer from intermediates rounded to 4 significant figures (a learner's chain)."""
        v = instance.values
        return float(chain(v["grads"], v["beta1"], v["beta2"], v["lr"], sig4)["step"])

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        return [f"{ref:.8e}", f"{ref * 1000:.7g}/1000"]


def _prompt(v: Mapping[str, Any]) -> Bilingual:
    t = len(v["grads"])
    grads = ", ".join(f"g{sub(i)} = {show(g)}" for i, g in enumerate(v["grads"], 1))
    return bi(
        f"A parameter θ is trained with Adam: learning rate α = {v['lr']}, β₁ = {v['beta1']}, β₂ = {v['beta2']}, "
        f"ε = 10⁻⁸, moments starting at m₀ = v₀ = 0, with bias correction. The gradients of the first {t} steps are "
        f"{grads}.\nHow much does step {t} change θ, i.e. θ{sub(t)} − θ{sub(t - 1)} (with its sign)? Give a number "
        "with at least 4 significant figures.",
        f"用 Adam 训练参数 θ：学习率 α = {v['lr']}，β₁ = {v['beta1']}，β₂ = {v['beta2']}，ε = 10⁻⁸，矩估计从 m₀ = v₀ = 0 "
        f"开始，做偏差修正。前 {t} 步的梯度为 {grads}。\n第 {t} 步让 θ 改变了多少，即 θ{sub(t)} − θ{sub(t - 1)}（带符号）？"
        "请给出至少 4 位有效数字。",
    )


def _solution(v: Mapping[str, Any]) -> Bilingual:
    b1, b2, lr, grads = v["beta1"], v["beta2"], v["lr"], v["grads"]
    st = chain(grads, b1, b2, lr)
    t = len(grads)
    lines = [f"   t = {i}: m = {show(m)}, v = {show(s)}" for i, (m, s) in enumerate(zip(st["ms"], st["vs"]), 1)]
    steps = [
        f"2. m̂ = m{sub(t)}/(1 − β₁{sup(t)}) = {show(st['ms'][-1])}/{show(st['c1'])} = {show(st['m_hat'])}; "
        f"v̂ = v{sub(t)}/(1 − β₂{sup(t)}) = {show(st['vs'][-1])}/{show(st['c2'])} = {show(st['v_hat'])}; √v̂ = {show(st['root'])}",
        f"3. Δθ = −α·m̂/(√v̂ + ε) = −{lr}·{par(st['m_hat'])}/{show(st['root'])} = {show(st['step'])}",
    ]
    en = ["1. Update the moments: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²", *lines, *steps,
          f"(|Δθ| stays of order α = {lr} whatever the gradients' scale: m̂/√v̂ is a mean of g over an RMS of g.)"]
    zh = ["1. 更新矩估计：m ← β₁·m + (1 − β₁)·g，v ← β₂·v + (1 − β₂)·g²", *lines, *steps,
          f"（无论梯度的尺度多大，|Δθ| 都与 α = {lr} 同一量级：m̂/√v̂ 是 g 的均值与 g 的均方根之比。）"]
    return bi_lines(en, zh)


FAMILIES: list[Family] = [AdamStep()]
