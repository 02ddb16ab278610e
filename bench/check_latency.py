"""Check latency in a warm ExerciseWorker (the checker process): p50 / p99 per answer kind, per exercise family, per YAML
exercise (tests/fixtures/yaml_exercises) and per part of the multi-part exercises (check_part,
with a wrong earlier part carried forward).

Prints figures; it is not a test (shared machines are noisy: compare medians and ratios).
Target: p99 < 20 ms per check; the worst hostile input bounded by the 2 s limit.

    .venv/bin/python bench/check_latency.py [--rounds 30] [--seeds 20]
    .venv/bin/python bench/check_latency.py --cpu   # CPU time per check, in this process

--cpu measures the CPU time of each check in this process (time.thread_time), which a loaded
machine inflates far less than the wall-clock round trip: use it to compare two versions.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import random
import statistics
import string
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from quizapp.checking import AnswerSpec, FunctionDef, Mistake
from quizapp.exercises.worker import ExerciseWorker
from quizapp.i18n import Bilingual

FB = Bilingual("", "")
SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", ("σ",))
KIND_CASES: dict[str, tuple[AnswerSpec, list[Mistake], list[str]]] = {
    "expression (sigmoid')": (
        AnswerSpec("expression", "sigma(x)*(1 - sigma(x))", ("x",), (SIGMA,), (("s", "sigma(x)"),)),
        [Mistake("sig.squared", "sigma(x)**2", FB), Mistake("sig.plus", "sigma(x)*(1 + sigma(x))", FB)],
        ["σ(1−σ)", "exp(-x)/(1+exp(-x))^2", "1/(4cosh(x/2)^2)", "s^2", "s(1+s)", "-s(1-s)", "2s(1-s)"],
    ),
    "expression (FLOPs)": (
        AnswerSpec("expression", "M*K*(2*N - 1)", ("M", "K", "N")),
        [Mistake("flops.2mkn", "2*M*K*N", FB), Mistake("flops.mkn", "M*K*N", FB)],
        ["MK(2N−1)", "2MKN − MK", "2MKN", "MKN", "MN(2K-1)", "10MK(2N-1)"],
    ),
    "integer": (
        AnswerSpec("integer", 1152),
        [Mistake("n.half", 576, FB)],
        ["1152", "2*64*3*3", "1,152", "576", "1153", "11520", "1.2e3"],
    ),
    "real": (
        AnswerSpec("real", 0.1353352832366127),
        [Mistake("ema.raw", 0.2, FB)],
        ["e^-2", "0.1353", "0.135", "0.2", "1.353", "-0.1353"],
    ),
    "vector": (
        AnswerSpec("vector", (0.1, 0.2, 0.7)),
        [Mistake("norm.l1", (0.2, 0.2, 0.6), FB)],
        ["[0.1, 0.2, 0.7]", "0.1 0.2 0.7", "[0.2, 0.2, 0.6]", "[1, 2, 7]", "[0.1, 0.3, 0.7]"],
    ),
    "choice": (
        AnswerSpec("choice", frozenset({"A", "C"})),
        [Mistake("q.b", frozenset({"B"}), FB)],
        ["a c", "A,C", "B", "A", "ABC"],
    ),
}
FALLBACK_HOSTILE = ["9**9**9**9", "((2^64)^64)^64", "(" * 100_000, "x.__class__", "exp(exp(exp(exp(100))))"]


def random_answer(rng: random.Random) -> str:
    alphabet = string.digits + "xMKNse+-*/^(). σ√²"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20)))


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def row(label: str, samples: Sequence[float]) -> None:
    p50, p99, worst = percentiles(samples)
    flag = "" if p99 < 20 else "   <-- above the 20 ms target"
    print(f"{label:36s} n={len(samples):5d}  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  max {worst:8.2f} ms{flag}")


def bench_kinds(worker: ExerciseWorker, rounds: int, rng: random.Random) -> list[float]:
    everything: list[float] = []
    print("== per answer kind (correct, mistaken and random answers; round trip through the worker)")
    for label, (spec, mistakes, answers) in KIND_CASES.items():
        samples: list[float] = []
        for _ in range(rounds):
            for text in [*answers, random_answer(rng)]:
                samples.append(timed(lambda t=text, s=spec, m=mistakes: worker.check_spec(s, t, m)))
        row(label, samples)
        everything += samples
    return everything


def load_families() -> dict[str, Any]:
    from quizapp.exercises.catalog import CATALOG

    found: dict[str, Any] = {}
    for module_name in dict.fromkeys(entry.module for entry in CATALOG.values()):
        try:
            module = importlib.import_module(f"quizapp.exercises.families.{module_name}")
        except Exception as exc:  # noqa: BLE001 - families are written in parallel
            print(f"   (skipping module {module_name}: {type(exc).__name__}: {exc})")
            continue
        for fam in getattr(module, "FAMILIES", ()):
            found[fam.name] = fam
    return found


def bench_families(worker: ExerciseWorker, seeds: int, rng: random.Random) -> list[float]:
    from quizapp.exercises.base import value_text

    print("== per exercise family (check_instance: answer key, alternatives, every mistake, random)")
    everything: list[float] = []
    for name, family in load_families().items():
        samples: list[float] = []
        gen_times: list[float] = []
        try:
            for seed in range(seeds):
                start = time.perf_counter()
                inst = family.generate(seed)
                gen_times.append(time.perf_counter() - start)
                try:
                    alternatives = list(family.alternative_answers(inst))
                except NotImplementedError:
                    alternatives = []
                answers = [inst.answer_text, *alternatives, *(value_text(m.value) for m in inst.mistakes)]
                answers.append(random_answer(rng))
                for text in answers:
                    samples.append(timed(lambda t=text, i=inst: worker.check_instance(i, t)))
        except Exception as exc:  # noqa: BLE001
            print(f"{name:36s} failed: {type(exc).__name__}: {exc}")
            continue
        row(name, samples)
        print(f"{'':36s} generate(): median {statistics.median(gen_times) * 1000:.2f} ms")
        everything += samples
    return everything


YAML_DECK = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "yaml_exercises" / "deck"
MULTIPART_FAMILIES = ("backprop_mlp", "ema", "conv_cost")


def part_answers(inst: Any, index: int, earlier: dict[str, Any]) -> list[str]:
    """The right answer, each authored mistake, a random answer, and the answer recomputed from a
    wrong earlier value (error carried forward)."""
    from quizapp.exercises.base import value_text
    from quizapp.exercises.parts import part_mistakes

    part = inst.parts[index]
    env = inst.chain.values() if inst.chain is not None else {}
    names = inst.chain.names if inst.chain is not None else ()
    answers = [part.answer_text, *(value_text(m.value) for m in part_mistakes(part, env, names))]
    if earlier and inst.chain is not None and part.steps:
        own = inst.chain.values({inst.parts[0].steps[0]: earlier[inst.parts[0].id]})
        answers.append(value_text(float(own[part.steps[0]])))
    return answers


def bench_parts(worker: ExerciseWorker, label: str, instances: list[Any], rng: random.Random) -> list[float]:
    samples: list[float] = []
    for inst in instances:
        first = inst.parts[0]
        wrong_first = float(first.spec.reference) * 1.5 + 1
        earlier = {first.id: int(wrong_first) if first.spec.kind == "integer" else wrong_first}
        for index in range(len(inst.parts)):
            for text in [*part_answers(inst, index, earlier if index else {}), random_answer(rng)]:
                prior = earlier if index else {}
                samples.append(timed(lambda t=text, i=inst, k=index, e=prior: worker.check_part(i, k, t, e)))
    row(label, samples)
    return samples


def bench_yaml(worker: ExerciseWorker, seeds: int, rng: random.Random) -> list[float]:
    from quizapp.deck.library import build_library, content_files
    from quizapp.exercises import generate_item
    from quizapp.exercises.base import value_text

    print(f"== YAML exercises ({YAML_DECK.relative_to(YAML_DECK.parents[2])}) and multi-part exercises (check_part)")
    library = build_library([(p, False) for p in content_files([YAML_DECK])])
    everything: list[float] = []
    for item in library.items.values():
        gen_times = [timed(lambda s=seed, it=item: generate_item(it, s)) for seed in range(seeds)]
        instances = [generate_item(item, seed) for seed in range(seeds)]
        if instances[0].parts:
            everything += bench_parts(worker, f"{item.id} (parts)", instances, rng)
        else:
            samples = [
                timed(lambda t=text, i=inst: worker.check_instance(i, t))
                for inst in instances
                for text in [inst.answer_text, *(value_text(m.value) for m in inst.mistakes), random_answer(rng)]
            ]
            row(item.id, samples)
            everything += samples
        print(f"{'':36s} generate(): median {statistics.median(gen_times) * 1000:.2f} ms")
    for name in MULTIPART_FAMILIES:
        family = load_families()[name]
        instances = [family.generate(seed, parts=True) for seed in range(seeds)]
        everything += bench_parts(worker, f"{name} (parts)", instances, rng)
    return everything


def hostile_inputs() -> list[str]:
    path = Path(__file__).resolve().parent.parent / "tests" / "test_checking_hostile.py"
    if not path.exists():
        return FALLBACK_HOSTILE
    spec = importlib.util.spec_from_file_location("_hostile", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [a.replace(module.PWNED, "/nonexistent/pwned") for a in module.ATTACKS]


def bench_hostile(worker: ExerciseWorker) -> None:
    spec = KIND_CASES["expression (sigmoid')"][0]
    worst = (0.0, "")
    statuses: set[str] = set()
    for text in hostile_inputs():
        start = time.perf_counter()
        verdict = worker.check_spec(spec, text)
        elapsed = time.perf_counter() - start
        statuses.add(verdict.status)
        worst = max(worst, (elapsed, text))
    shown = worst[1] if len(worst[1]) <= 40 else worst[1][:37] + "..."
    print(f"== hostile inputs: {len(hostile_inputs())}, statuses {sorted(statuses)}, worst {worst[0] * 1000:.2f} ms ({shown!r})")


def bench_cpu(rounds: int, seeds: int) -> None:
    """CPU time per check in this process, for the expression kinds and families (warm)."""
    from quizapp.checking import check_answer
    from quizapp.exercises.base import value_text

    def cpu(call: Callable[[], Any]) -> float:
        start = time.thread_time()
        call()
        return time.thread_time() - start

    print("== CPU time per check, in process (time.thread_time; warm)")
    everything: list[float] = []
    for label, (spec, mistakes, answers) in KIND_CASES.items():
        for text in answers:
            check_answer(text, spec, mistakes)  # warm
        samples = [cpu(lambda t=t, s=spec, m=mistakes: check_answer(t, s, m)) for _ in range(rounds) for t in answers]
        row(label, samples)
        everything += samples
    for name in ("sigmoid_derivative", "tanh_derivative", "matmul_flops_formula"):
        family = load_families().get(name)
        if family is None:
            continue
        samples = []
        for seed in range(seeds):
            inst = family.generate(seed)
            answers = [inst.answer_text, *(value_text(m.value) for m in inst.mistakes)]
            check_answer(answers[0], inst.spec, inst.mistakes)  # the spec's setup, once
            samples += [cpu(lambda t=t, i=inst: check_answer(t, i.spec, i.mistakes)) for t in answers]
        row(name, samples)
        everything += samples
    row("ALL (CPU)", everything)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30, help="repetitions per kind case")
    parser.add_argument("--seeds", type=int, default=20, help="instances per family")
    parser.add_argument("--cpu", action="store_true", help="CPU time per check in this process only")
    args = parser.parse_args()
    if args.cpu:
        bench_cpu(args.rounds, args.seeds)
        return
    rng = random.Random(1234)
    with ExerciseWorker() as worker:
        start = time.perf_counter()
        worker.ping()
        print(f"worker start-up (forkserver preloading sympy/numpy): {time.perf_counter() - start:.2f} s")
        for text in ("1", "x"):  # one warm round trip
            worker.check_spec(AnswerSpec("integer", 1), text)
        total = bench_kinds(worker, args.rounds, rng)
        total += bench_families(worker, args.seeds, rng)
        yaml_and_parts = bench_yaml(worker, args.seeds, rng)
        row("YAML EXERCISES AND PARTS", yaml_and_parts)
        row("ALL CHECKS", total + yaml_and_parts)
        bench_hostile(worker)
        start = time.perf_counter()
        worker.run(time.sleep, 30)
        print(f"== a hanging check is killed and replaced after {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        worker.check_spec(AnswerSpec("integer", 1), "1")
        print(f"   first check on the replacement process: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
