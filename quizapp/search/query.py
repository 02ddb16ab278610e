"""The search language (Anki's search syntax is the model): text in, a Query tree out.

    parse_query('tag:followup -is:suspended (kind:cloze or kind:exercise) "σ(x)"')

- Words are ANDed; `or` (any case) between two terms; parentheses group; `-` negates a term or a
  group; `and` may be written but is implied.
- Free text matches the card's text in both languages, case- and width-insensitive; `*` is a
  wildcard; "double quotes" keep spaces, parentheses and colons literal (`\\"` is a quote).
- Fields: topic: (or deck:), tag:, kind:, is:, family:, id:, flag:, prop:NAME<OP>NUMBER,
  rated:DAYS[:RATING]. A value may be quoted: tag:"two words".

A malformed query raises QueryError(message, column) with a 1-based column, never anything else.
Matching lives in quizapp.search.match; this module only reads the text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from quizapp.deck.model import KINDS

MAX_QUERY_CHARS = 2000
MAX_DEPTH = 50
MAX_RATED_DAYS = 3650

FIELDS = ("topic", "deck", "tag", "kind", "is", "family", "id", "flag", "prop", "rated")
IS_VALUES = ("new", "learning", "relearning", "review", "due", "suspended", "leech", "buried")
PROPS = {
    "due": "due", "ivl": "ivl", "interval": "ivl", "reps": "reps", "lapses": "lapses",
    "s": "s", "stability": "s", "d": "d", "difficulty": "d", "r": "r", "recall": "r",
}
OPS = ("<=", ">=", "!=", "<", ">", "=")
FLAGS = {"none": 0, "red": 1, "orange": 2, "green": 3, "blue": 4}
_PROP_RE = re.compile(r"^([a-z]+)(<=|>=|!=|<|>|=)(.*)$", re.IGNORECASE)


class QueryError(ValueError):
    """A query that cannot be read; `column` (1-based) points at the problem."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


# ---- the tree ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """Free text (already as typed; matching normalizes it)."""

    value: str


@dataclass(frozen=True)
class Field:
    """topic / tag / kind / is / family / id / flag: a name and its value."""

    name: str
    value: str


@dataclass(frozen=True)
class Prop:
    name: str  # due | ivl | reps | lapses | s | d | r
    op: str
    number: float


@dataclass(frozen=True)
class Rated:
    days: int
    rating: int | None = None


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Text | Field | Prop | Rated | Not | And | Or


@dataclass(frozen=True)
class Query:
    """A parsed query; `root` is None for the empty query (every card)."""

    text: str
    root: Node | None

    def rated_windows(self) -> set[tuple[int, int | None]]:
        """Every (days, rating) a rated: term asks about (the answers to look up once)."""
        found: set[tuple[int, int | None]] = set()
        stack = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, Rated):
                found.add((node.days, node.rating))
            elif isinstance(node, Not):
                stack.append(node.child)
            elif isinstance(node, And | Or):
                stack.extend(node.children)
        return found


# ---- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # "(" | ")" | "-" | "or" | "and" | "word" | "quoted"
    text: str
    column: int  # 1-based
    value_quoted: bool = False  # field:"value"


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The string inside the quote at `start` (escapes undone) and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise QueryError("unclosed quote: add the closing \"", start + 1)


def _read_word(text: str, start: int) -> tuple[str, int]:
    """A bare word. A '(' inside a word belongs to it (σ(x)) and so does its matching ')'; any
    other ')' ends the word (it closes a group)."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch.isspace() or ch == '"':
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return text[start:i], i


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token(ch, ch, i + 1))
            i += 1
        elif ch == "-" and (i + 1 == len(text) or text[i + 1].isspace()):
            raise QueryError("'-' must be followed by what to leave out, e.g. -tag:done", i + 1)
        elif ch == "-":
            tokens.append(Token("-", ch, i + 1))
            i += 1
        elif ch == '"':
            value, end = _read_quoted(text, i)
            tokens.append(Token("quoted", value, i + 1))
            i = end
        else:
            word, end = _read_word(text, i)
            if word.endswith(":") and end < len(text) and text[end] == '"':
                value, end = _read_quoted(text, end)
                tokens.append(Token("word", word + value, i + 1, value_quoted=True))
            elif word.lower() in ("or", "and"):
                tokens.append(Token(word.lower(), word, i + 1))
            else:
                tokens.append(Token("word", word, i + 1))
            i = end
    return tokens


# ---- parsing -----------------------------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[Token], length: int) -> None:
        self.tokens = tokens
        self.pos = 0
        self.end_column = length + 1

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse_or(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            token = self.peek()
            raise QueryError("too many nested parentheses", token.column if token else self.end_column)
        children = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            following = self.peek()
            if following is None or following.kind in (")", "or", "and"):
                raise QueryError("'or' needs a term after it",
                                 following.column if following else self.end_column)
            children.append(self.parse_and(depth))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, depth: int) -> Node:
        children: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                self.take()
                following = self.peek()
                if not children or following is None or following.kind in (")", "or", "and"):
                    raise QueryError("'and' goes between two terms", token.column)
                continue
            children.append(self.parse_unary(depth))
        if not children:
            token = self.peek()
            if token is None:
                raise QueryError("a term is missing here", self.end_column)
            raise QueryError(f"a term is missing before '{token.text}'", token.column)
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, depth: int) -> Node:
        token = self.take()
        if token.kind == "-":
            following = self.peek()
            if following is None or following.kind in (")", "or", "and"):
                raise QueryError("'-' must be followed by what to leave out, e.g. -tag:done", token.column)
            return Not(self.parse_unary(depth))
        if token.kind == "(":
            following = self.peek()
            if following is not None and following.kind == ")":
                raise QueryError("empty parentheses", token.column)
            node = self.parse_or(depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError("unclosed parenthesis: add the closing )", token.column)
            self.take()
            return node
        if token.kind == "quoted":
            if not token.text.strip():
                raise QueryError("empty quotes", token.column)
            return Text(token.text)
        return parse_term(token)


def parse_query(text: str) -> Query:
    """Read a query; QueryError (message, 1-based column) when it cannot be read."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})",
                         MAX_QUERY_CHARS + 1)
    tokens = tokenize(text)
    if not tokens:
        return Query(text, None)
    parser = _Parser(tokens, len(text))
    root = parser.parse_or(0)
    leftover = parser.peek()
    if leftover is not None:  # only a ')' can be left over
        raise QueryError("')' without a matching '('", leftover.column)
    return Query(text, root)


# ---- terms -------------------------------------------------------------------------------------
def _suggest(word: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_term(token: Token) -> Node:
    word = token.text
    name, colon, value = word.partition(":")
    if not colon or not (name.isascii() and name.isalpha()):
        return Text(word)
    lname = name.lower()
    if lname not in FIELDS:
        raise QueryError(
            f"unknown search field '{name}:'{_suggest(lname, FIELDS)}; "
            f"to search for text with a colon, put it in quotes: \"{word}\"",
            token.column,
        )
    value_column = token.column + len(name) + 1 + (1 if token.value_quoted else 0)
    if not value.strip():
        raise QueryError(f"'{lname}:' needs a value, e.g. {_EXAMPLES[lname]}", value_column)
    if lname == "prop":
        return _parse_prop(value, value_column)
    if lname == "rated":
        return _parse_rated(value, value_column)
    return _parse_field(lname, value, value_column)


_EXAMPLES = {
    "topic": "topic:receptive-field", "deck": "deck:flops", "tag": "tag:followup",
    "kind": "kind:cloze", "is": "is:due", "family": "family:receptive_field", "id": "id:rf-definition",
    "flag": "flag:1", "prop": "prop:lapses>2", "rated": "rated:7:1",
}


def _parse_field(name: str, value: str, column: int) -> Field:
    low = value.lower()
    if name == "deck":
        name = "topic"
    if name == "kind":
        if low not in KINDS:
            raise QueryError(f"unknown kind '{value}'{_suggest(low, KINDS)}; kinds: {', '.join(KINDS)}", column)
        return Field("kind", low)
    if name == "is":
        if low not in IS_VALUES:
            raise QueryError(
                f"unknown 'is:' value '{value}'{_suggest(low, IS_VALUES)}; one of {', '.join(IS_VALUES)}", column
            )
        return Field("is", low)
    if name == "flag":
        if low in FLAGS:
            return Field("flag", str(FLAGS[low]))
        if low not in ("0", "1", "2", "3", "4"):
            raise QueryError("a flag is 0 (none), 1 red, 2 orange, 3 green or 4 blue", column)
        return Field("flag", low)
    return Field(name, value)


def _number(text: str, column: int, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise QueryError(f"{what} must be a number, not '{text}'", column) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise QueryError(f"{what} must be a finite number", column)
    return number


def _parse_prop(value: str, column: int) -> Prop:
    match = _PROP_RE.match(value)
    if match is None:
        names = ", ".join(sorted(set(PROPS.values())))
        raise QueryError(f"write prop:NAME<OP>NUMBER, e.g. prop:lapses>2 (names: {names}; "
                         f"operators: {' '.join(OPS)})", column)
    raw_name, op, number_text = match.groups()
    prop = PROPS.get(raw_name.lower())
    if prop is None:
        raise QueryError(f"unknown property '{raw_name}'{_suggest(raw_name, tuple(PROPS))}; "
                         f"one of {', '.join(sorted(PROPS))}", column)
    if not number_text:
        raise QueryError(f"prop:{raw_name}{op} needs a number", column + len(value))
    number = _number(number_text, column + len(raw_name) + len(op), f"prop:{raw_name}")
    if prop in ("due", "reps", "lapses") and not number.is_integer():
        raise QueryError(f"prop:{raw_name} counts whole {'days' if prop == 'due' else 'answers'}, "
                         f"not {number_text}", column + len(raw_name) + len(op))
    return Prop(prop, op, number)


def _parse_rated(value: str, column: int) -> Rated:
    days_text, colon, rating_text = value.partition(":")
    if not days_text.isdigit() or not 1 <= int(days_text) <= MAX_RATED_DAYS:
        raise QueryError(f"rated: takes a number of days from 1 (today) to {MAX_RATED_DAYS}, "
                         "e.g. rated:7 or rated:7:1", column)
    if not colon:
        return Rated(int(days_text))
    if rating_text not in ("1", "2", "3", "4"):
        raise QueryError("the rating after rated:DAYS: is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)",
                         column + len(days_text) + 1)
    return Rated(int(days_text), int(rating_text))
