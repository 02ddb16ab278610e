"""FLOPs of a matrix product W·A with W ∈ ℝ^{M×N}, A ∈ ℝ^{N×K}, in the seed's convention.

Each of the M·K outputs is a dot product of length N: N multiplications and N − 1 additions, so
FLOPs = M·K·(2N − 1). simulate() really computes W·A with elementwise numpy operations on a
counting wrapper (every scalar multiply and add is counted, the first term of each sum needs no
addition) and checks the product against W @ A.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from quizapp.checking.spec import AnswerSpec, Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import bi, grouped, pick, scalar_instance
from quizapp.i18n import Bilingual

DIMS = (8, 12, 16, 24, 32, 48, 64, 96, 128)
# Fixed (M, N, K) points where simulate() counts operations for the formula family.
FORMULA_POINTS: tuple[tuple[int, int, int], ...] = ((2, 3, 4), (5, 1, 7), (3, 8, 2), (6, 5, 3), (1, 9, 1), (4, 4, 6))
VARS = ("M", "N", "K")


def _formula_mistakes() -> list[tuple[str, str, Bilingual]]:
    """(note, formula in M, N, K, feedback): the same misconceptions for numbers and formulas."""
    return [
        ("flops.mac-as-two", "2*M*N*K", bi(
            "2·M·N·K counts N additions per output. A dot product of length N needs only N − 1 additions (the first product starts the sum), so M·K·(2N − 1). 2MNK is the common approximation, not this convention.",
            "2·M·N·K 把每个输出算成 N 次加法。长度为 N 的点积只需要 N − 1 次加法（第一个乘积直接作为起点），所以是 M·K·(2N − 1)。2MNK 是常见的近似，不是这里的约定。",
        )),
        ("flops.macs-only", "M*N*K", bi(
            "M·N·K is the number of multiply-accumulates (MACs). Counting additions and multiplications separately gives M·K·(2N − 1).",
            "M·N·K 是乘加次数（MACs）。把乘法和加法分开数，得到 M·K·(2N − 1)。",
        )),
        ("flops.n-plus-one", "M*K*(2*N + 1)", bi(
            "Each output needs N multiplications and N − 1 additions, not N + 1.",
            "每个输出需要 N 次乘法和 N − 1 次加法，不是 N + 1 次。",
        )),
        ("flops.wrong-inner-dim", "M*N*(2*K - 1)", bi(
            "The summed (inner) dimension is N, shared by W (M×N) and A (N×K); the result is M×K.",
            "求和的内维度是 N，即 W（M×N）和 A（N×K）共有的维度；结果是 M×K。",
        )),
        ("flops.adds-only", "M*K*(N - 1)", bi(
            "You counted only the additions; each output also needs N multiplications.",
            "你只数了加法；每个输出还需要 N 次乘法。",
        )),
    ]


class _Counted:
    """An array that counts the scalar + and × it takes part in (shared counter)."""

    def __init__(self, data: np.ndarray, counter: dict[str, int]) -> None:
        self.data, self.counter = data, counter

    def __mul__(self, other: _Counted) -> _Counted:
        out = self.data * other.data
        self.counter["mul"] += out.size
        return _Counted(out, self.counter)

    def __add__(self, other: _Counted) -> _Counted:
        out = self.data + other.data
        self.counter["add"] += out.size
        return _Counted(out, self.counter)


def counted_matmul_flops(m: int, n: int, k: int, seed: int = 0) -> int:
    """Compute W·A as a sum of N outer products (rank-1 updates), counting every scalar op."""
    rng = np.random.default_rng(seed)
    w, a = rng.standard_normal((m, n)), rng.standard_normal((n, k))
    counter = {"mul": 0, "add": 0}
    acc = _Counted(w[:, 0:1], counter) * _Counted(a[0:1, :], counter)
    for j in range(1, n):
        acc = acc + _Counted(w[:, j : j + 1], counter) * _Counted(a[j : j + 1, :], counter)
    if not np.allclose(acc.data, w @ a):
        raise AssertionError("counted matmul disagrees with W @ A")
    return counter["mul"] + counter["add"]


# The mistake formulas as functions of (M, N, K), for the numeric family.
MISTAKE_COUNTS: dict[str, Any] = {
    "flops.mac-as-two": lambda m, n, k: 2 * m * n * k,
    "flops.macs-only": lambda m, n, k: m * n * k,
    "flops.n-plus-one": lambda m, n, k: m * k * (2 * n + 1),
    "flops.wrong-inner-dim": lambda m, n, k: m * n * (2 * k - 1),
    "flops.adds-only": lambda m, n, k: m * k * (n - 1),
}


SOLUTION_EN = (
    "W·A is M×K = {M}×{K}: {MK} outputs.\n"
    "Each output is a dot product of length N = {N}: {N} multiplications and {N} − 1 = {Nm1} additions, i.e. 2N − 1 = {twoN1} FLOPs.\n"
    "FLOPs = M·K·(2N − 1) = {M}·{K}·{twoN1} = {ans}.\n"
    "(A multiply-add is often counted as 2 FLOPs, giving 2MNK = {twoMNK}: close, but not this convention.)"
)
SOLUTION_ZH = (
    "W·A 的形状是 M×K = {M}×{K}：共 {MK} 个输出。\n"
    "每个输出是长度 N = {N} 的点积：{N} 次乘法和 {N} − 1 = {Nm1} 次加法，即 2N − 1 = {twoN1} 次浮点运算。\n"
    "FLOPs = M·K·(2N − 1) = {M}·{K}·{twoN1} = {ans}。\n"
    "（常见的另一种算法把一次乘加算作 2 FLOPs，得到 2MNK = {twoMNK}：很接近，但不是这里的约定。）"
)
CONVENTION_EN = (
    "Convention: each output element is a dot product of length N, costing N multiplications and N − 1 additions."
)
CONVENTION_ZH = "约定：每个输出元素是长度为 N 的点积，需要 N 次乘法和 N − 1 次加法。"


class MatmulFlops(Family):
    name = "matmul_flops"

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        m, n, k = (pick(rng, DIMS) for _ in range(3))
        answer = m * k * (2 * n - 1)
        mistakes = tuple(
            Mistake(note, MISTAKE_COUNTS[note](m, n, k), fb) for note, _formula, fb in _formula_mistakes()
        )
        prompt = bi(
            f"W ∈ ℝ^({m}×{n}) and A ∈ ℝ^({n}×{k}), i.e. M = {m}, N = {n}, K = {k}.\n{CONVENTION_EN}\n"
            "How many FLOPs does computing W·A take? Give an integer.",
            f"W ∈ ℝ^({m}×{n})，A ∈ ℝ^({n}×{k})，即 M = {m}，N = {n}，K = {k}。\n{CONVENTION_ZH}\n"
            "计算 W·A 需要多少次浮点运算（FLOPs）？给出一个整数。",
        )
        fill = {"M": m, "N": n, "K": k, "MK": grouped(m * k), "Nm1": n - 1, "twoN1": 2 * n - 1,
                "ans": grouped(answer), "twoMNK": grouped(2 * m * n * k)}
        solution = bi(SOLUTION_EN.format(**fill), SOLUTION_ZH.format(**fill))
        return scalar_instance(
            self, seed, params, answer, values={"M": m, "N": n, "K": k}, mistakes=mistakes,
            prompt_text=prompt, solution_text=solution,
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        return counted_matmul_flops(v["M"], v["N"], v["K"], seed=instance.seed)

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        m, n, k = v["M"], v["N"], v["K"]
        return [f"{m}*{k}*(2*{n}-1)", f"2*{m}*{n}*{k} - {m}*{k}", f"{m * k * (2 * n - 1):,}"]


class MatmulFlopsFormula(Family):
    """The same count as a formula in M, N, K. simulate() returns counted FLOPs at FORMULA_POINTS."""

    name = "matmul_flops_formula"
    sample_points = FORMULA_POINTS
    sample_variables = VARS

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        # The formula is the same for every seed; only the numeric family draws sizes.
        reference = "M*K*(2*N - 1)"
        spec = AnswerSpec(
            kind="expression", reference=reference, variables=VARS,
            domain=tuple((v, "natural") for v in VARS),
        )
        mistakes = tuple(Mistake(note, formula, fb) for note, formula, fb in _formula_mistakes())
        prompt = bi(
            "W ∈ ℝ^(M×N) is multiplied by A ∈ ℝ^(N×K).\n"
            f"{CONVENTION_EN}\n"
            "Give the number of FLOPs of W·A as a formula in M, N and K. Write products with * "
            "or by juxtaposition (2MN means 2·M·N; M(N+K) means M·(N+K)).",
            "W ∈ ℝ^(M×N) 与 A ∈ ℝ^(N×K) 相乘。\n"
            f"{CONVENTION_ZH}\n"
            "用 M、N、K 写出 W·A 的浮点运算次数（FLOPs）公式。乘法可以写 *，也可以直接并列"
            "（2MN 表示 2·M·N，M(N+K) 表示 M·(N+K)）。",
        )
        solution = bi(
            "W·A has M×K outputs.\n"
            "Each is a dot product of length N: N multiplications and N − 1 additions, 2N − 1 FLOPs.\n"
            "FLOPs = M·K·(2N − 1) = 2MNK − MK.\n"
            "(Counting a multiply-add as 2 FLOPs gives 2MNK, and counting MACs gives MNK: other conventions.)",
            "W·A 共有 M×K 个输出。\n"
            "每个输出是长度为 N 的点积：N 次乘法和 N − 1 次加法，共 2N − 1 次浮点运算。\n"
            "FLOPs = M·K·(2N − 1) = 2MNK − MK。\n"
            "（把一次乘加算作 2 FLOPs 得到 2MNK，只数乘加次数得到 MNK：那是别的约定。）",
        )
        return Instance(
            family=self.name, seed=seed, params=dict(params), values={}, spec=spec, mistakes=mistakes,
            prompt_text=prompt, solution_text=solution, answer_text="M*K*(2*N - 1)",
            answer_hint=bi("a formula in M, N, K", "M、N、K 的公式"),
        )

    def simulate(self, instance: Instance) -> Value:
        return tuple(float(counted_matmul_flops(m, n, k)) for m, n, k in FORMULA_POINTS)

    def alternative_answers(self, instance: Instance) -> list[str]:
        return ["MK(2N-1)", "2MNK - MK", "2*M*N*K - M*K", "K*M*(2*N-1)", "(2N−1)·M·K"]


FAMILIES: list[Family] = [MatmulFlops(), MatmulFlopsFormula()]
