"""The gradient of a bias: the upstream gradient summed over everything the bias is shared by.

Linear layer: ∂L/∂b_j = Σ_b G[b, j] over the batch. Conv layer: ∂L/∂b_c = Σ over the batch and
every spatial position of channel c. A linear layer followed by BatchNorm (training mode): the
batch mean absorbs any shift, so ∂L/∂b = 0 (why such layers are built with bias=False).

simulate() never uses those sums: it builds a concrete forward pass (random inputs and weights,
explicit loops for the conv, BatchNorm with batch statistics), defines L = Σ G ⊙ output so the
upstream gradient is exactly G, and differentiates L with respect to each bias by central
finite differences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, bi_lines, show, sub
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import (
    all_far,
    other_vec_spellings,
    show_vec,
    vector_instance,
)
from quizapp.i18n import Bilingual

LAYERS = ("linear", "conv", "linear_bn")
FD_STEP = 1e-3
BN_EPS = 1e-5

_FEEDBACK = {
    "bias_grad.mean": bi(
        "You averaged. The upstream gradient already holds every factor of the loss (a 1/B from a "
        "mean loss is inside it); the bias receives the plain SUM of the gradients of all the "
        "outputs it was added to.",
        "你取了平均。上游梯度已经包含了损失的所有系数（均值损失的 1/B 已经在里面）；偏置得到的是它参与的"
        "所有输出的梯度之和，而不是平均。",
    ),
    "bias_grad.one-example": bi(
        "You used the first example only. The same bias is added for every example of the batch, "
        "so its gradient sums over the whole batch.",
        "你只用了第一个样本。同一个偏置加到了批中每个样本上，所以它的梯度要对整个批求和。",
    ),
    "bias_grad.local-only": bi(
        "That is ∂y/∂b = 1, the local derivative only. The chain rule multiplies it by the upstream "
        "gradient ∂L/∂y and sums over every output the bias touches.",
        "这只是局部导数 ∂y/∂b = 1。链式法则要把它乘以上游梯度 ∂L/∂y，再对偏置影响到的所有输出求和。",
    ),
    "bias_grad.spatial-mean": bi(
        "You averaged over the spatial positions. A conv bias is shared by every position of its "
        "channel, so the gradients of all positions (and all examples) are summed.",
        "你对空间位置取了平均。卷积的偏置被该通道的所有位置共享，所以所有位置（以及所有样本）的梯度要相加。",
    ),
    "bias_grad.ignored-bn": bi(
        "That would be the answer without BatchNorm. In training mode BatchNorm subtracts the batch "
        "mean of each feature; adding δ to b_j shifts every y_bj and their mean by δ, so the "
        "normalised output and the loss do not change: ∂L/∂b = 0.",
        "这是没有 BatchNorm 时的答案。训练模式下 BatchNorm 会减去每个特征的批均值；给 b_j 加上 δ，"
        "所有 y_bj 和它们的均值都增加 δ，归一化后的输出和损失都不变：∂L/∂b = 0。",
    ),
}


def _tenths(rng: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Nonzero multiples of 0.1 in [−2, 2]: sums stay exact to read and to add by hand."""
    size = rng.integers(1, 21, size=shape) * rng.choice([-1, 1], size=shape)
    return np.asarray(size, dtype=float) / 10


def _sums(grad: np.ndarray) -> list[float]:
    """Per output (last axis of a linear gradient, axis 1 of a conv gradient), summed, in tenths."""
    axes = tuple(i for i in range(grad.ndim) if i != (1 if grad.ndim == 4 else grad.ndim - 1))
    return [round(float(v), 1) for v in grad.sum(axis=axes)]


def _wrong(layer: str, grad: np.ndarray) -> dict[str, list[float]]:
    sums = _sums(grad)
    ones = [1.0] * len(sums)
    if layer == "linear_bn":
        return {"bias_grad.ignored-bn": sums, "bias_grad.local-only": ones}
    count = grad.size // len(sums)
    wrong = {
        "bias_grad.mean": [s / count for s in sums],
        "bias_grad.one-example": _sums(grad[:1]),
        "bias_grad.local-only": ones,
    }
    if layer == "conv":
        wrong["bias_grad.spatial-mean"] = [s / (grad.shape[2] * grad.shape[3]) for s in sums]
    return wrong


class BiasGradient(RetryFamily):
    name = "bias_gradient"

    def attempt(self, rng: Any, layer: str) -> Attempt:
        m = int(rng.integers(2, 4))
        shape = (2, m, 2, 2) if layer == "conv" else (int(rng.integers(2, 5)), m)
        grad = _tenths(rng, shape)
        answer = [0.0] * m if layer == "linear_bn" else _sums(grad)
        wrong = _wrong(layer, grad)
        kept = min(abs(s) for s in _sums(grad)) >= 0.2 and all_far([tuple(answer), *map(tuple, wrong.values())])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            return vector_instance(
                self, seed, params, answer, tuple(f"b{i}" for i in range(1, m + 1)), (_FEEDBACK, wrong),
                values={"layer": layer, "grad": grad.tolist()},
                prompt_text=self._prompt(layer, grad), solution_text=self._solution(layer, grad),
            )

        return kept, build

    def _prompt(self, layer: str, grad: np.ndarray) -> Bilingual:
        m = len(_sums(grad))
        names = "[" + ", ".join(f"b{sub(j)}" for j in range(1, m + 1)) + "]"
        ask = bi(
            f"What is ∂L/∂b, the gradient of the loss with respect to the bias vector b = {names}? "
            "Give a vector like [0.5, −1.2] with at least 4 significant figures per component.",
            f"损失对偏置向量 b = {names} 的梯度 ∂L/∂b 是多少？请给出一个向量，如 [0.5, −1.2]，"
            "每个分量至少 4 位有效数字。",
        )
        rows = _grad_rows(layer, grad)
        if layer == "conv":
            n, c, h, w = grad.shape
            setup = bi(
                f"A conv layer with {c} output channels (one bias per channel, added at every position) gives "
                f"an output of shape N×C×H×W = {n}×{c}×{h}×{w}. Back-propagation brings ∂L/∂y "
                "(any averaging in the loss is already inside these numbers):",
                f"一个有 {c} 个输出通道的卷积层（每个通道一个偏置，加到该通道的每个位置上）输出形状为 "
                f"N×C×H×W = {n}×{c}×{h}×{w}。反向传播传来 ∂L/∂y（损失里的平均已经包含在这些数里）：",
            )
        elif layer == "linear":
            setup = bi(
                f"A linear layer y = W·x + b with {m} outputs runs on a batch of {grad.shape[0]} examples. "
                "Back-propagation brings ∂L/∂y for each example (any averaging in the loss is already "
                "inside these numbers):",
                f"一个有 {m} 个输出的线性层 y = W·x + b 作用在一批 {grad.shape[0]} 个样本上。反向传播传来每个样本的 "
                "∂L/∂y（损失里的平均已经包含在这些数里）：",
            )
        else:
            setup = bi(
                f"A linear layer y = W·x + b with {m} outputs feeds BatchNorm1d in training mode (each feature "
                f"normalised with this batch's mean and variance, then scaled by γ and shifted by β). On a batch "
                f"of {grad.shape[0]} examples, back-propagation brings this gradient at the BatchNorm output:",
                f"一个有 {m} 个输出的线性层 y = W·x + b 后接训练模式下的 BatchNorm1d（每个特征用本批的均值和方差归一化，"
                f"再乘 γ、加 β）。在一批 {grad.shape[0]} 个样本上，反向传播传到 BatchNorm 输出处的梯度为：",
            )
        return bi_lines([setup.en, *rows.en.splitlines(), ask.en], [setup.zh, *rows.zh.splitlines(), ask.zh])

    def _solution(self, layer: str, grad: np.ndarray) -> Bilingual:
        sums = _sums(grad)
        lines_en, lines_zh = [], []
        flat = grad.swapaxes(0, 1).reshape(len(sums), -1) if layer == "conv" else grad.T
        for j, (col, total) in enumerate(zip(flat, sums), 1):
            terms = " + ".join(show(float(v)) if v >= 0 else f"({show(float(v))})" for v in col)
            lines_en.append(f"  ∂L/∂b{sub(j)} = {terms} = {show(total)}")
        lines_zh = list(lines_en)
        if layer == "linear_bn":
            head = bi(
                "BatchNorm subtracts each feature's batch mean: ŷ_bj = (y_bj − μ_j)/σ_j. Adding δ to b_j adds δ to "
                "every y_bj AND to μ_j, so y_bj − μ_j, the normalised output and the loss do not change. "
                "Hence ∂L/∂b = 0 exactly — which is why a layer before BatchNorm is built with bias=False "
                "(β takes over its role). Without BatchNorm it would have been the batch sums:",
                "BatchNorm 会减去每个特征的批均值：ŷ_bj = (y_bj − μ_j)/σ_j。给 b_j 加 δ，所有 y_bj 和 μ_j 都增加 δ，"
                "所以 y_bj − μ_j、归一化输出和损失都不变。因此 ∂L/∂b 恰好为 0——这就是 BatchNorm 前的层通常设 "
                "bias=False 的原因（β 起了偏置的作用）。如果没有 BatchNorm，答案会是按批求和：",
            )
            tail = bi(f"∂L/∂b = {show_vec([0.0] * len(sums))}", f"∂L/∂b = {show_vec([0.0] * len(sums))}")
        else:
            shared = "the batch and every spatial position" if layer == "conv" else "the batch"
            shared_zh = "整个批和所有空间位置" if layer == "conv" else "整个批"
            head = bi(
                f"Each output is y = (…) + b, so ∂y/∂b = 1: the bias gradient is the upstream gradient summed "
                f"over every output the bias was added to — {shared}. No averaging: any 1/N of the loss is "
                "already inside ∂L/∂y.",
                f"每个输出都是 y = (…) + b，所以 ∂y/∂b = 1：偏置的梯度就是它加到的所有输出（{shared_zh}）的上游梯度之和。"
                "不要再取平均：损失中的 1/N 已经包含在 ∂L/∂y 里。",
            )
            tail = bi(f"∂L/∂b = {show_vec(sums)}", f"∂L/∂b = {show_vec(sums)}")
        return bi_lines([head.en, *lines_en, tail.en], [head.zh, *lines_zh, tail.zh])

    def simulate(self, instance: Instance) -> Value:
        layer = instance.values["layer"]
        grad = np.asarray(instance.values["grad"], dtype=float)
        rng = np.random.default_rng(instance.seed + 7919)
        m = grad.shape[1]
        if layer == "conv":
            x = rng.normal(size=(grad.shape[0], 2, grad.shape[2] + 2, grad.shape[3] + 2))
            w = rng.normal(size=(m, 2, 3, 3))
            forward = lambda b: _conv_loops(x, w, b)  # noqa: E731
        else:
            x = rng.normal(size=(grad.shape[0], 3))
            w = rng.normal(size=(m, 3))
            forward = lambda b: _linear_loops(x, w, b, batchnorm=layer == "linear_bn")  # noqa: E731
        b0 = rng.normal(size=m)
        out = []
        for j in range(m):
            step = np.zeros(m)
            step[j] = FD_STEP
            up = float(np.sum(grad * forward(b0 + step)))
            down = float(np.sum(grad * forward(b0 - step)))
            out.append((up - down) / (2 * FD_STEP))
        return tuple(out)

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.reference
        assert isinstance(ref, tuple)
        spaced, semis = other_vec_spellings(ref)
        return [spaced, semis, "[" + ", ".join(f"{2 * v:.6g}/2" for v in ref) + "]"]


def _grad_rows(layer: str, grad: np.ndarray) -> Bilingual:
    def fmt(v: float) -> str:
        return show(float(v))

    en, zh = [], []
    if layer == "conv":
        for n in range(grad.shape[0]):
            for c in range(grad.shape[1]):
                rows = "; ".join(" ".join(f"{fmt(v):>4}" for v in row) for row in grad[n, c])
                en.append(f"  example {n + 1}, channel {c + 1}: [{rows}]")
                zh.append(f"  样本 {n + 1}，通道 {c + 1}：[{rows}]")
    else:
        for i, row in enumerate(grad, 1):
            en.append(f"  example {i}: ∂L/∂y = {show_vec(list(row))}")
            zh.append(f"  样本 {i}：∂L/∂y = {show_vec(list(row))}")
    return bi_lines(en, zh)


def _linear_loops(x: np.ndarray, w: np.ndarray, b: Sequence[float], batchnorm: bool) -> np.ndarray:
    batch, m = x.shape[0], w.shape[0]
    y = np.zeros((batch, m))
    for i in range(batch):
        for j in range(m):
            y[i, j] = sum(w[j, k] * x[i, k] for k in range(x.shape[1])) + b[j]
    if not batchnorm:
        return y
    mean = y.mean(axis=0)
    var = ((y - mean) ** 2).mean(axis=0)  # training mode: the biased batch variance
    return (y - mean) / np.sqrt(var + BN_EPS)


def _conv_loops(x: np.ndarray, w: np.ndarray, b: Sequence[float]) -> np.ndarray:
    """A 3×3 'valid' convolution with explicit loops: output N × C_out × (H − 2) × (W − 2)."""
    n, _, h, wd = x.shape
    c_out = w.shape[0]
    y = np.zeros((n, c_out, h - 2, wd - 2))
    for i in range(n):
        for c in range(c_out):
            for r in range(h - 2):
                for s in range(wd - 2):
                    y[i, c, r, s] = float(np.sum(w[c] * x[i, :, r:r + 3, s:s + 3])) + b[c]
    return y


FAMILIES: list[Family] = [BiasGradient()]
