"""Part-B exercise families: each question variant is drawn, unknown parameters are refused, and
known cases give known answers (the contract every family keeps is in test_exercises_contract)."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import numpy as np
import pytest
from family_checks import get_family

from quizapp.exercises.base import Instance

CHECK_SEEDS = range(50)


@pytest.mark.parametrize(
    ("name", "key", "expected"),
    [
        ("dropout_scaling", "question", {"output", "scale", "expected"}),
        ("conv_vs_fc_params", "question", {"conv", "fc", "ratio"}),
        ("shift_equivariance", "question", {"index", "moved", "partial"}),
        ("weight_decay_step", "half", {True, False}),
        ("grad_accumulation", "lr", {None, 0.1, 0.05}),
    ],
)
def test_seeds_cover_every_question_variant(name: str, key: str, expected: set[object]) -> None:
    fam = get_family(name)
    seen = Counter(fam.generate(seed).values[key] for seed in CHECK_SEEDS)
    assert set(seen) == expected, seen


@pytest.mark.parametrize(("name", "params"), [
    ("classification_metrics", {"metric": "auc"}),
    ("regression_metrics", {"metric": "mae"}),
    ("normalization", {"method": "l1"}),
    ("receptive_field", {"layers": 3}),
])
def test_unknown_parameter_values_are_rejected(name: str, params: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        get_family(name).generate(1, **params)


def test_metric_and_method_params_fix_the_question() -> None:
    for metric in ("precision", "recall", "f1", "accuracy"):
        inst = get_family("classification_metrics").generate(3, metric=metric)
        assert inst.values["metric"] == metric
    assert get_family("normalization").generate(3, method="zscore").values["method"] == "zscore"


# ---------------------------------------------------------------- hand-checked cases


def instance_with(name: str, seed: int, **values: object) -> Instance:
    """A generated instance with some drawn values replaced (simulate reads only `values`)."""
    inst = get_family(name).generate(seed)
    return dataclasses.replace(inst, values={**inst.values, **values})


def conv(k: int, s: int = 1, d: int = 1) -> dict[str, object]:
    return {"kind": "conv", "k": k, "s": s, "d": d}


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([conv(3), conv(3)], 5),  # two 3×3 convs see as much as one 5×5
        ([conv(3), conv(3), conv(3)], 7),
        ([conv(3, d=2)], 5),  # a dilated 3×3 spans 5 inputs (with holes)
        ([conv(3), {"kind": "pool", "k": 2, "s": 2, "d": 1}, conv(3)], 8),
        ([conv(7, s=2), {"kind": "pool", "k": 3, "s": 2, "d": 1}], 11),  # ResNet stem
    ],
)
def test_receptive_field_simulation_on_known_stacks(layers: list[dict[str, object]], expected: int) -> None:
    fam = get_family("receptive_field")
    assert fam.simulate(instance_with("receptive_field", 0, layers=layers)) == expected
    from quizapp.exercises.families.receptive_field import _field

    assert _field(layers) == expected


def test_classification_metrics_on_a_known_matrix() -> None:
    fam = get_family("classification_metrics")
    counts = {"tp": 8, "fp": 2, "fn": 4, "tn": 86}
    expected = {"precision": 0.8, "recall": 8 / 12, "f1": 16 / 22, "accuracy": 0.94}
    for metric, value in expected.items():
        inst = instance_with("classification_metrics", 0, metric=metric, **counts)
        assert math.isclose(float(fam.simulate(inst)), value)  # type: ignore[arg-type]


def test_zscore_uses_the_population_std() -> None:
    fam = get_family("normalization")
    got = fam.simulate(instance_with("normalization", 0, method="zscore", x=[1.0, 2.0, 3.0]))
    assert np.allclose(got, [-math.sqrt(1.5), 0.0, math.sqrt(1.5)])


def test_gd_divergence_simulation_finds_two_over_the_largest_curvature() -> None:
    fam = get_family("gd_divergence")
    got = float(fam.simulate(instance_with("gd_divergence", 0, a=[2.0, 8.0])))  # type: ignore[arg-type]
    assert math.isclose(got, 0.25, rel_tol=1e-9)


def test_dropout_scale_and_expectation() -> None:
    fam = get_family("dropout_scaling")
    scale = fam.simulate(instance_with("dropout_scaling", 0, question="scale", p=0.25))
    assert math.isclose(float(scale), 4 / 3)  # type: ignore[arg-type]
    expected = fam.simulate(instance_with("dropout_scaling", 0, question="expected", p=0.4, x=[1.0, -2.0, 4.0]))
    assert math.isclose(float(expected), 3.0)  # type: ignore[arg-type]


def test_gradient_accumulation_sums_without_zero_grad() -> None:
    fam = get_family("grad_accumulation")
    # w = 1, two losses ½(w·x − y)² with (x, y) = (2, 1), (1, 3): gradients 2·(2 − 1) = 2 and 1·(1 − 3) = −2
    inst = instance_with("grad_accumulation", 0, w0=1.0, xs=[2.0, 1.0], ys=[1.0, 3.0], lr=None)
    assert math.isclose(float(fam.simulate(inst)), 0.0, abs_tol=1e-9)  # type: ignore[arg-type]
    # with SGD lr 0.5: after step 1 w = 1 − 0.5·2 = 0; step 2 gradient 1·(0 − 3) = −3, w.grad = 2 − 3
    inst = instance_with("grad_accumulation", 0, w0=1.0, xs=[2.0, 1.0], ys=[1.0, 3.0], lr=0.5)
    assert math.isclose(float(fam.simulate(inst)), -1.0)  # type: ignore[arg-type]


def test_clipping_leaves_a_short_gradient_alone() -> None:
    fam = get_family("grad_clipping")
    inst = instance_with("grad_clipping", 0, weight=[0.3, 0.4, 0.0], bias=[0.0, 0.0], c=2.0)
    assert np.allclose(fam.simulate(inst), [0.3, 0.4, 0.0, 0.0, 0.0])
    inst = instance_with("grad_clipping", 0, weight=[3.0, 4.0, 0.0], bias=[0.0, 0.0], c=2.0)
    assert np.allclose(fam.simulate(inst), [1.2, 1.6, 0.0, 0.0, 0.0])


def test_shift_by_a_multiple_of_the_stride_is_exact() -> None:
    fam = get_family("shift_equivariance")
    layers = [{"kind": "conv", "k": 3, "s": 1}, {"kind": "pool", "k": 2, "s": 2},
              {"kind": "down-conv", "k": 2, "s": 2}]
    moved = fam.simulate(instance_with("shift_equivariance", 0, question="moved", layers=layers, x=41, delta=12))
    assert moved == 3
    partial = fam.simulate(instance_with("shift_equivariance", 0, question="partial", layers=layers, x=41, delta=2))
    assert partial == 0  # ⌊43/4⌋ − ⌊41/4⌋


def test_conv_params_do_not_depend_on_the_input_size() -> None:
    fam = get_family("conv_vs_fc_params")
    small = fam.simulate(instance_with("conv_vs_fc_params", 0, question="conv", h=4, c_in=3, c_out=8, k=3))
    large = fam.simulate(instance_with("conv_vs_fc_params", 0, question="conv", h=16, c_in=3, c_out=8, k=3))
    assert small == large == (3 * 3 * 3 + 1) * 8
    fc = fam.simulate(instance_with("conv_vs_fc_params", 0, question="fc", h=4, c_in=3, c_out=8, k=3))
    assert fc == 48 * 128 + 128
