"""The checking worker with the exercise requests: a part of a multi-part exercise is checked, and a
YAML exercise generated, in the child process under the same time limit as every other check.

It lives in the exercises layer, on top of quizapp.checking.worker.CheckWorker, so that checking
never imports exercises. The functions below run in the child: CheckWorker.run sends them by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from quizapp.checking.verdict import Verdict
from quizapp.checking.worker import CheckWorker

if TYPE_CHECKING:
    from quizapp.checking.spec import Value
    from quizapp.exercises.base import Instance
    from quizapp.exercises.parts import PartAnswer


def _check_part(instance: Instance, index: int, text: str, earlier: Mapping[str, Value]) -> PartAnswer:
    return instance.check_part(index, text, earlier)


def _generate_item(item: Any, seed: int) -> Instance:
    from quizapp.exercises import generate_item

    return generate_item(item, seed)


class ExerciseWorker(CheckWorker):
    """A CheckWorker that also checks exercise parts and generates YAML exercises."""

    def check_part(
        self, instance: Instance, index: int, text: str, earlier: Mapping[str, Value] | None = None
    ) -> PartAnswer:
        """Part `index` of a multi-part Instance, marked against the learner's own values of the
        earlier parts (`earlier`: part id -> PartAnswer.value). A check that ran out of time (or
        crashed the child) is a PartAnswer with the timeout or crash verdict, status "invalid"."""
        result = self.run(_check_part, instance, int(index), text, dict(earlier or {}))
        if isinstance(result, Verdict):
            from quizapp.exercises.parts import PartAnswer

            part_id = instance.parts[int(index)].id
            return PartAnswer(part_id, text, result.status, result.note, result)
        return result

    def generate_item(self, item: Any, seed: int) -> Any:
        """An exercise item's Instance (a family, or a YAML exercise) generated under the time
        limit, since YAML exercises come from files the app did not write; the timeout or crash
        Verdict when generation ran out of time."""
        return self.run(_generate_item, item, int(seed))
