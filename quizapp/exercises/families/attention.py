"""Parameters of multi-head self-attention versus a k×k convolution of the same width.

This is where the seed's claim "Transformers have more parameters because of self-attention" is
corrected: with width d, attention has 4d² + 4d parameters whatever the number of heads, while a
3×3 conv with d channels in and out already has 9d² + d. What attention costs is compute and
memory that grow as O(n²·d) with the sequence length n. simulate() builds the weight tensors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from quizapp.checking.spec import Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import (
    DistinctDrawFamily,
    bi,
    grouped,
    pick,
    scalar_instance,
)
from quizapp.i18n import Bilingual

WIDTHS = (64, 96, 128, 192, 256, 384, 512, 768)
HEADS = (2, 4, 8, 12, 16)
KERNELS = (1, 3, 5, 7)
QUESTIONS = ("attention", "conv", "difference")


def attention_params(d: int) -> int:
    return 4 * d * d + 4 * d


def conv_params(d: int, k: int) -> int:
    return k * k * d * d + d


@dataclass(frozen=True)
class _Layers:
    """The drawn sizes: width d, heads h, kernel k, sequence length n, and what is asked."""

    d: int
    h: int
    k: int
    n: int
    question: str

    @property
    def attn(self) -> int:
        return attention_params(self.d)

    @property
    def conv(self) -> int:
        return conv_params(self.d, self.k)

    def asked(self, a: int, c: int) -> int:
        return {"attention": a, "conv": c, "difference": a - c}[self.question]


def _draw_layers(rng: Any) -> _Layers:
    d = pick(rng, WIDTHS)
    h = pick(rng, [x for x in HEADS if d % x == 0])
    k = pick(rng, KERNELS)
    n = pick(rng, (196, 256, 512, 1024))
    return _Layers(d, h, k, n, pick(rng, QUESTIONS))


def _mistakes(layers: _Layers) -> tuple[Mistake, ...]:
    d, h, k, question = layers.d, layers.h, layers.k, layers.question
    attn, conv, asked = layers.attn, layers.conv, layers.asked
    variants = {  # (attention count, conv count) under each misconception
        "attn.per-head": (h * attn, conv),
        "attn.no-bias": (4 * d * d, k * k * d * d),
        "attn.no-output-proj": (3 * d * d + 3 * d, conv),
        "attn.conv-no-kernel-area": (attn, d * d + d),
        "attn.conv-kernel-not-squared": (attn, k * d * d + d),
    }
    feedback = {
        "attn.per-head": bi(
            f"Heads split the width: each of the {h} heads uses d/h = {d // h} columns of W_Q, W_K, W_V. The total stays 4d² + 4d, whatever h is.",
            f"多头只是切分宽度：{h} 个头各用 W_Q、W_K、W_V 的 d/h = {d // h} 列。总参数量仍是 4d² + 4d，与头数无关。",
        ),
        "attn.no-bias": bi(
            "Each projection (and the conv) has a bias vector of length d.",
            "每个投影（以及卷积）都有长度为 d 的偏置。",
        ),
        "attn.no-output-proj": bi(
            "Besides W_Q, W_K and W_V there is the output projection W_O (d×d plus bias) that mixes the heads.",
            "除了 W_Q、W_K、W_V，还有把各头结果混合起来的输出投影 W_O（d×d 加偏置）。",
        ),
        "attn.conv-no-kernel-area": bi(
            f"A {k}×{k} conv has a d×d weight matrix per kernel position: k²·d² + d.",
            f"{k}×{k} 卷积在每个卷积核位置都有一个 d×d 的权重矩阵：k²·d² + d。",
        ),
        "attn.conv-kernel-not-squared": bi(
            f"The kernel is k×k = {k * k} positions, so k²·d² + d.",
            f"卷积核有 k×k = {k * k} 个位置，所以是 k²·d² + d。",
        ),
    }
    if question == "attention":
        used: tuple[str, ...] = ("attn.per-head", "attn.no-bias", "attn.no-output-proj")
    elif question == "conv":
        used = ("attn.no-bias", "attn.conv-no-kernel-area", "attn.conv-kernel-not-squared")
    else:
        used = tuple(variants)
    if k == 1:  # a 1×1 kernel has area 1: the kernel mistakes cannot be told apart
        used = tuple(note for note in used if not note.startswith("attn.conv-"))
    return tuple(Mistake(note, asked(*variants[note]), feedback[note]) for note in used)


def _prompt(layers: _Layers) -> Bilingual:
    d, h, k, n, question = layers.d, layers.h, layers.k, layers.n, layers.question
    setup_en = (
        f"A multi-head self-attention layer with model width d = {d} and h = {h} heads (like nn.MultiheadAttention): "
        "projections W_Q, W_K, W_V and the output projection W_O, each d×d with a bias of length d.\n"
        f"A {k}×{k} convolution with C_in = C_out = d = {d}, with a bias.\n"
        f"Both process a sequence (or flattened feature map) of n = {n} tokens."
    )
    setup_zh = (
        f"一个多头自注意力层，模型宽度 d = {d}，h = {h} 个头（类似 nn.MultiheadAttention）："
        "投影 W_Q、W_K、W_V 和输出投影 W_O，每个都是 d×d 并带长度为 d 的偏置。\n"
        f"一个 {k}×{k} 卷积，C_in = C_out = d = {d}，带偏置。\n"
        f"两者处理的序列（或展平的特征图）长度为 n = {n} 个 token。"
    )
    ask_en = {
        "attention": "How many parameters does the attention layer have?",
        "conv": "How many parameters does the convolution have?",
        "difference": "What is (attention parameters) − (convolution parameters)? It may be negative.",
    }[question]
    ask_zh = {
        "attention": "自注意力层有多少个参数？",
        "conv": "这个卷积有多少个参数？",
        "difference": "（注意力层参数量）−（卷积参数量）是多少？结果可能为负。",
    }[question]
    return bi(f"{setup_en}\n{ask_en} Give an integer.", f"{setup_zh}\n{ask_zh}给出一个整数。")


def _solution(layers: _Layers) -> Bilingual:
    d, h, k, n, question = layers.d, layers.h, layers.k, layers.n, layers.question
    attn, conv = layers.attn, layers.conv
    more_en = "more" if conv > attn else "fewer"
    more_zh = "多" if conv > attn else "少"
    diff_en = f"Difference: {grouped(attn)} − {grouped(conv)} = {grouped(attn - conv)}.\n" if question == "difference" else ""
    diff_zh = f"差值：{grouped(attn)} − {grouped(conv)} = {grouped(attn - conv)}。\n" if question == "difference" else ""
    return bi(
        f"Attention: 4 projections × (d² + d) = 4·{d}² + 4·{d} = {grouped(attn)} (the {h} heads only split d; they add nothing).\n"
        f"Conv {k}×{k}: k²·d² + d = {k * k}·{d}² + {d} = {grouped(conv)}.\n"
        + diff_en
        + f"So the {k}×{k} conv has {more_en} parameters than the attention layer. Parameter counts depend on width and depth "
        "(a Transformer block's MLP alone has about 8d²), not on attention itself; what attention adds is compute and memory that grow as "
        f"O(n²·d) with the sequence length (here n² = {grouped(n * n)} attention scores per head).",
        f"注意力：4 个投影 × (d² + d) = 4·{d}² + 4·{d} = {grouped(attn)}（{h} 个头只是切分 d，不增加参数）。\n"
        f"{k}×{k} 卷积：k²·d² + d = {k * k}·{d}² + {d} = {grouped(conv)}。\n"
        + diff_zh
        + f"所以这个 {k}×{k} 卷积的参数比注意力层{more_zh}。参数量取决于宽度和深度（Transformer 块里的 MLP 就约有 8d²），"
        "而不是注意力本身；注意力真正增加的是随序列长度按 O(n²·d) 增长的计算量和显存"
        f"（这里每个头有 n² = {grouped(n * n)} 个注意力分数）。",
    )


class AttentionVsConvParams(DistinctDrawFamily):
    name = "attention_vs_conv_params"

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        layers = _draw_layers(rng)
        answer = layers.asked(layers.attn, layers.conv)
        values = {"question": layers.question, "d": layers.d, "h": layers.h, "k": layers.k, "n": layers.n}
        return scalar_instance(
            self, seed, params, answer, values=values, mistakes=_mistakes(layers),
            prompt_text=_prompt(layers), solution_text=_solution(layers),
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        d, h, k = v["d"], v["h"], v["k"]
        zero = np.zeros((), dtype=np.float32)

        def tensor(*shape: int) -> np.ndarray:
            return np.broadcast_to(zero, shape)  # shape only, no memory

        # nn.MultiheadAttention stores Q, K, V as one (3d × d) in_proj weight; the h heads are
        # row slices of it and own no tensors of their own.
        in_proj = tensor(3 * d, d)
        head_rows = np.array_split(np.arange(d), h)
        assert sum(len(rows) for rows in head_rows) == d
        attn = sum(t.size for t in (in_proj, tensor(3 * d), tensor(d, d), tensor(d)))
        conv = sum(t.size for t in (tensor(d, d, k, k), tensor(d)))
        return int({"attention": attn, "conv": conv, "difference": attn - conv}[v["question"]])

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        d, k = v["d"], v["k"]
        a, c = f"4*{d}^2 + 4*{d}", f"{k}^2*{d}^2 + {d}"
        typed_form = {"attention": a, "conv": c, "difference": f"{a} - ({c})"}[v["question"]]
        return [typed_form, f"{instance.spec.integer:,}"]


FAMILIES: list[Family] = [AttentionVsConvParams()]
