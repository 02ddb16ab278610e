"""How the session checks typed math: through a Checker, so a front end can give it the
time-limited worker process (quizapp.exercises.worker.ExerciseWorker) and tests an in-process one.

Both methods block; the session calls them on a thread for the full-screen app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

    from quizapp.checking.pipeline import Interpretation
    from quizapp.checking.spec import AnswerSpec, Value
    from quizapp.checking.verdict import Verdict
    from quizapp.deck.model import Item
    from quizapp.exercises.base import Instance
    from quizapp.exercises.parts import PartAnswer


class Checker(Protocol):
    def check_instance(self, instance: Instance, text: str) -> Verdict:
        """The verdict on `text` as an answer to an exercise instance."""
        ...

    def check_spec(self, spec: AnswerSpec, text: str) -> Verdict:
        """The verdict on `text` against an answer spec (a math cloze deletion)."""
        ...

    def check_part(self, instance: Instance, index: int, text: str, earlier: Mapping[str, Value]) -> PartAnswer:
        """Part `index` of a multi-part exercise, marked against the learner's earlier values."""
        ...

    def generate_item(self, item: Item, seed: int) -> Instance:
        """A YAML exercise's instance (from a file the app did not write: under the time limit)."""
        ...

    def interpret_spec(self, spec: AnswerSpec, text: str) -> Interpretation:
        """How `text` reads against an answer spec (the live preview); nothing is marked."""
        ...


class InProcessChecker:
    """Checks in this process, without a time limit (tests, and a fallback)."""

    def check_instance(self, instance: Instance, text: str) -> Verdict:
        return instance.check(text)

    def check_spec(self, spec: AnswerSpec, text: str) -> Verdict:
        from quizapp.checking.pipeline import check_answer

        return check_answer(text, spec)

    def check_part(self, instance: Instance, index: int, text: str, earlier: Mapping[str, Value]) -> PartAnswer:
        return instance.check_part(index, text, earlier)

    def generate_item(self, item: Item, seed: int) -> Instance:
        from quizapp.exercises import generate_item

        return generate_item(item, seed)

    def interpret_spec(self, spec: AnswerSpec, text: str) -> Interpretation:
        from quizapp.checking.pipeline import interpret

        return interpret(text, spec)


class ClosingChecker(Checker, Protocol):
    def close(self) -> None: ...


class LazyChecker:
    """A checker made on first use (line mode starts the worker process only for an exercise)."""

    def __init__(self, make: Callable[[], ClosingChecker]) -> None:
        self._make = make
        self._checker: ClosingChecker | None = None

    def _get(self) -> ClosingChecker:
        if self._checker is None:
            self._checker = self._make()
        return self._checker

    def check_instance(self, instance: Instance, text: str) -> Verdict:
        return self._get().check_instance(instance, text)

    def check_spec(self, spec: AnswerSpec, text: str) -> Verdict:
        return self._get().check_spec(spec, text)

    def check_part(self, instance: Instance, index: int, text: str, earlier: Mapping[str, Value]) -> PartAnswer:
        return self._get().check_part(instance, index, text, earlier)

    def generate_item(self, item: Item, seed: int) -> Instance:
        return self._get().generate_item(item, seed)

    def interpret_spec(self, spec: AnswerSpec, text: str) -> Interpretation:
        return self._get().interpret_spec(spec, text)

    def close(self) -> None:
        if self._checker is not None:
            self._checker.close()
