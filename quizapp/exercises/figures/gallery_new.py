"""Figures for the wave-2 families: where a receptive field sits, softmax gradients under two
losses, the learning-rate schedule, two boxes and their overlap, the precision–recall curve,
and where attention's n² term takes over. Each reads only instance.values."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quizapp.exercises.figures.gallery import bi, num
from quizapp.exercises.figures.model import Figure, Mark, Plot, Series, Strip, StripRow

if TYPE_CHECKING:
    from quizapp.exercises.base import Instance

CENTRE, HIT, TICK, PAD, INPUT = "▲", "█", "│", "░", "·"
BOX_A, BOX_B, BOTH = "▒", "░", "█"
SAMPLES = 161


# ---------------------------------------------------------------- receptive field centre


def rf_center(instance: Instance) -> Figure:
    from quizapp.exercises.families.rf_center import footprint, walk

    layers, u = instance.values["layers"], instance.values["u"]
    seen = footprint(layers, u)
    first, last = min(seen), max(seen)
    centre = (first + last) // 2
    lo, hi = min(first, 0) - 1, last + 2
    rows = [StripRow(bi("input", "输入"), "".join(PAD if p < 0 else INPUT for p in range(lo, hi)))]
    for depth in range(1, len(layers) + 1):
        start, jump, _ = walk(layers[:depth])
        marks = {start + i * jump for i in range(max(0, (hi - start) // jump + 1))}
        rows.append(StripRow(bi(f"layer {depth}", f"第 {depth} 层"),
                             "".join(TICK if p in marks else " " for p in range(lo, hi)), f"j = {jump}"))
    cells = "".join(CENTRE if p == centre else HIT if first <= p <= last else " " for p in range(lo, hi))
    rows.append(StripRow(bi(f"unit {u}", f"单元 {u}"), cells, f"{first}…{last}"))
    return Figure(
        title=bi(f"Centres of each layer's units on the input (spaced by the jump j), and the field of unit {u} "
                 "of the last layer.",
                 f"每层各单元的中心在输入上的位置（间距为跳距 j），以及最后一层第 {u} 个单元的感受野。"),
        body=Strip(start=lo, rows=tuple(rows), axis=bi("input position (padding is negative)", "输入位置（填充为负）"),
                   legend=((CENTRE, bi("centre", "中心")), (HIT, bi("receptive field", "感受野")),
                           (TICK, bi("a unit's centre", "单元中心")), (PAD, bi("padding", "填充")),
                           (INPUT, bi("input", "输入")))),
        caption=bi(f"Unit {u} sees input positions {first} to {last}, centred on {centre}.",
                   f"第 {u} 个单元看到输入位置 {first} 到 {last}，中心在 {centre}。"),
    )


# ---------------------------------------------------------------- softmax gradient


def true_logit_gradient(z: Sequence[float], c: int, loss: str) -> float:
    """∂L/∂z_c for the given logits (cross-entropy p_c − 1; squared error 2·p_c·((p_c − 1) − S))."""
    top = max(z)
    e = [math.exp(v - top) for v in z]
    p = [v / sum(e) for v in e]
    if loss == "ce":
        return p[c] - 1
    s = sum((pk - (1.0 if k == c else 0.0)) * pk for k, pk in enumerate(p))
    return 2 * p[c] * ((p[c] - 1) - s)


def softmax_gradient(instance: Instance) -> Figure:
    z, c = list(instance.values["z"]), instance.values["c"]
    lo, hi = min(z) - 3, max(z) + 4
    xs = sorted({lo + (hi - lo) * i / (SAMPLES - 1) for i in range(SAMPLES)} | {z[c]})
    series = []
    for loss, glyph, label in (("ce", "", bi("cross-entropy: p_c − 1", "交叉熵：p_c − 1")),
                               ("mse", "·", bi("squared error", "平方误差"))):
        pts = tuple((x, true_logit_gradient([x if k == c else v for k, v in enumerate(z)], c, loss)) for x in xs)
        series.append(Series(label, pts, style="line" if loss == "ce" else "markers", glyph=glyph))
    here = true_logit_gradient(z, c, instance.values["loss"])
    series.append(Series(bi(f"this instance: z_c = {num(z[c])}, ∂L/∂z_c = {num(here)}",
                            f"本题：z_c = {num(z[c])}，∂L/∂z_c = {num(here)}"), ((z[c], here),), "markers", "●"))
    return Figure(
        title=bi("The push on the true logit, ∂L/∂z_c, as z_c varies (other logits fixed).",
                 "正确类别的 logit 受到的梯度 ∂L/∂z_c 随 z_c 的变化（其他 logit 不变）。"),
        body=Plot(series=tuple(series), x_label=bi("z_c (true-class logit)", "z_c（正确类别的 logit）"),
                  y_label=bi("∂L/∂z_c", "∂L/∂z_c"), marks=(Mark(z[c], bi("this z_c", "本题的 z_c")),),
                  y_range=(min(-1.0, *(y for s in series for _, y in s.points)), 0.0)),
        caption=bi("Far left (confidently wrong) cross-entropy still pushes with ≈ −1; squared error's push fades to 0.",
                   "在最左边（错得很自信）交叉熵仍以约 −1 推动；平方误差的推动却趋于 0。"),
    )


# ---------------------------------------------------------------- learning-rate schedule


def lr_schedule(instance: Instance) -> Figure:
    from quizapp.exercises.families.lr_schedule import rate

    v = instance.values
    top, floor, warm, total, t = v["top"], v["floor"], v["warm"], v["total"], v["t"]
    steps = sorted({round(total * i / (SAMPLES - 1)) for i in range(SAMPLES)} | {warm, t})
    here = rate(t, top, floor, warm, total)
    return Figure(
        title=bi(f"Warm-up to η_max = {num(top)} over {warm} steps, cosine decay to η_min = {num(floor)} at step {total}.",
                 f"用 {warm} 步预热到 η_max = {num(top)}，再按余弦衰减到第 {total} 步的 η_min = {num(floor)}。"),
        body=Plot(
            series=(Series(bi("η(t)", "η(t)"), tuple((float(s), rate(s, top, floor, warm, total)) for s in steps)),
                    Series(bi(f"step {t}: η = {num(here)}", f"第 {t} 步：η = {num(here)}"), ((float(t), here),),
                           "markers", "●")),
            x_label=bi("step t", "步数 t"), y_label=bi("learning rate", "学习率"),
            marks=(Mark(float(warm), bi(f"warm-up ends (W = {warm})", f"预热结束（W = {warm}）")),),
        ),
    )


# ---------------------------------------------------------------- two boxes


def box_iou(instance: Instance) -> Figure:
    a, b = instance.values["a"], instance.values["b"]
    x0, x1 = min(a[0], b[0]), max(a[2], b[2])
    y0, y1 = min(a[1], b[1]), max(a[3], b[3])

    def inside(box: Sequence[int], x: int, y: int) -> bool:
        return box[0] <= x < box[2] and box[1] <= y < box[3]

    rows = []
    for y in range(y0, y1):
        cells = "".join(BOTH if inside(a, x, y) and inside(b, x, y) else BOX_A if inside(a, x, y)
                        else BOX_B if inside(b, x, y) else " " for x in range(x0, x1))
        rows.append(StripRow(bi(f"y {y}", f"y {y}"), cells))
    inter = sum(row.cells.count(BOTH) for row in rows)
    union = sum(len(row.cells) - row.cells.count(" ") for row in rows)
    return Figure(
        title=bi("The two boxes, one cell per unit square (y grows downward).", "两个框，每格一个单位面积（y 向下增大）。"),
        body=Strip(start=x0, rows=tuple(rows), axis=bi("x", "x"),
                   legend=((BOTH, bi("overlap I", "重叠 I")), (BOX_A, bi("A only", "仅 A")), (BOX_B, bi("B only", "仅 B")))),
        caption=bi(f"IoU = overlap cells / covered cells = {inter}/{union}.", f"IoU = 重叠格数 / 覆盖格数 = {inter}/{union}。"),
    )


# ---------------------------------------------------------------- precision–recall curve


def ranked_ap(instance: Instance) -> Figure:
    from quizapp.exercises.families.detection import pr_points

    v = instance.values
    pts = [(float(r), float(p)) for r, p in pr_points(v["flags"], v["n_gt"])]
    envelope: list[tuple[float, float]] = []
    last_r = 0.0
    for k, (r, _) in enumerate(pts):
        if r > last_r:  # a recall step: the best precision at this rank or later
            best = max(p for _, p in pts[k:])
            envelope += [(last_r, best), (r, best)]
            last_r = r
    envelope.append((last_r, 0.0))
    envelope.append((1.0, 0.0))
    area = sum((x2 - x1) * (y1 + y2) / 2 for (x1, y1), (x2, y2) in zip(envelope, envelope[1:]))
    missed = v["n_gt"] - sum(v["flags"])
    return Figure(
        title=bi("Precision–recall after each detection, and the interpolated envelope (area = interpolated AP).",
                 "每个检测之后的精确率–召回率，以及插值后的包络线（面积 = 插值 AP）。"),
        body=Plot(
            series=(Series(bi(f"interpolated envelope, area {num(area)}", f"插值包络线，面积 {num(area)}"),
                           tuple(envelope)),
                    Series(bi("(recall, precision) after each detection", "每个检测之后的（召回率，精确率）"),
                           tuple(pts), "markers", "○")),
            x_label=bi("recall", "召回率"), y_label=bi("precision", "精确率"), y_range=(0.0, 1.0),
        ),
        caption=bi(f"Recall stops at {num(pts[-1][0])}: {missed} {'object is' if missed == 1 else 'objects are'} never detected.",
                   f"召回率止于 {num(pts[-1][0])}：有 {missed} 个目标从未被检出。"),
    )


# ---------------------------------------------------------------- attention FLOPs


def attention_flops(instance: Instance) -> Figure | None:
    v = instance.values
    if v["form"] != "number":
        return None
    n, d, b = v["n"], v["d"], v["b"]
    top = max(2 * n, 4 * d)
    xs = [top * i / (SAMPLES - 1) for i in range(SAMPLES)]
    return Figure(
        title=bi(f"FLOPs per sequence as n grows (d = {d}): the projections grow like n, the scores like n².",
                 f"随 n 增长的每条序列 FLOPs（d = {d}）：投影部分随 n 线性增长，注意力分数部分随 n² 增长。"),
        body=Plot(
            series=(Series(bi("projections 8·n·d²", "投影 8·n·d²"), tuple((x, 8 * x * d * d) for x in xs)),
                    Series(bi("scores and A·V 4·n²·d", "注意力 4·n²·d"), tuple((x, 4 * x * x * d) for x in xs),
                           "markers", "·")),
            x_label=bi("sequence length n", "序列长度 n"), y_label=bi("FLOPs per sequence", "每条序列的 FLOPs"),
            marks=(Mark(float(n), bi(f"this n = {n} (× batch {b})", f"本题 n = {n}（× 批大小 {b}）")),
                   Mark(float(2 * d), bi(f"n = 2d = {2 * d}: the two parts are equal", f"n = 2d = {2 * d}：两部分相等"))),
        ),
    )


BUILDERS: dict[str, Callable[[Instance], Figure | None]] = {
    "rf_center": rf_center,
    "softmax_gradient": softmax_gradient,
    "lr_schedule": lr_schedule,
    "box_iou": box_iou,
    "ranked_ap": ranked_ap,
    "attention_flops": attention_flops,
}
