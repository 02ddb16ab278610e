"""Figures in worked solutions: each figure's data agrees with its instance, the text renderer
keeps every line within the width in both languages, and line mode prints the figure."""

from __future__ import annotations

import io
import logging
import math
import sys
from typing import Any

import pytest
from family_checks import reference_at

from quizapp.exercises import get_family
from quizapp.exercises.base import Instance
from quizapp.exercises.catalog import CATALOG
from quizapp.exercises.figures import (
    Figure,
    Plot,
    Series,
    Strip,
    StripRow,
    figure_builders,
    figure_for,
    render,
    text_width,
    worked_solution,
)
from quizapp.exercises.figures.text import clip, merge_cells, wrap
from quizapp.i18n import Bilingual

SEEDS = range(60)
WITH_FIGURES = sorted(figure_builders())


def variants(name: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = [{}]
    for key, values in CATALOG[name].params.items():
        out += [{key: v} for v in values]
    return out


def instances(name: str, seeds: range = SEEDS) -> list[Instance]:
    fam = get_family(name)
    return [fam.generate(seed, **params) for params in variants(name) for seed in seeds]


def strip_of(inst: Instance) -> Strip:
    figure = figure_for(inst)
    assert figure is not None and isinstance(figure.body, Strip)
    return figure.body


def plot_of(inst: Instance) -> Plot:
    figure = figure_for(inst)
    assert figure is not None and isinstance(figure.body, Plot)
    return figure.body


def series(plot: Plot, starts: str) -> Series:
    return next(s for s in plot.series if s.label.en.startswith(starts))


def test_the_issue_s_five_figures_and_the_new_families_have_builders() -> None:
    assert {"receptive_field", "conv_output_size", "sigmoid_derivative", "ema", "gd_divergence"} <= set(WITH_FIGURES)
    assert set(WITH_FIGURES) <= set(CATALOG)


@pytest.mark.parametrize("name", WITH_FIGURES)
def test_every_figure_renders_within_60_columns_in_both_languages(name: str) -> None:
    for inst in instances(name, range(25)):
        figure = figure_for(inst)
        if figure is None:
            assert name == "attention_flops" and inst.values["form"] == "formula"
            continue
        assert figure.title.en and any("\u4e00" <= ch <= "\u9fff" for ch in figure.title.zh)
        for lang in ("en", "zh"):
            text = render(figure, lang)
            lines = text.splitlines()
            assert len(lines) >= 5
            too_wide = [line for line in lines if text_width(line) > 60]
            assert not too_wide, (name, inst.seed, lang, too_wide)
            assert not any(ch in text for ch in "\x1b\t\r"), (name, inst.seed)
            narrow = render(figure, lang, width=40)
            assert all(text_width(line) <= 40 for line in narrow.splitlines()), (name, inst.seed, lang)


def test_receptive_field_footprint_ends_as_wide_as_the_answer() -> None:
    for inst in instances("receptive_field"):
        rows = strip_of(inst).rows
        assert len(rows) == len(inst.values["layers"])
        widths = [len(row.cells) for row in rows]
        assert widths == sorted(widths) and widths[-1] == inst.spec.reference, inst.seed
        assert rows[-1].cells[0] == rows[-1].cells[-1] == "█" and rows[-1].note == f"r = {inst.spec.reference}"


def test_conv_windows_fit_the_padded_row_and_count_the_output_size() -> None:
    for inst in instances("conv_output_size"):
        v, strip = inst.values, strip_of(inst)
        length = v["H"] + 2 * v["P"]
        span = v["D"] * (v["K"] - 1) + 1
        assert strip.start == -v["P"] and len(strip.rows[0].cells) == length
        last = strip.rows[-1]
        assert last.label.en == f"out {inst.spec.reference}", (inst.seed, last.label)
        end = last.cells.rstrip().__len__()
        assert end <= length and end - span + v["S"] + span > length  # one more stride would not fit


@pytest.mark.parametrize("name", ["sigmoid_derivative", "tanh_derivative"])
def test_tangent_touches_the_curve_with_the_answer_s_slope(name: str) -> None:
    for inst in instances(name, range(15)):
        plot = plot_of(inst)
        (x0, y0), = series(plot, "(x₀").points
        slope_expected = float(reference_at(inst, (x0,))[0])
        tangent = series(plot, "tangent").points
        (xa, ya), (xb, yb) = tangent[0], tangent[-1]
        assert math.isclose((yb - ya) / (xb - xa), slope_expected, rel_tol=1e-9), (name, inst.seed)
        curve = dict(series(plot, "f(x)").points)
        a = inst.values["a"]
        assert math.isclose(y0, (1 / (1 + math.exp(-1)) if name.startswith("sigmoid") else math.tanh(1)))
        assert math.isclose(x0 * a, 1.0) and min(curve) == -3 and max(curve) == 3


def test_ema_curves_end_at_the_answer() -> None:
    for inst in instances("ema"):
        plot = plot_of(inst)
        raw, fixed = series(plot, "vₜ raw"), series(plot, "v̂ₜ")
        assert raw.points[0] == (0.0, 0.0)
        end = (fixed if inst.values["corrected"] else raw).points[-1][1]
        assert math.isclose(end, inst.spec.number, rel_tol=1e-9), inst.seed
        data = series(plot, "θₜ").points
        assert math.isclose(fixed.points[0][1], data[0][1])  # v̂₁ = θ₁: the correction removes the start-up bias


def test_gd_loss_shrinks_below_the_threshold_and_grows_above_it() -> None:
    for inst in instances("gd_divergence"):
        plot = plot_of(inst)
        below, above = plot.series
        assert plot.log_y and "0.9" in below.label.en and "1.1" in above.label.en
        assert below.points[-1][1] < below.points[0][1] and above.points[-1][1] > above.points[0][1]
        assert f"{inst.spec.number:.4g}".replace("-", "−") in figure_for(inst).title.en  # type: ignore[union-attr]


def test_rf_center_footprint_is_centred_on_the_answer() -> None:
    for inst in instances("rf_center"):
        strip = strip_of(inst)
        unit = strip.rows[-1].cells
        centre, first = strip.start + unit.index("▲"), strip.start + min(unit.index("▲"), unit.index("█"))
        assert (centre if inst.values["question"] == "center" else first) == inst.spec.reference, inst.seed
        assert strip.rows[0].cells[-strip.start] == "·" and strip.rows[0].cells[-strip.start - 1] == "░"


def test_softmax_figure_marks_the_answer_for_the_true_logit() -> None:
    for inst in instances("softmax_gradient"):
        (x, y), = series(plot_of(inst), "this instance").points
        c = inst.values["c"]
        assert x == inst.values["z"][c]
        assert math.isclose(y, inst.spec.reference[c], rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[index]


def test_lr_figure_marks_the_answer_and_peaks_when_the_warm_up_ends() -> None:
    for inst in instances("lr_schedule"):
        plot = plot_of(inst)
        (t, lr), = series(plot, "step").points
        assert t == inst.values["t"] and math.isclose(lr, inst.spec.number, rel_tol=1e-12)
        curve = dict(series(plot, "η(t)").points)
        assert max(curve.values()) == curve[float(inst.values["warm"])] == inst.values["top"]


def test_box_figure_counts_the_overlap_and_the_union() -> None:
    for inst in instances("box_iou"):
        rows = strip_of(inst).rows
        both = sum(row.cells.count("█") for row in rows)
        covered = sum(len(row.cells) - row.cells.count(" ") for row in rows)
        assert math.isclose(both / covered, inst.spec.number, rel_tol=1e-12), inst.seed


def test_pr_envelope_area_is_the_interpolated_ap() -> None:
    from quizapp.exercises.families.detection import ap_interpolated

    for inst in instances("ranked_ap"):
        envelope = plot_of(inst).series[0].points
        area = sum((x2 - x1) * (y1 + y2) / 2 for (x1, y1), (x2, y2) in zip(envelope, envelope[1:]))
        expected = float(ap_interpolated(inst.values["flags"], inst.values["n_gt"]))
        assert math.isclose(area, expected, rel_tol=1e-12), inst.seed
        if inst.values["method"] == "interpolated":
            assert math.isclose(area, inst.spec.number, rel_tol=1e-12)


def test_attention_figure_parts_cross_at_twice_the_width() -> None:
    for inst in instances("attention_flops"):
        if inst.values["form"] == "formula":
            assert figure_for(inst) is None
            continue
        plot = plot_of(inst)
        proj, scores = plot.series
        d = inst.values["d"]
        for (x, p), (_, s) in zip(proj.points, scores.points):
            assert (p > s) == (x < 2 * d) or math.isclose(x, 2 * d) or x == 0
        assert {m.x for m in plot.marks} == {float(inst.values["n"]), float(2 * d)}


# ---------------------------------------------------------------- renderer and wiring


def test_wrap_clip_and_merge() -> None:
    assert wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert all(text_width(line) <= 9 for line in wrap("感受野以中心对称：在中心两侧各延伸", 9))
    assert text_width(clip("感受野以中心对称", 7)) <= 7 and clip("abc", 5) == "abc"
    assert merge_cells("··█·  ░░", 2, ["█", "░", "·"]) == "·█ ░"


def test_a_long_strip_is_scaled_and_says_so() -> None:
    strip = Strip(start=0, rows=(StripRow(Bilingual("row", "行"), "█" * 300, "r = 300"),),
                  axis=Bilingual("input position", "输入位置"), legend=(("█", Bilingual("seen", "看到")),))
    text = render(Figure(Bilingual("t", "标题"), strip), "en")
    assert "(1 cell = 7 positions)" in text and all(text_width(line) <= 60 for line in text.splitlines())
    assert "1 格 = 7 个位置" in render(Figure(Bilingual("t", "标题"), strip), "zh")


def test_log_plot_skips_non_positive_values_and_a_flat_series_still_draws() -> None:
    plot = Plot(series=(Series(Bilingual("s", "s"), ((0.0, 0.0), (1.0, 10.0), (2.0, 100.0))),
                        Series(Bilingual("flat", "平"), ((0.0, 5.0), (2.0, 5.0)), "markers", "×")),
                x_label=Bilingual("x", "x"), y_label=Bilingual("y", "y"), log_y=True)
    text = render(Figure(Bilingual("t", "标题"), plot), "en")
    assert "×" in text and "100" in text


def test_worked_solution_appends_the_figure_and_survives_a_broken_builder(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    inst = get_family("receptive_field").generate(3)
    text = worked_solution(inst, "en")
    assert text.startswith(inst.solution("en")) and "input position" in text
    plain = get_family("fps_latency").generate(3)
    assert worked_solution(plain, "zh") == plain.solution("zh")

    def broken(_: Any) -> Figure:
        raise ZeroDivisionError("bug in a figure")

    monkeypatch.setitem(figure_builders(), "receptive_field", broken)
    with caplog.at_level(logging.ERROR, logger="quizapp.exercises.figures"):
        assert worked_solution(inst, "en") == inst.solution("en")
    assert "figure for receptive_field" in caplog.text


def test_line_mode_prints_the_figure_under_the_solution(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quizapp.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("3\n"))
    assert main(["exercise", "conv_output_size", "--seed", "4", "--in-process", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    inst = get_family("conv_output_size").generate(4)
    assert inst.solution("zh") in out
    assert render(figure_for(inst), "zh") in out  # type: ignore[arg-type]
