"""Detection metrics: IoU of two boxes, and average precision from a ranked list of detections.

box_iou: corners (x1, y1, x2, y2) on a continuous plane (width x2 − x1, no +1): IoU = I/(A + B − I).
simulate() paints the unit cells each box covers and counts shared and covered cells.

ranked_ap: detections sorted by score, each already marked TP or FP, N ground-truth objects.
"interpolated" (PASCAL VOC 2010+, all points): the area under the precision–recall curve after
replacing each precision by the best precision at any higher recall. "raw": Σ (R_k − R_{k−1})·P_k, i.e. the mean over the N objects of the
precision where each is found (0 if never). The closed forms follow VOC's envelope code and the
TP-rank mean; simulate() sweeps the score threshold, recounts TP/FP at every cut-off, and
integrates the interpolated curve over recall levels i/N.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from quizapp.checking.spec import AnswerSpec, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._hand import fair, sig4
from quizapp.exercises.families._mathtext import HINT_REAL, bi, show, typed
from quizapp.exercises.families._retry import Attempt, RetryFamily, scalar_build
from quizapp.exercises.families._values import all_far, mistakes_from
from quizapp.i18n import Bilingual

Box = tuple[int, int, int, int]

_IOU_FEEDBACK = {
    "iou.plus-one": bi("Here the corners are points on a continuous plane: width = x2 − x1, with no +1.",
                       "这里的角点是连续平面上的点：宽 = x2 − x1，不加 1。"),
    "iou.over-sum": bi("The union counts the overlap once: A + B − I.", "并集只把重叠部分算一次：A + B − I。"),
    "iou.over-min": bi("IoU divides by the union, not by the smaller box.", "IoU 除以的是并集，不是较小框的面积。"),
    "iou.over-pred": bi("IoU is symmetric: divide by the union A + B − I, not by one box.", "IoU 是对称的：除以并集 A + B − I，而不是其中一个框。"),
    "iou.dice": bi("2I/(A + B) is the Dice coefficient (F1 of the pixels). IoU = I/(A + B − I).",
                   "2I/(A + B) 是 Dice 系数（像素级的 F1）。IoU = I/(A + B − I)。"),
}


def area(box: Box, plus: int = 0) -> int:
    return (box[2] - box[0] + plus) * (box[3] - box[1] + plus)


def overlap(a: Box, b: Box, plus: int = 0) -> int:
    w = min(a[2], b[2]) - max(a[0], b[0]) + plus
    h = min(a[3], b[3]) - max(a[1], b[1]) + plus
    return max(0, w) * max(0, h)


def _draw_boxes(rng: Any) -> tuple[Box, Box]:
    """Two boxes that overlap: B's corner is drawn inside the range where it still meets A."""
    w, h = int(rng.integers(3, 11)), int(rng.integers(2, 8))
    a = (int(rng.integers(0, 12)), int(rng.integers(0, 6)))
    a_box = (a[0], a[1], a[0] + w, a[1] + h)
    bw, bh = int(rng.integers(3, 11)), int(rng.integers(2, 8))
    bx = int(rng.integers(max(0, a[0] - bw + 1), a[0] + w))
    by = int(rng.integers(max(0, a[1] - bh + 1), a[1] + h))
    return a_box, (bx, by, bx + bw, by + bh)


class BoxIoU(RetryFamily):
    name = "box_iou"

    def attempt(self, rng: Any) -> Attempt:
        a, b = _draw_boxes(rng)
        i = overlap(a, b)
        union = area(a) + area(b) - i
        answer = i / union
        wrong = {
            "iou.plus-one": overlap(a, b, 1) / (area(a, 1) + area(b, 1) - overlap(a, b, 1)),
            "iou.over-sum": i / (area(a) + area(b)),
            "iou.over-min": i / min(area(a), area(b)),
            "iou.over-pred": i / area(a),
            "iou.dice": 2 * i / (area(a) + area(b)),
        }
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            prompt = bi(
                f"A predicted box A = {a} and a ground-truth box B = {b}, each given by its corners (x1, y1, x2, y2) on a "
                "continuous plane (width x2 − x1, height y2 − y1; no +1).\nWhat is their intersection over union (IoU)? "
                "Give a number with at least 4 significant figures (a fraction like 12/35 is fine).",
                f"预测框 A = {a}，真实框 B = {b}，都用角点 (x1, y1, x2, y2) 表示，坐标在连续平面上（宽 x2 − x1，高 y2 − y1，不加 1）。\n"
                "它们的交并比（IoU）是多少？请给出至少 4 位有效数字（可以写分数，如 12/35）。",
            )
            w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            body = (f"A = {a[2] - a[0]}·{a[3] - a[1]} = {area(a)}, B = {b[2] - b[0]}·{b[3] - b[1]} = {area(b)}\n"
                    f"I = (min(x2) − max(x1))·(min(y2) − max(y1)) = {w}·{h} = {i}\n")
            tail = f"IoU = I/(A + B − I) = {i}/({area(a)} + {area(b)} − {i}) = {i}/{union} = {show(answer, 6)}"
            return Instance(
                family=self.name, seed=seed, params=dict(params), values={"a": list(a), "b": list(b)},
                spec=AnswerSpec(kind="real", reference=answer), mistakes=mistakes_from(_IOU_FEEDBACK, wrong),
                prompt_text=prompt, solution_text=bi(body + tail + "\n(The union counts the shared area once.)",
                                                     body + tail + "\n（并集只把共同的面积算一次。）"),
                answer_text=f"{i}/{union}", answer_hint=HINT_REAL,
            )

        return kept, build

    def simulate(self, instance: Instance) -> Value:
        def cells(box: Sequence[int]) -> set[tuple[int, int]]:
            return {(x, y) for x in range(box[0], box[2]) for y in range(box[1], box[3])}

        a, b = cells(instance.values["a"]), cells(instance.values["b"])
        return len(a & b) / len(a | b)

    def alternative_answers(self, instance: Instance) -> list[str]:
        ref = instance.spec.number
        return [typed(ref), f"{ref * 100:.5g}/100"]


# ---------------------------------------------------------------- average precision

_AP_FEEDBACK = {
    "ap.no-interpolation": bi(
        "That is the raw area Σ (R_k − R_{k−1})·P_k. Interpolated AP first replaces each precision by the best "
        "precision at any higher recall.",
        "这是未插值的面积 Σ (R_k − R_{k−1})·P_k。插值 AP 先把每个精确率换成更高召回率处的最大精确率。",
    ),
    "ap.interpolated": bi(
        "You interpolated. The raw AP uses each precision as it is: Σ (R_k − R_{k−1})·P_k.",
        "你做了插值。原始 AP 直接使用各处的精确率：Σ (R_k − R_{k−1})·P_k。",
    ),
    "ap.divide-by-detected": bi(
        "Recall is out of ALL ground-truth objects: the objects never detected keep recall (and AP) below 1.",
        "召回率的分母是全部真实目标：从未被检出的目标会让召回率（和 AP）低于 1。",
    ),
    "ap.final-precision": bi(
        "That is the precision of the whole list at the lowest threshold. AP averages over the ranking.",
        "这是阈值最低时整个列表的精确率。AP 是在整个排序上平均。",
    ),
    "ap.mean-all-ranks": bi(
        "Only the ranks where an object is found (a recall step) count, each weighted by its recall increase.",
        "只有找到目标的名次（召回率上升的地方）才计入，每个按它带来的召回率增量加权。",
    ),
    "ap.eleven-point": bi(
        "That is VOC 2007's 11-point AP (recall 0, 0.1, …, 1). Here AP uses every recall level (VOC 2010+).",
        "这是 VOC 2007 的 11 点 AP（召回率 0, 0.1, …, 1）。这里的 AP 使用所有召回率点（VOC 2010 起）。",
    ),
}


def pr_points(flags: Sequence[bool], n_gt: int) -> list[tuple[Fraction, Fraction]]:
    """(recall, precision) after each detection of the ranked list."""
    points, tp = [], 0
    for k, hit in enumerate(flags, 1):
        tp += hit
        points.append((Fraction(tp, n_gt), Fraction(tp, k)))
    return points


def ap_interpolated(flags: Sequence[bool], n_gt: int) -> Fraction:
    """VOC's all-point AP: envelope from the right, summed where recall changes."""
    pts = pr_points(flags, n_gt)
    mrec = [Fraction(0)] + [r for r, _ in pts] + [Fraction(1)]
    mpre = [Fraction(0)] + [p for _, p in pts] + [Fraction(0)]
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    return sum(((mrec[i + 1] - mrec[i]) * mpre[i + 1] for i in range(len(mrec) - 1)), Fraction(0))


def ap_raw(flags: Sequence[bool], n_gt: int) -> Fraction:
    """Mean over the n_gt objects of the precision at the rank where each is found."""
    return sum((p for (_, p), hit in zip(pr_points(flags, n_gt), flags) if hit), Fraction(0)) / n_gt


def _ap_wrong(flags: Sequence[bool], n_gt: int, method: str) -> dict[str, float]:
    pts = pr_points(flags, n_gt)
    found = sum(flags)
    eleven = sum(max((p for r, p in pts if r >= Fraction(i, 10)), default=Fraction(0)) for i in range(11)) / 11
    wrong = {
        "ap.no-interpolation" if method == "interpolated" else "ap.interpolated":
            float(ap_raw(flags, n_gt) if method == "interpolated" else ap_interpolated(flags, n_gt)),
        "ap.divide-by-detected": float((ap_interpolated if method == "interpolated" else ap_raw)(flags, found)),
        "ap.final-precision": float(pts[-1][1]),
        "ap.mean-all-ranks": float(sum(p for _, p in pts) / len(pts)),
    }
    if method == "interpolated":
        wrong["ap.eleven-point"] = float(eleven)
    return wrong


class RankedAP(RetryFamily):
    name = "ranked_ap"

    def attempt(self, rng: Any, method: str) -> Attempt:
        n = int(rng.integers(6, 11))
        flags = [bool(rng.random() < 0.6) for _ in range(n)]
        flags[int(rng.integers(n))] = flags[0] = True  # at least two objects found, one at the top
        n_gt = sum(flags) + int(rng.integers(1, 3))  # some objects are never detected
        answer = float((ap_interpolated if method == "interpolated" else ap_raw)(flags, n_gt))
        wrong = _ap_wrong(flags, n_gt, method)
        kept = fair(answer, _hand_ap(flags, n_gt, method)) and all_far([answer, *wrong.values()])
        scores = [round(0.95 - 0.07 * k, 2) for k in range(len(flags))]
        values = {"method": method, "flags": flags, "n_gt": n_gt, "scores": scores}
        return kept, scalar_build(self, answer, values, (_AP_FEEDBACK, wrong), _ap_prompt, _ap_solution)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        flags, scores, n_gt = v["flags"], v["scores"], v["n_gt"]
        curve = []  # (recall, precision) at every score threshold, by recounting
        for threshold in scores:
            kept = [hit for hit, s in zip(flags, scores) if s >= threshold]
            curve.append((sum(kept) / n_gt, sum(kept) / len(kept)))
        if v["method"] == "raw":
            total, last = 0.0, 0.0
            for recall, precision in curve:
                total += (recall - last) * precision
                last = recall
            return total
        levels = [i / n_gt for i in range(1, n_gt + 1)]
        return sum(max((p for r, p in curve if r >= level - 1e-12), default=0.0) for level in levels) / n_gt

    def hand_answer(self, instance: Instance) -> Value:
        """The answer from precisions rounded to 4 significant figures."""
        v = instance.values
        return _hand_ap(v["flags"], v["n_gt"], v["method"])

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        exact = (ap_interpolated if v["method"] == "interpolated" else ap_raw)(v["flags"], v["n_gt"])
        return [f"{exact.numerator}/{exact.denominator}", f"{instance.spec.number:.8e}"]


def _hand_ap(flags: Sequence[bool], n_gt: int, method: str) -> float:
    """The answer from precisions rounded to 4 figures, as a learner adds them up."""
    pts = [(float(r), sig4(float(p))) for r, p in pr_points(flags, n_gt)]
    if method == "raw":
        return sum(p for (_, p), hit in zip(pts, flags) if hit) / n_gt
    best, total = 0.0, 0.0
    for (_, p), hit in reversed(list(zip(pts, flags))):
        best = max(best, p)
        if hit:
            total += best / n_gt
    return total


def _ap_prompt(v: Mapping[str, Any]) -> Bilingual:
    rows = "  ".join(f"{s:.2f} {'TP' if hit else 'FP'}" for s, hit in zip(v["scores"], v["flags"]))
    how = (bi("Use all-point interpolated AP (PASCAL VOC 2010 and later): the area under the precision–recall curve "
              "after replacing each precision by the highest precision at any equal or higher recall.",
              "使用全点插值 AP（PASCAL VOC 2010 起）：先把每个精确率换成召回率不低于它处的最大精确率，再求精确率–召回率曲线下的面积。")
           if v["method"] == "interpolated" else
           bi("Use the raw AP without interpolation: Σ (R_k − R_{k−1})·P_k over the ranks k, recall counted out of "
              "all the ground-truth objects (an object never detected adds nothing).",
              "使用不插值的原始 AP：对各名次 k 求 Σ (R_k − R_{k−1})·P_k，召回率以全部真实目标为分母（从未被检出的目标不贡献）。"))
    return bi(
        f"A detector's detections of one class, sorted by score, already matched to the {v['n_gt']} ground-truth "
        f"objects of the image set (TP = a new object found, FP = a false alarm):\n  {rows}\n{how.en}\n"
        "What is the AP? Give a number with at least 4 significant figures (a fraction is fine).",
        f"某检测器对一个类别的检测结果按分数排序，已与图像集中的 {v['n_gt']} 个真实目标匹配"
        f"（TP = 找到一个新目标，FP = 误检）：\n  {rows}\n{how.zh}\nAP 是多少？请给出至少 4 位有效数字（可以写分数）。",
    )


def _ap_solution(v: Mapping[str, Any], answer: float) -> Bilingual:
    pts = pr_points(v["flags"], v["n_gt"])
    table = "\n".join(f"  {k}: {'TP' if hit else 'FP'}  P = {show(float(p))}  R = {show(float(r))}"
                      for k, ((r, p), hit) in enumerate(zip(pts, v["flags"]), 1))
    if v["method"] == "raw":
        found = " + ".join(show(float(p)) for (_, p), hit in zip(pts, v["flags"]) if hit)
        line = f"AP = ({found})/{v['n_gt']} = {show(answer, 6)}"
        return bi(f"Precision and recall after each detection:\n{table}\nEach TP raises recall by 1/{v['n_gt']}; "
                  f"multiply by the precision there:\n{line}",
                  f"每个检测之后的精确率和召回率：\n{table}\n每个 TP 让召回率增加 1/{v['n_gt']}，乘以该处的精确率：\n{line}")
    best = Fraction(0)
    terms: list[str] = []
    for (_, p), hit in reversed(list(zip(pts, v["flags"]))):
        best = max(best, p)
        if hit:
            terms.append(show(float(best)))
    line = f"AP = ({' + '.join(reversed(terms))})/{v['n_gt']} = {show(answer, 6)}"
    return bi(
        f"Precision and recall after each detection:\n{table}\nAt each TP take the best precision at that rank or "
        f"later (the interpolation), weight 1/{v['n_gt']} each; recall never reached counts 0:\n{line}",
        f"每个检测之后的精确率和召回率：\n{table}\n在每个 TP 处取该名次及之后的最大精确率（插值），每个权重 1/{v['n_gt']}；"
        f"达不到的召回率计 0：\n{line}",
    )


FAMILIES: list[Family] = [BoxIoU(), RankedAP()]
