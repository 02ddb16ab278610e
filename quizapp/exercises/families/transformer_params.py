"""The exact parameter count of a GPT-2-style Transformer: why GPT-2 small is 124 M.

One block (pre-LayerNorm, MLP width 4d, every Linear with a bias): two LayerNorms 2·2d, the
fused Q/K/V projection d·3d + 3d, the attention output d·d + d, the MLP d·4d + 4d and 4d·d + d:
12d² + 13d. The model adds token embeddings V·d, learned positions n_ctx·d and a final
LayerNorm 2d; the output layer is tied to the token embeddings (no new parameters).

simulate() builds the model's named tensors layer by layer, as GPT-2's checkpoint stores them
(wte, wpe, h.i.ln_1, h.i.attn.c_attn, …, ln_f; the tied head points at wte), and adds up the
sizes of the distinct tensors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, grouped, pick, scalar_instance
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

GPT2_VOCAB, GPT2_CONTEXT = 50257, 1024
# (name, d, layers, the size the GPT-2 paper reported): OpenAI later said those counts were wrong.
GPT2 = (("GPT-2 small", 768, 12, "117M"), ("GPT-2 medium", 1024, 24, "345M"),
        ("GPT-2 large", 1280, 36, "762M"), ("GPT-2 XL", 1600, 48, "1542M"))
SMALL_D = (128, 192, 256, 384, 512)
SMALL_L = (2, 3, 4, 6, 8)
VOCABS = (8000, 16000, 32000, 50257)
CONTEXTS = (256, 512, 1024, 2048)


@dataclass(frozen=True)
class Config:
    d: int
    layers: int
    vocab: int
    context: int


def block_params(d: int) -> int:
    return 12 * d * d + 13 * d


def model_params(c: Config) -> int:
    return c.layers * block_params(c.d) + c.vocab * c.d + c.context * c.d + 2 * c.d


def gpt2_tensors(c: Config) -> dict[str, tuple[int, ...]]:
    """Every named parameter tensor with its shape (Conv1D weights are stored in × out)."""
    d = c.d
    tensors: dict[str, tuple[int, ...]] = {"wte.weight": (c.vocab, d), "wpe.weight": (c.context, d)}
    for i in range(c.layers):
        p = f"h.{i}."
        tensors |= {
            p + "ln_1.weight": (d,), p + "ln_1.bias": (d,),
            p + "attn.c_attn.weight": (d, 3 * d), p + "attn.c_attn.bias": (3 * d,),
            p + "attn.c_proj.weight": (d, d), p + "attn.c_proj.bias": (d,),
            p + "ln_2.weight": (d,), p + "ln_2.bias": (d,),
            p + "mlp.c_fc.weight": (d, 4 * d), p + "mlp.c_fc.bias": (4 * d,),
            p + "mlp.c_proj.weight": (4 * d, d), p + "mlp.c_proj.bias": (d,),
        }
    return tensors | {"ln_f.weight": (d,), "ln_f.bias": (d,)}


def count_tensors(tensors: Mapping[str, tuple[int, ...]], prefix: str = "") -> int:
    return sum(math.prod(shape) for name, shape in tensors.items() if name.startswith(prefix))


_FEEDBACK = {
    "tfm.no-bias": bi(
        "Every Linear in GPT-2 has a bias: 3d for Q/K/V, d for the attention output, 4d and d in the MLP: 9d per block.",
        "GPT-2 的每个线性层都有偏置：Q/K/V 3d，注意力输出 d，MLP 中 4d 和 d：每个块 9d。",
    ),
    "tfm.no-layernorm": bi(
        "Each block has two LayerNorms, each with a scale γ and a shift β of size d (4d per block), plus the final LayerNorm (2d).",
        "每个块有两个 LayerNorm，各有大小为 d 的缩放 γ 和平移 β（每块 4d），最后还有一个 LayerNorm（2d）。",
    ),
    "tfm.mlp-once": bi(
        "The MLP has two matrices: d → 4d and 4d → d, 8d² weights together (plus biases 4d + d).",
        "MLP 有两个矩阵：d → 4d 和 4d → d，合计 8d² 个权重（另加偏置 4d + d）。",
    ),
    "tfm.no-out-proj": bi(
        "After the heads are concatenated, attention applies an output projection W_O: d² + d more per block.",
        "各头拼接之后，注意力还有一个输出投影 W_O：每块再加 d² + d。",
    ),
    "tfm.no-position": bi(
        "GPT-2 learns its position embeddings: a table of n_ctx × d parameters.",
        "GPT-2 的位置嵌入是学出来的：一张 n_ctx × d 的参数表。",
    ),
    "tfm.untied-head": bi(
        "The output layer reuses the token-embedding matrix (weight tying), so it adds no parameters.",
        "输出层复用词嵌入矩阵（权重共享），不增加参数。",
    ),
    "tfm.twelve-ld2": bi(
        "12·L·d² + V·d is the usual estimate. The exact count adds 13d per block (biases and LayerNorms), the "
        "position table n_ctx·d and the final LayerNorm 2d.",
        "12·L·d² + V·d 是常用的估算。精确计数还要加上每块 13d（偏置和 LayerNorm）、位置表 n_ctx·d 和最后的 LayerNorm 2d。",
    ),
}


def draw_config(rng: Any) -> tuple[Config, str]:
    """A GPT-2 size (name) 40% of the time, otherwise a small custom model (name '')."""
    if rng.random() < 0.4:
        name, d, layers, _ = pick(rng, GPT2)
        return Config(d, layers, GPT2_VOCAB, GPT2_CONTEXT), name
    return Config(pick(rng, SMALL_D), pick(rng, SMALL_L), pick(rng, VOCABS), pick(rng, CONTEXTS)), ""


class TransformerParams(RetryFamily):
    name = "transformer_params"

    def attempt(self, rng: Any, question: str) -> Attempt:
        c, name = draw_config(rng)
        answer, wrong = self._answers(question, c)
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            values = {"question": question, "d": c.d, "layers": c.layers, "vocab": c.vocab, "context": c.context, "name": name}
            return scalar_instance(
                self, seed, params, answer, values=values, mistakes=mistakes_from(_FEEDBACK, wrong),
                prompt_text=self._prompt(question, c, name), solution_text=self._solution(question, c, name),
            )

        return kept, build

    @staticmethod
    def _answers(question: str, c: Config) -> tuple[int, dict[str, int]]:
        d, n = c.d, c.layers
        if question == "block":
            answer = block_params(d)
            return answer, {"tfm.no-bias": answer - 9 * d, "tfm.no-layernorm": answer - 4 * d,
                            "tfm.mlp-once": answer - 4 * d * d - d, "tfm.no-out-proj": answer - d * d - d}
        answer = model_params(c)
        return answer, {
            "tfm.no-bias": answer - 9 * d * n, "tfm.no-layernorm": answer - 4 * d * n - 2 * d,
            "tfm.no-position": answer - c.context * d, "tfm.untied-head": answer + c.vocab * d,
            "tfm.twelve-ld2": 12 * n * d * d + c.vocab * d,
        }

    def _prompt(self, question: str, c: Config, name: str) -> Bilingual:
        called = f" ({name}'s shape)" if name else ""
        called_zh = f"（即 {name} 的结构）" if name else ""
        arch_en = (f"A GPT-2-style decoder{called}: width d = {c.d}, {c.layers} blocks, vocabulary V = {c.vocab}, "
                   f"context n_ctx = {c.context}. Each block: LayerNorm → multi-head attention (fused Q/K/V "
                   "projection d → 3d, output projection d → d) → residual; LayerNorm → MLP d → 4d → d (GELU) → residual. "
                   "Every Linear has a bias; every LayerNorm has γ and β. Token embeddings V×d, learned position "
                   "embeddings n_ctx×d, a final LayerNorm, and an output layer tied to the token embeddings.")
        arch_zh = (f"一个 GPT-2 式解码器{called_zh}：宽度 d = {c.d}，{c.layers} 个块，词表 V = {c.vocab}，上下文长度 "
                   f"n_ctx = {c.context}。每个块：LayerNorm → 多头注意力（Q/K/V 合并投影 d → 3d，输出投影 d → d）→ 残差；"
                   "LayerNorm → MLP d → 4d → d（GELU）→ 残差。每个线性层都有偏置，每个 LayerNorm 都有 γ 和 β。"
                   "词嵌入 V×d，可学习的位置嵌入 n_ctx×d，最后一个 LayerNorm，输出层与词嵌入共享权重。")
        if question == "block":
            ask = bi("How many parameters does ONE block have? Give an integer.", "一个块有多少个参数？请给出一个整数。")
        else:
            ask = bi("How many parameters does the whole model have? Give an integer (arithmetic is fine).",
                     "整个模型有多少个参数？请给出一个整数（可以写算式）。")
        return bi(f"{arch_en}\n{ask.en}", f"{arch_zh}\n{ask.zh}")

    def _solution(self, question: str, c: Config, name: str) -> Bilingual:
        d = c.d
        rows = [("LayerNorm ×2: 2·2d", 4 * d), ("Q/K/V: d·3d + 3d", 3 * d * d + 3 * d),
                ("attention output: d·d + d", d * d + d), ("MLP up: d·4d + 4d", 4 * d * d + 4 * d),
                ("MLP down: 4d·d + d", 4 * d * d + d)]
        zh_names = ["LayerNorm ×2：2·2d", "Q/K/V：d·3d + 3d", "注意力输出：d·d + d", "MLP 升维：d·4d + 4d", "MLP 降维：4d·d + d"]
        block = block_params(d)
        en = [f"One block = 12d² + 13d with d = {d}:"] + [f"  {t} = {grouped(v)}" for t, v in rows]
        zh = [f"一个块 = 12d² + 13d，d = {d}："] + [f"  {t} = {grouped(v)}" for t, (_, v) in zip(zh_names, rows)]
        en.append(f"  block total = {grouped(block)}")
        zh.append(f"  每块合计 = {grouped(block)}")
        if question == "model":
            total = model_params(c)
            parts = (f"{c.layers}·{grouped(block)} + {c.vocab}·{d} + {c.context}·{d} + 2·{d} = "
                     f"{grouped(c.layers * block)} + {grouped(c.vocab * d)} + {grouped(c.context * d)} + {2 * d} = {grouped(total)}")
            en.append(f"Model = L·block + V·d (tokens) + n_ctx·d (positions) + 2d (final LayerNorm); the tied head adds 0:\n  {parts}")
            zh.append(f"模型 = L·块 + V·d（词嵌入）+ n_ctx·d（位置嵌入）+ 2d（最后的 LayerNorm）；共享权重的输出层不加参数：\n  {parts}")
        small = model_params(Config(768, 12, GPT2_VOCAB, GPT2_CONTEXT))
        en.append(f"Counted this way GPT-2 small has {grouped(small)} ≈ 124 M parameters. The GPT-2 paper reported "
                  "117 M; OpenAI later said its original counts were wrong and renamed the checkpoint 124M.")
        zh.append(f"按这种方法，GPT-2 small 有 {grouped(small)} ≈ 1.24 亿个参数。GPT-2 论文报告的是 117M；"
                  "OpenAI 后来说明原来的参数量算错了，并把该模型改名为 124M。")
        paper = next((p for n, _, _, p in GPT2 if n == name and n != "GPT-2 small"), "")
        if paper:
            full = grouped(model_params(c))
            en.append(f"(For {name} the paper said {paper}; the exact count of the whole model is {full}.)")
            zh.append(f"（{name} 论文中写的是 {paper}；整个模型的精确参数量是 {full}。）")
        return bi("\n".join(en), "\n".join(zh))

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        tensors = gpt2_tensors(Config(v["d"], v["layers"], v["vocab"], v["context"]))
        return count_tensors(tensors, "h.0." if v["question"] == "block" else "")

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        d = v["d"]
        if v["question"] == "block":
            return [f"12*{d}^2 + 13*{d}", f"{instance.spec.integer:,}"]
        return [f"{v['layers']}*(12*{d}^2+13*{d}) + {v['vocab']}*{d} + {v['context']}*{d} + 2*{d}",
                f"{instance.spec.integer:,}"]


FAMILIES: list[Family] = [TransformerParams()]
