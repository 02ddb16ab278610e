"""Long scheduler jobs (fit, reset, simulate) from the UI: each runs in a child process
(quizapp.sched.process: the Rust core holds the GIL), watched by a thread worker that posts the
progress and the outcome back as messages to the widget that started it. Removing that widget
cancels the worker, which stops the child process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.widget import Widget
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, get_current_worker

from quizapp.sched.process import JobCancelled, JobFailed, run_job


class JobProgress(Message):
    def __init__(self, job: str, stage: str, fraction: float) -> None:
        super().__init__()
        self.job, self.stage, self.fraction = job, stage, fraction


class JobDone(Message):
    def __init__(self, job: str, result: Any) -> None:
        super().__init__()
        self.job, self.result = job, result


class JobError(Message):
    def __init__(self, job: str, error: str) -> None:
        super().__init__()
        self.job, self.error = job, error


def start_job(owner: Widget, name: str, job: Callable[..., Any], args: tuple[Any, ...]) -> Worker[None]:
    """Run `job(*args, progress=…)` in a child process on behalf of `owner` (one per name)."""
    def progress(stage: str, fraction: float) -> None:
        owner.post_message(JobProgress(name, stage, fraction))

    def watch() -> None:
        worker = get_current_worker()
        try:
            result = run_job(job, args, progress, lambda: worker.is_cancelled)
        except JobCancelled:
            return
        except JobFailed as exc:
            owner.post_message(JobError(name, str(exc)))
            return
        except Exception as exc:  # e.g. no process can be started here: say so, keep running
            owner.post_message(JobError(name, f"{type(exc).__name__}: {exc}"))
            return
        owner.post_message(JobDone(name, result))

    return owner.run_worker(watch, thread=True, group=name, exclusive=True, exit_on_error=False)


def show_progress(bar: ProgressBar, label: Static, text: str, fraction: float) -> None:
    """A job's progress bar and the stage it is at, shown."""
    bar.display = label.display = True
    bar.update(progress=round(100 * fraction))
    label.update(text)
