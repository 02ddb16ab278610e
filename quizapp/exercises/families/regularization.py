"""Regularisation against overfitting: inverted dropout, and one SGD step with L2 weight decay.

dropout_scaling asks, per seed, for the training-mode output of nn.Dropout(p) under a given mask,
for the factor applied to kept units, or for the expected sum of the outputs. simulate() applies
the mask with explicit loops, and for the expectation enumerates every mask with its probability.

weight_decay_step: simulate() takes the gradient of (data loss + penalty) by central finite
differences (the data loss is linear with the given gradient, the penalty quadratic, so the
difference quotient is exact up to rounding) and then takes the step.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, cast

from quizapp.checking.spec import AnswerKind, AnswerSpec, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import HINT_REAL, bi, bi_lines, pick, show, stack, typed
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import (
    HINT_VECTOR,
    all_far,
    bracketed,
    mistakes_from,
    show_vec,
    tidy_vec,
    typed_vec,
)
from quizapp.i18n import Bilingual

DROP_PROBS = (0.1, 0.2, 0.25, 0.3, 0.4)  # not 0.5: there 1/p and 1/(1 − p) coincide
FD_STEP = 1e-3

_DROPOUT_FEEDBACK = {
    "dropout.scale-by-p": bi(
        "You scaled by 1/p. PyTorch's p is the probability of ZEROING a unit, so a unit is kept with "
        "probability 1 − p and the kept units are scaled by 1/(1 − p).",
        "你乘以了 1/p。PyTorch 的 p 是把单元置零的概率，所以单元以 1 − p 的概率保留，保留的单元乘以 1/(1 − p)。",
    ),
    "dropout.non-inverted": bi(
        "You multiplied by (1 − p): that is classic dropout's TEST-time scaling. Inverted dropout "
        "(PyTorch) scales the kept units by 1/(1 − p) during training and does nothing at test time.",
        "你乘以了 (1 − p)：这是经典 dropout 在测试时的缩放。PyTorch 使用的 inverted dropout 在训练时把保留的单元"
        "乘以 1/(1 − p)，测试时什么都不做。",
    ),
    "dropout.no-scale": bi(
        "You forgot the scaling. In training, nn.Dropout multiplies the kept units by 1/(1 − p) so "
        "that the expected output equals the input.",
        "你忘了缩放。训练时 nn.Dropout 会把保留的单元乘以 1/(1 − p)，使输出的期望等于输入。",
    ),
}


def _dropout_factor(p: float, rule: str) -> float:
    """The factor a kept unit is multiplied by: the right one, or one of the authored mistakes."""
    return {"right": 1 / (1 - p), "dropout.scale-by-p": 1 / p, "dropout.non-inverted": 1 - p,
            "dropout.no-scale": 1.0}[rule]


def _dropout_answer(question: str, p: float, x: Sequence[float], mask: Sequence[int], rule: str) -> Value:
    f = _dropout_factor(p, rule)
    if question == "output":
        return tidy_vec([xi * mi * f for xi, mi in zip(x, mask)])
    if question == "scale":
        return f
    return (1 - p) * f * sum(x)  # E[Σ yᵢ]: each unit is kept with probability 1 − p


class DropoutScaling(RetryFamily):
    name = "dropout_scaling"
    drawn = {"question": ("output", "output", "scale", "expected")}

    def attempt(self, rng: Any, question: str) -> Attempt:
        p = pick(rng, DROP_PROBS)
        n = int(rng.integers(4, 7))
        x = [pick(rng, (-1, 1)) * int(v) / 10 for v in rng.integers(1, 30, size=n)]
        mask = [int(m) for m in rng.random(n) >= p]
        if not (0 < sum(mask) < n) or abs(sum(x)) < 1:
            return False, None
        answer = _dropout_answer(question, p, x, mask, "right")
        wrong = {note: _dropout_answer(question, p, x, mask, note) for note in _DROPOUT_FEEDBACK}
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            kind: AnswerKind = "vector" if question == "output" else "real"
            return Instance(
                family=self.name,
                seed=seed,
                params=dict(params),
                values={"question": question, "p": p, "x": x, "mask": mask},
                spec=AnswerSpec(kind=kind, reference=answer),
                mistakes=mistakes_from(_DROPOUT_FEEDBACK, wrong),
                prompt_text=self._prompt(question, p, x, mask),
                solution_text=self._solution(question, p, x, mask, answer),
                answer_text=typed_vec(answer) if isinstance(answer, tuple) else typed(cast(float, answer)),
                answer_hint=HINT_VECTOR if kind == "vector" else HINT_REAL,
            )

        return kept, build

    def _prompt(self, question: str, p: float, x: Sequence[float], mask: Sequence[int]) -> Bilingual:
        setup = bi(
            f"A layer nn.Dropout(p={p:g}) is in training mode (model.train()). In PyTorch, p is the "
            "probability of ZEROING each unit, and dropout is 'inverted' (the scaling happens during "
            "training, not at test time).",
            f"一个 nn.Dropout(p={p:g}) 层处于训练模式（model.train()）。在 PyTorch 中，p 是把每个单元置零的概率，"
            "并且使用的是 inverted dropout（缩放在训练时进行，而不是在测试时）。",
        )
        if question == "output":
            ask = bi(
                f"Its input is x = {show_vec(x)} and this forward pass draws the mask m = {list(mask)} "
                "(1 = kept, 0 = dropped). What is the output vector? Give each component to at least 4 "
                "significant figures.",
                f"输入为 x = {show_vec(x)}，这次前向传播抽到的掩码为 m = {list(mask)}（1 = 保留，0 = 丢弃）。"
                "输出向量是多少？每个分量至少 4 位有效数字。",
            )
        elif question == "scale":
            ask = bi(
                "By what factor does it multiply each unit that it keeps? Give a number with at least 4 "
                "significant figures.",
                "它把每个保留下来的单元乘以多少？请给出至少 4 位有效数字。",
            )
        else:
            ask = bi(
                f"Its input is x = {show_vec(x)}. Averaged over all random masks, what is the expected "
                "value of the sum of its outputs, E[Σᵢ yᵢ]? Give a number with at least 4 significant "
                "figures.",
                f"输入为 x = {show_vec(x)}。对所有随机掩码取平均，输出之和的期望 E[Σᵢ yᵢ] 是多少？"
                "请给出至少 4 位有效数字。",
            )
        return stack(setup, ask)

    def _solution(self, question: str, p: float, x: Sequence[float], mask: Sequence[int], answer: Value) -> Bilingual:
        f = 1 / (1 - p)
        base = [
            f"A unit is kept with probability 1 − p = {show(1 - p)}; kept units are multiplied by "
            f"1/(1 − p) = 1/{show(1 - p)} = {show(f, 6)}, dropped units become 0.",
        ]
        zh = [
            f"每个单元以 1 − p = {show(1 - p)} 的概率保留；保留的单元乘以 1/(1 − p) = 1/{show(1 - p)} = {show(f, 6)}，"
            "被丢弃的单元变为 0。",
        ]
        if question == "output":
            assert isinstance(answer, tuple)
            base.append(f"y = m ⊙ x · {show(f, 6)} = {show_vec(answer)}")
            zh.append(f"y = m ⊙ x · {show(f, 6)} = {show_vec(answer)}")
        elif question == "scale":
            base.append(f"The factor is {show(f, 6)}.")
            zh.append(f"缩放系数为 {show(f, 6)}。")
        else:
            assert isinstance(answer, float)
            base.append(f"E[yᵢ] = (1 − p)·xᵢ/(1 − p) = xᵢ, so E[Σᵢ yᵢ] = Σᵢ xᵢ = {show(answer, 6)}")
            zh.append(f"E[yᵢ] = (1 − p)·xᵢ/(1 − p) = xᵢ，所以 E[Σᵢ yᵢ] = Σᵢ xᵢ = {show(answer, 6)}")
        base.append("That is the point of the scaling: the expected activation in training equals the "
                    "activation at test time, when dropout does nothing.")
        zh.append("这正是缩放的目的：训练时激活的期望等于测试时（dropout 不起作用时）的激活。")
        return bi_lines(base, zh)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        p, x, question = v["p"], v["x"], v["question"]

        def forward(inputs: Sequence[float], mask: Sequence[int]) -> list[float]:
            """Inverted dropout, unit by unit."""
            out = []
            for xi, mi in zip(inputs, mask):
                out.append(xi / (1 - p) if mi else 0.0)
            return out

        if question == "output":
            return tuple(forward(x, v["mask"]))
        if question == "scale":
            return forward([1.0], [1])[0]  # what a kept unit of value 1 becomes
        expected = 0.0
        for mask in itertools.product((0, 1), repeat=len(x)):
            prob = 1.0
            for mi in mask:
                prob *= (1 - p) if mi else p
            expected += prob * sum(forward(x, mask))
        return expected

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        p = v["p"]
        if v["question"] == "output":
            return [bracketed(f"{xi * mi:g}/(1-{p:g})" for xi, mi in zip(v["x"], v["mask"]))]
        if v["question"] == "scale":
            return [f"1/(1-{p:g})", f"{1 / (1 - p):.8f}"]
        return ["+".join(f"({xi:g})" for xi in v["x"])]


_WD_FEEDBACK = {
    "wd.no-decay": bi(
        "You left out the weight decay. The penalty adds its gradient to the data gradient: "
        "w ← w − η·(g + ∇penalty).",
        "你漏掉了权重衰减。惩罚项的梯度要加到数据梯度上：w ← w − η·(g + ∇惩罚项)。",
    ),
    "wd.penalty-factor": bi(
        "Your decay term is off by a factor of 2. The gradient of (λ/2)·‖w‖² is λ·w, while the "
        "gradient of λ·‖w‖² is 2λ·w: check which penalty the question uses.",
        "你的衰减项差了 2 倍。(λ/2)·‖w‖² 的梯度是 λ·w，而 λ·‖w‖² 的梯度是 2λ·w：看清题目用的是哪种惩罚项。",
    ),
    "wd.decay-sign": bi(
        "Wrong sign on the decay: weight decay pulls the weights TOWARDS zero, so the step subtracts "
        "η·λ·w (it shrinks w).",
        "衰减项的符号错了：权重衰减把权重拉向 0，所以更新时要减去 η·λ·w（让 w 变小）。",
    ),
}


def _sgd_step(w: Sequence[float], g: Sequence[float], lr: float, coef: float) -> tuple[float, ...]:
    """w − η·(g + coef·w): coef is the penalty's gradient factor (λ, 2λ, or a mistake's)."""
    return tidy_vec([wi - lr * (gi + coef * wi) for wi, gi in zip(w, g)])


def _wd_penalty(half: bool) -> Bilingual:
    return bi("(λ/2)·‖w‖²", "(λ/2)·‖w‖²") if half else bi("λ·‖w‖²", "λ·‖w‖²")


def _wd_prompt(half: bool, lr: float, lam: float, w: Sequence[float], g: Sequence[float]) -> Bilingual:
    penalty = _wd_penalty(half)
    torch_note = (
        bi(
            " (this is what torch.optim.SGD(..., weight_decay=λ) does)",
            "（这正是 torch.optim.SGD(..., weight_decay=λ) 的做法）",
        )
        if half
        else bi("", "")
    )
    return bi(
        f"Training minimises L(w) + {penalty.en} with plain SGD (no momentum), learning rate "
        f"η = {lr:g} and λ = {lam:g}{torch_note.en}; λ is large on purpose, so that its effect shows. At the current weights w = {show_vec(w)} the gradient "
        f"of the data loss is ∇L(w) = {show_vec(g)}.\n"
        "What are the weights after one SGD step? Give a vector with each component to at least 4 "
        "significant figures.",
        f"训练目标是 L(w) + {penalty.zh}，使用普通 SGD（无动量），学习率 η = {lr:g}，λ = {lam:g}{torch_note.zh}；λ 故意取得较大，以便看出它的作用。"
        f"当前权重 w = {show_vec(w)}，数据损失的梯度 ∇L(w) = {show_vec(g)}。\n"
        "一步 SGD 之后权重是多少？请给出向量，每个分量至少 4 位有效数字。",
    )


def _wd_solution(half: bool, lr: float, coef: float, w: Sequence[float], g: Sequence[float], answer: Sequence[float]) -> Bilingual:
    penalty = _wd_penalty(half)
    c_sym = "λ" if half else "2λ"
    lines = [
        f"The gradient of {penalty.en} is {c_sym}·w, so w ← w − η·(∇L(w) + {c_sym}·w) with "
        f"{c_sym} = {coef:g}.",
        f"{'λ' if half else '2λ'}·w = {show_vec([coef * wi for wi in w], 6)}",
        f"∇L(w) + {'λ' if half else '2λ'}·w = {show_vec([gi + coef * wi for wi, gi in zip(w, g)], 6)}",
        f"w − {lr:g}·(…) = {show_vec(answer, 6)}",
    ]
    zh_lines = [
        f"{penalty.zh} 的梯度是 {c_sym}·w，所以 w ← w − η·(∇L(w) + {c_sym}·w)，其中 {c_sym} = {coef:g}。",
        *lines[1:],
        f"对普通 SGD 来说，这等于先把权重乘以 (1 − η·{c_sym}) = {1 - lr * coef:g}，再减去 η·∇L；"
        "对 Adam 两者不同，所以 AdamW 把衰减与梯度解耦。",
    ]
    lines.append(
        f"For plain SGD this equals shrinking w by the factor (1 − η·{c_sym}) = {1 - lr * coef:g} and "
        "then subtracting η·∇L; for Adam the two differ, which is why AdamW decouples the decay."
    )
    return bi_lines(lines, zh_lines)


class WeightDecayStep(RetryFamily):
    name = "weight_decay_step"

    def choose(self, rng: Any, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"half": bool(rng.random() < 0.5)}  # penalty (λ/2)·‖w‖² (PyTorch's weight_decay) or λ·‖w‖²

    def attempt(self, rng: Any, half: bool) -> Attempt:
        lr = pick(rng, (0.1, 0.2, 0.5))
        lam = pick(rng, (0.05, 0.1, 0.2, 0.5))
        w = [pick(rng, (-1, 1)) * int(v) / 10 for v in rng.integers(5, 31, size=3)]
        g = [int(v) / 10 for v in rng.integers(-20, 21, size=3)]
        coef = lam if half else 2 * lam  # gradient of the penalty is coef·w
        answer = _sgd_step(w, g, lr, coef)
        wrong = {
            "wd.no-decay": _sgd_step(w, g, lr, 0.0),
            "wd.penalty-factor": _sgd_step(w, g, lr, 2 * lam if half else lam),
            "wd.decay-sign": _sgd_step(w, g, lr, -coef),
        }
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            prompt = _wd_prompt(half, lr, lam, w, g)
            return Instance(
                family=self.name,
                seed=seed,
                params=dict(params),
                values={"half": half, "lr": lr, "lam": lam, "w": w, "g": g},
                spec=AnswerSpec(kind="vector", reference=answer, labels=("w1", "w2", "w3")),
                mistakes=mistakes_from(_WD_FEEDBACK, wrong),
                prompt_text=prompt,
                solution_text=_wd_solution(half, lr, coef, w, g, answer),
                answer_text=typed_vec(answer),
                answer_hint=HINT_VECTOR,
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        w, g, lam, lr = list(v["w"]), list(v["g"]), v["lam"], v["lr"]

        def objective(u: Sequence[float]) -> float:
            data = sum(gi * ui for gi, ui in zip(g, u))  # a loss whose gradient is g
            squared = sum(ui * ui for ui in u)
            return data + (lam / 2 * squared if v["half"] else lam * squared)

        grad = []
        for i in range(len(w)):
            plus, minus = list(w), list(w)
            plus[i] += FD_STEP
            minus[i] -= FD_STEP
            grad.append((objective(plus) - objective(minus)) / (2 * FD_STEP))
        return tuple(wi - lr * gi for wi, gi in zip(w, grad))

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        coef = v["lam"] if v["half"] else 2 * v["lam"]
        return [
            bracketed(f"({wi:g})*(1-{v['lr']:g}*{coef:g})-{v['lr']:g}*({gi:g})" for wi, gi in zip(v["w"], v["g"]))
        ]


FAMILIES: list[Family] = [DropoutScaling(), WeightDecayStep()]
