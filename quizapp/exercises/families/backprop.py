"""Backpropagation by hand in a 2-2-2 sigmoid MLP with L = ½Σ(o − t)²: a delta or a weight gradient.

simulate() differentiates the loss by the complex-step method (exact to machine precision): it
perturbs the asked weight, or adds a perturbation to the asked unit's net input for a delta
δ = ∂L/∂net, and runs the forward pass again. No backward formula is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import (
    HINT_REAL,
    DistinctDrawFamily,
    bi,
    par,
    pick,
    show,
    sub,
    typed,
)
from quizapp.i18n import Bilingual

QUESTIONS = ("delta_out", "delta_hidden", "grad_out", "grad_hidden")
COMPLEX_STEP = 1e-30


def sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-z))


def forward_loss(
    x: Any, w: Any, v: Any, t: Any, dnet_h: Any = 0.0, dnet_o: Any = 0.0
) -> Any:
    """L for input x, hidden weights w (2×2, w[j, i]), output weights v (2×2, v[k, j]), targets t."""
    net_h = w @ x + dnet_h
    h = sigmoid(net_h)
    net_o = v @ h + dnet_o
    o = sigmoid(net_o)
    return 0.5 * np.sum((o - t) ** 2)


def _weights(rng: Any) -> np.ndarray:
    w = np.round(rng.uniform(-1.0, 1.0, size=(2, 2)), 2)
    w[w == 0] = 0.1
    return w


class BackpropMLP(DistinctDrawFamily):
    name = "backprop_mlp"
    topic = "backpropagation"
    title = bi("Backpropagation in a tiny sigmoid MLP", "小型 sigmoid MLP 的反向传播")
    param_defaults: ClassVar[dict[str, Any]] = {}
    mistake_notes: ClassVar[dict[str, Bilingual]] = {
        "backprop.no-sigma-prime": bi(
            "forgetting the σ′ = σ(1 − σ) factor of the unit", "漏了该单元的 σ′ = σ(1 − σ) 因子"
        ),
        "backprop.sign": bi("using t − o instead of o − t (sign)", "用了 t − o 而不是 o − t（符号反了）"),
        "backprop.pre-activation": bi(
            "using the pre-activation net where the activation σ(net) belongs",
            "在应当用激活值 σ(net) 的地方用了激活前的 net",
        ),
        "backprop.sigma-twice": bi(
            "writing σ′ as σ(a)(1 − σ(a)) with the activation a, applying the sigmoid twice",
            "把 σ′ 写成 σ(a)(1 − σ(a))（a 为激活值），相当于 sigmoid 套了两次",
        ),
        "backprop.factor-two": bi(
            "forgetting the ½ in the loss (a factor 2 too large)", "忘了损失里的 ½（结果大了 2 倍）"
        ),
        "backprop.no-sum": bi(
            "keeping only one output's term instead of summing over all outputs",
            "只取了一个输出的项，没有对所有输出求和",
        ),
    }

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        x = np.round(rng.uniform(0.05, 1.0, size=2), 2)
        w, v = _weights(rng), _weights(rng)
        t = np.round(rng.uniform(0.05, 0.95, size=2), 1)
        question = pick(rng, QUESTIONS)
        j, k, i = int(rng.integers(2)), int(rng.integers(2)), int(rng.integers(2))

        net_h = w @ x
        h = sigmoid(net_h)
        net_o = v @ h
        o = sigmoid(net_o)
        err = o - t
        delta_o = err * o * (1 - o)
        back = v.T @ delta_o  # Σₖ δₖ vₖⱼ
        delta_h = back * h * (1 - h)

        # Each mistake is the same chain of factors with one link broken.
        no_prime_o = err
        pre_o = err * net_o * (1 - net_o)
        no_prime_h = back
        pre_h = back * net_h * (1 - net_h)
        # σ applied twice: σ(a)(1 − σ(a)) with the activation a instead of a(1 − a).
        twice_o = err * sigmoid(o) * (1 - sigmoid(o))
        twice_h = back * sigmoid(h) * (1 - sigmoid(h))
        one_output = [delta_o[kk] * v[kk, j] * h[j] * (1 - h[j]) for kk in range(2)]
        if question == "delta_out":
            answer = delta_o[k]
            wrong = {"no-sigma-prime": no_prime_o[k], "pre-activation": pre_o[k], "sigma-twice": twice_o[k]}
            target = f"δᵒ{sub(k + 1)}"
        elif question == "delta_hidden":
            answer = delta_h[j]
            wrong = {"no-sigma-prime": no_prime_h[j], "pre-activation": pre_h[j], "sigma-twice": twice_h[j]}
            target = f"δʰ{sub(j + 1)}"
        elif question == "grad_out":
            answer = delta_o[k] * h[j]
            wrong = {
                "no-sigma-prime": no_prime_o[k] * h[j],
                "pre-activation": delta_o[k] * net_h[j],
                "sigma-twice": twice_o[k] * h[j],
            }
            target = f"∂L/∂v{sub(k + 1)}{sub(j + 1)}"
        else:
            answer = delta_h[j] * x[i]
            wrong = {
                "no-sigma-prime": no_prime_h[j] * x[i],
                "pre-activation": pre_h[j] * x[i],
                "sigma-twice": twice_h[j] * x[i],
            }
            target = f"∂L/∂w{sub(j + 1)}{sub(i + 1)}"
        scale = x[i] if question == "grad_hidden" else 1.0
        answer = float(answer)

        fb = {
            "no-sigma-prime": bi(
                "You skipped the derivative of the sigmoid: every δ = ∂L/∂net carries the factor σ′(net) = a(1 − a) of its own unit.",
                "漏了 sigmoid 的导数：每个 δ = ∂L/∂net 都要乘以本单元的 σ′(net) = a(1 − a)。",
            ),
            "pre-activation": bi(
                "You used the pre-activation net where the activation a = σ(net) belongs: σ′(net) = a(1 − a) is written with the activation, and ∂net/∂v = h (the activation of the layer below).",
                "在应当用激活值 a = σ(net) 的地方用了 net：σ′(net) = a(1 − a) 用的是激活值，∂net/∂v = h 也是下一层的激活值。",
            ),
        }
        mistakes = [
            Mistake("backprop.no-sigma-prime", float(wrong["no-sigma-prime"]), fb["no-sigma-prime"]),
            Mistake("backprop.sign", -answer, bi(
                "Sign: ∂L/∂o = o − t for L = ½(o − t)². With t − o you get the negative gradient (the update direction), not the gradient.",
                "符号：对 L = ½(o − t)²，∂L/∂o = o − t。用 t − o 得到的是负梯度（更新方向），不是梯度。",
            )),
            Mistake("backprop.pre-activation", float(wrong["pre-activation"]), fb["pre-activation"]),
            Mistake("backprop.sigma-twice", float(wrong["sigma-twice"]), bi(
                "σ′(net) = σ(net)(1 − σ(net)) = a(1 − a) with the activation a you already have; σ(a)(1 − σ(a)) applies the sigmoid a second time.",
                "σ′(net) = σ(net)(1 − σ(net)) = a(1 − a)，a 就是已经算出的激活值；σ(a)(1 − σ(a)) 等于把 sigmoid 又套了一次。",
            )),
            Mistake("backprop.factor-two", 2 * answer, bi(
                "A factor 2 too large: with L = ½Σ(o − t)² the ½ cancels the 2 from the square, so ∂L/∂o = o − t.",
                "大了 2 倍：L = ½Σ(o − t)² 里的 ½ 正好抵消平方求导的 2，所以 ∂L/∂o = o − t。",
            )),
        ]
        if question in ("delta_hidden", "grad_hidden"):
            for term in one_output:
                mistakes.append(Mistake("backprop.no-sum", float(term * scale), bi(
                    "A hidden unit feeds both outputs, so its error is the sum Σₖ δᵒₖ·vₖⱼ over both outputs, not one term.",
                    "隐藏单元连接着两个输出，它的误差是对两个输出求和 Σₖ δᵒₖ·vₖⱼ，而不是只取其中一项。",
                )))

        spec = AnswerSpec(kind="real", reference=answer)
        values = {
            "question": question, "j": j, "k": k, "i": i,
            "x": x.tolist(), "w": w.tolist(), "v": v.tolist(), "t": t.tolist(),
        }
        prompt = bi(*self._prompt(x, w, v, t, target))
        solution = bi(*self._solution(question, j, k, i, x, net_h, h, net_o, o, t, v, delta_o, delta_h, answer, target))
        return Instance(
            family=self.name, seed=seed, params=dict(params), values=values, spec=spec,
            mistakes=tuple(mistakes), prompt_text=prompt, solution_text=solution,
            answer_text=typed(answer), answer_hint=HINT_REAL,
        )

    @staticmethod
    def _prompt(x: Any, w: Any, v: Any, t: Any, target: str) -> tuple[str, str]:
        def mat(name: str, m: Any) -> str:
            return "   ".join(f"{name}{sub(r + 1)}{sub(c + 1)} = {show(m[r, c], 3)}" for r in range(2) for c in range(2))

        net = (
            f"x = ({show(x[0], 3)}, {show(x[1], 3)}),  t = ({show(t[0], 3)}, {show(t[1], 3)})\n"
            f"  {mat('w', w)}\n  {mat('v', v)}\n"
        )
        en = (
            "A 2-2-2 network, sigmoid activations everywhere, no biases:\n"
            "  hidden  netʰⱼ = Σᵢ wⱼᵢ·xᵢ,  hⱼ = σ(netʰⱼ)\n"
            "  output  netᵒₖ = Σⱼ vₖⱼ·hⱼ,  oₖ = σ(netᵒₖ)\n"
            "  loss    L = ½·Σₖ (oₖ − tₖ)²,  deltas δ = ∂L/∂net (δᵒ for outputs, δʰ for hidden units)\n"
            + net
            + f"Compute {target} for this input. Give at least 4 significant figures."
        )
        zh = (
            "一个 2-2-2 网络，所有单元都用 sigmoid 激活，没有偏置：\n"
            "  隐藏层  netʰⱼ = Σᵢ wⱼᵢ·xᵢ，hⱼ = σ(netʰⱼ)\n"
            "  输出层  netᵒₖ = Σⱼ vₖⱼ·hⱼ，oₖ = σ(netᵒₖ)\n"
            "  损失    L = ½·Σₖ (oₖ − tₖ)²，误差项 δ = ∂L/∂net（输出层记 δᵒ，隐藏层记 δʰ）\n"
            + net
            + f"对这个输入计算 {target}。至少给出 4 位有效数字。"
        )
        return en, zh

    @staticmethod
    def _solution(
        question: str, j: int, k: int, i: int, x: Any, net_h: Any, h: Any, net_o: Any, o: Any,
        t: Any, v: Any, delta_o: Any, delta_h: Any, answer: float, target: str,
    ) -> tuple[str, str]:
        steps_en = [
            "1. Forward pass: "
            + ", ".join(f"netʰ{sub(n + 1)} = {show(net_h[n])}, h{sub(n + 1)} = {show(h[n])}" for n in range(2)),
            "   " + ", ".join(f"netᵒ{sub(n + 1)} = {show(net_o[n])}, o{sub(n + 1)} = {show(o[n])}" for n in range(2)),
            "2. Output deltas δᵒₖ = (oₖ − tₖ)·oₖ(1 − oₖ): "
            + ", ".join(f"δᵒ{sub(n + 1)} = ({show(o[n])} − {show(t[n])})·{show(o[n])}·(1 − {show(o[n])}) = {show(delta_o[n])}" for n in range(2)),
        ]
        if question in ("delta_hidden", "grad_hidden"):
            steps_en.append(
                f"3. Hidden delta δʰ{sub(j + 1)} = (Σₖ δᵒₖ·vₖ{sub(j + 1)})·h{sub(j + 1)}(1 − h{sub(j + 1)}) = "
                f"({show(delta_o[0])}·{par(v[0, j], 3)} + {par(delta_o[1])}·{par(v[1, j], 3)})·{show(h[j])}·(1 − {show(h[j])}) = {show(delta_h[j])}"
            )
        if question == "grad_out":
            steps_en.append(f"3. ∂L/∂v{sub(k + 1)}{sub(j + 1)} = δᵒ{sub(k + 1)}·h{sub(j + 1)} = {show(delta_o[k])}·{show(h[j])} = {show(answer)}")
        if question == "grad_hidden":
            steps_en.append(f"4. ∂L/∂w{sub(j + 1)}{sub(i + 1)} = δʰ{sub(j + 1)}·x{sub(i + 1)} = {show(delta_h[j])}·{show(x[i], 3)} = {show(answer)}")
        steps_en.append(f"Answer: {target} ≈ {show(answer, 5)}")
        en = "\n".join(steps_en)
        zh = (
            en.replace("1. Forward pass: ", "1. 前向计算：")
            .replace("2. Output deltas", "2. 输出层误差项")
            .replace("3. Hidden delta", "3. 隐藏层误差项")
            .replace("Answer: ", "答案：")
        )
        return en, zh

    def simulate(self, instance: Instance) -> Value:
        vals = instance.values
        x, w, v, t = (np.array(vals[n], dtype=np.complex128) for n in ("x", "w", "v", "t"))
        j, k, i, q = vals["j"], vals["k"], vals["i"], vals["question"]
        step = 1j * COMPLEX_STEP
        if q == "delta_out":
            bump = np.zeros(2, dtype=np.complex128)
            bump[k] = step
            loss = forward_loss(x, w, v, t, dnet_o=bump)
        elif q == "delta_hidden":
            bump = np.zeros(2, dtype=np.complex128)
            bump[j] = step
            loss = forward_loss(x, w, v, t, dnet_h=bump)
        elif q == "grad_out":
            v[k, j] += step
            loss = forward_loss(x, w, v, t)
        else:
            w[j, i] += step
            loss = forward_loss(x, w, v, t)
        return float(np.imag(loss) / COMPLEX_STEP)

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        return [f"{ref:.6e}", f"{ref * 1000:.6g}/1000"]


FAMILIES: list[Family] = [BackpropMLP()]
