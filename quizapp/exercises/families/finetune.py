"""Trainable parameters when fine-tuning: a frozen conv backbone, a new head, maybe the last conv unfrozen.

simulate() builds the parameter tensors layer by layer (shapes as PyTorch stores them, as
zero-copy numpy arrays), marks which ones require gradients, and sums the sizes of those.
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

BACKBONES = ((32, 64, 128), (64, 128, 256), (16, 32, 64, 128), (32, 64, 128, 256), (64, 128, 256, 512))
HEADS = ("linear", "mlp", "mlp_bn")
HIDDEN = (64, 128, 256, 512)
CLASSES = (2, 5, 10, 20, 37, 100)


def conv_params(k: int, c_in: int, c_out: int, bias: bool = True) -> int:
    return k * k * c_in * c_out + (c_out if bias else 0)


def linear_params(n_in: int, n_out: int, bias: bool = True) -> int:
    return n_in * n_out + (n_out if bias else 0)


@dataclass(frozen=True)
class _Net:
    """One drawn network: the backbone convs (k, c_in, c_out), the new head and what is unfrozen."""

    convs: list[tuple[int, int, int]]
    head: str
    hidden: int
    classes: int
    unfreeze_last: bool

    @property
    def feat(self) -> int:
        return self.convs[-1][2]

    @property
    def backbone(self) -> int:
        return sum(conv_params(*c) for c in self.convs)

    @property
    def last(self) -> int:
        return conv_params(*self.convs[-1])

    def head_params(self, bias: bool = True) -> int:
        if self.head == "linear":
            return linear_params(self.feat, self.classes, bias)
        return linear_params(self.feat, self.hidden, bias) + linear_params(self.hidden, self.classes, bias)

    @property
    def bn(self) -> int:
        return 2 * self.hidden if self.head == "mlp_bn" else 0

    @property
    def answer(self) -> int:
        return self.head_params() + self.bn + (self.last if self.unfreeze_last else 0)

    def values(self) -> dict[str, Any]:
        return {
            "convs": self.convs, "head": self.head, "hidden": self.hidden, "classes": self.classes,
            "unfreeze_last": self.unfreeze_last,
        }


def _draw_net(rng: Any) -> _Net:
    widths = pick(rng, BACKBONES)
    kernels = [7 if i == 0 and rng.random() < 0.5 else 3 for i in range(len(widths))]
    head = pick(rng, HEADS)
    hidden = pick(rng, HIDDEN)
    classes = pick(rng, CLASSES)
    unfreeze_last = bool(rng.random() < 0.4)
    chans = (3, *widths)
    convs = [(kernels[i], chans[i], chans[i + 1]) for i in range(len(widths))]
    return _Net(convs, head, hidden, classes, unfreeze_last)


def _mistakes(net: _Net) -> tuple[Mistake, ...]:
    answer, bn, hidden, last = net.answer, net.bn, net.hidden, net.last
    no_bias = net.head_params(bias=False) + bn + (
        conv_params(*net.convs[-1], bias=False) if net.unfreeze_last else 0
    )
    mistakes = [
        Mistake("finetune.no-bias", no_bias, bi(
            "Each Linear (and conv) layer has a bias vector with one entry per output unit; it is trained too.",
            "每个全连接层（和卷积层）都有偏置，每个输出单元一个，它们同样要训练。",
        )),
        Mistake("finetune.counted-backbone", net.backbone + net.head_params() + bn, bi(
            "That is the whole model. Frozen parameters (requires_grad = False) get no gradient and are not trainable.",
            "这是整个模型的参数量。冻结的参数（requires_grad = False）没有梯度，不可训练。",
        )),
    ]
    if net.head == "mlp_bn":
        mistakes.append(Mistake("finetune.no-batchnorm", answer - bn, bi(
            f"BatchNorm1d({hidden}) has a learnable scale γ and shift β per feature: 2 × {hidden} = {2 * hidden} parameters.",
            f"BatchNorm1d({hidden}) 每个特征有可学习的缩放 γ 和平移 β：2 × {hidden} = {2 * hidden} 个参数。",
        )))
        mistakes.append(Mistake("finetune.bn-running-stats", answer + bn, bi(
            "BatchNorm's running mean and running variance are buffers updated by averaging, not parameters: only γ and β are trained.",
            "BatchNorm 的滑动均值和滑动方差是 buffer，靠指数移动平均更新，不是参数：只有 γ 和 β 参与训练。",
        )))
    if net.unfreeze_last:
        mistakes.append(Mistake("finetune.missed-unfrozen", answer - last, bi(
            "The last backbone conv was unfrozen, so its weights and bias are trainable as well.",
            "主干的最后一个卷积层被解冻了，它的权重和偏置也要训练。",
        )))
    return tuple(mistakes)


def _prompt(net: _Net) -> Bilingual:
    convs, feat, classes, hidden, head = net.convs, net.feat, net.classes, net.hidden, net.head
    conv_lines = "\n".join(
        f"  conv{i + 1}: {k}×{k}, {ci} → {co} channels" for i, (k, ci, co) in enumerate(convs)
    )
    conv_lines_zh = "\n".join(
        f"  conv{i + 1}：{k}×{k}，{ci} → {co} 通道" for i, (k, ci, co) in enumerate(convs)
    )
    head_en = {
        "linear": f"Linear({feat}, {classes})",
        "mlp": f"Linear({feat}, {hidden}) → ReLU → Linear({hidden}, {classes})",
        "mlp_bn": f"Linear({feat}, {hidden}) → BatchNorm1d({hidden}) → ReLU → Linear({hidden}, {classes})",
    }[head]
    n = len(convs)
    unfreeze_en = f"\nThe last conv layer (conv{n}) is unfrozen and trained as well." if net.unfreeze_last else ""
    unfreeze_zh = f"\n主干最后一个卷积层（conv{n}）被解冻，也参与训练。" if net.unfreeze_last else ""
    return bi(
        f"A pretrained backbone (every conv has a bias; no BatchNorm in the backbone):\n{conv_lines}\n"
        f"  global average pooling → a {feat}-d feature\n"
        f"It is frozen (requires_grad = False). A new head for {classes} classes is trained: {head_en} "
        f"(every Linear has a bias).{unfreeze_en}\n"
        "How many parameters are trainable? Give an integer.",
        f"一个预训练主干网络（每个卷积都有偏置，主干中没有 BatchNorm）：\n{conv_lines_zh}\n"
        f"  全局平均池化 → {feat} 维特征\n"
        f"主干被冻结（requires_grad = False）。为 {classes} 个类别训练一个新的分类头：{head_en}"
        f"（每个 Linear 都有偏置）。{unfreeze_zh}\n"
        "可训练的参数有多少个？给出一个整数。",
    )


def _solution(net: _Net) -> Bilingual:
    convs, feat, classes, hidden, head, n = net.convs, net.feat, net.classes, net.hidden, net.head, len(net.convs)
    head_p, bn, last, unfreeze_last = net.head_params(), net.bn, net.last, net.unfreeze_last
    backbone, answer = net.backbone, net.answer
    steps_en: list[str] = []
    if head == "linear":
        steps_en.append(f"Linear({feat}, {classes}): {feat}×{classes} + {classes} = {grouped(head_p)}")
    else:
        l1, l2 = linear_params(feat, hidden), linear_params(hidden, classes)
        steps_en.append(f"Linear({feat}, {hidden}): {feat}×{hidden} + {hidden} = {grouped(l1)}")
        if head == "mlp_bn":
            steps_en.append(f"BatchNorm1d({hidden}): γ and β = 2×{hidden} = {bn} (running mean/var are buffers, not parameters)")
        steps_en.append(f"Linear({hidden}, {classes}): {hidden}×{classes} + {classes} = {grouped(l2)}")
    if unfreeze_last:
        k, ci, co = convs[-1]
        steps_en.append(f"conv{n} (unfrozen): {k}×{k}×{ci}×{co} + {co} = {grouped(last)}")
    steps_zh = [
        s.replace("(running mean/var are buffers, not parameters)", "（滑动均值/方差是 buffer，不是参数）")
        .replace("γ and β", "γ 和 β").replace(" (unfrozen)", "（已解冻）")
        for s in steps_en
    ]
    return bi(
        "Only parameters with requires_grad = True count; the frozen backbone "
        f"({grouped(backbone)} parameters) does not" + (", except the unfrozen last conv" if unfreeze_last else "") + ".\n"
        + "\n".join(f"  {s}" for s in steps_en) + f"\nTotal trainable: {grouped(answer)}",
        "只统计 requires_grad = True 的参数；冻结的主干"
        f"（{grouped(backbone)} 个参数）不算" + ("，被解冻的最后一个卷积层除外" if unfreeze_last else "") + "。\n"
        + "\n".join(f"  {s}" for s in steps_zh) + f"\n可训练参数合计：{grouped(answer)}",
    )


class FinetuneParams(DistinctDrawFamily):
    name = "finetune_params"

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        net = _draw_net(rng)
        return scalar_instance(
            self, seed, params, net.answer, values=net.values(), mistakes=_mistakes(net),
            prompt_text=_prompt(net), solution_text=_solution(net),
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        tensors: list[tuple[tuple[int, ...], bool]] = []  # (shape, requires_grad)
        convs = v["convs"]
        for idx, (k, ci, co) in enumerate(convs):
            trainable = bool(v["unfreeze_last"]) and idx == len(convs) - 1
            tensors += [((co, ci, k, k), trainable), ((co,), trainable)]
        feat, hidden, classes = convs[-1][2], v["hidden"], v["classes"]
        if v["head"] == "linear":
            tensors += [((classes, feat), True), ((classes,), True)]
        else:
            tensors += [((hidden, feat), True), ((hidden,), True)]
            if v["head"] == "mlp_bn":  # weight, bias are parameters; running stats are buffers
                tensors += [((hidden,), True), ((hidden,), True), ((hidden,), False), ((hidden,), False)]
            tensors += [((classes, hidden), True), ((classes,), True)]
        zero = np.zeros((), dtype=np.float32)
        return int(sum(np.broadcast_to(zero, shape).size for shape, trainable in tensors if trainable))

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.integer
        return [f"{ref - 1} + 1", f"{ref:,}" if ref >= 1000 else f"{2 * ref}/2"]


FAMILIES: list[Family] = [FinetuneParams()]
