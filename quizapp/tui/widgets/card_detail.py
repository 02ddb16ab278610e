"""The browser's detail pane: the card as studied, its schedule, its forgetting curve and every
answer it was given (date, rating, typed answer, verdict and mistake, the interval it set)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.search.cards import CardRow
from quizapp.search.display import one_line
from quizapp.search.history import forgetting_curve
from quizapp.store import browse
from quizapp.tui.widgets.card_table import days_text
from quizapp.tui.widgets.curve import ForgettingCurve

HISTORY_ROWS = 200  # the newest answers listed (the curve uses them all)
ANSWER_CELLS = 28


def card_sides(row: CardRow, lang: str, t: Any) -> tuple[str, str]:
    """Front and back as the study screen shows them (the same card views); choice options in
    the deck's order (a review shuffles them); an exercise: what it is."""
    from quizapp.study.cards import CardMeta, Choice, Cloze, Flashcard, build_view

    if row.kind == "exercise":
        return t("browse.detail.exercise", family=row.ref.item.family or ""), ""
    ref = row.ref
    meta = CardMeta(row.key, ref.item.id, row.kind, ref.topic.id, ref.topic.title, row.state_name)
    view = build_view(ref, meta, seed=0, instance=None)
    match view:
        case Flashcard():
            return view.front.get(lang), view.back.get(lang)
        case Cloze():
            extra = f"\n\n{view.extra.get(lang)}" if view.extra else ""
            return view.prompt.get(lang), view.answer.get(lang) + extra
        case Choice():
            options = sorted(view.options, key=lambda o: o.source)
            lines = [f"{'abcdefgh'[i]}) {'✓' if o.correct else '✗'} {o.text.get(lang)} — {o.why.get(lang)}"
                     for i, o in enumerate(options)]
            return view.question.get(lang), "\n".join(lines)
    return "", ""


class CardDetail(VerticalScroll, can_focus=False):
    """Shows one CardRow; `show(row)` after every highlight change."""


    def compose(self) -> ComposeResult:
        yield Static(id="detail-head", markup=False)
        yield Static(id="detail-facts", markup=False)
        yield Static(id="detail-card", markup=False)
        yield Static(id="detail-curve-title", markup=False)
        yield ForgettingCurve(id="detail-curve")
        yield Static(id="detail-history-title", markup=False)
        yield Static(id="detail-history")

    def show(self, row: CardRow | None) -> None:
        app: Any = self.app
        t = app.t
        for widget_id in ("detail-facts", "detail-card", "detail-curve-title", "detail-history-title"):
            self.query_one(f"#{widget_id}", Static).display = row is not None
        self.query_one(ForgettingCurve).display = row is not None
        self.query_one("#detail-history", Static).display = row is not None
        if row is None:
            self.query_one("#detail-head", Static).update(t("browse.detail.empty"))
            return
        self._head(row, app)
        history = browse.card_history(app.store, row.key)
        curve = forgetting_curve(history, app.now())
        self.query_one("#detail-curve-title", Static).update(
            t("browse.curve") if curve is not None else t("browse.curve.none"))
        self.query_one(ForgettingCurve).show_curve(
            curve, t("browse.curve.days"), t("browse.curve.recall"), app.settings.desired_retention)
        self._history(history, app)

    def _head(self, row: CardRow, app: Any) -> None:
        t, lang = app.t, app.lang
        marks = [t(f"topic.state.{row.state_name}")]
        marks += [t("topic.state.suspended")] if row.suspended else []
        marks += [t("topic.state.leech")] if row.leech else []
        marks += [t("browse.state.buried")] if row.buried else []
        marks += [t(f"browse.flag.{row.flag}")] if row.flag else []
        head = Text(f"{row.key}  ", style="bold")
        head.append(f"{row.ref.topic.title.get(lang)} · {t(f'study.kind.{row.kind}')} · {' · '.join(marks)}")
        self.query_one("#detail-head", Static).update(head)
        none = t("browse.none")
        due = none if row.due is None else datetime.fromtimestamp(row.due / 1000).strftime("%Y-%m-%d %H:%M")
        facts = t(
            "browse.detail.facts", due=due, interval=days_text(row.interval_days, t),
            stability=days_text(row.stability, t),
            difficulty=none if row.difficulty is None else f"{row.difficulty:.1f}",
            reps=row.reps, lapses=row.lapses, recall=none if row.recall is None else f"{row.recall:.0%}",
        )
        source = row.ref.item.source or row.ref.topic.source
        where = t("browse.detail.source", file=source.name, line=row.ref.item.line)
        if row.ref.topic.builtin and row.ref.item.source is None:
            where += " " + t("browse.detail.builtin")
        facts += "\n" + where
        self.query_one("#detail-facts", Static).update(facts)
        front, back = card_sides(row, lang, t)
        text = Text(t("browse.detail.front") + "\n", style="bold")
        text.append(front.strip() + "\n", style="")
        if back:
            text.append(t("browse.detail.back") + "\n", style="bold")
            text.append(back.strip(), style="")
        self.query_one("#detail-card", Static).update(text)

    def _history(self, history: list[browse.HistoryEntry], app: Any) -> None:
        """One entry per answer, newest first: date, rating, the interval it set, then what was
        typed and the verdict (wrapped, never cut, however narrow the pane)."""
        t = app.t
        title = self.query_one("#detail-history-title", Static)
        title.update(t("browse.history") + f" ({len(history)})" if history else t("browse.history.none"))
        lines = Text(no_wrap=False)
        for entry in reversed(history[-HISTORY_ROWS:]):
            when = datetime.fromtimestamp(entry.ts / 1000).strftime("%Y-%m-%d %H:%M")
            rating = t(f"rating.{entry.rating}")
            interval = t("browse.history.practice") if entry.practice else days_text(
                None if entry.interval_ms is None else entry.interval_ms / 86_400_000, t)
            lines.append(f"{when}  ", style="dim")
            lines.append(rating, style="bold red" if entry.rating == 1 else "bold")
            lines.append(f" → {interval}")
            verdict = {"correct": "✓", "wrong": "✗"}.get(entry.status, "")
            if entry.answer or verdict:
                lines.append("  ")
                if entry.answer:
                    lines.append(f"“{one_line(entry.answer, ANSWER_CELLS)}” ")
                lines.append(verdict, style="green" if verdict == "✓" else "red")
                if entry.note and entry.status == "wrong":
                    lines.append(f" {entry.note}", style="italic")
            lines.append("\n")
        lines.rstrip()
        history_view = self.query_one("#detail-history", Static)
        history_view.display = bool(history)
        history_view.update(lines)
