"""Turning a Query into a predicate over CardRows.

Free text is compared after NFKC (full-width → half-width, ligatures) and casefold, with runs of
spaces collapsed, against the card's text in both languages (cloze markup flattened to its
answers and hints, option texts and explanations, the item id and the exercise family).
Days come from the one study clock (quizapp.timing): `prop:due<3` means "due before the start of
the study day three days from today"; `rated:7` means "answered since the start of the study day
six days before today" (rated:1 is today).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.deck.model import CLOZE_RE, Item
from quizapp.search.query import And, Field, Node, Not, Or, Prop, Query, Text
from quizapp.store.records import LEARNING, NEW, RELEARNING, REVIEW
from quizapp.timing import day_start, day_start_ms, study_day

if TYPE_CHECKING:
    from quizapp.deck import Library
    from quizapp.search.cards import CardRow

Predicate = Callable[["CardRow"], bool]
_SPACES = re.compile(r"\s+")
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "=": operator.eq, "!=": operator.ne,
}


def normalize(text: str) -> str:
    """Case- and width-insensitive form: NFKC, casefold, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _flatten_cloze(text: str) -> str:
    return CLOZE_RE.sub(lambda m: " ".join(p for p in re.split(r"::|\|", m.group(2)) if p), text)


def item_text(item: Item) -> str:
    """Everything a free-text search looks at for one item, normalized, both languages."""
    parts: list[str] = [item.id]
    for side in (item.front, item.back, item.question, item.extra):
        if side is not None:
            parts += [side.en, side.zh]
    if item.text is not None:
        parts += [_flatten_cloze(item.text.en), _flatten_cloze(item.text.zh)]
    for option in item.options:
        parts += [option.text.en, option.text.zh, option.why.en, option.why.zh]
    if item.family:
        parts += [item.family, item.family.replace("_", " ")]
    return normalize("\n".join(parts))


def glob(pattern: str) -> Callable[[str], bool]:
    """A case/width-insensitive match of a whole value; `*` matches any run of characters."""
    wanted = normalize(pattern)
    if "*" not in wanted:
        return lambda value: normalize(value) == wanted
    regex = re.compile(".*".join(re.escape(part) for part in wanted.split("*")), re.DOTALL)
    return lambda value: regex.fullmatch(normalize(value)) is not None


class MatchContext:
    """What predicates need beyond the row: the clock, the library and the answered-card sets."""

    def __init__(self, library: Library, now: datetime, text_of: Callable[[CardRow], str],
                 answered: Callable[[datetime, int | None], set[int]]) -> None:
        self.library = library
        self.now = now
        self.now_ms = int(now.timestamp() * 1000)
        self.today = study_day(now)
        self.text_of = text_of
        self._answered = answered
        self._day_starts: dict[int, int] = {}

    def day_start_ms(self, offset: int) -> int:
        """When the study day `offset` days from today starts (ms), DST-correct."""
        if offset not in self._day_starts:
            self._day_starts[offset] = day_start_ms(self.today + offset)
        return self._day_starts[offset]

    def answered(self, days: int, rating: int | None) -> set[int]:
        return self._answered(day_start(self.today - (days - 1)), rating)


def compile_query(query: Query, ctx: MatchContext) -> Predicate | None:
    """The predicate of the query; None for the empty query (every card matches)."""
    return None if query.root is None else _compile(query.root, ctx)


def _compile(node: Node, ctx: MatchContext) -> Predicate:
    if isinstance(node, And):
        return _chain([_compile(child, ctx) for child in node.children], both=True)
    if isinstance(node, Or):
        return _chain([_compile(child, ctx) for child in node.children], both=False)
    if isinstance(node, Not):
        inner = _compile(node.child, ctx)
        return lambda row: not inner(row)
    if isinstance(node, Text):
        return _text(node.value, ctx)
    if isinstance(node, Field):
        return _field(node, ctx)
    if isinstance(node, Prop):
        return _prop(node, ctx)
    ids = ctx.answered(node.days, node.rating)
    return lambda row: row.id in ids


def _chain(parts: list[Predicate], *, both: bool) -> Predicate:
    """p1 and p2 and … (or: or) as nested closures: no generator per row (100k rows a keystroke)."""
    first = parts[0]
    if len(parts) == 1:
        return first
    rest = _chain(parts[1:], both=both)
    if both:
        return lambda row: first(row) and rest(row)
    return lambda row: first(row) or rest(row)


def _text(value: str, ctx: MatchContext) -> Predicate:
    needle = normalize(value)
    text_of = ctx.text_of
    if "*" not in needle:
        return lambda row: needle in text_of(row)
    regex = re.compile(".*".join(re.escape(part) for part in needle.split("*")), re.DOTALL)
    return lambda row: regex.search(text_of(row)) is not None


def _matching(values: Iterable[str], pattern: str) -> set[str]:
    test = glob(pattern)
    return {v for v in values if test(v)}


def _field(node: Field, ctx: MatchContext) -> Predicate:
    name, value = node.name, node.value
    library = ctx.library
    if name == "topic":
        test = glob(value)
        topics = {t.id for t in library.topics if test(t.id) or test(t.title.en) or test(t.title.zh)}
        return lambda row: row.topic_id in topics
    if name == "tag":
        if normalize(value) == "none":
            return lambda row: not row.ref.item.tags
        tags = _matching({tag for item in library.items.values() for tag in item.tags}, value)
        return lambda row: not tags.isdisjoint(row.ref.item.tags)
    if name == "family":
        families = _matching({i.family for i in library.items.values() if i.family}, value)
        return lambda row: row.ref.item.family in families
    if name == "id":
        test = glob(value)
        return lambda row: test(row.key) or test(row.ref.item.id)
    if name == "kind":
        return lambda row: row.ref.item.kind == value
    if name == "flag":
        flag = int(value)
        return lambda row: row.flag == flag
    return _is(value, ctx)


def _is(value: str, ctx: MatchContext) -> Predicate:
    if value == "new":
        return lambda row: row.state == NEW
    if value == "learning":
        return lambda row: row.state in (LEARNING, RELEARNING)
    if value == "relearning":
        return lambda row: row.state == RELEARNING
    if value == "review":
        return lambda row: row.state in (REVIEW, RELEARNING)
    if value == "suspended":
        return lambda row: row.suspended
    if value == "leech":
        return lambda row: row.leech
    if value == "buried":
        return lambda row: row.buried
    day_end = ctx.day_start_ms(1)  # due: studied, due before the next study day, in the queues
    return lambda row: (row.state != NEW and row.due is not None and row.due < day_end
                        and not row.suspended and not row.buried)


def _prop(node: Prop, ctx: MatchContext) -> Predicate:
    compare = COMPARE[node.op]
    number = node.number
    if node.name == "due":
        return _due(node.op, int(number), ctx)
    getter: Callable[[CardRow], float | None] = {
        "ivl": lambda row: row.interval_days,
        "reps": lambda row: row.reps,
        "lapses": lambda row: row.lapses,
        "s": lambda row: row.stability,
        "d": lambda row: row.difficulty,
        "r": lambda row: row.recall,
    }[node.name]

    def test(row: CardRow) -> bool:
        got = getter(row)
        return got is not None and compare(got, number)

    return test


def _due(op: str, days: int, ctx: MatchContext) -> Predicate:
    """Compare whole study days from today by turning days into the boundaries of those days."""
    start, end = ctx.day_start_ms(days), ctx.day_start_ms(days + 1)
    inside: Callable[[int], bool] = {
        "<": lambda due: due < start,
        "<=": lambda due: due < end,
        ">": lambda due: due >= end,
        ">=": lambda due: due >= start,
        "=": lambda due: start <= due < end,
        "!=": lambda due: not start <= due < end,
    }[op]
    return lambda row: row.state != NEW and row.due is not None and inside(row.due)
