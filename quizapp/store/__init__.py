"""The review store (SQLite): see quizapp.store.db for the guarantees, quizapp.store.schema for the tables.

All SQL of the app lives in this package; callers catch `DatabaseError` (a damaged or unreadable
file found while working) and `StoreError` (a file that cannot be opened) from here.
"""

from sqlite3 import DatabaseError

from quizapp.store.db import CardInfo, Store, StoreError
from quizapp.store.queries import DueCounts, TodayCounts, TopicProgress
from quizapp.store.records import CardState, ReviewRow

__all__ = [
    "CardInfo", "CardState", "DatabaseError", "DueCounts", "ReviewRow", "Store", "StoreError",
    "TodayCounts", "TopicProgress",
]
