"""Whether a study request makes sense for the loaded content (both front ends ask before a session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.deck import Library


def scope_problem(library: Library, topic: str | None, drill: str | None) -> str | None:
    """What is wrong with a --topic / --drill for this content; None when the session can start."""
    if topic and library.topic(topic) is None:
        return f"unknown topic {topic!r}; topics: {', '.join(t.id for t in library.topics)}"
    if drill and not any(ref.item.family == drill for ref in library.cards):
        return f"no exercise of family {drill!r} in the content"
    if drill and topic and not any(ref.item.family == drill for ref in library.cards_of(topic)):
        return f"no exercise of family {drill!r} in topic {topic!r}"
    return None
