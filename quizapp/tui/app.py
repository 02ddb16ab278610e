"""QuizApp: the Textual application shell.

The app only renders and forwards keys; grading, scheduling and stats come from the core.

Contract for screens (other UI engineers add theirs through the hooks below):

- ``QuizApp(context, *, clock=None, check_worker=None)``; ``context`` has ``settings``,
  ``library``, ``store``, ``lang`` and ``config_path`` (quizapp.cli.context.Context).
- ``app.lang`` ("en"/"zh") and ``app.t(key, **fields)`` for UI strings (quizapp.tui.strings);
  content text uses ``Bilingual.get(app.lang)`` and is shown with markup disabled.
- ``app.now()`` is the injected clock (UTC-aware); use it instead of datetime.now().
- Language changes call ``apply_language()`` on every screen in the stack that defines it, and
  re-translate footer descriptions of bindings that have an ``id`` (strings key ``key.<id>``;
  a screen may define ``binding_string_key(binding)`` for descriptions that depend on its state).
- Navigation: ``start_study(topic=None, practice=False, drill_family=None, limit=None)``,
  ``open_topic(topic_id)`` (quizapp.tui.screens.topic.TopicScreen(topic_id)),
  ``open_stats()`` (quizapp.tui.screens.stats.StatsScreen()), ``open_settings()``, ``open_help()``.
- Checks: ``check_answer(instance, text)`` and ``interpret_answer(instance, text)`` are blocking
  and thread-safe; call them from ``@work(thread=True)`` workers only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen

from quizapp import timing
from quizapp.config import Settings, save_settings
from quizapp.tui import strings
from quizapp.tui.commands import QuizCommands

if TYPE_CHECKING:
    from quizapp.checking.verdict import Verdict
    from quizapp.exercises.base import Instance


class AppContext(Protocol):
    """What the app needs from quizapp.cli.context.Context."""

    settings: Settings
    library: Any
    store: Any
    lang: str
    config_path: Path


def translate_bindings(node: DOMNode, lang: str) -> None:
    """Rewrite footer descriptions of a node's bindings that have an id, in place.

    The strings key is ``key.<binding id>``, unless the node offers
    ``binding_string_key(binding) -> str | None`` (a description that depends on its state).
    Textual has no public API for this; the node's BindingsMap is rewritten (Textual 8.2.8).
    """
    custom = getattr(node, "binding_string_key", None)
    key_to_bindings = node._bindings.key_to_bindings
    for key, bindings in key_to_bindings.items():
        updated = []
        for binding in bindings:
            string_key = custom(binding) if callable(custom) else None
            if string_key is None and binding.id:
                string_key = f"key.{binding.id}"
            if string_key in strings.STRINGS:
                binding = dataclasses.replace(
                    binding, description=strings.text(string_key, lang)
                )
            updated.append(binding)
        key_to_bindings[key] = updated


WARM_UP_DELAY = 1.5  # seconds after start-up; keeps sympy/numpy off the path to the dashboard


class QuizApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    COMMANDS = App.COMMANDS | {QuizCommands}
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
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        context: AppContext,
        *,
        clock: Callable[[], datetime] | None = None,
        check_worker: Any = None,
        start_study: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        # `quizapp study` opens a session straight away (keyword arguments of start_study).
        self._start_study = start_study
        self.clock = clock or timing.now
        self.check_worker = check_worker
        # Verdicts computed in thread workers, handed to session.answer() on the UI thread.
        self._precomputed: dict[tuple[str, int, str], Verdict] = {}
        self.set_reactive(QuizApp.lang, context.lang if context.lang in ("en", "zh") else "en")
        self.title = self.t("app.title")
        self.sub_title = self.t("app.subtitle")

    # ---- shared state -------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def library(self) -> Any:
        return self.context.library

    @property
    def store(self) -> Any:
        return self.context.store

    def now(self) -> datetime:
        return self.clock()

    def t(self, key: str, **fields: object) -> str:
        return strings.text(key, self.lang, **fields)

    # ---- lifecycle ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        translate_bindings(self, self.lang)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        from quizapp.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
        if self._start_study is not None:
            self.start_study(**self._start_study)
        # Exercise cards are generated with numpy and (for expression answers) sympy; load them
        # once the dashboard is up, so the first exercise does not stall the study screen.
        self.set_timer(WARM_UP_DELAY, self._warm_up_exercises)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up_exercises(self) -> None:
        from quizapp.checking import pipeline  # noqa: F401 - imported for its side effect
        from quizapp.exercises import families

        families()

    def watch_lang(self, lang: str) -> None:
        self.title = self.t("app.title")
        self.sub_title = self.t("app.subtitle")
        translate_bindings(self, lang)
        for screen in self.screen_stack:
            translate_bindings(screen, lang)
            apply = getattr(screen, "apply_language", None)
            if callable(apply):
                apply()
        self.refresh_bindings()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        # Footer descriptions of a newly shown screen in the current language.
        translate_bindings(screen, self.lang)
        self.refresh_bindings()

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
    ) -> None:
        from quizapp.study.session import StudySession
        from quizapp.tui.screens.study import StudyScreen

        session = StudySession(
            self.store,
            self.library,
            self.settings,
            topic=topic,
            limit=limit,
            practice=practice,
            drill_family=drill_family,
            clock=self.clock,
            checker=self.session_checker,
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

    # ---- checking (blocking; call from thread workers) ----------------------------------------
    def check_answer(self, instance: Instance, text: str) -> Verdict:
        """The verdict for a typed exercise answer, with the worker's hard time limit if we have one."""
        worker = self.check_worker
        if worker is not None:
            check_instance = getattr(worker, "check_instance", None)
            if callable(check_instance):
                return check_instance(instance, text)
            return worker.check(instance.family, instance.seed, dict(instance.params), text)
        return instance.check(text)

    def interpret_answer(self, instance: Instance, text: str) -> Any:
        """How the text is read (an Interpretation: valid, interpreted, feedback); no marking."""
        interpret_spec = getattr(self.check_worker, "interpret_spec", None)
        if callable(interpret_spec):
            return interpret_spec(instance.spec, text)
        from quizapp.checking.pipeline import interpret

        return interpret(text, instance.spec)

    def remember_verdict(self, instance: Instance, text: str, verdict: Verdict) -> None:
        """Store a verdict computed off the UI thread so session.answer() can use it at once."""
        self._precomputed[(instance.family, instance.seed, text)] = verdict

    def session_checker(self, instance: Instance, text: str) -> Verdict:
        """The checker the session calls (on the UI thread): a precomputed verdict, else check now."""
        cached = self._precomputed.pop((instance.family, instance.seed, text), None)
        return cached if cached is not None else self.check_answer(instance, text)
