"""QuizApp: the Textual application shell.

The app only renders and forwards keys; grading, scheduling and stats come from the core.

Contract for screens:

- ``QuizApp(context, *, clock=None, check_worker=None)``; ``context`` has ``settings``,
  ``library``, ``store``, ``lang`` and ``config_path`` (quizapp.context.Context).
- ``app.lang`` ("en"/"zh") and ``app.t(key, **fields)`` for UI strings (quizapp.strings);
  content text uses ``Bilingual.get(app.lang)`` and is shown with markup disabled.
- ``app.now()`` is the injected clock (UTC-aware); use it instead of datetime.now().
- Footers are KeyBar widgets that word each binding from the string table (``key.<binding
  id>``, or ``Screen.binding_label(binding)``). A language change calls ``apply_language()`` on
  every screen in the stack that defines it.
- Navigation: ``start_study(topic=None, practice=False, drill_family=None, limit=None,
  plan_keys=None)``, ``open_topic(topic_id)``, ``open_stats()``, ``open_settings()``, ``open_help()``.
- Browsing and authoring (quizapp.tui.authoring): ``open_browser(query="")``, ``open_add_form()``,
  ``edit_card(key)`` (bind ``e`` to it on a screen showing a card); deck files are watched.
- Exercise checks go through the session, which is given ``check_worker`` (or an in-process
  checker) and checks on a thread.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.reactive import reactive

from quizapp import strings, timing
from quizapp.config import Settings, save_settings
from quizapp.tui.authoring import AuthoringMixin
from quizapp.tui.commands import QuizCommands

if TYPE_CHECKING:
    from textual.driver import Driver

    from quizapp.deck import Library
    from quizapp.store import Store
    from quizapp.study.checker import Checker


class AppContext(Protocol):
    """What the app needs from quizapp.context.Context."""

    settings: Settings
    library: Library
    store: Store
    lang: str
    config_path: Path


WARM_UP_DELAY = 1.5  # seconds after start-up; keeps sympy/numpy off the path to the dashboard


def _warm_up() -> None:
    """Import what exercise cards are generated with (numpy, sympy) off the UI thread."""
    try:
        from quizapp.checking import pipeline  # noqa: F401 - imported for its side effect
        from quizapp.exercises import families

        families()
    except Exception:  # noqa: BLE001 - best effort: the first exercise imports them again, and says why
        return


class QuizApp(AuthoringMixin, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    # Only our own palette entries (Textual's Keys/Maximize/Screenshot and a second Quit go).
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {QuizCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        # Our own palette binding (Textual adds an untranslatable one otherwise): same key, with
        # an id so its footer label follows the language.
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True, id="palette"),
        # Browsing, adding and editing cards: quizapp.tui.authoring (open_browser, edit_card, ...).
        Binding("b", "browse", "Browse", show=False, id="browse"),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        context: AppContext,
        *,
        clock: Callable[[], datetime] | None = None,
        check_worker: Checker | None = None,
        start_study: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        # `quizapp study` opens a session straight away (keyword arguments of start_study).
        self._start_study = start_study
        self.clock = clock or timing.now
        self.check_worker = check_worker
        self.set_reactive(QuizApp.lang, context.lang if context.lang in ("en", "zh") else "en")
        self.title = self.t("app.title")
        self.sub_title = self.t("app.subtitle")

    # ---- shared state -------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def library(self) -> Library:
        return self.context.library

    @property
    def store(self) -> Store:
        return self.context.store

    def now(self) -> datetime:
        return self.clock()

    def t(self, key: str, /, **fields: object) -> str:
        return strings.text(key, self.lang, **fields)

    # ---- lifecycle ----------------------------------------------------------------------------
    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":  # a real POSIX terminal: the one that exits at once
            from quizapp.tui.driver import QuickExitDriver

            return QuickExitDriver
        return driver

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.set_keymap(self.settings.keymap)  # the learner's own keys (config "keymap")
        from quizapp.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
        if self._start_study is not None:
            self.start_study(**self._start_study)
        self.call_after_refresh(self._first_screen_drawn)
        # Exercise cards are generated with numpy and (for expression answers) sympy; load them
        # once the dashboard is up, so the first exercise does not stall the study screen.
        self.set_timer(WARM_UP_DELAY, self._warm_up_exercises)
        self.start_deck_watch()  # deck files edited while the app runs are picked up

    def _first_screen_drawn(self) -> None:
        """Work kept off the path to the first screen (issue 17). The checking process imports
        sympy and numpy for about a second: started now. The launcher turns the cyclic
        collector off for start-up: what start-up built lives as long as the app, so it is
        frozen (never scanned again) and the collector turned back on."""
        start = getattr(self.check_worker, "start", None)
        if callable(start):
            start()
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _warm_up_exercises(self) -> None:
        # A daemon thread, not a Textual thread worker: asyncio waits for its worker threads as
        # the app ends, and quitting during the warm-up waited ~0.3 s for sympy's import.
        threading.Thread(target=_warm_up, name="quizapp-warm-up", daemon=True).start()

    def watch_lang(self, lang: str) -> None:
        self.title = self.t("app.title")
        self.sub_title = self.t("app.subtitle")
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_language", None)
            if callable(apply):
                apply()
            screen.refresh_bindings()

    # ---- settings -----------------------------------------------------------------------------
    def set_language(self, lang: str, *, save: bool = True) -> None:
        if lang not in ("en", "zh"):
            return
        self.context.lang = lang
        if save and self.settings.language != lang:
            self.update_settings(dataclasses.replace(self.settings, language=lang))
        self.lang = lang

    def update_settings(self, settings: Settings) -> None:
        """Save to the config file (atomic) and apply live; raises OSError if it cannot be written."""
        save_settings(settings, self.context.config_path)
        self.context.settings = settings
        if settings.theme in self.available_themes and self.theme != settings.theme:
            self.theme = settings.theme
        if settings.language != self.lang:
            self.context.lang = settings.language
            self.lang = settings.language

    # ---- navigation ---------------------------------------------------------------------------
    def start_study(
        self,
        topic: str | None = None,
        *,
        practice: bool = False,
        drill_family: str | None = None,
        limit: int | None = None,
        plan_keys: list[str] | None = None,
    ) -> None:
        from quizapp.study.checker import InProcessChecker
        from quizapp.study.session import StudySession
        from quizapp.tui.screens.study import StudyScreen

        if any(isinstance(screen, StudyScreen) for screen in self.screen_stack):
            self.notify(self.t("study.one-at-a-time"), severity="warning")
            return
        session = StudySession(
            self.store,
            self.library,
            self.settings,
            topic=topic,
            limit=limit,
            practice=practice,
            drill_family=drill_family,
            clock=self.clock,
            checker=self.check_worker or InProcessChecker(),
            plan_keys=plan_keys,  # custom study from a search (the browser, `study --query`)
        )
        self.push_screen(StudyScreen(session, topic=topic, practice=practice or bool(drill_family)))

    def open_topic(self, topic_id: str) -> None:
        from quizapp.tui.screens.topic import TopicScreen

        self.push_screen(TopicScreen(topic_id))

    def open_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def open_settings(self) -> None:
        from quizapp.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def open_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_help(self) -> None:
        self.open_help()

    def action_toggle_language(self) -> None:
        self.set_language("zh" if self.lang == "en" else "en")

    def action_study_due(self) -> None:
        self.start_study()

    def action_stats(self) -> None:
        self.open_stats()

    def action_settings(self) -> None:
        self.open_settings()

    def go_dashboard(self) -> None:
        from quizapp.tui.screens.dashboard import DashboardScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()
