"""Part-A exercise families: what each one asks and marks, on known cases (the contract every family
keeps is in test_exercises_contract)."""

from __future__ import annotations

import pytest
from family_checks import get_family

from quizapp.exercises.base import Instance

PART_A = [
    "sigmoid_derivative", "tanh_derivative", "backprop_mlp", "ema", "finetune_params",
    "matmul_flops", "matmul_flops_formula", "conv_output_size", "conv_cost", "fps_latency",
    "attention_vs_conv_params",
]


def test_sigmoid_forms_and_chain_factor() -> None:
    fam = get_family("sigmoid_derivative")
    inst = fam.generate(1, form="sigma")
    a = inst.values["a"]
    assert inst.values["form"] == "sigma" and "sigma" in inst.answer_text
    assert inst.check("s*(1-s)").note == "sigmoid.no-chain-factor"
    assert inst.check(f"{a}*s^2").note == "sigmoid.squared"
    assert inst.check(f"-{a}*s*(1-s)").note in ("sigmoid.sign", "generic.sign")
    assert inst.check("1/(4*cosh(x/2)^2)").status == "wrong"
    x_form = fam.generate(1, form="x")
    assert "exp" in x_form.answer_text and "sigma" not in x_form.answer_text
    # Any equivalent form is accepted in either form of the question.
    assert x_form.check(f"{x_form.values['a']}*σ({x_form.values['a']}x)(1-σ({x_form.values['a']}x))").is_correct


def test_sigmoid_a_equal_one_would_hide_the_chain_rule() -> None:
    fam = get_family("sigmoid_derivative")
    assert all(abs(fam.generate(s).values["a"]) >= 2 for s in range(100))


def test_tanh_sech_and_alias() -> None:
    inst = get_family("tanh_derivative").generate(4, form="tanh")
    a = inst.values["a"]
    assert inst.check(f"{a}*sech({a}x)^2").is_correct
    assert inst.check(f"{a}(1-t^2)").is_correct
    assert inst.check(f"{a}*t*(1-t)").note == "tanh.sigmoid-form"


def test_ema_correction_follows_the_param() -> None:
    fam = get_family("ema")
    compared = 0
    for seed in range(20):
        raw = fam.generate(seed, corrected=False)
        fixed = fam.generate(seed, corrected=True)
        assert raw.values["corrected"] is False and fixed.values["corrected"] is True
        beta, n = fixed.values["beta"], len(fixed.values["thetas"])
        notes = {m.note for m in fixed.mistakes}
        assert "ema.no-correction" in notes and "ema.unwanted-correction" not in notes
        assert "ema.unwanted-correction" in {m.note for m in raw.mistakes}
        # The corrected answer is the raw one divided by 1 − βᵗ (same draw when the seed matches).
        if raw.values["thetas"] == fixed.values["thetas"] and raw.values["beta"] == beta:
            assert fixed.spec.reference == pytest.approx(raw.spec.reference / (1 - beta**n))
            compared += 1
    assert compared >= 10  # the same draw for most seeds, so the relation above was checked


def test_ema_swapped_beta_absent_only_for_half() -> None:
    fam = get_family("ema")
    for seed in range(80):
        inst = fam.generate(seed)
        has_swap = any(m.note == "ema.swapped-beta" for m in inst.mistakes)
        assert has_swap == (inst.values["beta"] != 0.5)


def test_matmul_flops_uses_seed_convention() -> None:
    inst = get_family("matmul_flops").generate(3)
    m, n, k = (inst.values[v] for v in "MNK")
    assert inst.spec.reference == m * k * (2 * n - 1)
    assert inst.check(str(2 * m * n * k)).note == "flops.mac-as-two"
    formula = get_family("matmul_flops_formula").generate(0)
    assert formula.check("MK(2N-1)").is_correct
    assert formula.check("2MNK").note == "flops.mac-as-two"
    assert formula.check("MNK").note == "flops.macs-only"


def test_conv_cost_quantities_relate() -> None:
    fam = get_family("conv_cost")
    compared = 0
    for seed in range(30):
        macs = fam.generate(seed, quantity="macs")
        flops = fam.generate(seed, quantity="flops")
        if {k: v for k, v in macs.values.items() if k != "quantity"} == {
            k: v for k, v in flops.values.items() if k != "quantity"
        }:
            assert flops.spec.reference == 2 * macs.spec.reference
            compared += 1
    assert compared >= 10  # the same layer for most seeds, so the relation above was checked


def test_conv_output_size_against_pytorch_formula_examples() -> None:
    from quizapp.exercises.families.conv import out_size, sliding_positions

    # Worked examples: 224 input, 7×7 stride 2 pad 3 -> 112 (ResNet stem); 3×3 dilation 2 pad 2 keeps size.
    assert out_size(224, 7, 2, 3) == sliding_positions(224, 7, 2, 3) == 112
    assert out_size(32, 3, 1, 2, 2) == sliding_positions(32, 3, 1, 2, 2) == 32
    assert out_size(7, 3, 2, 0) == sliding_positions(7, 3, 2, 0) == 3


def test_attention_heads_do_not_change_the_count() -> None:
    fam = get_family("attention_vs_conv_params")
    attention = 0
    for seed in range(40):
        inst = fam.generate(seed)
        d = inst.values["d"]
        if inst.values["question"] == "attention":
            assert inst.spec.reference == 4 * d * d + 4 * d
            attention += 1
        assert "O(n²·d)" in inst.solution("en")
    assert attention > 0


def test_backprop_asks_each_kind_of_question() -> None:
    fam = get_family("backprop_mlp")
    asked = {fam.generate(seed).values["question"] for seed in range(60)}
    assert asked == {"delta_out", "delta_hidden", "grad_out", "grad_hidden"}


def test_fps_ms_conversion_is_an_authored_mistake() -> None:
    fam = get_family("fps_latency")
    inst = fam.generate(2)
    ref = float(inst.spec.reference)
    assert inst.check(repr(ref / 1000)).note == "fps.no-ms-conversion"
    assert inst.check(f"{ref:.4g}").is_correct


def test_finetune_counts_only_trainable() -> None:
    fam = get_family("finetune_params")
    for seed in range(50):
        inst = fam.generate(seed)
        notes = {m.note for m in inst.mistakes}
        assert ("finetune.no-batchnorm" in notes) == (inst.values["head"] == "mlp_bn")
        assert ("finetune.missed-unfrozen" in notes) == inst.values["unfreeze_last"]
        backbone = next(m.value for m in inst.mistakes if m.note == "finetune.counted-backbone")
        assert backbone > inst.spec.reference


def test_unknown_param_value_is_rejected() -> None:
    with pytest.raises(ValueError):
        get_family("ema").generate(0, corrected="maybe")
    with pytest.raises(ValueError):
        get_family("conv_cost").generate(0, colour="red")


@pytest.mark.parametrize("name", PART_A)
def test_draws_rarely_need_a_redraw(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """generate() redraws until every mistake is separated; that should almost never be needed."""
    fam = get_family(name)
    draws: list[int] = []
    inner = fam.draw

    def counting(*args: object, **kwargs: object) -> Instance:
        draws[-1] += 1
        return inner(*args, **kwargs)

    monkeypatch.setattr(fam, "draw", counting)
    for seed in range(100):
        draws.append(0)
        fam.generate(seed)
    assert max(draws) <= 5 and sum(draws) / len(draws) <= 1.5, (name, max(draws), sum(draws) / len(draws))
