"""Backpropagation by hand in a 2-2-2 sigmoid MLP with L = ½Σ(o − t)²: a delta or a weight gradient.

simulate() differentiates the loss by the complex-step method (exact to machine precision): it
perturbs the asked weight, or adds a perturbation to the asked unit's net input for a delta
δ = ∂L/∂net, and runs the forward pass again. No backward formula is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance, Part, PartMistake
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.families._mathtext import (
    HINT_REAL,
    DistinctDrawFamily,
    bi,
    par,
    pick,
    scalar_instance,
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


FEEDBACK: dict[str, Bilingual] = {
    "backprop.no-sigma-prime": bi(
        "You skipped the derivative of the sigmoid: every δ = ∂L/∂net carries the factor σ′(net) = a(1 − a) of its own unit.",
        "漏了 sigmoid 的导数：每个 δ = ∂L/∂net 都要乘上本单元的 σ′(net) = a(1 − a)。",
    ),
    "backprop.pre-activation": bi(
        "You used the pre-activation net where the activation a = σ(net) belongs: σ′(net) = a(1 − a) is written with the activation, and ∂net/∂v = h (the activation of the layer below).",
        "在应当用激活值 a = σ(net) 的地方用了 net：σ′(net) = a(1 − a) 用的是激活值，∂net/∂v = h 也是下一层的激活值。",
    ),
    "backprop.sign": bi(
        "Sign: ∂L/∂o = o − t for L = ½(o − t)². With t − o you get the negative gradient (the update direction), not the gradient.",
        "符号：对 L = ½(o − t)²，∂L/∂o = o − t。用 t − o 得到的是负梯度（更新方向），不是梯度。",
    ),
    "backprop.sigma-twice": bi(
        "σ′(net) = σ(net)(1 − σ(net)) = a(1 − a) with the activation a you already have; σ(a)(1 − σ(a)) applies the sigmoid a second time.",
        "σ′(net) = σ(net)(1 − σ(net)) = a(1 − a)，a 就是已经算出的激活值；σ(a)(1 − σ(a)) 等于把 sigmoid 又套了一次。",
    ),
    "backprop.factor-two": bi(
        "A factor 2 too large: with L = ½Σ(o − t)² the ½ cancels the 2 from the square, so ∂L/∂o = o − t.",
        "大了 2 倍：L = ½Σ(o − t)² 里的 ½ 正好抵消平方求导的 2，所以 ∂L/∂o = o − t。",
    ),
    "backprop.no-sum": bi(
        "A hidden unit feeds both outputs, so its error is the sum Σₖ δᵒₖ·vₖⱼ over both outputs, not one term.",
        "隐藏单元连接着两个输出，它的误差是对两个输出求和 Σₖ δᵒₖ·vₖⱼ，而不是只取其中一项。",
    ),
    "backprop.no-hidden-sigmoid": bi(
        "The hidden units are sigmoids too: the output's net input is Σⱼ vₖⱼ·hⱼ with hⱼ = σ(netʰⱼ), not Σⱼ vₖⱼ·netʰⱼ.",
        "隐藏单元也要过 sigmoid：输出层的净输入是 Σⱼ vₖⱼ·hⱼ，其中 hⱼ = σ(netʰⱼ)，而不是 Σⱼ vₖⱼ·netʰⱼ。",
    ),
    "backprop.wrong-input": bi(
        "∂netʰⱼ/∂wⱼᵢ is the input xᵢ that the weight wⱼᵢ multiplies; you used the other input.",
        "∂netʰⱼ/∂wⱼᵢ 是权重 wⱼᵢ 所乘的那个输入 xᵢ；你用了另一个输入。",
    ),
}


def network_chain(x: Any, w: Any, v: Any, t: Any, j: int, k: int, i: int) -> Chain:
    """The forward and backward pass as the worked solution shows it, step by step (1-based names)."""
    J, K, I = j + 1, k + 1, i + 1  # noqa: E741 - the indices as the learner reads them
    inputs = [(f"x{n + 1}", exact(float(x[n]))) for n in range(2)]
    inputs += [(f"{name}{r + 1}{c + 1}", exact(float(m[r, c]))) for name, m in (("w", w), ("v", v)) for r in range(2) for c in range(2)]
    inputs += [(f"t{n + 1}", exact(float(t[n]))) for n in range(2)]
    steps: list[Step] = []
    for n in (1, 2):
        steps.append(Step(f"neth{n}", f"w{n}1*x1 + w{n}2*x2", f"netʰ{sub(n)}"))
    steps += [Step(f"h{n}", f"sigma(neth{n})", f"h{sub(n)}") for n in (1, 2)]
    steps += [Step(f"neto{n}", f"v{n}1*h1 + v{n}2*h2", f"netᵒ{sub(n)}") for n in (1, 2)]
    steps += [Step(f"o{n}", f"sigma(neto{n})", f"o{sub(n)}") for n in (1, 2)]
    steps += [Step(f"do{n}", f"(o{n} - t{n})*o{n}*(1 - o{n})", f"δᵒ{sub(n)}") for n in (1, 2)]
    steps.append(Step("dh", f"(do1*v1{J} + do2*v2{J})*h{J}*(1 - h{J})", f"δʰ{sub(J)}"))
    steps.append(Step("gv", f"do{K}*h{J}", f"∂L/∂v{sub(K)}{sub(J)}"))
    steps.append(Step("gw", f"dh*x{I}", f"∂L/∂w{sub(J)}{sub(I)}"))
    return Chain(tuple(inputs), tuple(steps))


TARGET_STEP = {"delta_out": "do{K}", "delta_hidden": "dh", "grad_out": "gv", "grad_hidden": "gw"}


def _parts(chain: Chain, j: int, k: int, i: int) -> tuple[Part, ...]:
    """output → output delta → hidden delta → weight gradient, each from the learner's own values."""
    J, K, I, other = j + 1, k + 1, i + 1, 2 - k  # noqa: E741
    back = f"(do1*v1{J} + do2*v2{J})"
    values = chain.values()
    given = show(float(values[f"do{other}"]))

    def mk(note: str, expr: str) -> PartMistake:
        return PartMistake(f"backprop.{note}", expr, FEEDBACK[f"backprop.{note}"])

    specs = [
        ("out", f"o{K}", bi(f"(a) Forward pass: compute the output o{sub(K)}.", f"(a) 前向计算：求输出 o{sub(K)}。"),
         (mk("pre-activation", f"neto{K}"), mk("no-hidden-sigmoid", f"sigma(v{K}1*neth1 + v{K}2*neth2)"))),
        ("delta_out", f"do{K}", bi(f"(b) The output delta δᵒ{sub(K)} = ∂L/∂netᵒ{sub(K)}.", f"(b) 输出层误差项 δᵒ{sub(K)} = ∂L/∂netᵒ{sub(K)}。"),
         (mk("no-sigma-prime", f"o{K} - t{K}"), mk("sign", f"(t{K} - o{K})*o{K}*(1 - o{K})"),
          mk("pre-activation", f"(o{K} - t{K})*neto{K}*(1 - neto{K})"),
          mk("sigma-twice", f"(o{K} - t{K})*sigma(o{K})*(1 - sigma(o{K}))"),
          mk("factor-two", f"2*(o{K} - t{K})*o{K}*(1 - o{K})"))),
        ("delta_hidden", "dh",
         bi(f"(c) The hidden delta δʰ{sub(J)} (the other output's delta is δᵒ{sub(other)} = {given}).",
            f"(c) 隐藏层误差项 δʰ{sub(J)}（另一个输出的误差项 δᵒ{sub(other)} = {given}）。"),
         (mk("no-sigma-prime", back), mk("pre-activation", f"{back}*neth{J}*(1 - neth{J})"),
          mk("sigma-twice", f"{back}*sigma(h{J})*(1 - sigma(h{J}))"), mk("sign", "-dh"),
          mk("no-sum", f"do{K}*v{K}{J}*h{J}*(1 - h{J})"))),
        ("grad", "gw", bi(f"(d) The weight gradient ∂L/∂w{sub(J)}{sub(I)}.", f"(d) 权重梯度 ∂L/∂w{sub(J)}{sub(I)}。"),
         (mk("sign", f"-dh*x{I}"), mk("wrong-input", f"dh*x{3 - I}"))),
    ]
    return tuple(
        Part(pid, chain.step(step).shown, prompt, AnswerSpec(kind="real", reference=float(values[step])),
             typed(float(values[step])), HINT_REAL, (step,), mistakes)
        for pid, step, prompt, mistakes in specs
    )


@dataclass(frozen=True)
class _Pass:
    """The forward pass and the deltas of one input, as numpy arrays."""

    net_h: Any
    h: Any
    net_o: Any
    o: Any
    err: Any
    delta_o: Any
    back: Any  # Σₖ δₖ vₖⱼ
    delta_h: Any

    @classmethod
    def of(cls, x: Any, w: Any, v: Any, t: Any) -> _Pass:
        net_h = w @ x
        h = sigmoid(net_h)
        net_o = v @ h
        o = sigmoid(net_o)
        err = o - t
        delta_o = err * o * (1 - o)
        back = v.T @ delta_o
        return cls(net_h, h, net_o, o, err, delta_o, back, back * h * (1 - h))


def _asked(question: str, p: _Pass, x: Any, j: int, k: int, i: int) -> tuple[float, dict[str, Any], str]:
    """The answer, the value of each chain-rule mistake, and how the asked quantity is written."""
    # Each mistake is the same chain of factors with one link broken.
    no_prime_o = p.err
    pre_o = p.err * p.net_o * (1 - p.net_o)
    no_prime_h = p.back
    pre_h = p.back * p.net_h * (1 - p.net_h)
    # σ applied twice: σ(a)(1 − σ(a)) with the activation a instead of a(1 − a).
    twice_o = p.err * sigmoid(p.o) * (1 - sigmoid(p.o))
    twice_h = p.back * sigmoid(p.h) * (1 - sigmoid(p.h))
    # (δ, then δ with each link broken) for the output unit k and the hidden unit j
    at_out = (p.delta_o[k], no_prime_o[k], pre_o[k], twice_o[k])
    at_hidden = (p.delta_h[j], no_prime_h[j], pre_h[j], twice_h[j])
    delta, no_prime, pre, twice = at_out if question in ("delta_out", "grad_out") else at_hidden
    # A weight's gradient is its delta times the input the weight multiplies.
    factor = {"delta_out": 1.0, "delta_hidden": 1.0, "grad_out": p.h[j], "grad_hidden": x[i]}[question]
    target = {
        "delta_out": f"δᵒ{sub(k + 1)}", "delta_hidden": f"δʰ{sub(j + 1)}",
        "grad_out": f"∂L/∂v{sub(k + 1)}{sub(j + 1)}", "grad_hidden": f"∂L/∂w{sub(j + 1)}{sub(i + 1)}",
    }[question]
    answer = delta * factor
    wrong = {"no-sigma-prime": no_prime * factor, "pre-activation": pre * factor, "sigma-twice": twice * factor}
    if question == "grad_out":  # at v, the pre-activation slip multiplies by netʰⱼ instead of hⱼ
        wrong["pre-activation"] = p.delta_o[k] * p.net_h[j]
    return float(answer), wrong, target


def _mistakes(
    question: str, p: _Pass, v: Any, x_i: float, j: int, answer: float, wrong: Mapping[str, Any]
) -> tuple[Mistake, ...]:
    mistakes = [
        Mistake("backprop.no-sigma-prime", float(wrong["no-sigma-prime"]), FEEDBACK["backprop.no-sigma-prime"]),
        Mistake("backprop.sign", -answer, FEEDBACK["backprop.sign"]),
        Mistake("backprop.pre-activation", float(wrong["pre-activation"]), FEEDBACK["backprop.pre-activation"]),
        Mistake("backprop.sigma-twice", float(wrong["sigma-twice"]), FEEDBACK["backprop.sigma-twice"]),
        Mistake("backprop.factor-two", 2 * answer, FEEDBACK["backprop.factor-two"]),
    ]
    if question in ("delta_hidden", "grad_hidden"):
        scale = x_i if question == "grad_hidden" else 1.0
        one_output = [p.delta_o[kk] * v[kk, j] * p.h[j] * (1 - p.h[j]) for kk in range(2)]
        mistakes += [Mistake("backprop.no-sum", float(term * scale), FEEDBACK["backprop.no-sum"]) for term in one_output]
    return tuple(mistakes)


class BackpropMLP(DistinctDrawFamily):
    name = "backprop_mlp"
    param_defaults: ClassVar[dict[str, Any]] = {"parts": False}

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        x = np.round(rng.uniform(0.05, 1.0, size=2), 2)
        w, v = _weights(rng), _weights(rng)
        t = np.round(rng.uniform(0.05, 0.95, size=2), 1)
        question = pick(rng, QUESTIONS)
        j, k, i = int(rng.integers(2)), int(rng.integers(2)), int(rng.integers(2))
        if params.get("parts"):
            question = "grad_hidden"
        p = _Pass.of(x, w, v, t)
        answer, wrong, target = _asked(question, p, x, j, k, i)
        chain = network_chain(x, w, v, t, j, k, i)
        parts = _parts(chain, j, k, i) if params.get("parts") else ()
        values = {
            "question": "parts" if parts else question, "j": j, "k": k, "i": i,
            "x": x.tolist(), "w": w.tolist(), "v": v.tolist(), "t": t.tolist(),
        }
        prompt = bi(*self._prompt(x, w, v, t, target, bool(parts)))
        solution = bi(*self._solution(
            question, j, k, i, x, p.net_h, p.h, p.net_o, p.o, t, v, p.delta_o, p.delta_h, answer, target
        ))
        return scalar_instance(
            self, seed, params, answer, values=values,
            mistakes=_mistakes(question, p, v, x[i], j, answer, wrong), prompt_text=prompt,
            solution_text=solution, chain=chain, answer_steps=(TARGET_STEP[question].format(K=k + 1),),
            parts=parts,
        )

    @staticmethod
    def _prompt(x: Any, w: Any, v: Any, t: Any, target: str, parts: bool) -> tuple[str, str]:
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
            + (f"Compute {target} for this input, step by step: (a) the output, (b) the output delta, (c) the hidden delta, (d) the weight gradient. "
               "Each step is marked from your own earlier answers. Give at least 4 significant figures."
               if parts else f"Compute {target} for this input. Give at least 4 significant figures.")
        )
        zh = (
            "一个 2-2-2 网络，所有单元都用 sigmoid 激活，没有偏置：\n"
            "  隐藏层  netʰⱼ = Σᵢ wⱼᵢ·xᵢ，hⱼ = σ(netʰⱼ)\n"
            "  输出层  netᵒₖ = Σⱼ vₖⱼ·hⱼ，oₖ = σ(netᵒₖ)\n"
            "  损失    L = ½·Σₖ (oₖ − tₖ)²，误差项 δ = ∂L/∂net（输出层记 δᵒ，隐藏层记 δʰ）\n"
            + net
            + (f"分步计算这个输入下的 {target}：(a) 输出，(b) 输出层误差项，(c) 隐藏层误差项，(d) 权重梯度。"
               "每一步都按你前面自己的答案判分。至少给出 4 位有效数字。"
               if parts else f"对这个输入计算 {target}。至少给出 4 位有效数字。")
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
        steps_en.append(f"Answer: {target} ≈ {show(answer)}")
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
