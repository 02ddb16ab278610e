"""Min-max, z-score (population std) and L2 normalisation of a short vector.

The closed forms in draw() use numpy reductions; simulate() recomputes every statistic with
explicit loops over the components.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from quizapp.checking.spec import AnswerSpec, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.families._mathtext import bi, bi_lines, show
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import (
    HINT_VECTOR,
    all_far,
    mistakes_from,
    other_vec_spellings,
    show_vec,
    tidy_vec,
    typed_vec,
)
from quizapp.i18n import Bilingual

METHODS = ("minmax", "zscore", "l2")

_FEEDBACK = {
    "norm.divided-by-max": bi(
        "You divided by the maximum. Min-max scaling divides by the RANGE: (x − min)/(max − min), "
        "so the smallest value maps to 0 and the largest to 1.",
        "你除以了最大值。最小-最大归一化要除以范围：(x − min)/(max − min)，这样最小值变为 0、最大值变为 1。",
    ),
    "norm.max-scaling": bi(
        "You computed x/max (max scaling). Min-max scaling first subtracts the minimum: "
        "(x − min)/(max − min).",
        "你算的是 x/max（最大值缩放）。最小-最大归一化要先减去最小值：(x − min)/(max − min)。",
    ),
    "norm.sample-std": bi(
        "You used the sample standard deviation (dividing by n − 1). The question asks for the "
        "population std, σ = √(Σ(x − μ)²/n).",
        "你用了样本标准差（除以 n − 1）。题目要求总体标准差 σ = √(Σ(x − μ)²/n)。",
    ),
    "norm.forgot-mean": bi(
        "You forgot to subtract the mean: z = (x − μ)/σ.",
        "你忘了减去均值：z = (x − μ)/σ。",
    ),
    "norm.divided-by-variance": bi(
        "You divided by the variance σ² instead of the standard deviation σ.",
        "你除以了方差 σ² 而不是标准差 σ。",
    ),
    "norm.l1-norm": bi(
        "You divided by the L1 norm Σ|xᵢ|. The L2 norm is √(Σxᵢ²).",
        "你除以了 L1 范数 Σ|xᵢ|。L2 范数是 √(Σxᵢ²)。",
    ),
    "norm.squared-norm": bi(
        "You divided by ‖x‖² (forgot the square root). Divide by ‖x‖₂ = √(Σxᵢ²), so the result has "
        "length 1.",
        "你除以了 ‖x‖²（忘了开平方）。应除以 ‖x‖₂ = √(Σxᵢ²)，这样结果的长度为 1。",
    ),
}


def _closed(method: str, x: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    if method == "minmax":
        lo, hi = x.min(), x.max()
        return (x - lo) / (hi - lo), {
            "norm.divided-by-max": (x - lo) / hi,
            "norm.max-scaling": x / hi,
        }
    if method == "zscore":
        mu, sd = x.mean(), x.std(ddof=0)
        return (x - mu) / sd, {
            "norm.sample-std": (x - mu) / x.std(ddof=1),
            "norm.forgot-mean": x / sd,
            "norm.divided-by-variance": (x - mu) / sd**2,
        }
    norm = np.sqrt((x * x).sum())
    return x / norm, {"norm.l1-norm": x / np.abs(x).sum(), "norm.squared-norm": x / norm**2}


def normalization_chain(method: str, xs: Sequence[float]) -> Chain:
    """The statistics the worked solution shows, then one step per component."""
    n = len(xs)
    inputs = tuple((f"x{i}", exact(v)) for i, v in enumerate(xs, 1))
    names = [f"x{i}" for i in range(1, n + 1)]
    if method == "minmax":
        lo, hi = names[0], names[0]
        for name in names[1:]:
            lo, hi = f"min({lo}, {name})", f"max({hi}, {name})"
        steps = [Step("lo", lo, "min"), Step("hi", hi, "max"), Step("span", "hi - lo", "max − min")]
        steps += [Step(f"z{i}", f"(x{i} - lo)/span", f"z{_sub(i)}") for i in range(1, n + 1)]
    elif method == "zscore":
        steps = [Step("mu", f"({' + '.join(names)})/{n}", "μ")]
        steps += [Step(f"d{i}", f"x{i} - mu", f"x{_sub(i)} − μ") for i in range(1, n + 1)]
        steps += [Step("var", f"({' + '.join(f'd{i}^2' for i in range(1, n + 1))})/{n}", "σ²"), Step("sd", "sqrt(var)", "σ")]
        steps += [Step(f"z{i}", f"d{i}/sd", f"z{_sub(i)}") for i in range(1, n + 1)]
    else:
        steps = [Step("sq", " + ".join(f"{x}^2" for x in names), "Σxᵢ²"), Step("norm", "sqrt(sq)", "‖x‖₂")]
        steps += [Step(f"z{i}", f"x{i}/norm", f"z{_sub(i)}") for i in range(1, n + 1)]
    return Chain(inputs, tuple(steps))


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _vec(a: np.ndarray) -> tuple[float, ...]:
    return tidy_vec([float(v) for v in a])


class Normalization(RetryFamily):
    name = "normalization"

    def attempt(self, rng: Any, method: str) -> Attempt:
        n = int(rng.integers(3, 6))
        low = -20 if method == "l2" else 0
        x = np.array([int(v) / 2 for v in rng.integers(low, 41, size=n)], dtype=float)
        if len(set(x.tolist())) < n or not x.any() or x.max() == 0:
            return False, None
        answer, wrong = _closed(method, x)
        values = [_vec(answer), *(_vec(w) for w in wrong.values())]
        kept = all_far(values)

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            xs = [float(v) for v in x]
            return Instance(
                family=self.name,
                seed=seed,
                params=dict(params),
                values={"method": method, "x": xs},
                spec=AnswerSpec(
                    kind="vector",
                    reference=_vec(answer),
                    labels=tuple(f"x{i}" for i in range(1, n + 1)),
                ),
                mistakes=mistakes_from(_FEEDBACK, wrong, _vec),
                prompt_text=self._prompt(method, xs),
                solution_text=self._solution(method, xs, _vec(answer)),
                answer_text=typed_vec(_vec(answer)),
                answer_hint=HINT_VECTOR,
                chain=normalization_chain(method, xs),
                answer_steps=tuple(f"z{i}" for i in range(1, n + 1)),
            )

        return kept, build

    def _prompt(self, method: str, x: Sequence[float]) -> Bilingual:
        what = {
            "minmax": bi(
                "min-max normalisation, (x − min)/(max − min)",
                "最小-最大归一化，(x − min)/(max − min)",
            ),
            "zscore": bi(
                "z-score standardisation, (x − μ)/σ, where σ is the POPULATION standard deviation "
                "(divide by n, numpy's ddof=0)",
                "z-score 标准化，(x − μ)/σ，其中 σ 是总体标准差（除以 n，即 numpy 的 ddof=0）",
            ),
            "l2": bi("L2 normalisation, x/‖x‖₂", "L2 归一化，x/‖x‖₂"),
        }[method]
        return bi(
            f"Normalise the feature vector x = {show_vec(x)} with {what.en}.\n"
            "Give the normalised vector with each component to at least 4 significant figures.",
            f"请对特征向量 x = {show_vec(x)} 做归一化，方法：{what.zh}。\n请给出归一化后的向量，每个分量至少 4 位有效数字。",
        )

    def _solution(self, method: str, x: Sequence[float], answer: tuple[float, ...]) -> Bilingual:
        a = np.array(x)
        if method == "minmax":
            lo, hi = a.min(), a.max()
            steps = [
                f"min = {show(lo)}, max = {show(hi)}, max − min = {show(hi - lo)}",
                f"(x − min) = {show_vec(a - lo)}",
            ]
            last = f"(x − min)/{show(hi - lo)} = {show_vec(answer)}"
        elif method == "zscore":
            mu = a.mean()
            var = ((a - mu) ** 2).mean()
            steps = [
                f"μ = {show(mu, 6)}",
                f"x − μ = {show_vec(a - mu, 6)}",
                f"σ² = Σ(x − μ)²/n = {show(var, 6)}, σ = √σ² = {show(math.sqrt(var), 6)}",
            ]
            last = f"(x − μ)/σ = {show_vec(answer)}"
        else:
            sq = float((a * a).sum())
            steps = [f"‖x‖₂ = √(Σxᵢ²) = √{show(sq, 6)} = {show(math.sqrt(sq), 6)}"]
            last = f"x/‖x‖₂ = {show_vec(answer)}"
        en = [*steps, last]
        zh = [*steps, last]
        if method == "zscore":
            en.append("Check: the result has mean 0 and (population) standard deviation 1.")
            zh.append("检验：结果的均值为 0，（总体）标准差为 1。")
        elif method == "l2":
            en.append("Check: the result has length 1.")
            zh.append("检验：结果的长度为 1。")
        else:
            en.append("Check: the smallest value became 0 and the largest 1.")
            zh.append("检验：最小值变为 0，最大值变为 1。")
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        method, x = instance.values["method"], instance.values["x"]
        n = len(x)
        if method == "minmax":
            lo = hi = x[0]
            for v in x:
                lo, hi = min(lo, v), max(hi, v)
            return tuple((v - lo) / (hi - lo) for v in x)
        if method == "zscore":
            total = 0.0
            for v in x:
                total += v
            mu = total / n
            squares = 0.0
            for v in x:
                squares += (v - mu) ** 2
            sd = math.sqrt(squares / n)
            return tuple((v - mu) / sd for v in x)
        squares = 0.0
        for v in x:
            squares += v * v
        return tuple(v / math.sqrt(squares) for v in x)

    def alternative_answers(self, instance: Instance) -> list[str]:
        return list(other_vec_spellings(instance.spec.reference))


FAMILIES: list[Family] = [Normalization()]
