"""Throughput (frames per second) from per-frame or per-batch latency, with pre/post-processing.

simulate() plays a timeline: frames are pre-processed one after another, then run as a batch (or
one by one), then post-processed; it runs 100 batches event by event and divides the frames done
by the elapsed time in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from quizapp.checking.spec import Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import DistinctDrawFamily, bi, pick, scalar_instance, show
from quizapp.i18n import Bilingual

SETUPS = ("frame", "batch", "batch_pre")
BATCHES = (4, 8, 16, 32)


@dataclass(frozen=True)
class _Case:
    """One drawn setup: the answer, its mistakes, the wording, and the timings simulate() replays."""

    answer: float
    mistakes: list[Mistake]
    setup: Bilingual
    solution: Bilingual
    timings: tuple[float, float, float]  # (inference, pre, post) in ms, per batch or per frame


def _frame_case(infer: float, pre: float, post: float) -> _Case:
    per_frame = infer + pre + post
    answer = 1000.0 / per_frame
    mistakes = [
        Mistake("fps.no-ms-conversion", 1.0 / per_frame, bi(
            "The times are in milliseconds: 1 s = 1000 ms, so FPS = 1000 / (time per frame in ms).",
            "时间单位是毫秒：1 s = 1000 ms，所以 FPS = 1000 / （每帧毫秒数）。",
        )),
        Mistake("fps.ignored-overhead", 1000.0 / infer, bi(
            "Pre- and post-processing run in sequence with the model, so they add to every frame's time.",
            "预处理和后处理与模型串行执行，所以每帧的时间都要加上它们。",
        )),
    ]
    setup = bi(
        f"A detector processes a video one frame at a time, strictly in sequence: pre-processing {pre} ms, "
        f"model inference {infer} ms, post-processing {post} ms per frame.",
        f"一个检测器逐帧处理视频，各步骤严格串行：每帧预处理 {pre} ms，模型推理 {infer} ms，后处理 {post} ms。",
    )
    solution = bi(
        f"Time per frame = {pre} + {infer} + {post} = {show(per_frame)} ms.\nFPS = 1000 / {show(per_frame)} = {show(answer)} frames/s.",
        f"每帧时间 = {pre} + {infer} + {post} = {show(per_frame)} ms。\nFPS = 1000 / {show(per_frame)} = {show(answer)} 帧/秒。",
    )
    return _Case(answer, mistakes, setup, solution, (infer, pre, post))


def _batch_case(rng: Any, setup: str, infer: float, pre: float, batch: int) -> _Case:
    t_batch = float(np.round(infer * rng.uniform(2.0, 6.0), 1))
    pre_frame = pre if setup == "batch_pre" else 0.0
    total = t_batch + batch * pre_frame
    answer = 1000.0 * batch / total
    mistakes = [
        Mistake("fps.no-ms-conversion", batch / total, bi(
            "The times are in milliseconds: frames per SECOND = 1000 × frames / (time in ms).",
            "时间单位是毫秒：每秒帧数 = 1000 × 帧数 / （毫秒数）。",
        )),
        Mistake("fps.forgot-batch", 1000.0 / total, bi(
            f"One batch delivers B = {batch} frames, so multiply by B: FPS = 1000·B / (time per batch in ms).",
            f"一批处理 B = {batch} 帧，所以要乘以 B：FPS = 1000·B / （每批毫秒数）。",
        )),
        Mistake("fps.divided-by-batch", 1000.0 / (total * batch), bi(
            f"The {show(t_batch)} ms is for the whole batch, not for each frame: frames per batch are B = {batch}, so multiply by B.",
            f"{show(t_batch)} ms 是整批的时间，而不是每帧的：每批有 B = {batch} 帧，应乘以 B。",
        )),
    ]
    if setup != "batch_pre":
        wording = bi(
            f"A model runs on batches of B = {batch} frames; one batch takes {t_batch} ms end to end "
            "(everything included), and batches run back to back.",
            f"模型按批处理，每批 B = {batch} 帧；处理一批总共耗时 {t_batch} ms（包括所有步骤），批与批之间连续执行。",
        )
        solution = bi(
            f"Each batch of {batch} frames takes {t_batch} ms = {show(t_batch / 1000)} s.\n"
            f"FPS = 1000 × {batch} / {t_batch} = {show(answer)} frames/s.",
            f"每批 {batch} 帧耗时 {t_batch} ms = {show(t_batch / 1000)} s。\n"
            f"FPS = 1000 × {batch} / {t_batch} = {show(answer)} 帧/秒。",
        )
        return _Case(answer, mistakes, wording, solution, (t_batch, pre_frame, 0.0))
    mistakes += [
        Mistake("fps.ignored-overhead", 1000.0 * batch / t_batch, bi(
            "Pre-processing runs before each batch and is not overlapped, so it adds to the cycle time.",
            "预处理在每批之前执行，没有与推理并行，所以要计入每个周期的时间。",
        )),
        Mistake("fps.overhead-once", 1000.0 * batch / (t_batch + pre_frame), bi(
            f"Pre-processing costs {pre_frame} ms per FRAME: a batch of {batch} needs {batch} × {pre_frame} ms.",
            f"预处理是每帧 {pre_frame} ms：一批 {batch} 帧需要 {batch} × {pre_frame} ms。",
        )),
    ]
    return _Case(answer, mistakes, *_batch_pre_text(batch, pre_frame, t_batch, answer), (t_batch, pre_frame, 0.0))


def _batch_pre_text(batch: int, pre_frame: float, t_batch: float, answer: float) -> tuple[Bilingual, Bilingual]:
    """The setup and solution when frames are pre-processed one by one before each batch."""
    total = t_batch + batch * pre_frame
    wording = bi(
        f"Frames are pre-processed one by one on the CPU ({pre_frame} ms per frame), then a batch of "
        f"B = {batch} frames runs on the GPU in {t_batch} ms; the next batch starts only when this one is done (no overlap).",
        f"每帧先在 CPU 上逐帧预处理（每帧 {pre_frame} ms），然后 B = {batch} 帧组成一批在 GPU 上推理，"
        f"每批耗时 {t_batch} ms；上一批完成后才开始下一批（没有并行重叠）。",
    )
    solution = bi(
        f"One cycle = {batch} × {pre_frame} + {t_batch} = {show(total)} ms and delivers {batch} frames.\n"
        f"FPS = 1000 × {batch} / {show(total)} = {show(answer)} frames/s.",
        f"一个周期 = {batch} × {pre_frame} + {t_batch} = {show(total)} ms，产出 {batch} 帧。\n"
        f"FPS = 1000 × {batch} / {show(total)} = {show(answer)} 帧/秒。",
    )
    return wording, solution


class FpsLatency(DistinctDrawFamily):
    name = "fps_latency"

    def _draw_once(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        setup = pick(rng, SETUPS)
        infer = float(np.round(rng.uniform(4.0, 40.0), 1))  # ms per frame, or per batch below
        pre = float(np.round(rng.uniform(0.5, 5.0), 1))
        post = float(np.round(rng.uniform(0.5, 3.0), 1))
        batch = pick(rng, BATCHES)
        case = _frame_case(infer, pre, post) if setup == "frame" else _batch_case(rng, setup, infer, pre, batch)
        prompt = bi(
            f"{case.setup.en}\nWhat is the throughput in frames per second (FPS)? Give at least 4 significant figures.",
            f"{case.setup.zh}\n吞吐量是多少帧每秒（FPS）？至少给出 4 位有效数字。",
        )
        infer, pre, post = case.timings
        values = {"setup": setup, "batch": 1 if setup == "frame" else batch, "infer_ms": infer, "pre_ms": pre, "post_ms": post}
        return scalar_instance(
            self, seed, params, case.answer, values=values, mistakes=tuple(case.mistakes), prompt_text=prompt,
            solution_text=case.solution,
        )

    def simulate(self, instance: Instance) -> Value:
        v = instance.values
        clock_ms, frames = 0.0, 0
        for _ in range(100):
            for _frame in range(v["batch"]):
                clock_ms += v["pre_ms"]
            clock_ms += v["infer_ms"]
            for _frame in range(v["batch"]):
                clock_ms += v["post_ms"]
            frames += v["batch"]
        return frames / (clock_ms / 1000.0)

    def alternative_answers(self, instance: Instance) -> list[str]:
        v = instance.values
        per_batch = v["infer_ms"] + v["batch"] * (v["pre_ms"] + v["post_ms"])
        return [f"1000*{v['batch']}/{per_batch:.10g}", f"{instance.spec.number:.6e}"]


FAMILIES: list[Family] = [FpsLatency()]
