"""The review store (SQLite): see quizapp.store.db for the guarantees, quizapp.store.schema for the tables.

All SQL of the app lives in this package. Opening raises StoreError (StoreBusy, StoreFull,
StoreReadOnly, StoreDamaged say which); an SQLite `DatabaseError` raised while working is turned
into the same honest message by `explain(exc, store.path)`.
"""

from sqlite3 import DatabaseError

from quizapp.store.db import CardInfo, Store
from quizapp.store.errors import (
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    explain,
)
from quizapp.store.queries import DueCounts, TodayCounts, TopicProgress
from quizapp.store.records import CardState, ReviewRow

__all__ = [
    "CardInfo", "CardState", "DatabaseError", "DueCounts", "ReviewRow", "Store", "StoreBusy",
    "StoreDamaged", "StoreError", "StoreFull", "StoreReadOnly", "TodayCounts", "TopicProgress", "explain",
]
