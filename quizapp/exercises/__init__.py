"""Computed-exercise families. `families()` imports them on demand (numpy/sympy stay off start-up)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from quizapp.exercises import families as _families_package  # noqa: F401
from quizapp.exercises.catalog import CATALOG, family_names

if TYPE_CHECKING:
    from quizapp.exercises.authored.schema import ExerciseDef
    from quizapp.exercises.base import Family, Instance

__all__ = ["ExerciseItem", "families", "family_names", "generate_item", "get_family"]

# The subpackage quizapp.exercises.families (empty __init__) is imported above on purpose: the
# import system binds a submodule as an attribute of its package when it is first imported, which
# would replace the function `families` defined below once a family module loads.


@cache
def families() -> dict[str, Family]:
    """Mapping of family name -> Family, in catalog order. Each module exposes FAMILIES."""
    found: dict[str, Family] = {}
    for module_name in dict.fromkeys(entry.module for entry in CATALOG.values()):
        module = importlib.import_module(f"quizapp.exercises.families.{module_name}")
        for fam in module.FAMILIES:
            found[fam.name] = fam
    missing = set(CATALOG) - set(found)
    extra = set(found) - set(CATALOG)
    if missing or extra:
        raise RuntimeError(f"catalog and families disagree: missing {missing}, extra {extra}")
    return {name: found[name] for name in CATALOG}


def get_family(name: str) -> Family:
    try:
        return families()[name]
    except KeyError:
        raise KeyError(f"unknown exercise family {name!r}") from None


class ExerciseItem(Protocol):
    """What generate_item needs of a deck item (quizapp.deck.Item has it)."""

    @property
    def id(self) -> str: ...
    @property
    def family(self) -> str | None: ...
    @property
    def params(self) -> Mapping[str, Any]: ...
    @property
    def exercise(self) -> ExerciseDef | None: ...


def generate_item(item: ExerciseItem, seed: int) -> Instance:
    """The instance of an exercise item for `seed`: its YAML exercise, else its family with its
    params. Raises GenerationError (a RuntimeError) or KeyError for an unknown family."""
    if item.exercise is not None:
        from quizapp.exercises.authored.generate import generate

        return generate(item.exercise, item.id, seed)
    return get_family(item.family or "").generate(seed, **dict(item.params))
