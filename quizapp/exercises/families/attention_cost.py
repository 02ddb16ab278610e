"""The cost of self-attention: FLOPs of one layer, and the memory of the KV cache.

attention_flops: Q, K, V projections 3·2·n·d², scores QKᵀ 2·n²·d (h heads of d/h each), the
weighted sum of V 2·n²·d, the output projection 2·n·d²: 8·n·d² + 4·n²·d per sequence.
simulate() lists every matrix product of the layer, head by head and sequence by sequence,
and adds 2·a·b·c for each.

kv_cache_memory: 2 (K and V) · layers · batch · tokens · kv-heads · head dim · bytes.
simulate() builds the cache tensors layer by layer (zero-copy numpy views with the cache's
dtype) and adds their sizes in bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, grouped, param_or_draw, pick, scalar_instance
from quizapp.exercises.families._retry import Attempt, RetryFamily, scalar_build
from quizapp.exercises.families._values import MAX_TRIES, all_far, mistakes_from
from quizapp.i18n import Bilingual

SEQ = (128, 256, 512, 1024, 2048, 4096)
WIDTH = (256, 512, 768, 1024, 2048)
HEADS = (4, 8, 12, 16)
BATCH = (1, 2, 4, 8)
FORMULA_POINTS: tuple[tuple[int, int], ...] = ((3, 4), (7, 2), (16, 8), (5, 12), (1, 9), (10, 30))
FORMULA_VARS = ("n", "d")

CONVENTION = bi(
    "Count only the matrix products (Q, K, V projections, the scores QKᵀ, the weighted sum of V, the "
    "output projection; no softmax, scaling or biases) and count a multiply-add as 2 FLOPs: an (a×b)·(b×c) "
    "product costs 2·a·b·c FLOPs.",
    "只计矩阵乘法（Q、K、V 投影，注意力分数 QKᵀ，对 V 的加权求和，输出投影；不计 softmax、缩放和偏置），"
    "一次乘加算 2 FLOPs：(a×b)·(b×c) 的乘积需要 2·a·b·c FLOPs。",
)


_ATTN_FEEDBACK = {
    "attn.no-out-proj": bi(
        "You left out the output projection: the concatenated heads (n×d) are multiplied by W_O (d×d), another 2·n·d².",
        "你漏了输出投影：拼接后的各头输出（n×d）还要乘以 W_O（d×d），又是 2·n·d²。",
    ),
    "attn.macs": bi(
        "That counts each multiply-add once (MACs). The question counts a multiply-add as 2 FLOPs.",
        "这是把每次乘加只算一次（MACs）。题目约定一次乘加算 2 FLOPs。",
    ),
    "attn.no-av": bi(
        "You left out the weighted sum of the values: the n×n attention weights times V (n×d) cost another 2·n²·d.",
        "你漏了对 V 的加权求和：n×n 的注意力权重乘以 V（n×d）还要 2·n²·d。",
    ),
    "attn.scores-only": bi(
        "That is only the n² part (QKᵀ and A·V). The four d×d projections cost 8·n·d² more, and they dominate while n < 2d.",
        "这只是 n² 的部分（QKᵀ 和 A·V）。四个 d×d 投影还要 8·n·d²，在 n < 2d 时它们占大头。",
    ),
    "attn.heads-times-d": bi(
        "Each head works in d/h dimensions, so h heads together cost h·2·n²·(d/h) = 2·n²·d per product, "
        "the same as one head of width d.",
        "每个头只有 d/h 维，所以 h 个头合计是 h·2·n²·(d/h) = 2·n²·d，与一个宽度为 d 的头相同。",
    ),
}


def attention_flops(b: int, n: int, d: int) -> int:
    return b * (8 * n * d * d + 4 * n * n * d)


def _formula_mistakes() -> list[Mistake]:
    formulas = {
        "attn.no-out-proj": "6*n*d^2 + 4*n^2*d",
        "attn.macs": "4*n*d^2 + 2*n^2*d",
        "attn.no-av": "8*n*d^2 + 2*n^2*d",
        "attn.scores-only": "4*n^2*d",
    }
    return [Mistake(note, f, _ATTN_FEEDBACK[note]) for note, f in formulas.items()]


class AttentionFlops(Family):
    name = "attention_flops"
    param_defaults: ClassVar[dict[str, Any]] = {"form": None}  # None: drawn per seed
    sample_points = FORMULA_POINTS
    sample_variables = FORMULA_VARS

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        form = param_or_draw(rng, params, "form", ("number", "formula"))
        if form == "formula":
            return self._formula(params, seed)
        for _ in range(MAX_TRIES):
            b, n, d = pick(rng, BATCH), pick(rng, SEQ), pick(rng, WIDTH)
            h = pick(rng, [heads for heads in HEADS if d % heads == 0])  # heads split d evenly
            answer = attention_flops(b, n, d)
            wrong = {
                "attn.no-out-proj": b * (6 * n * d * d + 4 * n * n * d),
                "attn.macs": answer // 2,
                "attn.no-av": b * (8 * n * d * d + 2 * n * n * d),
                "attn.scores-only": b * 4 * n * n * d,
                "attn.heads-times-d": b * (8 * n * d * d + 4 * n * n * d * h),
            }
            if all_far([answer, *wrong.values()]):
                break
        prompt = bi(
            f"A multi-head self-attention layer with model width d = {d} and h = {h} heads (each of width d/h = {d // h}) "
            f"runs on a batch of {b} sequence{'s' if b > 1 else ''} of n = {n} tokens.\n{CONVENTION.en}\n"
            "How many FLOPs does one forward pass of this layer take for the whole batch? Give an integer "
            "(arithmetic like 8*512*768^2 is fine).",
            f"一个多头自注意力层，模型宽度 d = {d}，h = {h} 个头（每个头宽 d/h = {d // h}），输入为 {b} 条长度为 n = {n} 的序列。\n"
            f"{CONVENTION.zh}\n整批数据前向一次需要多少 FLOPs？请给出一个整数（可以写算式，如 8*512*768^2）。",
        )
        per = attention_flops(1, n, d)
        proj, attn = 8 * n * d * d, 4 * n * n * d
        solution = bi(
            f"Q, K, V projections: 3 × 2·n·d² = 6·{n}·{d}² = {grouped(6 * n * d * d)}\n"
            f"Scores QKᵀ: h heads × 2·n·n·(d/h) = 2·n²·d = {grouped(2 * n * n * d)} (the heads split d; they do not multiply the cost)\n"
            f"Weighted sum A·V: 2·n²·d = {grouped(2 * n * n * d)}\n"
            f"Output projection: 2·n·d² = {grouped(2 * n * d * d)}\n"
            f"Per sequence: 8·n·d² + 4·n²·d = {grouped(proj)} + {grouped(attn)} = {grouped(per)}; "
            f"× {b} = {grouped(answer)}\n"
            f"(The n² part overtakes the projections when n > 2d = {2 * d}.)",
            f"Q、K、V 投影：3 × 2·n·d² = 6·{n}·{d}² = {grouped(6 * n * d * d)}\n"
            f"注意力分数 QKᵀ：h 个头 × 2·n·n·(d/h) = 2·n²·d = {grouped(2 * n * n * d)}（多头是切分 d，不会成倍增加计算量）\n"
            f"加权求和 A·V：2·n²·d = {grouped(2 * n * n * d)}\n"
            f"输出投影：2·n·d² = {grouped(2 * n * d * d)}\n"
            f"每条序列：8·n·d² + 4·n²·d = {grouped(proj)} + {grouped(attn)} = {grouped(per)}；× {b} = {grouped(answer)}\n"
            f"（当 n > 2d = {2 * d} 时，n² 部分超过投影部分。）",
        )
        return scalar_instance(
            self, seed, params, answer, values={"form": form, "b": b, "n": n, "d": d, "h": h},
            mistakes=mistakes_from(_ATTN_FEEDBACK, wrong), prompt_text=prompt, solution_text=solution,
        )

    def _formula(self, params: Mapping[str, Any], seed: int) -> Instance:
        reference = "8*n*d^2 + 4*n^2*d"
        spec = AnswerSpec(kind="expression", reference=reference, variables=FORMULA_VARS,
                          domain=tuple((v, "natural") for v in FORMULA_VARS))
        prompt = bi(
            f"A multi-head self-attention layer has model width d (split over h heads of width d/h) and runs on one "
            f"sequence of n tokens.\n{CONVENTION.en}\n"
            "Give the FLOPs of one forward pass as a formula in n and d (write products with * or side by side: "
            "2nd means 2·n·d; powers with ^).",
            f"一个多头自注意力层，模型宽度为 d（分成 h 个宽 d/h 的头），输入一条长度为 n 的序列。\n{CONVENTION.zh}\n"
            "用 n 和 d 写出前向一次的 FLOPs 公式（乘法写 * 或直接并列：2nd 表示 2·n·d；幂用 ^）。",
        )
        solution = bi(
            "Q, K, V projections 3 × 2·n·d²; scores QKᵀ 2·n²·d (h heads × 2·n²·d/h); A·V 2·n²·d; "
            "output projection 2·n·d².\nFLOPs = 8·n·d² + 4·n²·d: linear in n while n < 2d, quadratic after.",
            "Q、K、V 投影 3 × 2·n·d²；注意力分数 QKᵀ 2·n²·d（h 个头 × 2·n²·d/h）；A·V 2·n²·d；输出投影 2·n·d²。\n"
            "FLOPs = 8·n·d² + 4·n²·d：n < 2d 时近似随 n 线性增长，之后以二次项为主。",
        )
        return Instance(
            family=self.name, seed=seed, params=dict(params), values={"form": "formula"}, spec=spec,
            mistakes=tuple(_formula_mistakes()), prompt_text=prompt, solution_text=solution,
            answer_text=reference, answer_hint=bi("a formula in n and d", "n 和 d 的公式"),
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        if v["form"] == "formula":
            return tuple(float(_counted(1, n, d, 1)) for n, d in FORMULA_POINTS)
        return _counted(v["b"], v["n"], v["d"], v["h"])

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        if v["form"] == "formula":
            return ["4nd(2d + n)", "8nd^2+4n^2d", "4*n*d*(n + 2*d)", "2*n*d*(4d+2n)"]
        b, n, d = v["b"], v["n"], v["d"]
        return [f"{b}*(8*{n}*{d}^2 + 4*{n}^2*{d})", f"{b}*4*{n}*{d}*({n}+2*{d})", f"{instance.spec.integer:,}"]


def _counted(batch: int, n: int, d: int, heads: int) -> int:
    """Every matrix product of the layer, listed as (a, b, c) shapes, costed 2·a·b·c."""
    dk = d // heads
    products: list[tuple[int, int, int]] = []
    for _ in range(batch):
        products += [(n, d, d)] * 3  # x·W_Q, x·W_K, x·W_V
        for _ in range(heads):
            products.append((n, dk, n))  # Q_h·K_hᵀ
            products.append((n, n, dk))  # A_h·V_h
        products.append((n, d, d))  # concat·W_O
    return sum(2 * a * b_ * c for a, b_, c in products)


# ---------------------------------------------------------------- KV cache


_KV_FEEDBACK = {
    "kv.no-two": bi("The cache holds both the keys and the values: a factor 2.", "缓存里既有键（K）也有值（V）：要乘以 2。"),
    "kv.query-heads": bi(
        "With grouped-query attention several query heads share one key/value head; only the key/value heads are cached.",
        "分组查询注意力（GQA）中多个查询头共享一个键/值头；缓存的只有键/值头。",
    ),
    "kv.bits": bi("That is in bits. The question asks for bytes (8 bits each).", "这是比特数。题目问的是字节数（1 字节 = 8 比特）。"),
    "kv.one-layer": bi("Every layer has its own attention and caches its own K and V.", "每一层都有自己的注意力，各自缓存 K 和 V。"),
}

DTYPES = {"fp32": 4, "bf16": 2, "fp16": 2, "int8": 1}  # bytes per number
# The numpy dtype simulate() stores each as (numpy has no bfloat16; float16 has its size).
NUMPY_DTYPES = {"fp32": np.float32, "bf16": np.float16, "fp16": np.float16, "int8": np.int8}
KV_LAYERS = (12, 24, 32, 40, 48, 80)
TOKENS = (512, 1024, 2048, 4096, 8192)


def kv_bytes(layers: int, batch: int, tokens: int, kv_heads: int, head_dim: int, size: int) -> int:
    return 2 * layers * batch * tokens * kv_heads * head_dim * size


class KvCacheMemory(RetryFamily):
    name = "kv_cache_memory"

    def attempt(self, rng: Any, attention: str) -> Attempt:
        layers, heads, head_dim = pick(rng, KV_LAYERS), pick(rng, (8, 12, 16, 32, 40, 64)), pick(rng, (64, 128))
        kv_heads = heads if attention == "mha" else pick(rng, [g for g in (1, 2, 4, 8) if heads % g == 0 and g < heads])
        batch, tokens, dtype = pick(rng, BATCH), pick(rng, TOKENS), pick(rng, tuple(DTYPES))
        size = DTYPES[dtype]
        args = (layers, batch, tokens, kv_heads, head_dim, size)
        answer = kv_bytes(*args)
        wrong = {"kv.no-two": answer // 2}
        if attention == "gqa":
            wrong["kv.query-heads"] = kv_bytes(layers, batch, tokens, heads, head_dim, size)
        wrong |= {"kv.bits": answer * 8, "kv.one-layer": answer // layers}
        values = {"attention": attention, "layers": layers, "heads": heads, "kv_heads": kv_heads,
                  "head_dim": head_dim, "batch": batch, "tokens": tokens, "dtype": dtype}
        build = scalar_build(self, answer, values, (_KV_FEEDBACK, wrong), _kv_prompt, _kv_solution)
        return all_far([answer, *wrong.values()]), build

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        scalar = np.zeros((), dtype=NUMPY_DTYPES[v["dtype"]])
        cache: list[np.ndarray] = []
        for _ in range(v["layers"]):
            shape = (v["batch"], v["kv_heads"], v["tokens"], v["head_dim"])
            cache += [np.broadcast_to(scalar, shape), np.broadcast_to(scalar, shape)]  # K, V
        return int(sum(t.size * t.dtype.itemsize for t in cache))

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        size = DTYPES[v["dtype"]]
        expr = f"2*{v['layers']}*{v['batch']}*{v['tokens']}*{v['kv_heads']}*{v['head_dim']}*{size}"
        return [expr, f"{instance.spec.integer:,}"]


def _kv_prompt(v: Mapping[str, Any]) -> Bilingual:
    size = DTYPES[v["dtype"]]
    if v["attention"] == "gqa":
        heads_en = f"{v['heads']} query heads sharing {v['kv_heads']} key/value heads (grouped-query attention)"
        heads_zh = f"{v['heads']} 个查询头共享 {v['kv_heads']} 个键/值头（分组查询注意力 GQA）"
    else:
        heads_en = f"{v['heads']} heads (standard multi-head attention)"
        heads_zh = f"{v['heads']} 个头（标准多头注意力）"
    return bi(
        f"A decoder-only Transformer has {v['layers']} layers with {heads_en}, head dimension {v['head_dim']}. "
        f"During generation it caches keys and values in {v['dtype']} ({size} byte{'s' if size > 1 else ''} per number).\n"
        f"How many bytes does the KV cache hold for a batch of {v['batch']} sequence{'s' if v['batch'] > 1 else ''} "
        f"of {v['tokens']} tokens each? "
        "Give an integer (arithmetic like 2*32*4096*128 is fine).",
        f"一个仅解码器的 Transformer 有 {v['layers']} 层，{heads_zh}，每个头的维度为 {v['head_dim']}。"
        f"生成时它以 {v['dtype']}（每个数 {size} 字节）缓存键和值。\n"
        f"对一批 {v['batch']} 条、每条 {v['tokens']} 个 token 的序列，KV 缓存占多少字节？"
        "请给出一个整数（可以写算式，如 2*32*4096*128）。",
    )


def _kv_solution(v: Mapping[str, Any], answer: int) -> Bilingual:
    size = DTYPES[v["dtype"]]
    formula = (f"2 × {v['layers']} × {v['batch']} × {v['tokens']} × {v['kv_heads']} × {v['head_dim']} × {size}"
               f" = {grouped(answer)} bytes ≈ {answer / 2**30:.4g} GiB")
    gqa_en = (f" Only the {v['kv_heads']} key/value heads are cached; the {v['heads']} query heads are not stored "
              f"(GQA shrinks the cache {v['heads'] // v['kv_heads']}×)." if v["attention"] == "gqa" else "")
    gqa_zh = (f"只缓存 {v['kv_heads']} 个键/值头；{v['heads']} 个查询头不需要缓存（GQA 让缓存缩小为 "
              f"1/{v['heads'] // v['kv_heads']}）。" if v["attention"] == "gqa" else "")
    return bi(
        "KV cache = 2 (K and V) × layers × batch × tokens × kv-heads × head dim × bytes per number." + gqa_en
        + f"\n  = {formula}",
        "KV 缓存 = 2（K 和 V）× 层数 × 批大小 × token 数 × 键/值头数 × 头维度 × 每个数的字节数。" + gqa_zh
        + f"\n  = {formula.replace('bytes', '字节')}",
    )


FAMILIES: list[Family] = [AttentionFlops(), KvCacheMemory()]
