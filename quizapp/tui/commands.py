"""The command palette provider: every app action and every topic, in the current language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def palette_entries(app: QuizApp) -> Iterator[tuple[str, Callable[[], Any], str | None]]:
    """(label, callback, help) for each action, then study/open/practice for each topic."""
    t = app.t
    yield t("cmd.study-due"), app.start_study, t("cmd.help.study-due")
    yield t("cmd.browse"), app.open_browser, t("cmd.help.browse")
    yield t("cmd.add"), app.open_add_form, None
    yield t("cmd.stats"), app.open_stats, None
    yield t("cmd.settings"), app.open_settings, None
    yield t("cmd.help"), app.open_help, None
    yield t("cmd.language"), app.action_toggle_language, None
    yield t("cmd.dashboard"), app.go_dashboard, None
    yield t("cmd.quit"), app.exit, None
    for topic in app.library.topics:
        title = topic.title.get(app.lang)
        summary = topic.summary.get(app.lang) if topic.summary else None
        yield t("cmd.study-topic", title=title), partial(app.start_study, topic.id), summary
        yield t("cmd.open-topic", title=title), partial(app.open_topic, topic.id), t("cmd.help.topic")
        yield (
            t("cmd.practice-topic", title=title),
            partial(app.start_study, topic.id, practice=True),
            None,
        )
        drills = dict.fromkeys(item.family for item in topic.items if item.family)
        for family in drills:
            yield (
                t("cmd.drill", family=family, title=title),
                partial(app.start_study, topic.id, drill_family=family),
                t("cmd.help.drill"),
            )


def highlight_literal(matcher: Matcher, label: str) -> Content:
    """Like Matcher.highlight, but the label is never read as markup (topic titles may hold [x])."""
    content = Content(label)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(text: str | None) -> str | None:
    # The palette renders help with Content.from_markup.
    return escape(text) if text else None


class QuizCommands(Provider):
    """Registered on QuizApp.COMMANDS next to Textual's own system commands."""

    def _entries(self) -> list[tuple[str, Callable[[], Any], str | None]]:
        from quizapp.tui.app import QuizApp

        app = self.app
        return list(palette_entries(app)) if isinstance(app, QuizApp) else []

    async def discover(self) -> Hits:
        for label, callback, help_text in self._entries():
            yield DiscoveryHit(Content(label), callback, text=label, help=_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    highlight_literal(matcher, label),
                    callback,
                    text=label,
                    help=_help(help_text),
                )
