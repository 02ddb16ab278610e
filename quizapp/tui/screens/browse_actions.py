"""What the browser does to cards: every action goes through quizapp.store.browse (one logged
transaction each), then the browser reads the cards again. Actions apply to the selected cards,
or to the highlighted one when nothing is selected; "study these" takes every result when nothing
is selected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from quizapp.search.cards import CardRow, sort_rows
from quizapp.store import browse
from quizapp.tui.screens.browse_modals import ChoiceModal, DaysModal
from quizapp.tui.screens.confirm import ConfirmScreen

Translate = Callable[..., str]  # the app's t(key, **fields)
Change = Callable[[Any, list[str], datetime], int]  # (store, keys, now) -> cards changed

ACTIONS = ("suspend", "bury", "flag", "forget", "due", "study", "edit", "add")
ACTION_KEYS = {"x": "suspend", "minus": "bury", "-": "bury", "f": "flag", "n": "forget", "d": "due",
               "s": "study", "e": "edit", "a": "add"}


class BrowseActions:
    """Mixed into BrowseScreen (which provides results, selected, current_row, reload_index)."""

    quiz: Any
    results: list[CardRow]
    selected: set[str]

    def current_row(self) -> CardRow | None:
        raise NotImplementedError

    def refresh_rows(self, keys: list[str]) -> None:
        raise NotImplementedError

    def targets(self) -> list[CardRow]:
        if self.selected:
            return [row for row in self.results if row.key in self.selected]
        row = self.current_row()
        return [row] if row is not None else []

    def _done(self, keys: list[str], string_key: str, **fields: Any) -> None:
        self.refresh_rows(keys)
        self.notify(self.quiz.t(string_key, **fields), markup=False)  # type: ignore[attr-defined]

    def _nothing(self) -> bool:
        if self.targets():
            return False
        self.notify(self.quiz.t("browse.nothing"), severity="warning", markup=False)  # type: ignore[attr-defined]
        return True

    def _ask(self, dialog: Callable[[Translate, int], Any], then: Callable[[Any], None]) -> None:
        """Show `dialog(t, number of target cards)`, then `then` with its answer; no target: say so."""
        if not self._nothing():
            self.quiz.push_screen(dialog(self.quiz.t, len(self.targets())), then)

    # ---- the menu --------------------------------------------------------------------------
    def action_actions(self) -> None:
        t = self.quiz.t
        choices = [(name, t(f"browse.action.{name}")) for name in ACTIONS]
        choices += [("info", t("browse.action.select")), ("info", t("browse.action.sort")),
                    ("info", t("browse.action.details"))]
        choices = [(cid if cid != "info" else f"info-{i}", label) for i, (cid, label) in enumerate(choices)]
        n = len(self.targets())
        self.quiz.push_screen(ChoiceModal(t("browse.action.title", n=n), choices, ACTION_KEYS), self._chosen)

    def _chosen(self, action: str | None) -> None:
        handler = {
            "suspend": self.action_suspend, "bury": self.action_bury, "flag": self.action_flag,
            "forget": self.action_forget, "due": self.action_set_due, "study": self.action_study,
            "edit": self.action_edit, "add": self.action_add,
        }.get(action or "")
        if handler is not None:
            handler()

    # ---- actions ---------------------------------------------------------------------------
    def action_suspend(self) -> None:
        self._toggle(lambda row: row.suspended, ("browse.done.unsuspend", browse.unsuspend_cards),
                     ("browse.done.suspend", browse.suspend_cards))

    def action_bury(self) -> None:
        def bury(store: Any, keys: list[str], now: datetime) -> int:
            from quizapp.timing import day_bounds

            return browse.bury_cards(store, keys, now, day_bounds(now)[1])

        self._toggle(lambda row: row.buried, ("browse.done.unbury", browse.unbury_cards), ("browse.done.bury", bury))

    def _toggle(self, marked: Callable[[CardRow], bool], off: tuple[str, Change], on: tuple[str, Change]) -> None:
        """Take a mark off the target cards when they all have it, else put it on them all."""
        if self._nothing():
            return
        app, rows = self.quiz, self.targets()
        keys = [r.key for r in rows]
        done, change = off if all(marked(r) for r in rows) else on
        self._done(keys, done, n=change(app.store, keys, app.now()))

    def action_flag(self) -> None:
        def dialog(t: Translate, n: int) -> ChoiceModal:
            choices = [(str(flag), f"{flag}  {t(f'browse.flag.{flag}')}") for flag in (1, 2, 3, 4, 0)]
            return ChoiceModal(t("browse.flag.title", n=n), choices, {str(flag): str(flag) for flag in range(5)})

        self._ask(dialog, self._flag_chosen)

    def _flag_chosen(self, flag: str | None) -> None:
        if flag is None:
            return
        app = self.quiz
        keys = [r.key for r in self.targets()]
        n = browse.set_flag(app.store, keys, int(flag), app.now())
        self._done(keys, "browse.done.flag", n=n, flag=app.t(f"browse.flag.{flag}"))

    def action_forget(self) -> None:
        self._ask(lambda t, n: ConfirmScreen(t("browse.forget.confirm", n=n), t("confirm.yes"), t("confirm.no")),
                  self._forget_confirmed)

    def _forget_confirmed(self, yes: bool | None) -> None:
        if yes:
            app = self.quiz
            keys = [r.key for r in self.targets()]
            self._done(keys, "browse.done.forget", n=browse.forget_cards(app.store, keys, app.now()))

    def action_set_due(self) -> None:
        self._ask(lambda t, n: DaysModal(t("browse.due.title", n=n), t("browse.due.prompt"), t("browse.due.bad")),
                  self._due_chosen)

    def _due_chosen(self, days: int | None) -> None:
        if days is None:
            return
        from quizapp.timing import day_start, study_day

        app = self.quiz
        due = day_start(study_day(app.now()) + days)
        keys = [r.key for r in self.targets()]
        n = browse.set_due(app.store, keys, due, app.now())
        when = app.t("browse.due.today") if days == 0 else due.astimezone().strftime("%Y-%m-%d")
        if n:
            self._done(keys, "browse.done.due", n=n, when=when)
        else:
            self._done(keys, "browse.done.due-new")

    def action_study(self) -> None:
        t = self.quiz.t
        rows = [r for r in self.results if r.key in self.selected] if self.selected else list(self.results)
        if not rows:
            self.notify(t("browse.nothing"), severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        choices = [(name, t(f"browse.custom.{name}")) for name in ("reschedule", "practice", "ahead", "forgotten")]
        keys = {"1": "reschedule", "2": "practice", "3": "ahead", "4": "forgotten"}
        self.quiz.push_screen(ChoiceModal(t("browse.custom.title", n=len(rows)), choices, keys),
                              lambda choice: self._study_chosen(choice, rows))

    def _study_chosen(self, choice: str | None, rows: list[CardRow]) -> None:
        if choice is None:
            return
        app = self.quiz
        wanted = [r for r in rows if not r.suspended and (choice == "practice" or not r.buried)]
        if choice == "ahead":
            from quizapp.search.display import due_days

            wanted = [r for r in wanted if (d := due_days(r, app.now())) is not None and d <= 7]
        elif choice == "forgotten":
            from quizapp.search.custom import custom_plan

            forgotten = set(custom_plan(app.library, app.store, "", app.now(), forgotten=1))
            wanted = [r for r in wanted if r.key in forgotten]
        plan = [r.key for r in sort_rows(wanted, "due")]
        if not plan:
            self.notify(app.t("browse.custom.empty"), severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        app.start_study(plan_keys=plan, practice=choice == "practice")

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            self.quiz.edit_card(row.key)

    def action_add(self) -> None:
        self.quiz.open_add_form()
