"""Memory of fine-tuning with Adam: full fine-tuning vs LoRA, in fp32 or bf16 mixed precision.

Full fine-tuning keeps, per parameter, the weights, the gradients and Adam's two moments:
4 + 4 + 4 + 4 = 16 bytes in fp32; in bf16 mixed precision 2 (bf16 weights) + 2 (bf16 gradients)
+ 4 (fp32 master weights) + 4 + 4 (fp32 moments) = 16 bytes too: mixed precision speeds up the
maths but does not shrink the optimiser's memory. LoRA freezes the base weights (stored once,
no gradient, no Adam state) and trains small adapters A (r×d) and B (d×r) in fp32 with Adam.
Activations are left out (they depend on the batch).

simulate() builds the model's tensors layer by layer (the GPT-2 layout of transformer_params),
gives each its training tensors (weights, gradients, master copy, Adam moments) with a numpy
dtype of the right size, adds LoRA's A and B per adapted projection, and adds up the bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, grouped, pick, scalar_instance, show
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.exercises.families.transformer_params import Config, gpt2_tensors, model_params
from quizapp.i18n import Bilingual

WIDTHS = (768, 1024, 1536, 2048, 2560)
DEPTHS = (12, 24, 32)
RANKS = (8, 16, 32, 64, 128)
GB = 10**9
# bytes per parameter of full fine-tuning: (weights, gradients, fp32 master copy, Adam m, Adam v)
FULL_BYTES = {"fp32": (4, 4, 0, 4, 4), "mixed": (2, 2, 4, 4, 4)}
BASE_BYTES = {"fp32": 4, "mixed": 2}  # a frozen LoRA base is stored once, in the working precision
ADAPTER_BYTES = 16  # fp32 weights, gradients, m and v
NUMPY_SIZE = {2: np.float16, 4: np.float32}  # numpy has no bfloat16; float16 has its size


_FEEDBACK = {
    "mem.no-grads": bi("Backward writes a gradient for every trained weight; it stays in memory until the optimiser step.",
                       "反向传播为每个可训练的权重写一个梯度，它在优化器更新之前一直占着显存。"),
    "mem.no-adam": bi("Adam keeps two running moments per trained weight (m and v), in fp32.",
                      "Adam 为每个可训练的权重保存两个矩估计（m 和 v），用 fp32 存储。"),
    "mem.weights-only": bi("Training also needs the gradients and Adam's m and v for every trained weight.",
                           "训练还需要每个可训练权重的梯度以及 Adam 的 m 和 v。"),
    "mem.no-master": bi("Mixed precision keeps an fp32 master copy of the weights (4 bytes) for the update, besides the bf16 working copy.",
                        "混合精度除了 bf16 的工作副本外，还保存一份 fp32 的主权重（4 字节）用于更新。"),
    "mem.adam-on-frozen": bi("That is full fine-tuning. Frozen base weights get no gradient and no Adam state; only the adapters do.",
                             "这是全量微调。冻结的基座权重没有梯度也没有 Adam 状态；只有适配器有。"),
    "mem.grads-on-frozen": bi("Frozen weights (requires_grad = False) get no gradient tensor.",
                              "冻结的权重（requires_grad = False）没有梯度张量。"),
    "mem.adapters-only": bi("The frozen base weights still have to be in memory for the forward and backward passes.",
                            "前向和反向传播仍然需要冻结的基座权重留在显存里。"),
    "mem.no-adapters": bi("Add the adapters: 2 matrices of r×d per adapted projection, 16 bytes per adapter weight.",
                          "还要加上适配器：每个被适配的投影有 2 个 r×d 矩阵，每个适配器参数 16 字节。"),
    "mem.lora-one-matrix": bi("LoRA adds ΔW = B·A with A of r×d and B of d×r: count both.",
                              "LoRA 加上 ΔW = B·A，其中 A 为 r×d，B 为 d×r：两个都要算。"),
}


def adapter_params(layers: int, d: int, rank: int) -> int:
    """A (r×d) and B (d×r) on the query and value projections of every block."""
    return layers * 2 * (rank * d + d * rank)


def _answers(method: str, precision: str, c: Config, rank: int) -> tuple[int, dict[str, int]]:
    """Bytes: the answer and each authored mistake."""
    p = model_params(c)
    if method == "full":
        w, g, master, m, v = FULL_BYTES[precision]
        wrong = {"mem.no-grads": p * (w + master + m + v), "mem.no-adam": p * (w + g + master),
                 "mem.weights-only": p * w}
        if precision == "mixed":
            wrong["mem.no-master"] = p * (w + g + m + v)
        return p * (w + g + master + m + v), wrong
    adapters = adapter_params(c.layers, c.d, rank)
    base = BASE_BYTES[precision]
    answer = p * base + adapters * ADAPTER_BYTES
    return answer, {
        "mem.adam-on-frozen": p * 16 + adapters * ADAPTER_BYTES,
        "mem.grads-on-frozen": p * 2 * base + adapters * ADAPTER_BYTES,
        "mem.adapters-only": adapters * ADAPTER_BYTES,
        "mem.no-adapters": p * base,
        "mem.lora-one-matrix": p * base + adapters // 2 * ADAPTER_BYTES,
    }


class FinetuneMemory(RetryFamily):
    name = "finetune_memory"

    def attempt(self, rng: Any, method: str, precision: str) -> Attempt:
        c = Config(pick(rng, WIDTHS), pick(rng, DEPTHS), pick(rng, (32000, 50257)), pick(rng, (1024, 2048)))
        rank = pick(rng, RANKS)
        answer, wrong = _answers(method, precision, c, rank)
        kept = all_far([answer / GB, *(w / GB for w in wrong.values())])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            values = {"method": method, "precision": precision, "d": c.d, "layers": c.layers, "vocab": c.vocab,
                      "context": c.context, "rank": rank, "params": model_params(c)}
            return scalar_instance(
                self, seed, params, answer / GB, values=values,
                mistakes=mistakes_from(_FEEDBACK, {k: w / GB for k, w in wrong.items()}),
                prompt_text=_prompt(values), solution_text=_solution(values, answer),
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        c = Config(v["d"], v["layers"], v["vocab"], v["context"])
        held: list[np.ndarray] = []  # every tensor training keeps in memory, as zero-copy views

        def keep(shape: tuple[int, ...], size: int) -> None:
            held.append(np.broadcast_to(np.zeros((), dtype=NUMPY_SIZE[size]), shape))

        for shape in gpt2_tensors(c).values():
            if v["method"] == "lora":
                keep(shape, BASE_BYTES[v["precision"]])  # frozen: the weights only
                continue
            for size in FULL_BYTES[v["precision"]]:  # weights, gradients, master copy, m, v
                if size:
                    keep(shape, size)
        if v["method"] == "lora":
            r, d = v["rank"], v["d"]
            for _ in range(v["layers"]):
                for shape in ((r, d), (d, r), (r, d), (d, r)):  # A_q, B_q, A_v, B_v
                    for _ in range(4):  # fp32 weights, gradients, m, v
                        keep(shape, 4)
        return sum(t.size * t.dtype.itemsize for t in held) / GB

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        return [f"{ref * GB:.0f}/10^9", f"{ref * 1000:.7g}/1000", f"{ref:.8e}"]


def _prompt(v: Mapping[str, Any]) -> Bilingual:
    model = bi(
        f"A GPT-2-style model (d = {v['d']}, {v['layers']} blocks, vocabulary {v['vocab']}, context {v['context']}) "
        f"has {grouped(v['params'])} parameters. It is fine-tuned with Adam",
        f"一个 GPT-2 式模型（d = {v['d']}，{v['layers']} 个块，词表 {v['vocab']}，上下文 {v['context']}）"
        f"共有 {grouped(v['params'])} 个参数。用 Adam 微调",
    )
    if v["method"] == "full":
        how = (bi(", every weight trained, everything in fp32.", "，训练所有权重，全部使用 fp32。") if v["precision"] == "fp32"
               else bi(", every weight trained, in bf16 mixed precision (bf16 weights and gradients for the maths, "
                       "fp32 master weights and fp32 Adam moments for the update).",
                       "，训练所有权重，使用 bf16 混合精度（计算用 bf16 的权重和梯度，更新用 fp32 的主权重和 fp32 的 Adam 矩）。"))
    else:
        base = "fp32" if v["precision"] == "fp32" else "bf16"
        how = bi(
            f" using LoRA of rank r = {v['rank']} on the query and value projections (d×d each) of every block: "
            f"the base weights are frozen and stored in {base}; the adapters A (r×d) and B (d×r) are trained in fp32 "
            "(fp32 weights, gradients and Adam moments).",
            f"，使用秩 r = {v['rank']} 的 LoRA，作用在每个块的查询和值投影（各为 d×d）上：基座权重冻结，以 {base} 存储；"
            "适配器 A（r×d）和 B（d×r）用 fp32 训练（fp32 的权重、梯度和 Adam 矩）。",
        )
    ask = bi("How much memory do the weights, gradients and optimiser states take (activations excluded)? "
             "Give the answer in GB (1 GB = 10⁹ bytes) with at least 4 significant figures.",
             "权重、梯度和优化器状态一共占多少显存（不计激活值）？以 GB（1 GB = 10⁹ 字节）为单位，至少给出 4 位有效数字。")
    return bi(f"{model.en}{how.en}\n{ask.en}", f"{model.zh}{how.zh}\n{ask.zh}")


def _solution(v: Mapping[str, Any], answer: int) -> Bilingual:
    p = v["params"]
    if v["method"] == "full":
        w, g, master, m, m2 = FULL_BYTES[v["precision"]]
        per = w + g + master + m + m2
        parts = f"{w} (weights) + {g} (gradients) + " + (f"{master} (fp32 master) + " if master else "") + f"{m} (m) + {m2} (v)"
        parts_zh = f"{w}（权重）+ {g}（梯度）+ " + (f"{master}（fp32 主权重）+ " if master else "") + f"{m}（m）+ {m2}（v）"
        note = bi(" Mixed precision gives the same 16 bytes as fp32: it saves time and activation memory, not optimiser memory."
                  if master else "", "混合精度同样是 16 字节：它节省的是时间和激活显存，而不是优化器显存。" if master else "")
        return bi(
            f"Per trained parameter: {parts} = {per} bytes.{note.en}\n"
            f"{grouped(p)} × {per} = {grouped(answer)} bytes = {show(answer / GB, 6)} GB",
            f"每个可训练参数：{parts_zh} = {per} 字节。{note.zh}\n"
            f"{grouped(p)} × {per} = {grouped(answer)} 字节 = {show(answer / GB, 6)} GB",
        )
    base = BASE_BYTES[v["precision"]]
    n = adapter_params(v["layers"], v["d"], v["rank"])
    return bi(
        f"Frozen base: {grouped(p)} × {base} bytes = {grouped(p * base)} (no gradients, no Adam states).\n"
        f"Adapters: {v['layers']} blocks × 2 projections × (r·d + d·r) = {v['layers']}·2·2·{v['rank']}·{v['d']} = "
        f"{grouped(n)} parameters, × 16 bytes (fp32 weights, gradients, m, v) = {grouped(n * 16)}.\n"
        f"Total {grouped(answer)} bytes = {show(answer / GB, 6)} GB "
        f"(full fine-tuning in the same setting: {show(p * 16 / GB, 4)} GB; the adapters are "
        f"{show(100 * n / p, 3)}% of the parameters).",
        f"冻结的基座：{grouped(p)} × {base} 字节 = {grouped(p * base)}（没有梯度，没有 Adam 状态）。\n"
        f"适配器：{v['layers']} 个块 × 2 个投影 × (r·d + d·r) = {v['layers']}·2·2·{v['rank']}·{v['d']} = "
        f"{grouped(n)} 个参数，× 16 字节（fp32 的权重、梯度、m、v）= {grouped(n * 16)}。\n"
        f"合计 {grouped(answer)} 字节 = {show(answer / GB, 6)} GB（同样设置下全量微调需要 {show(p * 16 / GB, 4)} GB；"
        f"适配器只占参数量的 {show(100 * n / p, 3)}%）。",
    )


FAMILIES: list[Family] = [FinetuneMemory()]
