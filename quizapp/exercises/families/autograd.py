"""Gradient accumulation in PyTorch: loss.backward() in a loop without optimizer.zero_grad().

The closed form sums the analytic gradients gᵢ = xᵢ·(w·xᵢ − yᵢ) along the trajectory. simulate()
re-runs the loop with numpy: each step's gradient by a central finite difference of the loss
(exact up to rounding for a quadratic), added into a `.grad` accumulator that the optimizer step
reads, as PyTorch does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, bi_lines, par, pick, scalar_instance, show
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

FD_STEP = 1e-3


def _grad(w: float, x: float, y: float) -> float:
    """d/dw of ½(w·x − y)²."""
    return x * (w * x - y)


def _run(w: float, xs: Sequence[float], ys: Sequence[float], lr: float | None, zero_grad: bool) -> tuple[float, float]:
    """(final .grad, final w) of the loop; lr None means no optimizer step."""
    acc = 0.0
    for x, y in zip(xs, ys):
        if zero_grad:
            acc = 0.0
        acc += _grad(w, x, y)
        if lr is not None:
            w -= lr * acc
    return acc, w


_COMMENTS = {
    "sgd": bi("plain SGD: no momentum, no weight decay", "普通 SGD：无动量，无权重衰减"),
    "step": bi("note: opt.zero_grad() is never called", "注意：从未调用 opt.zero_grad()"),
    "no-step": bi("no optimizer step and no w.grad.zero_() / zero_grad()", "没有优化器更新，也没有 w.grad.zero_() / zero_grad()"),
}


def _code(w0: float, xs: Sequence[float], ys: Sequence[float], lr: float | None, lang: str) -> str:
    lines = [f"w = torch.tensor({w0:.1f}, requires_grad=True)"]
    if lr is not None:
        lines.append(f"opt = torch.optim.SGD([w], lr={lr:g})   # {_COMMENTS['sgd'].get(lang)}")
    lines += [
        f"xs = [{', '.join(f'{x:g}' for x in xs)}]",
        f"ys = [{', '.join(f'{y:g}' for y in ys)}]",
        "for x, y in zip(xs, ys):",
        "    loss = 0.5 * (w * x - y) ** 2",
        "    loss.backward()",
    ]
    if lr is not None:
        lines.append(f"    opt.step()          # {_COMMENTS['step'].get(lang)}")
    else:
        lines.append(f"    # {_COMMENTS['no-step'].get(lang)}")
    lines.append("print(w.grad)")
    return "\n".join("    " + line for line in lines)


_FEEDBACK = {
    "autograd.last-step-only": bi(
        "That is the gradient of the last loss alone. Without zero_grad(), every backward() ADDS "
        "its gradient to w.grad, so w.grad holds the sum over all steps.",
        "这只是最后一个损失的梯度。不调用 zero_grad() 时，每次 backward() 都会把梯度加到 w.grad 上，"
        "所以 w.grad 是所有步梯度之和。",
    ),
    "autograd.mean-not-sum": bi(
        "You averaged. backward() accumulates by addition; nothing divides by the number of steps "
        "(that is why gradient-accumulation code scales each loss by 1/steps itself).",
        "你取了平均。backward() 是累加，不会除以步数（所以做梯度累积时，代码要自己把每个损失乘以 1/步数）。",
    ),
    "autograd.sign": bi(
        "Check the sign: d/dw ½(w·x − y)² = x·(w·x − y).",
        "检查符号：d/dw ½(w·x − y)² = x·(w·x − y)。",
    ),
}


class GradAccumulation(RetryFamily):
    name = "grad_accumulation"

    def attempt(self, rng: Any) -> Attempt:
        n = pick(rng, (2, 3, 3, 4))
        lr = pick(rng, (None, None, 0.1, 0.05))
        w0 = int(rng.integers(-4, 5)) / 2
        xs = [float(pick(rng, (-3, -2, -1, 1, 2, 3))) for _ in range(n)]
        ys = [float(rng.integers(-4, 5)) for _ in range(n)]
        answer, _ = _run(w0, xs, ys, lr, zero_grad=False)
        last, _ = _run(w0, xs, ys, lr, zero_grad=True)
        wrong = {
            "autograd.last-step-only": last,
            "autograd.mean-not-sum": answer / n,
            "autograd.sign": -answer,
        }
        kept = abs(answer) >= 0.5 and all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            prompt = bi(
                f"Consider this PyTorch snippet (w is a scalar parameter):\n{_code(w0, xs, ys, lr, 'en')}\n"
                "What value does it print for w.grad? Give a number with at least 4 significant figures.",
                f"看下面的 PyTorch 代码（w 是一个标量参数）：\n{_code(w0, xs, ys, lr, 'zh')}\n"
                "打印出的 w.grad 是多少？请给出至少 4 位有效数字。",
            )
            return scalar_instance(
                self, seed, params, answer, values={"w0": w0, "xs": xs, "ys": ys, "lr": lr},
                mistakes=mistakes_from(_FEEDBACK, wrong), prompt_text=prompt,
                solution_text=self._solution(w0, xs, ys, lr, answer),
            )

        return kept, build

    def _solution(self, w0: float, xs: Sequence[float], ys: Sequence[float], lr: float | None,
                  answer: float) -> Bilingual:
        en = ["Each backward() adds d/dw ½(w·x − y)² = x·(w·x − y) to w.grad; nothing resets it."]
        zh = ["每次 backward() 都把 d/dw ½(w·x − y)² = x·(w·x − y) 加到 w.grad 上，没有任何地方把它清零。"]
        if lr is not None:
            en.append(f"opt.step() then does w ← w − {lr:g}·w.grad with the ACCUMULATED w.grad.")
            zh.append(f"随后 opt.step() 用累加后的 w.grad 更新：w ← w − {lr:g}·w.grad。")
        w, acc = w0, 0.0
        for i, (x, y) in enumerate(zip(xs, ys), 1):
            g = _grad(w, x, y)
            acc += g
            body = (
                f"w = {show(w, 6)}, g = {par(x, 6)}·({par(w, 6)}·{par(x, 6)} − {par(y, 6)}) = {show(g, 6)}, "
                f"w.grad = {show(acc, 6)}"
            )
            step, zh_step = f"step {i}: {body}", f"第 {i} 步：{body}"
            if lr is not None:
                w -= lr * acc
                step += f", new w = {show(w, 6)}"
                zh_step += f"，更新后 w = {show(w, 6)}"
            en.append(step)
            zh.append(zh_step)
        en.append(f"w.grad = {show(answer, 6)}.")
        zh.append(f"w.grad = {show(answer, 6)}。")
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        w, lr = v["w0"], v["lr"]
        grad = 0.0  # the parameter's .grad buffer

        def loss(w: float, x: float, y: float) -> float:
            return 0.5 * (w * x - y) ** 2

        for x, y in zip(v["xs"], v["ys"]):
            grad += (loss(w + FD_STEP, x, y) - loss(w - FD_STEP, x, y)) / (2 * FD_STEP)
            if lr is not None:
                w = w - lr * grad
        return grad

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        alts = [f"{ref:.8e}"]
        if instance.values["lr"] is None:
            v = instance.values
            alts.append("+".join(f"({x:g})*(({v['w0']:g})*({x:g})-({y:g}))" for x, y in zip(v["xs"], v["ys"])))
        return alts


FAMILIES: list[Family] = [GradAccumulation()]
