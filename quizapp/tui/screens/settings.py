"""Settings: language, desired retention, daily limits, theme — saved to the config file.

Language and theme preview live while the form is open; escape puts them back, ctrl+s (or the
Save button) validates with Settings.validate() and writes the file atomically (save_settings).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from quizapp.config import Settings
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.form_buttons import SaveCancel, form_end
from quizapp.tui.widgets.keybar import KeyBar

LANGUAGE_CHOICES = [("English", "en"), ("中文", "zh")]


class SettingsScreen(Screen[None]):
    CSS_PATH = "settings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._original_lang = ""
        self._original_theme = ""

    quiz = getters.app(QuizApp)

    def compose(self) -> ComposeResult:
        settings: Settings = self.quiz.settings
        themes = sorted(self.quiz.available_themes)
        with VerticalScroll(id="settings-form"):
            yield Static(id="settings-title", markup=False)
            with Horizontal(classes="setting-row"):
                yield Label(id="label-language", markup=False)
                yield Select(LANGUAGE_CHOICES, value=self.quiz.lang, allow_blank=False,
                             id="language")
            with Horizontal(classes="setting-row"):
                yield Label(id="label-retention", markup=False)
                yield Input(str(settings.desired_retention), id="retention", type="number")
            with Horizontal(classes="setting-row"):
                yield Label(id="label-new", markup=False)
                yield Input(str(settings.new_per_day), id="new-per-day", type="integer")
            with Horizontal(classes="setting-row"):
                yield Label(id="label-reviews", markup=False)
                yield Input(str(settings.reviews_per_day), id="reviews-per-day", type="integer")
            with Horizontal(classes="setting-row"):
                yield Label(id="label-theme", markup=False)
                theme = settings.theme if settings.theme in themes else self.quiz.theme
                yield Select([(name, name) for name in themes], value=theme, allow_blank=False,
                             id="theme")
            yield Button("", id="open-scheduler")
            yield Static(id="settings-decks", markup=False)
            yield from form_end("settings-error", "settings")
        yield KeyBar()

    def on_mount(self) -> None:
        self._original_lang = self.quiz.lang
        self._original_theme = self.quiz.theme
        for input_widget in self.query(Input):
            input_widget.cursor_blink = False
        self.query_one("#settings-error", Static).display = False
        self.apply_language()
        self.query_one("#language", Select).focus()

    def apply_language(self) -> None:
        t = self.quiz.t
        self.query_one("#settings-title", Static).update(t("settings.title"))
        for widget_id, key in (
            ("label-language", "settings.language"),
            ("label-retention", "settings.retention"),
            ("label-new", "settings.new"),
            ("label-reviews", "settings.reviews"),
            ("label-theme", "settings.theme"),
        ):
            self.query_one(f"#{widget_id}", Label).update(t(key))
        self.query_one("#open-scheduler", Button).label = t("settings.scheduler")
        self.query_one(SaveCancel).relabel(t)
        self.query_one("#settings-hint", Static).update(t("settings.save-hint"))
        self.query_one("#settings-decks", Static).update(t("settings.decks", path=self.quiz.user_decks_dir()))

    # ---- live preview -------------------------------------------------------------------------
    @on(Select.Changed, "#language")
    def _language_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.quiz.lang:
            self.quiz.set_language(event.value, save=False)

    @on(Select.Changed, "#theme")
    def _theme_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in self.quiz.available_themes:
            self.quiz.theme = event.value

    # ---- save / cancel ------------------------------------------------------------------------
    def _form_settings(self) -> tuple[Settings | None, list[str]]:
        t = self.quiz.t
        problems: list[str] = []
        values: dict[str, Any] = {}
        for widget_id, field, label_key, convert in (
            ("retention", "desired_retention", "settings.retention", float),
            ("new-per-day", "new_per_day", "settings.new", int),
            ("reviews-per-day", "reviews_per_day", "settings.reviews", int),
        ):
            raw = self.query_one(f"#{widget_id}", Input).value.strip()
            try:
                values[field] = convert(raw)
            except ValueError:
                problems.append(t("settings.not-number", field=t(label_key)))
                continue
            # Our own words for the form's fields (Settings.validate() speaks English, in
            # field names); its checks still run below for anything else.
            if field == "desired_retention" and not 0.70 <= values[field] <= 0.99:
                problems.append(t("settings.retention-range"))
            elif field != "desired_retention" and values[field] < 0:
                problems.append(t("settings.negative", field=t(label_key)))
        language = self.query_one("#language", Select).value
        theme = self.query_one("#theme", Select).value
        if problems:
            return None, problems
        settings = dataclasses.replace(
            self.quiz.settings,
            language=str(language),
            theme=str(theme),
            **values,
        )
        return settings, settings.validate()

    def action_save(self) -> None:
        settings, problems = self._form_settings()
        error = self.query_one("#settings-error", Static)
        if settings is None or problems:
            error.update(self.quiz.t("settings.invalid", problems="; ".join(problems)))
            error.display = True
            return
        try:
            self.quiz.update_settings(settings)
        except OSError as exc:
            error.update(self.quiz.t("settings.save-failed", error=exc))
            error.display = True
            return
        self.notify(self.quiz.t("settings.saved", path=self.quiz.context.config_path), markup=False)
        self.dismiss(None)

    def action_cancel(self) -> None:
        if self.quiz.theme != self._original_theme:
            self.quiz.theme = self._original_theme
        if self.quiz.lang != self._original_lang:
            self.quiz.set_language(self._original_lang, save=False)
        self.dismiss(None)

    @on(Button.Pressed, "#open-scheduler")
    def _scheduler_pressed(self) -> None:
        from quizapp.tui.screens.scheduler import SchedulerScreen

        self.app.push_screen(SchedulerScreen())
