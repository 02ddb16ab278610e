"""Gradient of a loss on softmax probabilities with respect to the logits.

Cross-entropy L = −log p_c gives ∂L/∂z = p − y. Squared error L = Σₖ (pₖ − yₖ)² through the
softmax Jacobian ∂pₖ/∂z_j = pₖ(δₖⱼ − p_j) gives ∂L/∂z_j = 2·p_j·((p_j − y_j) − S) with
S = Σₖ (pₖ − yₖ)·pₖ: every component carries a factor p_j, so when the model is confidently
wrong (p_c ≈ 0) the push on the true logit nearly vanishes, where cross-entropy gives ≈ −1.

simulate() differentiates the loss written from its definition by the complex-step method
(∂L/∂z_j = Im L(z + i·h·e_j)/h, exact to rounding), never using either formula.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._hand import Rounder, exact, fair_vec, sig4
from quizapp.exercises.families._mathtext import bi, bi_lines, show, sub
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import (
    all_far,
    other_vec_spellings,
    show_vec,
    vector_instance,
)
from quizapp.i18n import Bilingual

LOSSES = ("ce", "mse")
COMPLEX_STEP = 1e-30

_FEEDBACK = {
    "softmax.sign": bi(
        "The sign is flipped. The gradient points uphill: raising the true class's logit lowers "
        "the loss, so ∂L/∂z_c is negative.",
        "符号反了。梯度指向损失增大的方向：提高正确类别的 logit 会降低损失，所以 ∂L/∂z_c 是负的。",
    ),
    "softmax.forgot-y": bi(
        "You gave p. Cross-entropy through softmax gives p − y: subtract 1 at the true class.",
        "你给的是 p。softmax 加交叉熵的梯度是 p − y：正确类别处要减 1。",
    ),
    "softmax.logits": bi(
        "You subtracted y from the logits z. The gradient is p − y with the softmax PROBABILITIES p.",
        "你用 logit z 减了 y。梯度是 p − y，其中 p 是 softmax 后的概率。",
    ),
    "softmax.true-only": bi(
        "Every logit gets a gradient, not only the true class's: p_c depends on all logits through "
        "the normalising sum, so ∂L/∂z_j = p_j for j ≠ c.",
        "不只是正确类别，每个 logit 都有梯度：p_c 通过归一化的分母依赖所有 logit，所以 j ≠ c 时 ∂L/∂z_j = p_j。",
    ),
    "softmax.log-derivative": bi(
        "That is ∂L/∂p (−1/p_c at the true class), the gradient with respect to the probabilities. "
        "Chain it through the softmax to reach the logits: ∂L/∂z = p − y.",
        "这是 ∂L/∂p（正确类别处为 −1/p_c），是对概率的梯度。再经过 softmax 的链式法则才到 logit：∂L/∂z = p − y。",
    ),
    "softmax.mse-no-jacobian": bi(
        "2·(p − y) is ∂L/∂p. The logits reach the loss through the softmax: multiply by its Jacobian "
        "∂pₖ/∂z_j = pₖ·(δₖⱼ − p_j).",
        "2·(p − y) 是 ∂L/∂p。logit 要经过 softmax 才影响损失：还要乘以它的雅可比矩阵 ∂pₖ/∂z_j = pₖ·(δₖⱼ − p_j)。",
    ),
    "softmax.mse-diagonal": bi(
        "You used only the diagonal of the softmax Jacobian, p_j·(1 − p_j), as for a sigmoid. Raising z_j "
        "also lowers every other pₖ (∂pₖ/∂z_j = −pₖ·p_j), which adds the −2·p_j·S term.",
        "你只用了 softmax 雅可比矩阵的对角线 p_j·(1 − p_j)，像 sigmoid 那样。提高 z_j 还会降低其他每个 pₖ"
        "（∂pₖ/∂z_j = −pₖ·p_j），这带来了 −2·p_j·S 这一项。",
    ),
    "softmax.ce-instead": bi(
        "p − y is the cross-entropy gradient. With squared error the softmax Jacobian does not cancel: "
        "∂L/∂z_j = 2·p_j·((p_j − y_j) − S).",
        "p − y 是交叉熵的梯度。用平方误差时 softmax 的雅可比矩阵不会被抵消：∂L/∂z_j = 2·p_j·((p_j − y_j) − S)。",
    ),
}


def chain(z: Sequence[float], c: int, loss: str, r: Rounder = exact) -> dict[str, Any]:
    """The worked solution's steps, each intermediate passed through r (exact, or 4 figures)."""
    e = [r(math.exp(v)) for v in z]
    total = r(sum(e))
    p = [r(v / total) for v in e]
    y = [1.0 if k == c else 0.0 for k in range(len(z))]
    steps: dict[str, Any] = {"e": e, "total": total, "p": p}
    if loss == "ce":
        steps["grad"] = [pk - yk for pk, yk in zip(p, y)]
    else:
        s = r(sum((pk - yk) * pk for pk, yk in zip(p, y)))
        steps["s"] = s
        steps["grad"] = [r(2 * pj * ((pj - yj) - s)) for pj, yj in zip(p, y)]
    return steps


def _wrong(z: Sequence[float], c: int, loss: str) -> dict[str, list[float]]:
    p = chain(z, c, loss)["p"]
    y = [1.0 if k == c else 0.0 for k in range(len(z))]
    grad = chain(z, c, loss)["grad"]
    if loss == "ce":
        return {
            "softmax.sign": [-g for g in grad],
            "softmax.forgot-y": list(p),
            "softmax.logits": [zk - yk for zk, yk in zip(z, y)],
            "softmax.true-only": [p[c] - 1 if k == c else 0.0 for k in range(len(z))],
            "softmax.log-derivative": [-1 / p[c] if k == c else 0.0 for k in range(len(z))],
        }
    return {
        "softmax.sign": [-g for g in grad],
        "softmax.mse-no-jacobian": [2 * (pk - yk) for pk, yk in zip(p, y)],
        "softmax.mse-diagonal": [2 * (pk - yk) * pk * (1 - pk) for pk, yk in zip(p, y)],
        "softmax.ce-instead": [pk - yk for pk, yk in zip(p, y)],
    }


def _draw_logits(rng: Any) -> tuple[list[float], int, bool]:
    k = int(rng.integers(3, 5))
    c = int(rng.integers(k))
    confident_wrong = bool(rng.random() < 0.5)
    z = [round(float(v), 1) for v in rng.uniform(-2.0, 3.0, size=k)]
    if confident_wrong:  # the true class far below the best one: p_c of a few percent or less
        z[c] = round(max(z) - float(rng.uniform(3.5, 6.0)), 1)
    return z, c, confident_wrong


class SoftmaxGradient(RetryFamily):
    name = "softmax_gradient"

    def attempt(self, rng: Any, loss: str) -> Attempt:
        z, c, confident_wrong = _draw_logits(rng)
        grad = chain(z, c, loss)["grad"]
        wrong = _wrong(z, c, loss)
        fair = fair_vec(grad, chain(z, c, loss, sig4)["grad"])
        kept = fair and all_far([tuple(grad), *map(tuple, wrong.values())]) and min(map(abs, grad)) > 1e-4

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            values = {"loss": loss, "z": z, "c": c, "confident_wrong": confident_wrong}
            return vector_instance(
                self, seed, params, grad, tuple(f"z{k}" for k in range(1, len(z) + 1)), (_FEEDBACK, wrong),
                values=values, prompt_text=self._prompt(z, c, loss), solution_text=self._solution(z, c, loss),
            )

        return kept, build

    def _prompt(self, z: Sequence[float], c: int, loss: str) -> Bilingual:
        k = len(z)
        logits = show_vec(z, 4)
        y = show_vec([1.0 if j == c else 0.0 for j in range(k)])
        loss_en = ("the cross-entropy L = −log p_c" if loss == "ce"
                   else "the squared error L = Σₖ (pₖ − yₖ)² (a sum over the classes, no ½)")
        loss_zh = ("交叉熵 L = −log p_c" if loss == "ce" else "平方误差 L = Σₖ (pₖ − yₖ)²（对各类别求和，没有 ½）")
        return bi(
            f"A classifier outputs the logits z = {logits} for {k} classes; p = softmax(z). The true class is "
            f"class {c + 1} (one-hot y = {y}). The loss is {loss_en}.\n"
            f"What is the gradient ∂L/∂z with respect to the logits? Give a vector [∂L/∂z₁, …, ∂L/∂z{sub(k)}] "
            "with at least 4 significant figures per component.",
            f"一个分类器对 {k} 个类别输出 logit z = {logits}，p = softmax(z)。正确类别是第 {c + 1} 类"
            f"（one-hot 标签 y = {y}）。损失为{loss_zh}。\n"
            f"损失对 logit 的梯度 ∂L/∂z 是多少？请给出向量 [∂L/∂z₁, …, ∂L/∂z{sub(k)}]，每个分量至少 4 位有效数字。",
        )

    def _solution(self, z: Sequence[float], c: int, loss: str) -> Bilingual:
        st = chain(z, c, loss)
        exps = ", ".join(show(v) for v in st["e"])
        en = [f"1. eᶻ = [{exps}], sum = {show(st['total'])}, p = eᶻ/sum = {show_vec(st['p'])}."]
        zh = [f"1. eᶻ = [{exps}]，求和 = {show(st['total'])}，p = eᶻ/和 = {show_vec(st['p'])}。"]
        pc, gc = st["p"][c], st["grad"][c]
        if loss == "ce":
            en.append(f"2. With cross-entropy the softmax Jacobian cancels: ∂L/∂z = p − y = {show_vec(st['grad'])}.")
            zh.append(f"2. 用交叉熵时 softmax 的雅可比矩阵被抵消：∂L/∂z = p − y = {show_vec(st['grad'])}。")
            en.append(f"   The true logit gets p_c − 1 = {show(gc)}: the further p_c = {show(pc)} is from 1, the harder the push.")
            zh.append(f"   正确类别的 logit 得到 p_c − 1 = {show(gc)}：p_c = {show(pc)} 离 1 越远，推动越大。")
        else:
            en.append(f"2. S = Σₖ (pₖ − yₖ)·pₖ = {show(st['s'])}.")
            zh.append(f"2. S = Σₖ (pₖ − yₖ)·pₖ = {show(st['s'])}。")
            en.append(f"3. ∂L/∂z_j = Σₖ 2(pₖ − yₖ)·pₖ(δₖⱼ − p_j) = 2·p_j·((p_j − y_j) − S) = {show_vec(st['grad'])}.")
            zh.append(f"3. ∂L/∂z_j = Σₖ 2(pₖ − yₖ)·pₖ(δₖⱼ − p_j) = 2·p_j·((p_j − y_j) − S) = {show_vec(st['grad'])}。")
            en.append(f"   The true logit gets {show(gc)}, scaled by p_c = {show(pc)}: a confidently wrong model "
                      f"(p_c ≈ 0) barely learns, where cross-entropy would give p_c − 1 = {show(pc - 1)}.")
            zh.append(f"   正确类别的 logit 只得到 {show(gc)}，被 p_c = {show(pc)} 缩小了：模型错得很自信（p_c ≈ 0）时几乎学不动，"
                      f"而交叉熵会给出 p_c − 1 = {show(pc - 1)}。")
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        z = np.asarray(instance.values["z"], dtype=float)
        c, loss = instance.values["c"], instance.values["loss"]

        def loss_of(logits: np.ndarray) -> complex:
            e = np.exp(logits)
            p = e / e.sum()
            if loss == "ce":
                return complex(-np.log(p[c]))
            y = np.eye(len(z))[c]
            return complex(np.sum((p - y) ** 2))

        out = []
        for j in range(len(z)):
            probe = z.astype(complex)
            probe[j] += 1j * COMPLEX_STEP
            out.append(loss_of(probe).imag / COMPLEX_STEP)
        return tuple(out)

    def hand_answer(self, instance: Instance) -> Value:
        """The answer from intermediates rounded to 4 significant figures (a learner's chain)."""
        v = instance.values
        return tuple(chain(v["z"], v["c"], v["loss"], sig4)["grad"])

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.reference
        assert isinstance(ref, tuple)
        spaced, semis = other_vec_spellings(ref)
        return [spaced, semis, "(" + ", ".join(f"{v:.8f}" for v in ref) + ")"]


FAMILIES: list[Family] = [SoftmaxGradient()]
