"""Parameters and buffers of normalisation layers (PyTorch defaults).

BatchNorm2d(C): parameters γ, β (2C); buffers running_mean, running_var (2C) and the scalar
num_batches_tracked. GroupNorm(G, C): γ, β per channel (2C), no buffers. InstanceNorm2d(C):
affine=False and track_running_stats=False by default, so nothing. LayerNorm(shape): γ and β
of the normalised shape (2·C·H·W for LayerNorm([C, H, W])), no buffers.

simulate() builds each layer's tensors as PyTorch's modules register them (named parameters
and named buffers with their shapes) and counts the numbers in the ones asked for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, grouped, pick, scalar_instance
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

CHANNELS = (16, 24, 32, 48, 64, 96, 128)
SIDES = (4, 7, 8, 14, 16)
WIDTHS = (128, 192, 256, 384, 512, 768)
GROUPS = (4, 8)
KINDS = ("bn", "gn", "in", "ln_map", "ln_tok")


_FEEDBACK = {
    "norm.bn-running-stats": bi(
        "running_mean and running_var are buffers: updated by averaging during training, never by the optimiser. Only γ and β are parameters.",
        "running_mean 和 running_var 是缓冲区：训练时按指数移动平均更新，不由优化器更新。只有 γ 和 β 是参数。",
    ),
    "norm.ln-per-channel": bi(
        "LayerNorm's γ and β have the normalised shape: LayerNorm([C, H, W]) learns one per element, 2·C·H·W.",
        "LayerNorm 的 γ 和 β 与被归一化的形状相同：LayerNorm([C, H, W]) 每个元素一个，共 2·C·H·W。",
    ),
    "norm.bn-per-position": bi(
        "BatchNorm2d normalises each channel over the batch and all positions: one γ, β (and one running mean, variance) per channel.",
        "BatchNorm2d 对每个通道在整个批和所有位置上归一化：每个通道一个 γ、β（以及一个滑动均值、方差）。",
    ),
    "norm.instance-affine": bi(
        "InstanceNorm2d is created with affine=False by default: no γ, no β.",
        "InstanceNorm2d 默认 affine=False：没有 γ，也没有 β。",
    ),
    "norm.gamma-only": bi("Each normalisation with affine parameters learns a scale γ AND a shift β.",
                          "每个带仿射参数的归一化层都学习缩放 γ 和平移 β 两组参数。"),
    "norm.no-batch-counter": bi(
        "BatchNorm also registers num_batches_tracked, a one-number buffer (it can set the momentum).",
        "BatchNorm 还注册了 num_batches_tracked，一个只有一个数的缓冲区（可用于计算动量）。",
    ),
    "norm.ln-running-stats": bi(
        "LayerNorm computes its statistics from each sample at train and test time alike: it keeps no running statistics.",
        "LayerNorm 在训练和测试时都用每个样本自身计算统计量：它不保存滑动统计量。",
    ),
    "norm.params-as-buffers": bi(
        "γ and β are parameters (trained by the optimiser). Buffers are the saved, untrained tensors: BatchNorm's running statistics.",
        "γ 和 β 是参数（由优化器训练）。缓冲区是保存但不训练的张量：BatchNorm 的滑动统计量。",
    ),
    "norm.instance-stats": bi(
        "InstanceNorm2d has track_running_stats=False by default: it keeps no buffers.",
        "InstanceNorm2d 默认 track_running_stats=False：没有缓冲区。",
    ),
}


def _draw_layers(rng: Any) -> list[dict[str, Any]]:
    layers = [
        {"kind": "bn", "c": pick(rng, CHANNELS), "h": pick(rng, SIDES)},
        {"kind": "gn", "c": pick(rng, CHANNELS), "h": pick(rng, SIDES), "g": pick(rng, GROUPS)},
        {"kind": "in", "c": pick(rng, CHANNELS), "h": pick(rng, SIDES)},
        {"kind": "ln_map", "c": pick(rng, CHANNELS), "h": pick(rng, SIDES)},
        {"kind": "ln_tok", "d": pick(rng, WIDTHS), "t": pick(rng, (16, 32, 64, 128))},
    ]
    order = rng.permutation(len(layers))
    return [layers[int(i)] for i in order]


def _find(layers: Sequence[Mapping[str, Any]], kind: str) -> Mapping[str, Any]:
    return next(layer for layer in layers if layer["kind"] == kind)


def _answers(layers: Sequence[Mapping[str, Any]], count: str) -> tuple[int, dict[str, int]]:
    bn, gn, inn, lnm, lnt = (_find(layers, k) for k in KINDS)
    cbn, chw = bn["c"], lnm["c"] * lnm["h"] ** 2
    params = 2 * cbn + 2 * gn["c"] + 2 * chw + 2 * lnt["d"]
    if count == "params":
        return params, {
            "norm.bn-running-stats": params + 2 * cbn,
            "norm.ln-per-channel": params - 2 * chw + 2 * lnm["c"],
            "norm.bn-per-position": params - 2 * cbn + 2 * cbn * bn["h"] ** 2,
            "norm.instance-affine": params + 2 * inn["c"],
            "norm.gamma-only": params // 2,
        }
    buffers = 2 * cbn + 1
    return buffers, {
        "norm.no-batch-counter": buffers - 1,
        "norm.ln-running-stats": buffers + 2 * chw + 2 * lnt["d"],
        "norm.params-as-buffers": params,
        "norm.instance-stats": buffers + 2 * inn["c"] + 1,
        "norm.bn-per-position": 2 * cbn * bn["h"] ** 2 + 1,
    }


def _describe(layer: Mapping[str, Any]) -> Bilingual:
    k = layer["kind"]
    if k == "ln_tok":
        d, t = layer["d"], layer["t"]
        return bi(f"LayerNorm({d}) on tokens of shape N×{t}×{d}", f"LayerNorm({d})，作用于形状为 N×{t}×{d} 的 token")
    c, h = layer["c"], layer["h"]
    shape = f"N×{c}×{h}×{h}"
    return {
        "bn": bi(f"BatchNorm2d({c}) on feature maps {shape}", f"BatchNorm2d({c})，作用于特征图 {shape}"),
        "gn": bi(f"GroupNorm({layer.get('g')}, {c}) on feature maps {shape}", f"GroupNorm({layer.get('g')}, {c})，作用于特征图 {shape}"),
        "in": bi(f"InstanceNorm2d({c}) on feature maps {shape}", f"InstanceNorm2d({c})，作用于特征图 {shape}"),
        "ln_map": bi(f"LayerNorm([{c}, {h}, {h}]) on feature maps {shape}", f"LayerNorm([{c}, {h}, {h}])，作用于特征图 {shape}"),
    }[k]


def module_tensors(layer: Mapping[str, Any]) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """(named parameters, named buffers) with shapes, as the PyTorch module registers them."""
    k = layer["kind"]
    if k == "bn":
        c = (layer["c"],)
        return {"weight": c, "bias": c}, {"running_mean": c, "running_var": c, "num_batches_tracked": ()}
    if k == "gn":
        return {"weight": (layer["c"],), "bias": (layer["c"],)}, {}
    if k == "in":
        return {}, {}  # affine=False, track_running_stats=False
    shape = (layer["d"],) if k == "ln_tok" else (layer["c"], layer["h"], layer["h"])
    return {"weight": shape, "bias": shape}, {}


class NormParams(RetryFamily):
    name = "norm_params"

    def attempt(self, rng: Any, count: str) -> Attempt:
        layers = _draw_layers(rng)
        answer, wrong = _answers(layers, count)
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            rows = [_describe(layer) for layer in layers]
            if count == "params":
                ask = bi("How many learnable parameters do these layers have in total? Give an integer.",
                         "这些层一共有多少个可学习参数？请给出一个整数。")
            else:
                ask = bi("How many numbers do these layers keep in buffers (saved in the state_dict, not trained)? Give an integer.",
                         "这些层的缓冲区（保存在 state_dict 中、不参与训练）一共有多少个数？请给出一个整数。")
            prompt = bi(
                "A network contains these normalisation layers, created with PyTorch's defaults:\n"
                + "\n".join(f"  {i}. {r.en}" for i, r in enumerate(rows, 1)) + f"\n{ask.en}",
                "一个网络包含以下归一化层，都用 PyTorch 的默认参数创建：\n"
                + "\n".join(f"  {i}. {r.zh}" for i, r in enumerate(rows, 1)) + f"\n{ask.zh}",
            )
            return scalar_instance(
                self, seed, params, answer, values={"count": count, "layers": layers},
                mistakes=mistakes_from(_FEEDBACK, wrong), prompt_text=prompt,
                solution_text=_solution(layers, count, answer),
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        which = 0 if instance.values["count"] == "params" else 1
        return sum(math.prod(shape) for layer in instance.values["layers"]
                   for shape in module_tensors(layer)[which].values())

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.integer
        terms = []
        for layer in instance.values["layers"]:
            tensors = module_tensors(layer)[0 if instance.values["count"] == "params" else 1]
            terms += ["*".join(map(str, shape)) or "1" for shape in tensors.values()]
        return ["+".join(terms), f"{ref}.0"]


def _solution(layers: Sequence[Mapping[str, Any]], count: str, answer: int) -> Bilingual:
    en, zh = [], []
    for layer in layers:
        params, buffers = module_tensors(layer)
        p, b = sum(math.prod(s) for s in params.values()), sum(math.prod(s) for s in buffers.values())
        name = _describe(layer)
        en.append(f"  {name.en.split(' on ')[0]}: parameters {grouped(p)}, buffers {grouped(b)}")
        zh.append(f"  {name.zh.split('，')[0]}：参数 {grouped(p)}，缓冲区 {grouped(b)}")
    head = bi(
        "γ and β have the shape of what is normalised per feature: one per channel for BatchNorm and GroupNorm, the "
        "whole normalised shape for LayerNorm; InstanceNorm2d has affine=False by default. Only BatchNorm keeps "
        "buffers: running_mean, running_var (one per channel) and num_batches_tracked (1).",
        "γ 和 β 的形状就是按特征归一化的那部分形状：BatchNorm 和 GroupNorm 每个通道一个，LayerNorm 是整个被归一化的形状；"
        "InstanceNorm2d 默认 affine=False。只有 BatchNorm 有缓冲区：running_mean、running_var（每通道一个）和 num_batches_tracked（1 个）。",
    )
    what = bi("parameters", "参数") if count == "params" else bi("buffer values", "缓冲区中的数")
    return bi("\n".join([head.en, *en, f"Total {what.en}: {grouped(answer)}"]),
              "\n".join([head.zh, *zh, f"{what.zh}合计：{grouped(answer)}"]))


FAMILIES: list[Family] = [NormParams()]
