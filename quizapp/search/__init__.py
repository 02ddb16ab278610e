"""One search language for every front end (browser, `quizapp cards`, custom study, export)."""

from quizapp.search.cards import SORT_COLUMNS, CardIndex, CardRow, find_cards, sort_rows
from quizapp.search.query import Query, QueryError, parse_query

__all__ = [
    "SORT_COLUMNS", "CardIndex", "CardRow", "Query", "QueryError", "find_cards", "parse_query",
    "sort_rows",
]
