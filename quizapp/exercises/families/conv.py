"""Convolution arithmetic: output size, and the parameters / MACs / FLOPs of a conv layer.

simulate() slides the (dilated) kernel over a padded input along each axis in a loop and counts
the positions where it fits; the cost comes from the shapes of the weight and bias tensors
actually built and the number of window positions visited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance, Part, PartMistake
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.families._mathtext import (
    HINT_INTEGER,
    DistinctDrawFamily,
    bi,
    grouped,
    param_or_draw,
    pick,
    scalar_instance,
)
from quizapp.i18n import Bilingual


def out_size(h: int, k: int, s: int, p: int, d: int = 1) -> int:
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def sliding_positions(h: int, k: int, s: int, p: int, d: int = 1) -> int:
    """Count the window positions on a padded 1-D input by sliding, not by formula."""
    padded = np.pad(np.ones(h), p)
    taps = d * np.arange(k)  # offsets of the dilated kernel's taps
    count, start = 0, 0
    while start + taps[-1] < padded.size:
        padded[start + taps]  # the window exists: every tap is inside the padded input
        count += 1
        start += s
    return count


class ConvOutputSize(DistinctDrawFamily):
    name = "conv_output_size"

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        while True:
            h = int(rng.integers(7, 65))
            k, s, p, d = pick(rng, (1, 3, 5, 7)), pick(rng, (1, 2, 3)), pick(rng, (0, 1, 2, 3)), pick(rng, (1, 2))
            span = d * (k - 1) + 1
            if h + 2 * p >= span and k > 1:
                break
        top = h + 2 * p - d * (k - 1) - 1
        answer = top // s + 1
        mistakes = [
            Mistake("conv.no-plus-one", top // s, bi(
                "Count the first window too: ⌊(…)/S⌋ counts the strides after the first position, so add 1.",
                "第一个窗口位置也要算：⌊(…)/S⌋ 数的是第一个位置之后的步数，所以要加 1。",
            )),
        ]
        if s > 1:
            mistakes.append(Mistake("conv.ceil", -(-top // s) + 1, bi(
                "Round down: a window that would run past the padded input is not computed, so it is ⌊(…)/S⌋ + 1.",
                "要向下取整：超出填充后输入的窗口不会被计算，所以是 ⌊(…)/S⌋ + 1。",
            )))
        if d > 1:
            mistakes.append(Mistake("conv.no-dilation", (h + 2 * p - k) // s + 1, bi(
                f"With dilation D = {d} the kernel spans D·(K − 1) + 1 = {span} inputs, not K = {k}.",
                f"膨胀率 D = {d} 时，卷积核覆盖 D·(K − 1) + 1 = {span} 个输入，而不是 K = {k} 个。",
            )))
        if p > 0 and h + p >= span:
            mistakes.append(Mistake("conv.single-padding", (h + p - d * (k - 1) - 1) // s + 1, bi(
                "Padding P is added on both sides, so the padded length is H + 2P.",
                "填充 P 两侧都要加，所以填充后的长度是 H + 2P。",
            )))
        prompt = bi(
            f"A 2-D convolution on a {h}×{h} input: kernel K = {k}, stride S = {s}, padding P = {p} (zeros on each side), dilation D = {d}.\n"
            "What is the output height H_out? Give an integer.",
            f"对 {h}×{h} 的输入做二维卷积：卷积核 K = {k}，步长 S = {s}，填充 P = {p}（每侧补零），膨胀率 D = {d}。\n"
            "输出高度 H_out 是多少？给出一个整数。",
        )
        solution = bi(
            f"H_out = ⌊(H + 2P − D·(K − 1) − 1)/S⌋ + 1\n"
            f"      = ⌊({h} + {2 * p} − {d}·{k - 1} − 1)/{s}⌋ + 1 = ⌊{top}/{s}⌋ + 1 = {top // s} + 1 = {answer}\n"
            f"(The dilated kernel spans {span} inputs; the padded input has {h + 2 * p}.)",
            f"H_out = ⌊(H + 2P − D·(K − 1) − 1)/S⌋ + 1\n"
            f"      = ⌊({h} + {2 * p} − {d}·{k - 1} − 1)/{s}⌋ + 1 = ⌊{top}/{s}⌋ + 1 = {top // s} + 1 = {answer}\n"
            f"（空洞卷积核覆盖 {span} 个输入；填充后的输入长度为 {h + 2 * p}。）",
        )
        return scalar_instance(
            self, seed, params, answer, values={"H": h, "K": k, "S": s, "P": p, "D": d},
            mistakes=tuple(mistakes), prompt_text=prompt, solution_text=solution,
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        return sliding_positions(v["H"], v["K"], v["S"], v["P"], v["D"])

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        top = v["H"] + 2 * v["P"] - v["D"] * (v["K"] - 1) - 1
        return [f"{top - top % v['S']}/{v['S']} + 1", f"{instance.spec.integer - 1} + 1"]


CONV_QUANTITIES = ("params", "macs", "flops")


def conv_chain(values: Mapping[str, Any]) -> Chain:
    inputs = tuple((name, exact(values[name])) for name in ("H", "C_in", "C_out", "K", "S", "P"))
    return Chain(inputs, (
        Step("ho", "floor((H + 2*P - K)/S) + 1", "H_out"),
        Step("params", "K*K*C_in*C_out + C_out", "parameters"),
        Step("macs", "K*K*C_in*C_out*ho^2", "MACs"),
        Step("flops", "2*macs", "FLOPs"),
    ))


def conv_parts(chain: Chain, values: Mapping[str, Any]) -> tuple[Part, ...]:
    """output size → parameters → FLOPs; the FLOPs are marked from the learner's own output size."""
    env = chain.values()
    size: list[PartMistake] = [PartMistake("conv.no-plus-one", "floor((H + 2*P - K)/S)", OUTSIZE_FEEDBACK["conv.no-plus-one"])]
    if values["S"] > 1:
        size.append(PartMistake("conv.ceil", "ceil((H + 2*P - K)/S) + 1", OUTSIZE_FEEDBACK["conv.ceil"]))
    if values["P"] > 0:
        size.append(PartMistake("conv.single-padding", "floor((H + P - K)/S) + 1", OUTSIZE_FEEDBACK["conv.single-padding"]))
    cost = [
        PartMistake("conv.no-cin", "2*K*K*C_out*ho^2", COST_FEEDBACK["conv.no-cin"]),
        PartMistake("conv.flops-vs-macs", "K*K*C_in*C_out*ho^2", COST_FEEDBACK["conv.flops-vs-macs"]),
        PartMistake("conv.counted-bias", "2*K*K*C_in*C_out*ho^2 + C_out*ho^2", COST_FEEDBACK["conv.counted-bias"]),
    ]
    rows = [
        ("size", "ho", bi("(a) The output height H_out.", "(a) 输出高度 H_out。"), tuple(size)),
        ("params", "params", bi("(b) The parameters (weights + biases).", "(b) 参数量（权重 + 偏置）。"), (
            PartMistake("conv.no-bias", "K*K*C_in*C_out", COST_FEEDBACK["conv.no-bias"]),
            PartMistake("conv.no-cin", "(K*K + 1)*C_out", COST_FEEDBACK["conv.no-cin"]),
        )),
        ("flops", "flops", bi("(c) The FLOPs of one forward pass.", "(c) 一次前向传播的 FLOPs。"), tuple(cost)),
    ]
    return tuple(
        Part(pid, chain.step(step).shown, prompt, AnswerSpec(kind="integer", reference=int(env[step])),
             str(int(env[step])), HINT_INTEGER, (step,), mistakes)
        for pid, step, prompt, mistakes in rows
    )


OUTSIZE_FEEDBACK: dict[str, Bilingual] = {
    "conv.no-plus-one": bi(
        "Count the first window too: ⌊(…)/S⌋ counts the strides after the first position, so add 1.",
        "第一个窗口位置也要算：⌊(…)/S⌋ 数的是第一个位置之后的步数，所以要加 1。",
    ),
    "conv.ceil": bi(
        "Round down: a window that would run past the padded input is not computed, so it is ⌊(…)/S⌋ + 1.",
        "要向下取整：超出填充后输入的窗口不会被计算，所以是 ⌊(…)/S⌋ + 1。",
    ),
    "conv.single-padding": bi(
        "Padding P is added on both sides, so the padded length is H + 2P.",
        "填充 P 两侧都要加，所以填充后的长度是 H + 2P。",
    ),
}
COST_FEEDBACK: dict[str, Bilingual] = {
    "conv.no-bias": bi("Each filter has one bias: add C_out.", "每个卷积核各有一个偏置：要加上 C_out。"),
    "conv.no-cin": bi(
        "A filter is K×K×C_in: it looks at all input channels, so each output value sums K·K·C_in products.",
        "一个卷积核的大小是 K×K×C_in：它覆盖所有输入通道，每个输出值要对 K·K·C_in 个乘积求和。",
    ),
    "conv.flops-vs-macs": bi("A multiply-add is 1 MAC and 2 FLOPs: FLOPs = 2 × MACs.", "一次乘加是 1 个 MAC、2 个 FLOP：FLOPs = 2 × MACs。"),
    "conv.counted-bias": bi("The stated convention ignores the bias additions.", "题目的约定是忽略偏置的加法。"),
}


def cost_texts(values: Mapping[str, Any], ho: int, answer: int, parts: bool) -> tuple[Bilingual, Bilingual]:
    """The prompt and the worked solution of a conv_cost instance."""
    quantity, h, c_in, c_out = values["quantity"], values["H"], values["C_in"], values["C_out"]
    k, s, p = values["K"], values["S"], values["P"]
    weights = k * k * c_in * c_out
    macs = weights * ho * ho
    what_en = {
        "params": "How many parameters does the layer have (weights + biases)?",
        "macs": "How many multiply-accumulate operations (MACs) does one forward pass take? (Ignore the bias.)",
        "flops": "How many FLOPs does one forward pass take? Count a multiply-add as 2 FLOPs and ignore the bias.",
    }[quantity]
    what_zh = {
        "params": "这一层有多少个参数（权重 + 偏置）？",
        "macs": "一次前向传播需要多少次乘加运算（MACs）？（忽略偏置。）",
        "flops": "一次前向传播需要多少 FLOPs？一次乘加算 2 FLOPs，忽略偏置。",
    }[quantity]
    prompt = bi(
        f"A conv layer (with bias) maps a {h}×{h}×{c_in} input to {c_out} channels: kernel {k}×{k}, stride {s}, padding {p}.\n"
        f"{what_en} Give an integer for one image (batch size 1).",
        f"一个卷积层（有偏置）把 {h}×{h}×{c_in} 的输入映射为 {c_out} 个通道：卷积核 {k}×{k}，步长 {s}，填充 {p}。\n"
        f"{what_zh}按一张图（batch 为 1）给出一个整数。",
    )
    size_en = f"Output size: ⌊({h} + 2·{p} − {k})/{s}⌋ + 1 = {ho}, so the output is {ho}×{ho}×{c_out}."
    size_zh = f"输出尺寸：⌊({h} + 2·{p} − {k})/{s}⌋ + 1 = {ho}，输出为 {ho}×{ho}×{c_out}。"
    params_en = (f"Weights: K·K·C_in·C_out = {k}·{k}·{c_in}·{c_out} = {grouped(weights)}; biases: C_out = {c_out}.\n"
                 f"Parameters = {grouped(weights)} + {c_out} = {grouped(weights + c_out)} (they do not depend on the input size: weight sharing).")
    params_zh = (f"权重：K·K·C_in·C_out = {k}·{k}·{c_in}·{c_out} = {grouped(weights)}；偏置：C_out = {c_out}。\n"
                 f"参数量 = {grouped(weights)} + {c_out} = {grouped(weights + c_out)}（与输入尺寸无关：权重共享）。")
    cost_en = (f"Each output value needs K·K·C_in = {k * k * c_in} MACs; there are {ho}·{ho}·{c_out} = {grouped(ho * ho * c_out)} outputs.\n"
               f"MACs = {grouped(macs)}" + (f"; FLOPs = 2 × MACs = {grouped(answer)}" if quantity == "flops" else ""))
    cost_zh = (f"每个输出值需要 K·K·C_in = {k * k * c_in} 次乘加；共有 {ho}·{ho}·{c_out} = {grouped(ho * ho * c_out)} 个输出。\n"
               f"MACs = {grouped(macs)}" + (f"；FLOPs = 2 × MACs = {grouped(answer)}" if quantity == "flops" else ""))
    if parts:
        body_en, body_zh = f"{size_en}\n{params_en}\n{cost_en}", f"{size_zh}\n{params_zh}\n{cost_zh}"
        prompt = bi(
            prompt.en.split("\n")[0] + "\nStep by step, each step from your own earlier answers: (a) the output height, "
            "(b) the parameters (weights + biases), (c) the FLOPs of one forward pass (a multiply-add is 2 FLOPs; ignore the bias). Give integers for one image (batch size 1).",
            prompt.zh.split("\n")[0] + "\n分步作答，每一步都按你前面自己的答案判分：(a) 输出高度，(b) 参数量（权重 + 偏置），"
            "(c) 一次前向传播的 FLOPs（一次乘加算 2 FLOPs，忽略偏置）。按一张图（batch 为 1）给出整数。",
        )
    elif quantity == "params":
        body_en, body_zh = params_en, params_zh
    else:
        body_en, body_zh = f"{size_en}\n{cost_en}", f"{size_zh}\n{cost_zh}"
    return prompt, bi(body_en, body_zh)


class ConvCost(DistinctDrawFamily):
    name = "conv_cost"
    param_defaults: ClassVar[dict[str, Any]] = {"quantity": None, "parts": False}  # quantity None: drawn per seed

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        quantity = param_or_draw(rng, params, "quantity", CONV_QUANTITIES)
        if params.get("parts"):
            quantity = "flops"  # output size → parameters → FLOPs
        h = pick(rng, (8, 14, 16, 28, 32, 56))
        c_in, c_out = pick(rng, (3, 16, 32, 64)), pick(rng, (16, 32, 64, 128))
        k, s = pick(rng, (1, 3, 5)), pick(rng, (1, 2))
        p = k // 2 if rng.random() < 0.7 else 0
        ho = out_size(h, k, s, p)
        weights = k * k * c_in * c_out
        macs = weights * ho * ho
        if quantity == "params":
            answer = weights + c_out
            mistakes = [
                Mistake("conv.no-bias", weights, bi(
                    f"Each of the {c_out} filters has one bias: add C_out = {c_out}.",
                    f"{c_out} 个卷积核各有一个偏置：要加上 C_out = {c_out}。",
                )),
                Mistake("conv.no-cin", (k * k + 1) * c_out, bi(
                    f"A filter is K×K×C_in = {k}×{k}×{c_in}: it looks at all input channels.",
                    f"一个卷积核的大小是 K×K×C_in = {k}×{k}×{c_in}：它覆盖所有输入通道。",
                )),
            ]
        else:
            factor = 2 if quantity == "flops" else 1
            answer = factor * macs
            mistakes = [
                Mistake("conv.no-cin", factor * k * k * c_out * ho * ho, bi(
                    f"Each output value sums over K×K×C_in = {k * k * c_in} products, across all input channels.",
                    f"每个输出值要对 K×K×C_in = {k * k * c_in} 个乘积求和，覆盖所有输入通道。",
                )),
                Mistake("conv.flops-vs-macs", macs if quantity == "flops" else 2 * macs, bi(
                    "A multiply-add is 1 MAC and 2 FLOPs: FLOPs = 2 × MACs." if quantity == "flops"
                    else "MACs count multiply-adds; you gave FLOPs (2 per multiply-add).",
                    "一次乘加是 1 个 MAC、2 个 FLOP：FLOPs = 2 × MACs。" if quantity == "flops"
                    else "MACs 数的是乘加次数；你给的是 FLOPs（每次乘加算 2 个）。",
                )),
            ]
            if ho != h:
                mistakes.append(Mistake("conv.input-size", factor * weights * h * h, bi(
                    f"The kernel is applied once per OUTPUT position: the output is {ho}×{ho}, not {h}×{h}.",
                    f"卷积核在每个输出位置计算一次：输出是 {ho}×{ho}，而不是 {h}×{h}。",
                )))
            if quantity == "flops":
                mistakes.append(Mistake("conv.counted-bias", answer + c_out * ho * ho, bi(
                    "The stated convention ignores the bias additions.",
                    "题目的约定是忽略偏置的加法。",
                )))
        values = {"quantity": quantity, "H": h, "C_in": c_in, "C_out": c_out, "K": k, "S": s, "P": p}
        prompt, solution = cost_texts(values, ho, answer, bool(params.get("parts")))
        chain = conv_chain(values)
        return scalar_instance(
            self, seed, params, answer, values=values, mistakes=tuple(mistakes), prompt_text=prompt,
            solution_text=solution, chain=chain, answer_steps=(quantity,),
            parts=conv_parts(chain, values) if params.get("parts") else (),
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        zero = np.zeros((), dtype=np.float32)
        weight = np.broadcast_to(zero, (v["C_out"], v["C_in"], v["K"], v["K"]))
        bias = np.broadcast_to(zero, (v["C_out"],))
        if v["quantity"] == "params":
            return int(weight.size + bias.size)
        positions = sliding_positions(v["H"], v["K"], v["S"], v["P"]) ** 2
        # At one window position every filter multiplies the whole K×K×C_in window elementwise.
        window = (1, v["C_in"], v["K"], v["K"])
        macs = positions * int(np.prod(np.broadcast_shapes(weight.shape, window)))
        return int(2 * macs if v["quantity"] == "flops" else macs)

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        ho = out_size(v["H"], v["K"], v["S"], v["P"])
        base = f"{v['K']}*{v['K']}*{v['C_in']}*{v['C_out']}"
        return {
            "params": [f"{base} + {v['C_out']}", f"({v['K']}^2*{v['C_in']} + 1)*{v['C_out']}"],
            "macs": [f"{base}*{ho}*{ho}"],
            "flops": [f"2*{base}*{ho}^2"],
        }[v["quantity"]]


FAMILIES: list[Family] = [ConvOutputSize(), ConvCost()]
