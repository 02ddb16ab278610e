"""The app's side of browsing and authoring (mixed into QuizApp): open the browser and the add
form, edit a card in $VISUAL/$EDITOR, and pick up deck files changed on disk.

- ``open_browser(query="")``, ``open_add_form()``.
- ``edit_card(key)``: suspends the app, runs the editor at the item's file:line, then reloads and
  validates. A built-in card is read-only: the learner is offered a copy in their "My edits" deck
  (same id: the copy replaces it, progress kept) and edits that. Problems are shown with
  file:line and the previous version stays in use until the file is valid.
- ``check_decks()``: every DECK_POLL seconds, a cheap stat of the deck files (off the UI thread);
  a change reloads them with the same validation.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

from textual import work

from quizapp.deck.reload import DeckWatcher, ReloadResult

DECK_POLL = 2.0
MAX_PROBLEMS_SHOWN = 6
# Editors that take FILE:LINE (or --goto FILE:LINE) instead of +LINE FILE.
COLON_EDITORS = {"subl", "sublime_text", "hx", "helix", "zed"}
GOTO_EDITORS = {"code", "code-insiders", "codium"}


def editor_command(path: Path, line: int, environ: dict[str, str] | None = None) -> list[str] | None:
    """The command that opens `path` at `line` in the learner's editor; None if there is none."""
    env = os.environ if environ is None else environ
    words = shlex.split(env.get("VISUAL") or env.get("EDITOR") or "")
    if not words:
        fallback = next((name for name in ("nano", "vi") if shutil.which(name)), None)
        if fallback is None:
            return None
        words = [fallback]
    name = Path(words[0]).name
    if name in GOTO_EDITORS:
        return [*words, "--goto", f"{path}:{line}"]
    if name in COLON_EDITORS:
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]


class AuthoringMixin:
    """Needs the QuizApp around it: context, library, store, t(), now(), notify, push_screen."""

    _deck_watcher: DeckWatcher | None = None

    def user_decks_dir(self) -> Path:
        from quizapp.deck.userdecks import user_decks_dir

        return user_decks_dir(getattr(self.context, "data_dir", None))  # type: ignore[attr-defined]

    def open_browser(self, query: str = "") -> None:
        from quizapp.tui.screens.browse import BrowseScreen

        app: Any = self
        if not isinstance(app.screen, BrowseScreen):
            app.push_screen(BrowseScreen(query))

    def action_browse(self) -> None:
        self.open_browser()

    def open_add_form(self) -> None:
        from quizapp.tui.screens.add_card import AddCardScreen

        app: Any = self
        if not isinstance(app.screen, AddCardScreen):
            app.push_screen(AddCardScreen())

    # ---- editing -----------------------------------------------------------------------------
    def edit_card(self, key: str) -> None:
        """Open the card's item in the editor (a worker: it may ask first, and it suspends)."""
        app: Any = self
        app.run_worker(self._edit_card(key), group="edit-card", exclusive=True, exit_on_error=False)

    async def _edit_card(self, key: str) -> None:
        from quizapp.deck.authoring import AuthoringError, copy_to_user_deck, item_location
        from quizapp.tui.screens.confirm import ConfirmScreen

        app: Any = self
        t = app.t
        ref = app.library.card(key)
        if ref is None:
            app.notify(t("edit.missing", key=key), severity="error", markup=False)
            return
        self._watcher()  # knows the files as they are now: the version kept if the edit breaks one
        if ref.topic.builtin and ref.item.source is None:
            question = ConfirmScreen(t("edit.builtin", id=ref.item.id), t("edit.copy"), t("confirm.no"))
            if not await app.push_screen_wait(question):
                return
            try:
                location = copy_to_user_deck(app.library, key, self.user_decks_dir())
            except (AuthoringError, OSError) as exc:
                app.notify(str(exc), severity="error", markup=False)
                return
        else:
            location = item_location(app.library, key)
        if location is not None and self._run_editor(*location):
            self.reload_decks()

    def _run_editor(self, path: Path, line: int) -> bool:
        from textual.app import SuspendNotSupported

        app: Any = self
        command = editor_command(path, line)
        if command is None:
            app.notify(app.t("edit.no-editor"), severity="error", markup=False)
            return False

        def run() -> None:
            subprocess.run(command, check=False)  # noqa: S603 - the learner's own editor

        try:
            try:
                with app.suspend():
                    run()
            except SuspendNotSupported:  # no terminal to hand over (tests, textual-serve)
                run()
        except OSError as exc:
            app.notify(app.t("edit.failed", error=exc), severity="error", markup=False)
            return False
        return True

    # ---- reloading ---------------------------------------------------------------------------
    def start_deck_watch(self) -> None:
        app: Any = self
        self._watcher()  # the files as loaded: what a later change is compared with
        app.set_interval(DECK_POLL, self.check_decks, name="deck-watch")

    def _watcher(self) -> DeckWatcher:
        app: Any = self
        watcher = self._deck_watcher
        if watcher is None or watcher.library is not app.library:
            watcher = self._deck_watcher = DeckWatcher(app.library)
        return watcher

    @work(thread=True, group="deck-watch", exclusive=True, exit_on_error=False)
    def check_decks(self) -> None:
        """Off the UI thread: a changed file is parsed here, the result applied on the UI thread."""
        app: Any = self
        watcher = self._watcher()
        if watcher.changed():
            app.call_from_thread(self.apply_reload, watcher.reload())

    def reload_decks(self) -> ReloadResult:
        """Reload now, on this thread (after the editor returns, in tests)."""
        result = self._watcher().reload()
        self.apply_reload(result)
        return result

    def apply_reload(self, result: ReloadResult) -> None:
        app: Any = self
        t = app.t
        if result.problems:
            shown = "\n".join(str(p) for p in result.problems[:MAX_PROBLEMS_SHOWN])
            app.notify(t("edit.problems", problems=shown), severity="error", timeout=15, markup=False)
        app.context.library = result.library  # even unchanged cards may have moved to other lines
        app.store.sync_library(result.library)
        if not result.changed:
            return
        app.notify(t("edit.reloaded", cards=len(result.library.cards)), markup=False)
        screen = app.screen
        for name in ("library_changed", "reload_items", "reload"):
            refresh = getattr(screen, name, None)
            if callable(refresh):
                refresh()
                break
