"""Deterministic fixtures for the topic/stats screen tests and the snapshots.

A fixed content library (tests/fixtures/tui_content), a temp data dir, a frozen clock, fuzz off,
English unless asked, and a study history written by real StudySessions on simulated days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quizapp.config import Settings
from quizapp.deck import Library, load_library
from quizapp.store.db import Store

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "tui_content"
FROZEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@dataclass
class FixtureContext:
    settings: Settings
    library: Library
    store: Store
    lang: str
    config_path: Path


def fixture_library() -> Library:
    library = load_library([FIXTURE_CONTENT], include_builtin=False)
    assert not library.problems, [str(p) for p in library.problems]
    return library


def make_context(tmp_path: Path, *, lang: str = "en") -> FixtureContext:
    settings = Settings(language=lang, enable_fuzzing=False)
    library = fixture_library()
    store = Store.open(tmp_path / "data")
    store.sync_library(library)  # as quizapp.context.open_context does
    return FixtureContext(settings, library, store, lang, tmp_path / "config.json")


class FrozenClock:
    """A clock tests move by hand: `clock.now += timedelta(...)`."""

    def __init__(self, now: datetime = FROZEN) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def answer_card(session: Any, card: Any, good: bool) -> None:
    """Answer the current card right or wrong in the way its kind needs, then rate it."""
    from quizapp.study.cards import Choice, Exercise, Flashcard

    view = card.view
    if isinstance(view, Flashcard):
        session.reveal()
        session.rate(3 if good else 1)
        return
    if isinstance(view, Exercise):
        inst = view.instance
        from quizapp.exercises.base import value_text

        text = inst.answer_text if good or not inst.mistakes else value_text(inst.mistakes[0].value)
    elif isinstance(view, Choice):
        letters = [o.letter for o in view.options
                   if o.correct == good or (not good and view.multi and not o.correct)]
        text = " ".join(letters[:1] if not good else letters)
    else:  # cloze
        from quizapp.deck.cloze import cloze_answers

        ref = session.library.card(card.key)
        text = cloze_answers(ref.item, ref.cloze_number)[0] if good else "no idea"
    verdict = session.answer(text)
    if verdict.is_invalid:
        session.reveal()
    session.rate()


def seed_history(ctx: FixtureContext, days: int = 24, seed: int = 3) -> int:
    """Study on `days` simulated days before FROZEN (some days skipped); returns answers written."""
    from quizapp.study.session import StudySession

    rng = random.Random(seed)
    clock = FrozenClock()
    written = 0
    for days_ago in range(days, 0, -1):
        if days_ago % 5 == 0:
            continue  # a rest day now and then, so the heatmap and streak show gaps
        clock.now = FROZEN - timedelta(days=days_ago) + timedelta(minutes=rng.randrange(600))
        session = StudySession(ctx.store, ctx.library, ctx.settings, clock=clock)
        session._rng = random.Random(rng.randrange(2**31))  # seeded exercises
        steps = 0
        while (card := session.next_card()) is not None and steps < 30:
            clock.now += timedelta(seconds=20 + rng.randrange(40))
            answer_card(session, card, good=rng.random() < 0.8)
            written += 1
            steps += 1
    return written


def screen_host(screen_factory: Any) -> type:
    """A QuizApp that opens straight on one screen (screen tests need no dashboard)."""
    import quizapp.tui.app as app_module
    from quizapp.tui.app import QuizApp

    class ScreenHost(QuizApp):
        CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

        def on_mount(self, event: Any) -> None:
            event.prevent_default()  # QuizApp.on_mount would push the dashboard
            if self.settings.theme in self.available_themes:
                self.theme = self.settings.theme
            self.push_screen(screen_factory())

    return ScreenHost
