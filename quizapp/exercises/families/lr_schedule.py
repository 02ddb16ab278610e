"""Learning rate at step t under linear warm-up followed by cosine decay.

η(t) = η_max·t/W for 0 ≤ t ≤ W, then η(t) = η_min + ½·(η_max − η_min)·(1 + cos(π·(t − W)/(T − W)))
for W ≤ t ≤ T. Warm-up keeps the first updates small while Adam's statistics and the loss
surface settle: a full-size rate on step 0 is a classic cause of an early loss blow-up.

simulate() never evaluates those formulas at t: it runs the schedule step by step, adding the
warm-up increment η_max/W once per step, and for the decay turns a unit vector by π/(T − W)
per step (repeated complex multiplication) and reads the cosine off its real part.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._hand import Rounder, exact, fair, sig4
from quizapp.exercises.families._mathtext import bi, bi_lines, par, pick, show
from quizapp.exercises.families._retry import Attempt, RetryFamily, scalar_build
from quizapp.exercises.families._values import all_far
from quizapp.i18n import Bilingual

PEAKS = (1e-3, 6e-4, 3e-4, 5e-4, 0.1, 0.05)
FLOORS = (0.1, 0.05, 0.01)  # η_min as a fraction of η_max
WARMUPS = (100, 200, 500, 1000, 2000)
LENGTHS = (5, 10, 20)  # T as a multiple of W
# The decay question stays away from the very end, where 1 + cos(…) ≈ 0 amplifies rounding.
MAX_FRACTION = 0.85


_FEEDBACK = {
    "lr.no-warmup-offset": bi(
        "The cosine starts when the warm-up ends: its argument is π·(t − W)/(T − W), not π·t/T.",
        "余弦阶段从预热结束时开始：参数是 π·(t − W)/(T − W)，而不是 π·t/T。",
    ),
    "lr.no-half": bi(
        "1 + cos(…) runs from 2 down to 0, so it needs the ½ to go from η_max down to η_min.",
        "1 + cos(…) 从 2 降到 0，所以要乘 ½ 才能从 η_max 降到 η_min。",
    ),
    "lr.ignored-min": bi(
        "The cosine runs between η_max and the floor η_min: η_min + ½·(η_max − η_min)·(1 + cos …).",
        "余弦在 η_max 和下限 η_min 之间变化：η_min + ½·(η_max − η_min)·(1 + cos …)。",
    ),
    "lr.linear-decay": bi(
        "That is a linear decay. The cosine stays near η_max longer and flattens out near η_min.",
        "这是线性衰减。余弦衰减在 η_max 附近停留更久，在 η_min 附近变得平缓。",
    ),
    "lr.cos-no-one": bi(
        "The factor is (1 + cos …)/2, which goes from 1 to 0; cos alone would go from 1 to −1.",
        "系数是 (1 + cos …)/2，从 1 变到 0；单独的 cos 会从 1 变到 −1。",
    ),
    "lr.warmup-skipped": bi(
        "During warm-up the rate climbs linearly from 0: η_max·t/W.",
        "预热阶段学习率从 0 线性上升：η_max·t/W。",
    ),
    "lr.warmup-from-min": bi(
        "This warm-up starts from 0 at t = 0, not from η_min: η_max·t/W.",
        "这里的预热在 t = 0 时从 0 开始，不是从 η_min 开始：η_max·t/W。",
    ),
    "lr.warmup-cosine": bi(
        "The warm-up is linear: η_max·t/W. The cosine shape is only for the decay.",
        "预热是线性的：η_max·t/W。余弦形状只用于衰减阶段。",
    ),
}


def rate(t: int, top: float, floor: float, warm: int, total: int, r: Rounder = exact) -> float:
    """η(t); r rounds the intermediate cosine (4 figures: what a learner with a calculator has)."""
    if t <= warm:
        return top * t / warm
    c = r(math.cos(math.pi * r((t - warm) / (total - warm))))
    return floor + 0.5 * (top - floor) * (1 + c)


def _wrong(t: int, top: float, floor: float, warm: int, total: int, phase: str) -> dict[str, float]:
    if phase == "warmup":
        return {
            "lr.warmup-skipped": top,
            "lr.warmup-from-min": floor + (top - floor) * t / warm,
            "lr.warmup-cosine": top * 0.5 * (1 - math.cos(math.pi * t / warm)),
        }
    frac = (t - warm) / (total - warm)
    c = math.cos(math.pi * frac)
    return {
        "lr.no-warmup-offset": floor + 0.5 * (top - floor) * (1 + math.cos(math.pi * t / total)),
        "lr.no-half": floor + (top - floor) * (1 + c),
        "lr.ignored-min": 0.5 * top * (1 + c),
        "lr.linear-decay": top - (top - floor) * frac,
        "lr.cos-no-one": floor + 0.5 * (top - floor) * c,
    }


class LrSchedule(RetryFamily):
    name = "lr_schedule"

    def choose(self, rng: Any, params: Mapping[str, Any]) -> dict[str, Any]:
        """The phase: decay 4 times in 5; drawn always, so a given phase keeps the stream."""
        drawn = "warmup" if rng.random() < 0.2 else "decay"
        return super().choose(rng, {"phase": params.get("phase") or drawn})

    def attempt(self, rng: Any, phase: str) -> Attempt:
        top, warm = pick(rng, PEAKS), pick(rng, WARMUPS)
        floor, total = round(top * pick(rng, FLOORS), 12), warm * pick(rng, LENGTHS)
        if phase == "warmup":
            t = int(rng.integers(1, warm))
        else:
            t = warm + int(rng.integers(1, int(MAX_FRACTION * (total - warm))))
        answer = rate(t, top, floor, warm, total)
        wrong = _wrong(t, top, floor, warm, total, phase)
        hand = rate(t, top, floor, warm, total, sig4)
        values = {"phase": phase, "top": top, "floor": floor, "warm": warm, "total": total, "t": t}
        build = scalar_build(self, answer, values, (_FEEDBACK, wrong), _prompt, _solution)
        return fair(answer, hand) and all_far([answer, *wrong.values()]), build

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        top, floor, warm, total, t = v["top"], v["floor"], v["warm"], v["total"], v["t"]
        steps = min(t, warm)
        lr = float(np.sum(np.full(steps, top / warm)))  # the warm-up increments, one per step
        if t <= warm:
            return lr
        turn = complex(math.cos(math.pi / (total - warm)), math.sin(math.pi / (total - warm)))
        pointer = complex(np.prod(np.full(t - warm, turn, dtype=complex)))  # one turn per decay step
        return floor + (lr - floor) * (1 + pointer.real) / 2

    def hand_answer(self, instance: Instance) -> Value:
        """The answer from a cosine (and its argument) rounded to 4 significant figures."""
        v = instance.values
        return rate(v["t"], v["top"], v["floor"], v["warm"], v["total"], sig4)

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        return [f"{ref:.8e}", f"{ref * 1e4:.7g}*10^-4"]


def _prompt(v: Mapping[str, Any]) -> Bilingual:
    top, floor, warm, total, t = (show(v["top"]), show(v["floor"]), v["warm"], v["total"], v["t"])
    return bi(
        f"A training run of T = {total} steps uses linear warm-up for the first W = {warm} steps, from 0 at step 0 "
        f"up to η_max = {top} at step {warm}, then a cosine decay (half a cosine period) from η_max at step {warm} "
        f"down to η_min = {floor} at step {total}.\nWhat is the learning rate at step t = {t}? Give a number with at "
        "least 4 significant figures.",
        f"一次训练共 T = {total} 步：前 W = {warm} 步线性预热，从第 0 步的 0 升到第 {warm} 步的 η_max = {top}；"
        f"之后按余弦衰减（半个余弦周期），从第 {warm} 步的 η_max 降到第 {total} 步的 η_min = {floor}。\n"
        f"第 t = {t} 步的学习率是多少？请给出至少 4 位有效数字。",
    )


def _solution(v: Mapping[str, Any], answer: float) -> Bilingual:
    top, floor, warm, total, t = v["top"], v["floor"], v["warm"], v["total"], v["t"]
    if t <= warm:
        line = f"η({t}) = η_max·t/W = {show(top)}·{t}/{warm} = {show(answer, 6)}"
        return bi(f"Step {t} is in the warm-up (t ≤ W = {warm}):\n{line}", f"第 {t} 步处于预热阶段（t ≤ W = {warm}）：\n{line}")
    frac = (t - warm) / (total - warm)
    c = math.cos(math.pi * frac)
    en = [
        f"Step {t} is past the warm-up: the decay has run (t − W)/(T − W) = {t - warm}/{total - warm} = {show(frac, 6)} of its length.",
        f"cos(π·{show(frac, 6)}) = {show(c)}",
        f"η = η_min + ½·(η_max − η_min)·(1 + cos) = {show(floor)} + ½·{show(top - floor)}·(1 + {par(c)}) = {show(answer, 6)}",
    ]
    zh = [
        f"第 {t} 步已过预热：衰减已进行 (t − W)/(T − W) = {t - warm}/{total - warm} = {show(frac, 6)}。",
        f"cos(π·{show(frac, 6)}) = {show(c)}",
        f"η = η_min + ½·(η_max − η_min)·(1 + cos) = {show(floor)} + ½·{show(top - floor)}·(1 + {par(c)}) = {show(answer, 6)}",
    ]
    return bi_lines(en, zh)


FAMILIES: list[Family] = [LrSchedule()]
