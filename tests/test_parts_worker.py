"""Parts and YAML exercise generation through the ExerciseWorker (its time limit applies to both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.deck.library import build_library, content_files
from quizapp.exercises import generate_item, get_family
from quizapp.exercises.parts import ECF_NOTE, PartAnswer
from quizapp.exercises.worker import ExerciseWorker

pytestmark = pytest.mark.slow

DECK = Path(__file__).parent / "fixtures" / "yaml_exercises" / "deck"


@pytest.fixture(scope="module")
def worker():  # type: ignore[no-untyped-def]
    w = ExerciseWorker(timeout=5.0)
    w.ping()
    yield w
    w.close()


def test_check_part_in_the_worker_carries_the_error_forward(worker: ExerciseWorker) -> None:
    inst = get_family("conv_cost").generate(5, parts=True)
    assert inst.chain is not None
    size = worker.check_part(inst, 0, str(inst.parts[0].spec.reference + 1))
    assert isinstance(size, PartAnswer) and size.status == "wrong"
    own = inst.chain.values({"ho": size.value})  # type: ignore[dict-item]
    flops = worker.check_part(inst, 2, str(int(own["flops"])), {"size": size.value})
    assert flops.status == "correct" and flops.note == ECF_NOTE and "your value of H_out" in flops.verdict.feedback.en
    assert flops == inst.check_part(2, str(int(own["flops"])), {"size": size.value})


def test_yaml_items_generate_in_the_worker(worker: ExerciseWorker) -> None:
    lib = build_library([(p, False) for p in content_files([DECK])])
    for item_id in ("yx-softmax", "yx-neuron-grad"):
        made = worker.generate_item(lib.items[item_id], 4)
        assert made == generate_item(lib.items[item_id], 4)


def test_a_part_that_times_out_is_invalid_not_an_error() -> None:
    inst = get_family("ema").generate(1, parts=True)
    with ExerciseWorker(timeout=0.0001) as slow:
        answer = slow.check_part(inst, 0, inst.parts[0].answer_text)
    assert isinstance(answer, PartAnswer) and answer.part_id == "v1"
    assert answer.status in ("invalid", "correct")  # a fast machine may still answer in time
    if answer.status == "invalid":
        assert answer.note in ("invalid.timeout", "invalid.crash")
