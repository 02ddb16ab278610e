"""The content model: YAML topics -> Topic / Item / CardRef objects with stable ids."""

from quizapp.deck.library import Library, load_library
from quizapp.deck.model import AUTO_CHECKED, KINDS, CardRef, Item, Option, Problem, Topic, card_key

__all__ = [
    "AUTO_CHECKED", "KINDS", "CardRef", "Item", "Library", "Option", "Problem", "Topic",
    "card_key", "load_library",
]
