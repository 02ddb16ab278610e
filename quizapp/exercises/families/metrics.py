"""Classification metrics from a binary confusion matrix, and regression metrics (MSE, R²).

simulate() rebuilds the samples one by one (a label vector and a prediction vector) and counts or
sums over them in plain loops; the closed forms in draw() work on the counts / vectors directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.checking.spec import Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.chain import Chain, Step, exact
from quizapp.exercises.families._mathtext import bi, bi_lines, scalar_instance, show
from quizapp.exercises.families._retry import Attempt, RetryFamily
from quizapp.exercises.families._values import all_far, mistakes_from, show_vec
from quizapp.i18n import Bilingual

_CLS_NAMES = {
    "precision": bi("precision", "精确率（precision）"),
    "recall": bi("recall", "召回率（recall）"),
    "f1": bi("F1 score", "F1 分数"),
    "accuracy": bi("accuracy", "准确率（accuracy）"),
}

_CLS_FEEDBACK = {
    "metrics.precision-recall-swapped": bi(
        "You swapped precision and recall. Precision = TP/(TP + FP) asks how many predicted positives "
        "are real; recall = TP/(TP + FN) asks how many real positives were found.",
        "你把精确率和召回率弄反了。精确率 = TP/(TP + FP)，看预测为正的样本中有多少是真的正例；"
        "召回率 = TP/(TP + FN)，看真实正例中有多少被找出来。",
    ),
    "metrics.accuracy-instead": bi(
        "That is the accuracy (TP + TN)/N, not the metric asked for.",
        "这是准确率 (TP + TN)/N，不是题目要求的指标。",
    ),
    "metrics.f1-arithmetic-mean": bi(
        "You took the arithmetic mean (P + R)/2. F1 is the HARMONIC mean 2PR/(P + R), which is pulled "
        "towards the smaller of the two.",
        "你用了算术平均 (P + R)/2。F1 是调和平均 2PR/(P + R)，会偏向两者中较小的那个。",
    ),
    "metrics.f1-no-factor-2": bi(
        "You dropped the factor 2: F1 = 2PR/(P + R), not PR/(P + R).",
        "你漏了系数 2：F1 = 2PR/(P + R)，而不是 PR/(P + R)。",
    ),
    "metrics.error-rate": bi(
        "That is the error rate 1 − accuracy = (FP + FN)/N; accuracy is (TP + TN)/N.",
        "这是错误率 1 − 准确率 = (FP + FN)/N；准确率是 (TP + TN)/N。",
    ),
    "metrics.accuracy-ignores-tn": bi(
        "You left out the true negatives: accuracy counts every correct prediction, (TP + TN)/N, "
        "over all N samples.",
        "你漏掉了真负例：准确率统计所有预测正确的样本，(TP + TN)/N，分母是全部 N 个样本。",
    ),
}

_REG_FEEDBACK = {
    "metrics.rmse-instead": bi(
        "That is the RMSE, the square root of the MSE. MSE = (1/n)·Σ(yᵢ − ŷᵢ)² has no square root.",
        "这是 RMSE（MSE 的平方根）。MSE = (1/n)·Σ(yᵢ − ŷᵢ)²，不开根号。",
    ),
    "metrics.mae-instead": bi(
        "That is the MAE (mean ABSOLUTE error). MSE squares each error before averaging.",
        "这是 MAE（平均绝对误差）。MSE 要先把每个误差平方再求平均。",
    ),
    "metrics.sse-instead": bi(
        "You summed the squared errors without dividing by n: MSE is the MEAN of (yᵢ − ŷᵢ)².",
        "你只求了平方误差之和，没有除以 n：MSE 是 (yᵢ − ŷᵢ)² 的平均值。",
    ),
    "metrics.r2-uncentered": bi(
        "You divided by Σyᵢ² instead of Σ(yᵢ − ȳ)². R² compares the model with predicting the mean ȳ, "
        "so the denominator is centred.",
        "你的分母用了 Σyᵢ² 而不是 Σ(yᵢ − ȳ)²。R² 是把模型和“总是预测均值 ȳ”相比较，所以分母要减去均值。",
    ),
    "metrics.r2-complement": bi(
        "You gave SS_res/SS_tot = 1 − R². R² = 1 − SS_res/SS_tot.",
        "你给出的是 SS_res/SS_tot = 1 − R²。R² = 1 − SS_res/SS_tot。",
    ),
}


def _cls_values(tp: int, fp: int, fn: int, tn: int) -> dict[str, float]:
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
    }


def _cls_wrong(metric: str, tp: int, fp: int, fn: int, tn: int) -> dict[str, float]:
    v = _cls_values(tp, fp, fn, tn)
    p, r = v["precision"], v["recall"]
    if metric == "precision":
        return {"metrics.precision-recall-swapped": r, "metrics.accuracy-instead": v["accuracy"]}
    if metric == "recall":
        return {"metrics.precision-recall-swapped": p, "metrics.accuracy-instead": v["accuracy"]}
    if metric == "f1":
        return {
            "metrics.f1-arithmetic-mean": (p + r) / 2,
            "metrics.f1-no-factor-2": p * r / (p + r),
            "metrics.accuracy-instead": v["accuracy"],
        }
    return {"metrics.error-rate": 1 - v["accuracy"], "metrics.accuracy-ignores-tn": tp / (tp + fp + fn)}


class ClassificationMetrics(RetryFamily):
    name = "classification_metrics"

    def attempt(self, rng: Any, metric: str) -> Attempt:
        tp = int(rng.integers(5, 81))
        fp = int(rng.integers(1, 41))
        fn = int(rng.integers(1, 41))
        tn = int(rng.integers(5, 301))
        answer = _cls_values(tp, fp, fn, tn)[metric]
        wrong = _cls_wrong(metric, tp, fp, fn, tn)
        kept = all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            name = _CLS_NAMES[metric]
            table_en = (
                "                 predicted +   predicted −\n"
                f"  actual +       TP = {tp:<9} FN = {fn}\n"
                f"  actual −       FP = {fp:<9} TN = {tn}"
            )
            table_zh = (
                "                 预测为正      预测为负\n"
                f"  实际为正       TP = {tp:<9} FN = {fn}\n"
                f"  实际为负       FP = {fp:<9} TN = {tn}"
            )
            prompt = bi(
                f"A binary classifier was evaluated on {tp + fp + fn + tn} samples:\n{table_en}\n"
                f"What is its {name.en}? Give a number between 0 and 1 (not a percentage) with at least "
                "4 significant figures.",
                f"一个二分类器在 {tp + fp + fn + tn} 个样本上的混淆矩阵如下：\n{table_zh}\n"
                f"它的{name.zh}是多少？请给出 0 到 1 之间的数（不是百分数），至少 4 位有效数字。",
            )
            return scalar_instance(
                self, seed, params, answer, values={"metric": metric, "tp": tp, "fp": fp, "fn": fn, "tn": tn},
                mistakes=mistakes_from(_CLS_FEEDBACK, wrong), prompt_text=prompt,
                solution_text=self._solution(metric, tp, fp, fn, tn),
            )

        return kept, build

    def _solution(self, metric: str, tp: int, fp: int, fn: int, tn: int) -> Bilingual:
        v = _cls_values(tp, fp, fn, tn)
        n = tp + fp + fn + tn
        p_line = f"P = TP/(TP + FP) = {tp}/({tp} + {fp}) = {show(v['precision'])}"
        r_line = f"R = TP/(TP + FN) = {tp}/({tp} + {fn}) = {show(v['recall'])}"
        if metric == "precision":
            lines = [p_line]
        elif metric == "recall":
            lines = [r_line]
        elif metric == "f1":
            lines = [
                p_line,
                r_line,
                f"F1 = 2PR/(P + R) = 2·{show(v['precision'])}·{show(v['recall'])}/"
                f"({show(v['precision'])} + {show(v['recall'])}) = {show(v['f1'])}",
            ]
        else:
            lines = [f"accuracy = (TP + TN)/N = ({tp} + {tn})/{n} = {show(v['accuracy'])}"]
        en_extra: list[str] = []
        zh_extra: list[str] = []
        if metric == "f1":
            count_form = f"2TP/(2TP + FP + FN) = {2 * tp}/({2 * tp} + {fp} + {fn})"
            en_extra = [f"(equivalently F1 = {count_form})"]
            zh_extra = [f"（等价地，F1 = {count_form}）"]
        en = "\n".join([*lines, *en_extra, f"Answer: {show(v[metric], 6)}."])
        zh = "\n".join([*lines, *zh_extra, f"答案：{show(v[metric], 6)}。"])
        if metric == "accuracy" and tn > 3 * (tp + fn):
            en += "\nNote how the many true negatives inflate accuracy: on imbalanced data, look at precision and recall."
            zh += "\n注意大量真负例会抬高准确率：类别不平衡时要看精确率和召回率。"
        return bi(en, zh)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        labels: list[int] = []
        predictions: list[int] = []
        for truth, pred, count in ((1, 1, v["tp"]), (0, 1, v["fp"]), (1, 0, v["fn"]), (0, 0, v["tn"])):
            for _ in range(count):
                labels.append(truth)
                predictions.append(pred)
        hits = sum(1 for y, p in zip(labels, predictions) if y == p == 1)
        predicted_pos = sum(predictions)
        actual_pos = sum(labels)
        correct = sum(1 for y, p in zip(labels, predictions) if y == p)
        metric = v["metric"]
        if metric == "precision":
            return hits / predicted_pos
        if metric == "recall":
            return hits / actual_pos
        if metric == "f1":
            return 2 * hits / (predicted_pos + actual_pos)  # the count form, not the harmonic mean
        return correct / len(labels)

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        tp, fp, fn, tn = v["tp"], v["fp"], v["fn"], v["tn"]
        fraction = {
            "precision": f"{tp}/{tp + fp}",
            "recall": f"{tp}/{tp + fn}",
            "f1": f"2*{tp}/(2*{tp}+{fp}+{fn})",
            "accuracy": f"({tp}+{tn})/{tp + fp + fn + tn}",
        }[v["metric"]]
        return [fraction, f"{instance.spec.number:.8f}"]


def _reg_wrong(metric: str, y: Sequence[float], yhat: Sequence[float]) -> tuple[float, dict[str, float]]:
    n = len(y)
    errors = [a - b for a, b in zip(y, yhat)]
    sse = sum(e * e for e in errors)
    mse = sse / n
    if metric == "mse":
        return mse, {
            "metrics.rmse-instead": math.sqrt(mse),
            "metrics.mae-instead": sum(abs(e) for e in errors) / n,
            "metrics.sse-instead": sse,
        }
    mean = sum(y) / n
    ss_tot = sum((a - mean) ** 2 for a in y)
    r2 = 1 - sse / ss_tot
    return r2, {
        "metrics.r2-uncentered": 1 - sse / sum(a * a for a in y),
        "metrics.r2-complement": 1 - r2,
    }


def regression_chain(metric: str, y: Sequence[float], yhat: Sequence[float]) -> Chain:
    """SS_res (and ȳ, SS_tot, their ratio for R²) as the worked solution shows them."""
    n = len(y)
    inputs = (*((f"y{i}", exact(v)) for i, v in enumerate(y, 1)), *((f"p{i}", exact(v)) for i, v in enumerate(yhat, 1)))
    steps = [Step("ssres", " + ".join(f"(y{i} - p{i})^2" for i in range(1, n + 1)), "SS_res")]
    if metric == "mse":
        steps.append(Step("mse", f"ssres/{n}", "MSE"))
    else:
        steps += [
            Step("ybar", f"({' + '.join(f'y{i}' for i in range(1, n + 1))})/{n}", "ȳ"),
            Step("sstot", " + ".join(f"(y{i} - ybar)^2" for i in range(1, n + 1)), "SS_tot"),
            Step("ratio", "ssres/sstot", "SS_res/SS_tot"),
            Step("r2", "1 - ratio", "R²"),
        ]
    return Chain(inputs, tuple(steps))


class RegressionMetrics(RetryFamily):
    name = "regression_metrics"

    def attempt(self, rng: Any, metric: str) -> Attempt:
        n = int(rng.integers(4, 7))
        y = [int(v) / 10 for v in rng.integers(5, 100, size=n)]
        yhat = [round(a + int(e) / 10, 1) for a, e in zip(y, rng.integers(-6, 7, size=n))]
        answer, wrong = _reg_wrong(metric, y, yhat)
        kept = len(set(y)) > 1 and abs(answer) > 0.05 and all_far([answer, *wrong.values()])

        def build(params: Mapping[str, Any], seed: int) -> Instance:
            name = bi("mean squared error (MSE)", "均方误差（MSE）") if metric == "mse" else bi(
                "coefficient of determination R²", "决定系数 R²"
            )
            prompt = bi(
                f"A regression model predicts ŷ = {show_vec(yhat)} for targets y = {show_vec(y)}.\n"
                f"What is the {name.en} of these predictions? Give a number with at least 4 significant figures.",
                f"一个回归模型对目标 y = {show_vec(y)} 的预测为 ŷ = {show_vec(yhat)}。\n"
                f"这些预测的{name.zh} 是多少？请给出至少 4 位有效数字。",
            )
            return scalar_instance(
                self, seed, params, answer, values={"metric": metric, "y": y, "yhat": yhat},
                mistakes=mistakes_from(_REG_FEEDBACK, wrong), prompt_text=prompt,
                solution_text=self._solution(metric, y, yhat, answer), chain=regression_chain(metric, y, yhat),
                answer_steps=(metric,),
            )

        return kept, build

    def _solution(self, metric: str, y: Sequence[float], yhat: Sequence[float], answer: float) -> Bilingual:
        n = len(y)
        errors = [a - b for a, b in zip(y, yhat)]
        sse = sum(e * e for e in errors)
        err_line = f"errors yᵢ − ŷᵢ = {show_vec(errors)}"
        sse_line = f"SS_res = Σ(yᵢ − ŷᵢ)² = {show(sse, 6)}"
        if metric == "mse":
            en = [err_line, sse_line, f"MSE = SS_res/n = {show(sse, 6)}/{n} = {show(answer, 6)}"]
            zh = [
                err_line.replace("errors", "误差"),
                sse_line,
                f"MSE = SS_res/n = {show(sse, 6)}/{n} = {show(answer, 6)}",
            ]
        else:
            mean = sum(y) / n
            ss_tot = sum((a - mean) ** 2 for a in y)
            steps = [
                err_line,
                sse_line,
                f"ȳ = {show(mean, 6)}, SS_tot = Σ(yᵢ − ȳ)² = {show(ss_tot, 6)}",
                f"R² = 1 − SS_res/SS_tot = 1 − {show(sse, 6)}/{show(ss_tot, 6)} = {show(answer, 6)}",
            ]
            en = steps
            zh = [steps[0].replace("errors", "误差"), *steps[1:]]
        return bi_lines(en, zh)

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        y, yhat = v["y"], v["yhat"]
        total, count = 0.0, 0
        for a in y:
            total += a
            count += 1
        mean = total / count
        res = tot = 0.0
        for a, b in zip(y, yhat):
            res += (a - b) * (a - b)
            tot += (a - mean) * (a - mean)
        if v["metric"] == "mse":
            return res / count
        return 1.0 - res / tot

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        y, yhat = v["y"], v["yhat"]
        squares = "+".join(f"({a}-{b})^2" for a, b in zip(y, yhat))
        if v["metric"] == "mse":
            return [f"({squares})/{len(y)}"]
        mean = sum(y) / len(y)
        sse = sum((a - b) ** 2 for a, b in zip(y, yhat))
        ss_tot = sum((a - mean) ** 2 for a in y)
        return [f"1-{sse:.10g}/{ss_tot:.10g}"]


FAMILIES: list[Family] = [ClassificationMetrics(), RegressionMetrics()]
