"""Exponential moving average v_t = β·v_{t−1} + (1 − β)·θ_t with v₀ = 0, raw or bias-corrected.

The answer key uses the closed form v_t = (1 − β)·Σᵢ β^(t−i)·θᵢ; simulate() runs the recursion.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance, Part, PartMistake
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.families._mathtext import (
    HINT_REAL,
    DistinctDrawFamily,
    bi,
    param_or_draw,
    pick,
    scalar_instance,
    show,
    sub,
    sup,
    typed,
)
from quizapp.i18n import Bilingual

BETAS = (0.5, 0.8, 0.9, 0.95)


def ema_closed_form(thetas: list[float], beta: float) -> float:
    t = len(thetas)
    weights = (1 - beta) * beta ** (t - 1 - np.arange(t))
    return float(weights @ np.asarray(thetas))


def ema_chain(beta: float, thetas: list[float], corrected: bool) -> Chain:
    """v₁ … vₙ as the worked solution runs the recursion, then 1 − βⁿ and v̂ₙ when corrected."""
    inputs = [("beta", exact(beta)), *((f"theta{i}", exact(th)) for i, th in enumerate(thetas, 1))]
    steps = [Step("v1", "(1 - beta)*theta1", "v₁")]
    steps += [Step(f"v{i}", f"beta*v{i - 1} + (1 - beta)*theta{i}", f"v{sub(i)}") for i in range(2, len(thetas) + 1)]
    if corrected:
        n = len(thetas)
        steps += [Step("c", f"1 - beta^{n}", f"1 − β{sup(n)}"), Step("vhat", f"v{n}/c", f"v̂{sub(n)}")]
    return Chain(tuple(inputs), tuple(steps))


def ema_parts(chain: Chain, beta: float, n: int, corrected: bool) -> tuple[Part, ...]:
    """One part per step of the recursion (each from the learner's previous value), then v̂ₙ."""
    values = chain.values()
    parts: list[Part] = []
    for i in range(1, n + 1):
        previous = f"v{i - 1}" if i > 1 else "0"
        swapped = () if beta == 0.5 else (PartMistake(
            "ema.swapped-beta", f"(1 - beta)*{previous} + beta*theta{i}", SWAPPED_FEEDBACK),)
        parts.append(_part(chain, values, f"v{i}", bi(f"({i}) v{sub(i)}", f"({i}) v{sub(i)}"), swapped))
    if corrected:
        parts.append(_part(chain, values, "vhat", bi(f"({n + 1}) v̂{sub(n)} = v{sub(n)}/(1 − β{sup(n)})", f"({n + 1}) v̂{sub(n)} = v{sub(n)}/(1 − β{sup(n)})"), (
            PartMistake("ema.wrong-correction", f"v{n}/(1 - beta)", WRONG_CORRECTION_FEEDBACK),
            PartMistake("ema.exponent-off-by-one", f"v{n}/(1 - beta^{n - 1})", OFF_BY_ONE_FEEDBACK),
        )))
    return tuple(parts)


def _part(chain: Chain, values: Mapping[str, Any], step: str, prompt: Bilingual, mistakes: tuple[PartMistake, ...]) -> Part:
    value = float(values[step])
    return Part(step, chain.step(step).shown, prompt, AnswerSpec(kind="real", reference=value), typed(value),
                HINT_REAL, (step,), mistakes)


SWAPPED_FEEDBACK = bi(
    "β multiplies the old average and 1 − β the new value: v_t = β·v_{t−1} + (1 − β)·θ_t. You swapped them.",
    "β 乘以旧的平均值，1 − β 乘以新值：v_t = β·v_{t−1} + (1 − β)·θ_t。你把它们弄反了。",
)
WRONG_CORRECTION_FEEDBACK = bi(
    "The correction divides by 1 − βᵗ (the total weight the EMA has given to data after t steps), not by 1 − β.",
    "修正时除以的是 1 − βᵗ（t 步之后数据获得的总权重），不是 1 − β。",
)
OFF_BY_ONE_FEEDBACK = bi(
    "After t updates the weights sum to 1 − βᵗ, so divide by 1 − βᵗ, not 1 − β^(t−1).",
    "经过 t 次更新，权重之和是 1 − βᵗ，所以要除以 1 − βᵗ，而不是 1 − β^(t−1)。",
)


def ema_texts(beta: float, thetas: list[float], corrected: bool, parts: bool) -> tuple[Bilingual, Bilingual]:
    """The prompt and the worked solution (every number to 4 significant figures)."""
    n = len(thetas)
    raw = ema_closed_form(thetas, beta)
    fixed = raw / (1 - beta**n)
    seq = ", ".join(f"θ{sub(i + 1)} = {show(v)}" for i, v in enumerate(thetas))
    ask_en = (
        f"the bias-corrected estimate v̂{sub(n)} = v{sub(n)}/(1 − β{sup(n)})" if corrected
        else f"v{sub(n)} (raw, without bias correction)"
    )
    ask_zh = (
        f"经过偏差修正的估计 v̂{sub(n)} = v{sub(n)}/(1 − β{sup(n)})" if corrected
        else f"v{sub(n)}（不做偏差修正）"
    )
    prompt = bi(
        f"An exponential moving average with β = {beta} is updated as v_t = β·v_{{t−1}} + (1 − β)·θ_t, starting from v₀ = 0.\n"
        f"The values are {seq}.\nCompute {ask_en}. Give at least 4 significant figures.",
        f"指数移动平均的衰减系数 β = {beta}，更新公式为 v_t = β·v_{{t−1}} + (1 − β)·θ_t，初始值 v₀ = 0。\n"
        f"输入依次为 {seq}。\n计算 {ask_zh}。至少给出 4 位有效数字。",
    )
    if parts:
        prompt = bi(
            prompt.en.replace("Compute", "Compute step by step, each step from your own previous one:", 1),
            prompt.zh.replace("计算 ", "逐步计算（每一步都用你自己上一步的结果）：", 1),
        )
    lines, v = [], 0.0
    for i, th in enumerate(thetas, start=1):
        new = beta * v + (1 - beta) * th
        lines.append(f"   v{sub(i)} = {beta}·{show(v)} + {round(1 - beta, 2)}·{show(th)} = {show(new)}")
        v = new
    tail_en = (
        f"2. Bias correction: 1 − β{sup(n)} = {show(1 - beta**n)}, so v̂{sub(n)} = {show(raw)}/{show(1 - beta**n)} = {show(fixed)}."
        if corrected else
        f"2. No correction was asked for: v{sub(n)} = {show(raw)}. (The corrected value would be {show(fixed)}: v₀ = 0 pulls early values towards 0.)"
    )
    tail_zh = (
        f"2. 偏差修正：1 − β{sup(n)} = {show(1 - beta**n)}，所以 v̂{sub(n)} = {show(raw)}/{show(1 - beta**n)} = {show(fixed)}。"
        if corrected else
        f"2. 题目不要求修正：v{sub(n)} = {show(raw)}。（修正后会是 {show(fixed)}：v₀ = 0 会把前几步拉向 0。）"
    )
    solution = bi(
        "1. Run the recursion from v₀ = 0:\n" + "\n".join(lines) + "\n" + tail_en,
        "1. 从 v₀ = 0 开始递推：\n" + "\n".join(lines) + "\n" + tail_zh,
    )
    return prompt, solution


class EMA(DistinctDrawFamily):
    name = "ema"
    param_defaults: ClassVar[dict[str, Any]] = {"corrected": None, "parts": False}  # corrected None: drawn per seed

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        corrected = param_or_draw(rng, params, "corrected", (True, False))
        beta = pick(rng, BETAS)
        n = int(rng.integers(3, 7))
        thetas = [float(v) for v in np.round(rng.uniform(0.5, 5.0, size=n), 1)]
        raw = ema_closed_form(thetas, beta)
        fixed = raw / (1 - beta**n)
        answer = fixed if corrected else raw
        swapped = ema_closed_form(thetas, 1 - beta)
        if corrected:
            swapped /= 1 - (1 - beta) ** n
        mistakes = []
        if corrected:
            mistakes.append(Mistake("ema.no-correction", raw, bi(
                f"That is the raw v{sub(n)}. Starting from v₀ = 0 biases early values towards 0; the corrected value is v{sub(n)}/(1 − β{sup(n)}).",
                f"这是未修正的 v{sub(n)}。从 v₀ = 0 开始会让前几步偏向 0；修正后的值是 v{sub(n)}/(1 − β{sup(n)})。",
            )))
            mistakes.append(Mistake("ema.wrong-correction", raw / (1 - beta), bi(
                f"The correction divides by 1 − β{sup(n)} (the total weight the EMA has given to data after {n} steps), not by 1 − β.",
                f"修正时除以的是 1 − β{sup(n)}（{n} 步之后数据获得的总权重），不是 1 − β。",
            )))
            mistakes.append(Mistake("ema.exponent-off-by-one", raw / (1 - beta ** (n - 1)), bi(
                f"After t = {n} updates the weights sum to 1 − β{sup(n)}, so divide by 1 − β{sup(n)}, not 1 − β{sup(n - 1)}.",
                f"经过 t = {n} 次更新，权重之和是 1 − β{sup(n)}，所以要除以 1 − β{sup(n)}，而不是 1 − β{sup(n - 1)}。",
            )))
        else:
            mistakes.append(Mistake("ema.unwanted-correction", fixed, bi(
                f"The question asks for the raw v{sub(n)} (no bias correction); you divided by 1 − β{sup(n)}.",
                f"题目问的是未修正的 v{sub(n)}；你多除了 1 − β{sup(n)}。",
            )))
        if beta != 0.5:  # with β = ½ the two weights coincide and the mistake is impossible
            mistakes.append(Mistake("ema.swapped-beta", swapped, SWAPPED_FEEDBACK))
        mistakes.append(Mistake("ema.plain-average", float(np.mean(thetas)), bi(
            "That is the plain average. The EMA weights recent values more: θᵢ gets weight (1 − β)·β^(t−i).",
            "这是普通平均。指数移动平均更看重最近的值：θᵢ 的权重是 (1 − β)·β^(t−i)。",
        )))

        prompt, solution = ema_texts(beta, thetas, corrected, bool(params.get("parts")))
        chain = ema_chain(beta, thetas, corrected)
        return scalar_instance(
            self, seed, params, answer, values={"corrected": corrected, "beta": beta, "thetas": thetas},
            mistakes=tuple(mistakes), prompt_text=prompt, solution_text=solution, chain=chain,
            answer_steps=(chain.steps[-1].id,),
            parts=ema_parts(chain, beta, len(thetas), corrected) if params.get("parts") else (),
        )

    def simulate(self, instance: Instance) -> Value:
        beta, thetas = instance.values["beta"], instance.values["thetas"]
        v, correction = 0.0, 1.0
        for th in thetas:
            v = beta * v + (1 - beta) * th
            correction *= beta
        return v / (1 - correction) if instance.values["corrected"] else v

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        beta, thetas = instance.values["beta"], instance.values["thetas"]
        n = len(thetas)
        terms = " + ".join(f"{beta}^{n - i}*{th}" for i, th in enumerate(thetas, start=1))
        weighted = f"{round(1 - beta, 2)}*({terms})"  # the unrolled sum, as arithmetic
        if instance.values["corrected"]:
            weighted = f"{weighted}/(1 - {beta}^{n})"
        return [weighted, f"{ref:.6e}"]


FAMILIES: list[Family] = [EMA()]
