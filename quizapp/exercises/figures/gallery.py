"""Figures for the families that were there before figures: receptive field, conv output size,
sigmoid/tanh derivative, EMA, gradient-descent divergence. Each reads only instance.values."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from quizapp.exercises.figures.model import Figure, Mark, Plot, Series, Strip, StripRow
from quizapp.i18n import Bilingual

if TYPE_CHECKING:
    from quizapp.exercises.base import Instance

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
HIT, GAP, PAD, INPUT, TAP, SPAN = "█", "·", "░", "▒", "█", "─"
CURVE_POINTS = 121
GD_STEPS = 12


def bi(en: str, zh: str) -> Bilingual:
    return Bilingual(en, zh)


def num(x: float, digits: int = 4) -> str:
    """A number in a title or legend: 4 significant figures, ×10ⁿ for large and small ones."""
    from quizapp.exercises.families._mathtext import show

    return show(x, digits)


# ---------------------------------------------------------------- receptive field


def footprint(layers: Sequence[Mapping[str, Any]], unit: int = 0) -> set[int]:
    """Input positions (no padding) that reach `unit` of the last of `layers`: position i of a
    layer reads i·s + t·d of the layer below, t = 0…k−1."""
    positions = {unit}
    for layer in reversed(layers):
        k, s, d = layer["k"], layer["s"], layer.get("d", 1)
        positions = {i * s + t * d for i in positions for t in range(k)}
    return positions


def receptive_field(instance: Instance) -> Figure:
    layers = instance.values["layers"]
    rows, r = [], 1
    for depth in range(1, len(layers) + 1):
        seen = footprint(layers[:depth])
        r = max(seen) + 1  # unit 0 starts at input position 0
        cells = "".join(HIT if p in seen else GAP for p in range(r))
        rows.append(StripRow(bi(f"layer {depth}", f"第 {depth} 层"), cells, f"r = {r}"))
    return Figure(
        title=bi(
            "The receptive field of unit 0 of each layer over the input row: it grows layer by layer.",
            "每一层第 0 个单元在输入行上的感受野：逐层变大。",
        ),
        body=Strip(
            start=0, rows=tuple(rows), axis=bi("input position", "输入位置"),
            legend=((HIT, bi("reaches the unit", "能影响该单元")),
                    (GAP, bi("inside the span, not reached (dilation gaps)", "在范围内但影响不到（膨胀留下的间隙）"))),
        ),
        caption=bi(f"After the last layer the window is {r} input positions wide.",
                   f"经过最后一层，窗口宽度为 {r} 个输入位置。"),
    )


# ---------------------------------------------------------------- conv output size


def kernel_windows(length: int, k: int, s: int, d: int) -> list[int]:
    """Start positions (on the padded row) of every window that fits, by sliding."""
    span = d * (k - 1) + 1
    starts, start = [], 0
    while start + span <= length:
        starts.append(start)
        start += s
    return starts


def _window_cells(start: int, k: int, d: int, length: int) -> str:
    cells = [" "] * length
    for i in range(start, start + d * (k - 1) + 1):
        cells[i] = SPAN
    for t in range(k):
        cells[start + t * d] = TAP
    return "".join(cells)


def conv_output_size(instance: Instance) -> Figure:
    v = instance.values
    h, k, s, p, d = v["H"], v["K"], v["S"], v["P"], v["D"]
    length, span = h + 2 * p, d * (k - 1) + 1
    starts = kernel_windows(length, k, s, d)
    shown = list(range(len(starts))) if len(starts) <= 5 else [0, 1, 2, len(starts) - 1]
    rows = [StripRow(bi("input", "输入"), PAD * p + INPUT * h + PAD * p, f"{length}")]
    for before, index in zip([None, *shown], shown):
        if before is not None and index != before + 1:
            rows.append(StripRow(bi("⋮", "⋮"), ""))
        rows.append(StripRow(bi(f"out {index + 1}", f"输出 {index + 1}"),
                             _window_cells(starts[index], k, d, length), f"@{starts[index] - p}"))
    top = length - span
    return Figure(
        title=bi(
            f"A kernel spanning D·(K − 1) + 1 = {span} slides in steps of S = {s} over the padded row "
            f"(H + 2P = {length}).",
            f"覆盖 D·(K − 1) + 1 = {span} 个位置的卷积核，以步长 S = {s} 在填充后的一行（H + 2P = {length}）上滑动。",
        ),
        body=Strip(
            start=-p, rows=tuple(rows), axis=bi("input position (padding is negative)", "输入位置（填充为负）"),
            legend=((TAP, bi("kernel tap", "卷积核采样点")), (SPAN, bi("skipped (dilation)", "跳过（膨胀）")),
                    (INPUT, bi("input", "输入")), (PAD, bi("zero padding", "零填充"))),
        ),
        caption=bi(
            f"{len(starts)} windows fit: ⌊{top}/{s}⌋ + 1 = {len(starts)} (@ = first tap's input position).",
            f"共能放下 {len(starts)} 个窗口：⌊{top}/{s}⌋ + 1 = {len(starts)}（@ 为第一个采样点的输入位置）。",
        ),
    )


# ---------------------------------------------------------------- activation with a tangent


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _activation_figure(instance: Instance, f: Callable[[float], float], name: str,
                       slope_text: str, y_range: tuple[float, float]) -> Figure:
    a = instance.values["a"]
    x0 = 1 / a  # where the inner argument a·x is 1: a point where the slope is easy to read off
    y0 = f(a * x0)
    xs = [-3 + 6 * i / (CURVE_POINTS - 1) for i in range(CURVE_POINTS)]
    slope = a * (y0 * (1 - y0) if name == "σ" else 1 - y0 * y0)
    tangent = [(x, y0 + slope * (x - x0)) for x in xs if y_range[0] <= y0 + slope * (x - x0) <= y_range[1]]
    shown_a = num(a).replace("\u2212", "−")
    title_en = f"f(x) = {name}({shown_a}x) and its tangent at x₀ = {num(x0)} ({shown_a}·x₀ = 1): slope {slope_text} = {num(slope)}"
    title_zh = f"f(x) = {name}({shown_a}x) 及其在 x₀ = {num(x0)}（{shown_a}·x₀ = 1）处的切线：斜率 {slope_text} = {num(slope)}"
    return Figure(
        title=bi(title_en, title_zh),
        body=Plot(
            series=(
                Series(bi(f"f(x) = {name}({shown_a}x)", f"f(x) = {name}({shown_a}x)"),
                       tuple((x, f(a * x)) for x in xs)),
                Series(bi("tangent at x₀", "x₀ 处的切线"), tuple(tangent), style="markers", glyph="·"),
                Series(bi(f"(x₀, f(x₀)) = ({num(x0)}, {num(y0)})", f"(x₀, f(x₀)) = ({num(x0)}, {num(y0)})"),
                       ((x0, y0),), style="markers", glyph="●"),
            ),
            x_label=bi("x", "x"), y_label=bi("f(x)", "f(x)"), y_range=y_range,
            marks=(Mark(x0, bi(f"x₀ = {num(x0)}", f"x₀ = {num(x0)}")),),
        ),
    )


def sigmoid_derivative(instance: Instance) -> Figure:
    a = num(instance.values["a"])
    return _activation_figure(instance, _sigmoid, "σ", f"f′(x₀) = {a}·σ(1)·(1 − σ(1))", (-0.1, 1.1))


def tanh_derivative(instance: Instance) -> Figure:
    a = num(instance.values["a"])
    return _activation_figure(instance, math.tanh, "tanh", f"f′(x₀) = {a}·(1 − tanh²(1))", (-1.1, 1.1))


# ---------------------------------------------------------------- EMA


def ema(instance: Instance) -> Figure:
    beta, thetas = instance.values["beta"], instance.values["thetas"]
    raw, fixed, v = [(0.0, 0.0)], [], 0.0
    for t, theta in enumerate(thetas, 1):
        v = beta * v + (1 - beta) * theta
        raw.append((float(t), v))
        fixed.append((float(t), v / (1 - beta**t)))
    return Figure(
        title=bi(f"EMA with β = {beta}: the data θₜ, the raw vₜ (from v₀ = 0) and the bias-corrected v̂ₜ = vₜ/(1 − βᵗ)",
                 f"β = {beta} 的指数移动平均：数据 θₜ、未修正的 vₜ（从 v₀ = 0 开始）和偏差修正后的 v̂ₜ = vₜ/(1 − βᵗ)"),
        body=Plot(
            series=(
                Series(bi("θₜ (data)", "θₜ（数据）"), tuple((float(t), th) for t, th in enumerate(thetas, 1)),
                       style="markers", glyph="○"),
                Series(bi("vₜ raw: starts at 0, lags low", "vₜ 未修正：从 0 开始，偏低"), tuple(raw), glyph="×"),
                Series(bi("v̂ₜ bias-corrected", "v̂ₜ 偏差修正后"), tuple(fixed), glyph="●"),
            ),
            x_label=bi("step t", "步数 t"), y_label=bi("value", "数值"),
        ),
        caption=bi("Early vₜ sit near 0 because v₀ = 0; 1 − βᵗ is the weight the data has received so far.",
                   "由于 v₀ = 0，前几步的 vₜ 接近 0；1 − βᵗ 是到目前为止数据获得的总权重。"),
    )


# ---------------------------------------------------------------- gradient descent past the threshold


def gd_losses(curvatures: Sequence[float], eta: float, steps: int = GD_STEPS) -> list[float]:
    """½·Σ λᵢ·wᵢ² along gradient descent from w = (1, …, 1)."""
    w = [1.0] * len(curvatures)
    losses = []
    for _ in range(steps + 1):
        losses.append(0.5 * sum(lam * wi * wi for lam, wi in zip(curvatures, w)))
        w = [wi - eta * lam * wi for lam, wi in zip(curvatures, w)]
    return losses


def gd_divergence(instance: Instance) -> Figure:
    a = instance.values["a"]
    star = 2 / max(a)
    series = []
    for factor, glyph in ((0.9, "○"), (1.1, "×")):
        losses = gd_losses(a, factor * star)
        series.append(Series(bi(f"η = {factor}·η* = {num(factor * star)}", f"η = {factor}·η* = {num(factor * star)}"),
                             tuple((float(k), loss) for k, loss in enumerate(losses)), glyph=glyph))
    return Figure(
        title=bi(f"Loss along gradient descent from w = (1, …, 1), just below and just above η* = 2/λ_max = {num(star)}",
                 f"从 w = (1, …, 1) 出发的梯度下降损失：学习率略低于和略高于 η* = 2/λ_max = {num(star)}"),
        body=Plot(series=tuple(series), x_label=bi("step", "步数"),
                  y_label=bi("loss (log scale)", "损失（对数坐标）"), log_y=True),
        caption=bi("Above η*, |1 − η·λ_max| > 1: the steepest direction overshoots further each step and the loss grows geometrically.",
                   "高于 η* 时 |1 − η·λ_max| > 1：最陡方向每一步都越冲越远，损失按几何级数增长。"),
    )


BUILDERS: dict[str, Callable[[Instance], Figure]] = {
    "receptive_field": receptive_field,
    "conv_output_size": conv_output_size,
    "sigmoid_derivative": sigmoid_derivative,
    "tanh_derivative": tanh_derivative,
    "ema": ema,
    "gd_divergence": gd_divergence,
}
