"""The review store (SQLite): see quizapp.store.db for the guarantees, quizapp.store.schema for the tables."""

from quizapp.store.db import CardInfo, Store, StoreError
from quizapp.store.records import CardState, ReviewRow

__all__ = ["CardInfo", "CardState", "ReviewRow", "Store", "StoreError"]
