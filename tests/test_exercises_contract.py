"""The contract every exercise family in the catalog keeps, checked the same way for all of them:
the closed form and the independent simulation agree on 300 seeds per variant; every variant checks
as authored (answer text and alternatives correct, each mistake named, malformed input invalid);
the authored mistakes are reachable and described, and (except where a draw decides them) fixed by
the parameters alone.

For expression families simulate() returns derivatives / counts at fixed sample points
(family.sample_points); the reference expression is parsed by the checker's own safe parser and
evaluated at the same points. gd_divergence's simulation runs gradient descent for a grid of
learning rates and brackets the switch to divergence; it resolves η* to ~1e-12, so the same rtol
1e-9 applies to it.
"""

from __future__ import annotations

import pytest
from family_checks import (
    MALFORMED,
    assert_checks_as_authored,
    assert_same_answer,
    full_variants,
    get_family,
    param_variants,
)

from quizapp.exercises.catalog import family_names

SIM_SEEDS = range(300)
CHECK_SEEDS = range(50)
EXPRESSION_CHECK_SEEDS = range(25)  # sympy checks cost a few ms each
NOTE_SEEDS = range(60)
# Families whose set of mistakes depends on the draw as well as on the parameters (a mistake that
# would coincide with the answer for some draws is left out of those draws).
DRAW_DEPENDENT_NOTES = {
    "attention_vs_conv_params", "backprop_mlp", "conv_cost", "conv_output_size", "ema", "finetune_params",
    "fps_latency",
}


def variants(name: str) -> list[dict[str, object]]:
    """Each catalog value alone (the others drawn per seed), then every full combination."""
    single = param_variants(name)
    return single + [v for v in full_variants(name) if v not in single]


@pytest.mark.parametrize("name", family_names())
def test_closed_form_matches_simulation(name: str) -> None:
    fam = get_family(name)
    for params in param_variants(name):
        for seed in SIM_SEEDS:
            inst = fam.generate(seed, **params)
            assert_same_answer(inst, fam, fam.simulate(inst))


@pytest.mark.parametrize("name", family_names())
def test_every_variant_checks_as_authored(name: str) -> None:
    fam = get_family(name)
    for params in variants(name):
        expression = fam.generate(0, **params).spec.kind == "expression"
        for seed in EXPRESSION_CHECK_SEEDS if expression else CHECK_SEEDS:
            assert_checks_as_authored(fam, fam.generate(seed, **params), MALFORMED[: 2 if seed % 5 else 4])


@pytest.mark.parametrize("name", family_names())
def test_each_mistake_note_is_reachable_and_described(name: str) -> None:
    fam = get_family(name)
    seen: set[str] = set()
    for params in variants(name):
        note_sets = {
            tuple(m.note for m in inst.mistakes) + tuple(m.note for p in inst.parts for m in p.mistakes)
            for inst in (fam.generate(seed, **params) for seed in NOTE_SEEDS)
        }
        if name not in DRAW_DEPENDENT_NOTES and params.keys() == full_variants(name)[0].keys():
            assert len(note_sets) == 1, (name, params, note_sets)
        seen |= {note for notes in note_sets for note in notes}
    assert seen == set(fam.mistake_notes), (name, set(fam.mistake_notes) ^ seen)
