"""The add form (`a` in the browser, and the palette): a new item, in both languages, written into
one of the learner's decks (or a new one). It is validated before anything is written; the deck
file keeps its comments and layout (quizapp.deck.authoring). The form stays open for the next card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Input, Label, Select, Static, TextArea

from quizapp.deck.authoring import (
    AuthoringError,
    Draft,
    OptionDraft,
    add_item,
    add_to_new_deck,
    suggest_id,
)
from quizapp.deck.model import CLOZE_RE, KINDS, Item
from quizapp.deck.userdecks import slug
from quizapp.i18n import Bilingual
from quizapp.tui.widgets.form_buttons import SaveCancel, form_end
from quizapp.tui.widgets.keybar import KeyBar

NEW_DECK = "__new__"
KIND_FIELDS = {
    "flashcard": ("front", "back", "reverse"),
    "cloze": ("text", "extra", "preview"),
    "choice": ("question", "options"),
    "multi": ("question", "options"),
    "exercise": ("family",),
}
MULTILINE = ("back", "text", "options")


def parse_options(en: str, zh: str) -> tuple[list[OptionDraft], tuple[int, int]]:
    """Lines "text | why", correct ones starting with *; both languages line by line."""
    en_lines = [line for line in en.splitlines() if line.strip()]
    zh_lines = [line for line in zh.splitlines() if line.strip()]
    options: list[OptionDraft] = []
    for en_line, zh_line in zip(en_lines, zh_lines):
        correct = en_line.lstrip().startswith("*") or zh_line.lstrip().startswith("*")
        en_text, _, en_why = en_line.strip().lstrip("*").partition("|")
        zh_text, _, zh_why = zh_line.strip().lstrip("*").partition("|")
        options.append(OptionDraft(Bilingual(en_text.strip(), zh_text.strip()),
                                   Bilingual(en_why.strip(), zh_why.strip()), correct))
    return options, (len(en_lines), len(zh_lines))


class AddCardScreen(Screen[None]):
    CSS_PATH = "add_card.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    @property
    def quiz(self) -> Any:
        return self.app

    def user_decks(self) -> list[tuple[str, Path]]:
        """(title, file) of the learner's deck files that hold a topic."""
        app = self.quiz
        folder = app.user_decks_dir()
        return [(t.title.get(app.lang), t.source) for t in app.library.topics
                if not t.builtin and t.source.parent == folder]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="add-form"):
            with Horizontal(classes="add-row"):
                yield Label(id="label-kind", markup=False)
                yield Select([(k, k) for k in KINDS], value="flashcard", allow_blank=False, id="add-kind")
            with Horizontal(classes="add-row"):
                yield Label(id="label-deck", markup=False)
                decks = [(title, str(path)) for title, path in self.user_decks()]
                yield Select([*decks, (self.quiz.t("add.new-deck-option"), NEW_DECK)],
                             value=decks[0][1] if decks else NEW_DECK, allow_blank=False, id="add-deck")
            with Horizontal(classes="add-row", id="row-new-deck"):
                yield Label(id="label-new-deck", markup=False)
                yield Input(id="add-new-deck")
            with Horizontal(classes="add-row"):
                yield Label(id="label-id", markup=False)
                yield Input(id="add-id")
            with Horizontal(classes="add-row"):
                yield Label(id="label-tags", markup=False)
                yield Input(id="add-tags")
            for name in ("front", "back", "text", "extra", "question", "options"):
                with Vertical(classes="add-field", id=f"field-{name}"):
                    yield Label(id=f"label-{name}", markup=False)
                    for lang in ("en", "zh"):
                        if name in MULTILINE:
                            yield TextArea(id=f"add-{name}-{lang}", soft_wrap=True, show_line_numbers=False)
                        else:
                            yield Input(id=f"add-{name}-{lang}")
            with Vertical(classes="add-field", id="field-reverse"):
                yield Checkbox(id="add-reverse")
            with Vertical(classes="add-field", id="field-family"):
                yield Label(id="label-family", markup=False)
                from quizapp.exercises.catalog import family_names

                yield Select([(f, f) for f in family_names()], value=family_names()[0], allow_blank=False,
                             id="add-family")
            with Vertical(classes="add-field", id="field-preview"):
                yield Static(id="add-preview", markup=False)
            yield from form_end("add-errors", "add")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = False
        for area in self.query(TextArea):
            area.cursor_blink = False
        self.query_one("#add-errors", Static).display = False
        self.apply_language()
        self.show_kind()
        self.query_one("#add-kind", Select).focus()

    def apply_language(self) -> None:
        t = self.quiz.t
        self.refresh_bindings()
        self.sub_title = t("add.title")
        for name in ("kind", "deck", "new-deck", "id", "tags", "front", "back", "text", "extra",
                     "question", "options", "family"):
            self.query_one(f"#label-{name}", Label).update(t(f"add.{name}"))
        for lang, word in (("en", "English"), ("zh", "中文")):
            for name in ("front", "extra", "question"):
                self.query_one(f"#add-{name}-{lang}", Input).placeholder = word
        self.query_one("#add-new-deck", Input).placeholder = t("add.new-deck-placeholder")
        self.query_one("#add-reverse", Checkbox).label = t("add.reverse")
        self.query_one(SaveCancel).relabel(t)
        self.query_one("#add-hint", Static).update(t("add.hint"))
        self.update_preview()

    # ---- showing the fields of the chosen kind ----------------------------------------------
    @on(Select.Changed, "#add-kind")
    @on(Select.Changed, "#add-deck")
    def show_kind(self) -> None:
        kind = str(self.query_one("#add-kind", Select).value)
        wanted = KIND_FIELDS.get(kind, ())
        for name in ("front", "back", "text", "extra", "question", "options", "reverse", "family", "preview"):
            self.query_one(f"#field-{name}").display = name in wanted
        self.query_one("#row-new-deck").display = self.query_one("#add-deck", Select).value == NEW_DECK

    @on(TextArea.Changed)
    def update_preview(self) -> None:
        t, lang = self.quiz.t, self.quiz.lang
        en, zh = self._text("text", "en"), self._text("text", "zh")
        item = Item(id="preview", kind="cloze", topic_id="", text=Bilingual(en, zh))
        numbers = item.cloze_numbers()
        if not numbers:
            self.query_one("#add-preview", Static).update(t("add.preview-none"))
            return
        from quizapp.deck.cloze import cloze_prompt

        lines = [t("add.preview")]
        lines += [f"c{n}: {cloze_prompt(item, n, lang)}" for n in numbers]
        other = sorted({int(m.group(1)) for m in CLOZE_RE.finditer(zh if lang == "en" else en)})
        if other != numbers:
            lines.append(f"en {sorted({int(m.group(1)) for m in CLOZE_RE.finditer(en)})} ≠ zh {sorted({int(m.group(1)) for m in CLOZE_RE.finditer(zh)})}")
        self.query_one("#add-preview", Static).update("\n".join(lines))

    def _text(self, name: str, lang: str) -> str:
        widget = self.query_one(f"#add-{name}-{lang}")
        return widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]

    def _pair(self, name: str) -> Bilingual:
        return Bilingual(self._text(name, "en").strip(), self._text(name, "zh").strip())

    # ---- saving ------------------------------------------------------------------------------
    def draft(self) -> tuple[Draft | None, list[str]]:
        """The item the form describes, or the problems the form itself can see."""
        t = self.quiz.t
        kind = str(self.query_one("#add-kind", Select).value)
        draft = Draft(kind=kind, id=self.query_one("#add-id", Input).value.strip(),
                      tags=self.query_one("#add-tags", Input).value.split())
        if kind == "flashcard":
            draft.front, draft.back = self._pair("front"), self._pair("back")
            draft.reverse = self.query_one("#add-reverse", Checkbox).value
        elif kind == "cloze":
            draft.text, draft.extra = self._pair("text"), self._pair("extra")
        elif kind in ("choice", "multi"):
            draft.question = self._pair("question")
            draft.options, (n_en, n_zh) = parse_options(self._text("options", "en"), self._text("options", "zh"))
            if n_en != n_zh:
                return None, [t("add.options-mismatch", en=n_en, zh=n_zh)]
        else:
            draft.family = str(self.query_one("#add-family", Select).value)
        return draft, []

    def _words(self, draft: Draft) -> str:
        for side in (draft.front, draft.text, draft.question):
            if side is not None and side.en:
                return CLOZE_RE.sub(lambda m: m.group(2).split("::")[0].split("|")[0], side.en)
        return draft.family or draft.kind

    def action_save(self) -> None:
        app = self.quiz
        draft, problems = self.draft()
        deck = str(self.query_one("#add-deck", Select).value)
        try:
            if draft is None:
                raise AuthoringError(problems)
            if deck == NEW_DECK:
                name = self.query_one("#add-new-deck", Input).value.strip()
                if not name:
                    raise AuthoringError([app.t("add.no-deck")])
                draft.id = draft.id or suggest_id(app.library, slug(name), self._words(draft))
                path, line = add_to_new_deck(app.user_decks_dir(), name, draft, app.library)
            else:
                path = Path(deck)
                topic = next((t for t in app.library.topics if t.source == path), None)
                draft.id = draft.id or suggest_id(app.library, topic.id if topic else slug(path.stem), self._words(draft))
                line = add_item(path, draft, app.library)
        except (AuthoringError, OSError) as exc:
            lines = exc.problems if isinstance(exc, AuthoringError) else [str(exc)]
            errors = self.query_one("#add-errors", Static)
            errors.update(app.t("add.invalid", problems="\n".join(lines)))
            errors.display = True
            errors.scroll_visible()
            return
        self.query_one("#add-errors", Static).display = False
        app.reload_decks()
        app.notify(app.t("add.saved", id=draft.id, file=path.name, line=line), markup=False)
        self.clear_texts(keep_deck=str(path))

    def clear_texts(self, keep_deck: str) -> None:
        """Ready for the next card: texts and id cleared; kind, deck and tags kept."""
        for widget in self.query(Input):
            if widget.id not in ("add-tags",):
                widget.value = ""
        for area in self.query(TextArea):
            area.text = ""
        decks = [(title, str(p)) for title, p in self.user_decks()]
        select = self.query_one("#add-deck", Select)
        select.set_options([*decks, (self.quiz.t("add.new-deck-option"), NEW_DECK)])
        select.value = keep_deck if any(value == keep_deck for _, value in decks) else NEW_DECK
        self.show_kind()

    def action_cancel(self) -> None:
        self.dismiss(None)
