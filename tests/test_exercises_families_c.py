"""Wave-2 exercise families: answers computed by hand from 4-significant-figure intermediates are
marked correct, and hand-checked known values (the contract every family keeps is in
test_exercises_contract)."""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
from family_checks import get_family
from family_checks import param_variants as single_variants

from quizapp.exercises.base import Instance
from quizapp.exercises.catalog import CATALOG

NEW = [
    "bias_gradient", "softmax_gradient", "adam_step", "finetune_memory", "attention_flops",
    "transformer_params", "kv_cache_memory", "rf_center", "box_iou", "ranked_ap", "grouped_conv_cost",
    "norm_params", "lr_schedule",
]
HAND_SEEDS = range(200)


def test_at_least_ten_new_families_in_six_topics() -> None:
    assert set(NEW) <= set(CATALOG)
    assert len(NEW) >= 10 and len({CATALOG[n].topic for n in NEW}) >= 6


@pytest.mark.parametrize(("name", "params"), [
    ("bias_gradient", {"layer": "rnn"}), ("softmax_gradient", {"loss": "hinge"}), ("rf_center", {"question": "last"}),
    ("grouped_conv_cost", {"kind": "dilated"}), ("finetune_memory", {"precision": "int4"}), ("adam_step", {"t": 3}),
])
def test_unknown_parameter_values_are_rejected(name: str, params: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        get_family(name).generate(1, **params)


# ---------------------------------------------------------------- fair to hand computation


@pytest.mark.parametrize("name", ["softmax_gradient", "adam_step", "lr_schedule", "ranked_ap"])
def test_answers_from_four_figure_intermediates_are_marked_correct(name: str) -> None:
    fam = get_family(name)
    for params in single_variants(name):
        for seed in HAND_SEEDS:
            inst = fam.generate(seed, **params)
            hand = fam.hand_answer(inst)  # type: ignore[attr-defined]
            text = "[" + ", ".join(f"{h:.4g}" for h in hand) + "]" if isinstance(hand, tuple) else f"{hand:.4g}"
            assert inst.check(text).status == "correct", (name, seed, params, text, inst.answer_text)


def _numbers(line: str) -> list[float]:
    return [float(t.replace("−", "-").replace("×10", "e").translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
            for t in re.findall(r"−?\d+(?:\.\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?", line)]


def test_adam_solution_reproduces_its_result_from_its_shown_numbers() -> None:
    fam = get_family("adam_step")
    for seed in range(100):
        inst = fam.generate(seed)
        line = next(x for x in inst.solution("en").splitlines() if x.startswith("3. Δθ"))
        neg_lr, m_hat, root = _numbers(line.split("=")[2])[:3]
        assert inst.check(f"{neg_lr * m_hat / root!r}").status == "correct", (seed, line)


def test_lr_solution_reproduces_its_result_from_its_shown_numbers() -> None:
    fam = get_family("lr_schedule")
    for seed in range(100):
        inst = fam.generate(seed, phase="decay")
        line = inst.solution("en").splitlines()[-1]
        floor, half, _one, cos = _numbers(line.split("=")[2])
        assert inst.check(f"{floor + 0.5 * half * (1 + cos)!r}").status == "correct", (seed, line)


# ---------------------------------------------------------------- hand-checked values


def instance_with(name: str, seed: int = 0, **values: object) -> Instance:
    inst = get_family(name).generate(seed)
    return dataclasses.replace(inst, values={**inst.values, **values})


@pytest.mark.parametrize(("d", "layers", "expected"), [
    (768, 12, 124_439_808), (1024, 24, 354_823_168), (1280, 36, 774_030_080), (1600, 48, 1_557_611_200),
])
def test_gpt2_sizes_are_124m_355m_774m_1558m(d: int, layers: int, expected: int) -> None:
    from quizapp.exercises.families.transformer_params import Config, model_params

    assert model_params(Config(d, layers, 50257, 1024)) == expected
    sim = get_family("transformer_params").simulate(
        instance_with("transformer_params", question="model", d=d, layers=layers, vocab=50257, context=1024))
    assert sim == expected


def test_kv_cache_of_a_7b_mha_model_at_4096_tokens_is_2_gib() -> None:
    inst = instance_with("kv_cache_memory", attention="mha", layers=32, heads=32, kv_heads=32, head_dim=128,
                         batch=1, tokens=4096, dtype="fp16")
    assert get_family("kv_cache_memory").simulate(inst) == 2 * 2**30


def test_attention_flops_count_heads_once() -> None:
    fam = get_family("attention_flops")
    one = fam.simulate(instance_with("attention_flops", form="number", b=1, n=10, d=8, h=1))
    many = fam.simulate(instance_with("attention_flops", form="number", b=1, n=10, d=8, h=4))
    assert one == many == 8 * 10 * 64 + 4 * 100 * 8


def test_softmax_cross_entropy_is_p_minus_y_and_squared_error_vanishes_when_confidently_wrong() -> None:
    fam = get_family("softmax_gradient")
    assert np.allclose(fam.simulate(instance_with("softmax_gradient", loss="ce", z=[0.0, 0.0], c=0)), [-0.5, 0.5])
    ce = fam.simulate(instance_with("softmax_gradient", loss="ce", z=[6.0, 0.0, 0.0], c=2))
    mse = fam.simulate(instance_with("softmax_gradient", loss="mse", z=[6.0, 0.0, 0.0], c=2))
    assert isinstance(ce, tuple) and isinstance(mse, tuple)
    assert ce[2] < -0.99 and -0.02 < mse[2] < 0


def test_adam_first_step_is_about_the_learning_rate_whatever_the_gradient() -> None:
    fam = get_family("adam_step")
    for g in (1e-3, 0.5, 40.0):
        step = fam.simulate(instance_with("adam_step", grads=[g], beta1=0.9, beta2=0.999, lr=0.01))
        assert math.isclose(float(step), -0.01, rel_tol=1e-4)  # type: ignore[arg-type]


def test_lr_schedule_hits_its_corners() -> None:
    fam = get_family("lr_schedule")
    base = {"top": 0.1, "floor": 0.01, "warm": 100, "total": 1100}
    assert math.isclose(float(fam.simulate(instance_with("lr_schedule", **base, t=50))), 0.05)  # type: ignore[arg-type]
    assert math.isclose(float(fam.simulate(instance_with("lr_schedule", **base, t=100))), 0.1)  # type: ignore[arg-type]
    mid = float(fam.simulate(instance_with("lr_schedule", **base, t=600)))  # type: ignore[arg-type]
    assert math.isclose(mid, 0.055, rel_tol=1e-9)


def test_iou_and_ap_on_known_cases() -> None:
    iou = get_family("box_iou").simulate(instance_with("box_iou", a=[0, 0, 2, 2], b=[1, 1, 3, 3]))
    assert math.isclose(float(iou), 1 / 7)  # type: ignore[arg-type]
    flags, scores = [True, False, False, True, True], [0.9, 0.8, 0.7, 0.6, 0.5]
    ap = get_family("ranked_ap")
    raw = ap.simulate(instance_with("ranked_ap", method="raw", flags=flags, scores=scores, n_gt=4))
    interp = ap.simulate(instance_with("ranked_ap", method="interpolated", flags=flags, scores=scores, n_gt=4))
    assert math.isclose(float(raw), (1 + 0.5 + 0.6) / 4)  # type: ignore[arg-type]
    assert math.isclose(float(interp), (1 + 0.6 + 0.6) / 4)  # type: ignore[arg-type]


def test_resnet_stem_centres_and_first_pixel() -> None:
    stem = [{"kind": "conv", "k": 7, "s": 2, "p": 3, "d": 1}, {"kind": "pool", "k": 3, "s": 2, "p": 1, "d": 1}]
    fam = get_family("rf_center")
    for u in range(4):
        assert fam.simulate(instance_with("rf_center", question="center", layers=stem, u=u)) == 4 * u
        assert fam.simulate(instance_with("rf_center", question="first", layers=stem, u=u)) == 4 * u - 5


def test_depthwise_separable_macs_of_a_mobilenet_block() -> None:
    fam = get_family("grouped_conv_cost")
    inst = instance_with("grouped_conv_cost", kind="separable", quantity="macs", c_in=32, c_out=64, k=3, g=32, side=112)
    assert fam.simulate(inst) == 112 * 112 * 32 * 9 + 112 * 112 * 32 * 64


def test_batchnorm_has_2c_parameters_and_2c_plus_1_buffer_values() -> None:
    fam = get_family("norm_params")
    layers = [{"kind": "bn", "c": 64, "h": 8}, {"kind": "in", "c": 32, "h": 8}]
    assert fam.simulate(instance_with("norm_params", count="params", layers=layers)) == 128
    assert fam.simulate(instance_with("norm_params", count="buffers", layers=layers)) == 129


def test_full_finetuning_is_16_bytes_per_parameter_in_fp32_and_in_mixed_precision() -> None:
    fam = get_family("finetune_memory")
    small = {"d": 768, "layers": 12, "vocab": 50257, "context": 1024, "params": 124_439_808}
    for precision in ("fp32", "mixed"):
        got = fam.simulate(instance_with("finetune_memory", method="full", precision=precision, **small))
        assert math.isclose(float(got), 124_439_808 * 16 / 1e9)  # type: ignore[arg-type]


def test_bias_gradient_sums_over_batch_and_positions_and_vanishes_before_batchnorm() -> None:
    fam = get_family("bias_gradient")
    grad = [[[[0.1, 0.2], [0.3, 0.4]]], [[[1.0, 0.0], [0.0, -1.0]]]]  # N=2, C=1, 2×2
    assert np.allclose(fam.simulate(instance_with("bias_gradient", layer="conv", grad=grad)), [1.0])
    rows = [[0.5, -1.0], [1.5, 2.0], [-0.2, 0.1]]
    assert np.allclose(fam.simulate(instance_with("bias_gradient", layer="linear", grad=rows)), [1.8, 1.1])
    assert np.allclose(fam.simulate(instance_with("bias_gradient", layer="linear_bn", grad=rows)), [0, 0], atol=1e-8)
