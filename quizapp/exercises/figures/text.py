"""Figures drawn as plain Unicode text: braille dots for curves, glyph cells for strips.

render(figure, lang, width) returns lines no wider than `width` terminal columns (Chinese
characters count two), so line mode can print them and the TUI can show them in a Static.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence

from quizapp.exercises.figures.model import Figure, Plot, Series, Strip

WIDTH = 60
PLOT_ROWS = 11
GUIDE = "┆"
# Braille dot bits by (column in cell, row in cell).
_DOT_BITS = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20,
             (0, 3): 0x40, (1, 3): 0x80}  # fmt: skip
LINE_SAMPLE = "⠤⠤"


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def clip(text: str, width: int) -> str:
    """The longest prefix of text that fits in width columns (… marks a cut)."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width: break at the last space when there is one (English),
    anywhere otherwise (Chinese has no spaces between words)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if text_width(line + ch) <= width:
                line += ch
                continue
            cut = line.rfind(" ")
            if ch != " " and cut > 0:
                lines.append(line[:cut].rstrip())
                line = line[cut + 1:] + ch
            else:
                lines.append(line.rstrip())
                line = "" if ch == " " else ch
        lines.append(line.rstrip())
    return lines


def number(v: float) -> str:
    """A tick label: 3 significant figures, unicode minus, float dust shown as 0."""
    from quizapp.exercises.families._mathtext import show

    return show(0.0 if abs(v) < 1e-12 else v, 3)


def render(figure: Figure, lang: str, width: int = WIDTH) -> str:
    lines = wrap(figure.title.get(lang), width)
    body = figure.body
    lines += _plot(body, lang, width) if isinstance(body, Plot) else _strip(body, lang, width)
    if figure.caption is not None:
        lines += wrap(figure.caption.get(lang), width)
    return "\n".join(clip(line.rstrip(), width) for line in lines)


# ---------------------------------------------------------------- plots


class _Canvas:
    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.dots = [[0] * cols for _ in range(rows)]
        self.glyphs: dict[tuple[int, int], str] = {}

    def dot(self, dx: int, dy: int) -> None:
        if 0 <= dx < self.cols * 2 and 0 <= dy < self.rows * 4:
            self.dots[dy // 4][dx // 2] |= _DOT_BITS[(dx % 2, dy % 4)]

    def line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        steps = max(1, int(max(abs(b[0] - a[0]), abs(b[1] - a[1])) * 2))
        for i in range(steps + 1):
            t = i / steps
            self.dot(round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t))

    def put(self, col: int, row: int, glyph: str, over: bool = True) -> None:
        if 0 <= col < self.cols and 0 <= row < self.rows and (over or self._empty(col, row)):
            self.glyphs[(col, row)] = glyph

    def _empty(self, col: int, row: int) -> bool:
        return (col, row) not in self.glyphs and not self.dots[row][col]

    def row_text(self, row: int) -> str:
        return "".join(
            self.glyphs.get((col, row)) or (chr(0x2800 + self.dots[row][col]) if self.dots[row][col] else " ")
            for col in range(self.cols)
        )


def _y_of(plot: Plot, y: float) -> float | None:
    if not math.isfinite(y):
        return None
    if plot.log_y:
        return math.log10(y) if y > 0 else None
    return y


def _ranges(plot: Plot) -> tuple[float, float, float, float]:
    xs = [x for s in plot.series for x, _ in s.points] + [m.x for m in plot.marks]
    ys = [v for s in plot.series for _, y in s.points if (v := _y_of(plot, y)) is not None]
    x_lo, x_hi = min(xs), max(xs)
    if plot.y_range is not None:
        y_lo, y_hi = (_y_of(plot, v) or 0.0 for v in plot.y_range)
    else:
        y_lo, y_hi = min(ys), max(ys)
    if x_hi - x_lo < 1e-12:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    if y_hi - y_lo < 1e-12 * max(1.0, abs(y_hi)):
        y_lo, y_hi = y_lo - 1, y_hi + 1
    return x_lo, x_hi, y_lo, y_hi


def _tick(plot: Plot, y: float) -> str:
    return number(10**y) if plot.log_y else number(y)


def _plot(plot: Plot, lang: str, width: int) -> list[str]:
    x_lo, x_hi, y_lo, y_hi = _ranges(plot)
    rows = PLOT_ROWS
    ticks = {0: _tick(plot, y_hi), rows // 2: _tick(plot, (y_lo + y_hi) / 2), rows - 1: _tick(plot, y_lo)}
    gutter = max(text_width(t) for t in ticks.values()) + 1
    cols = width - gutter - 1
    canvas = _Canvas(cols, rows)

    def to_dots(x: float, y: float) -> tuple[float, float] | None:
        yy = _y_of(plot, y)
        if yy is None:
            return None
        return ((x - x_lo) / (x_hi - x_lo) * (cols * 2 - 1), (y_hi - yy) / (y_hi - y_lo) * (rows * 4 - 1))

    for mark in plot.marks:
        col = round((mark.x - x_lo) / (x_hi - x_lo) * (cols * 2 - 1)) // 2
        for row in range(rows):
            canvas.put(col, row, GUIDE)
    for series in plot.series:
        _draw_series(canvas, series, to_dots)
    lines = wrap(plot.y_label.get(lang), width)
    for row in range(rows):
        label = ticks.get(row, "")
        lines.append(f"{label:>{gutter - 1}} {'┤' if label else '│'}{canvas.row_text(row)}")
    lines.append(" " * gutter + "└" + "─" * cols)
    lines.append(" " * (gutter + 1) + _x_ticks(x_lo, x_hi, cols))
    lines += wrap(" " * (gutter + 1) + plot.x_label.get(lang), width)
    lines += _legend(plot, lang, width)
    return lines


ToDots = Callable[[float, float], tuple[float, float] | None]


def _draw_series(canvas: _Canvas, series: Series, to_dots: ToDots) -> None:
    pts = [to_dots(x, y) for x, y in series.points]
    if series.style == "line":
        for a, b in zip(pts, pts[1:]):
            if a is not None and b is not None:
                canvas.line(a, b)
    if series.glyph:
        for p in pts:
            if p is not None and -0.5 <= p[1] <= canvas.rows * 4 - 0.5:
                canvas.put(round(p[0]) // 2, round(p[1]) // 4, series.glyph)


def _x_ticks(x_lo: float, x_hi: float, cols: int) -> str:
    left, mid, right = number(x_lo), number((x_lo + x_hi) / 2), number(x_hi)
    line = [" "] * cols
    for text, at in ((left, 0), (right, cols - len(right)), (mid, cols // 2 - len(mid) // 2)):
        if all(c == " " for c in line[max(0, at - 1): at + len(text) + 1]):
            line[at: at + len(text)] = list(text)
    return "".join(line).rstrip()


def _legend(plot: Plot, lang: str, width: int) -> list[str]:
    entries = [f"{s.glyph or LINE_SAMPLE} {s.label.get(lang)}" if s.style == "markers" or not s.glyph
               else f"{LINE_SAMPLE}{s.glyph} {s.label.get(lang)}" for s in plot.series]
    entries += [f"{GUIDE} {m.label.get(lang)}" for m in plot.marks]
    return [line for entry in entries for line in wrap("  " + entry, width)]


# ---------------------------------------------------------------- strips


def merge_cells(cells: str, size: int, priority: Sequence[str]) -> str:
    """Cells merged `size` at a time: each merged cell shows the highest-priority glyph it holds."""
    rank = {g: i for i, g in enumerate(priority)}
    out = []
    for i in range(0, len(cells), size):
        chunk = [c for c in cells[i: i + size] if c != " "]
        out.append(min(chunk, key=lambda c: rank.get(c, len(rank))) if chunk else " ")
    return "".join(out)


def _strip(strip: Strip, lang: str, width: int) -> list[str]:
    labels = [row.label.get(lang) for row in strip.rows]
    label_w = min(max((text_width(t) for t in labels), default=0), 16)
    note_w = max((text_width(row.note) for row in strip.rows), default=0)
    avail = width - label_w - note_w - 4
    size = max(1, math.ceil(strip.length / max(1, avail)))
    priority = [g for g, _ in strip.legend]
    lines = []
    for label, row in zip(labels, strip.rows):
        cells = merge_cells(row.cells.ljust(strip.length), size, priority)
        pad = " " * (label_w - text_width(clip(label, label_w)))
        lines.append(f"{clip(label, label_w)}{pad} │{cells}│ {row.note}".rstrip())
    shown = math.ceil(strip.length / size)
    first, last = number(strip.start), number(strip.start + strip.length - 1)
    ruler = first + " " * max(1, shown - len(first) - len(last)) + last
    lines.append(" " * (label_w + 2) + ruler)
    scale = ""
    if size > 1:
        scale = f" (1 格 = {size} 个位置)" if lang == "zh" else f" (1 cell = {size} positions)"
    lines += wrap(" " * (label_w + 2) + strip.axis.get(lang) + scale, width)
    entries = [f"{glyph} {meaning.get(lang)}" for glyph, meaning in strip.legend]
    joined = "  " + "   ".join(entries)
    if text_width(joined) <= width:
        return [*lines, joined]
    return lines + [line for entry in entries for line in wrap("  " + entry, width)]
