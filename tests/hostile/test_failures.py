"""One handler for every command (issue 16 item 7): what a failure that every command shares is
called, with which exit status, and advice that fits what actually went wrong."""

from __future__ import annotations

import argparse
import errno
import sqlite3
from pathlib import Path

import pytest

from quizapp.cli import main as cli_main
from quizapp.cli.failures import describe
from quizapp.safeio import UnsafeFile
from quizapp.store import StoreError

ARGS = argparse.Namespace(data_dir="/srv/q")


@pytest.mark.parametrize(("error", "says", "not_says"), [
    (sqlite3.OperationalError("database is locked"), "is busy: another quizapp is writing", "backup"),
    (sqlite3.OperationalError("database or disk is full"), "is full", "backup"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read-only", "backup"),
    (sqlite3.DatabaseError("database disk image is malformed"), "is damaged", ""),
    (sqlite3.DatabaseError("file is not a database"), "restore a backup", ""),
    (sqlite3.OperationalError("integer overflow"), "/srv/q/quizapp.sqlite3: integer overflow", "backup"),
])
def test_database_errors_get_advice_that_fits(error: Exception, says: str, not_says: str) -> None:
    code, message = describe(error, ARGS) or (0, "")
    assert code == 2 and says in message and "/srv/q" in message
    assert not not_says or not_says not in message


def test_files_and_the_store_name_their_path() -> None:
    assert describe(UnsafeFile("/tmp/p", "is not a regular file (a pipe, device or socket); refused"), ARGS) == (
        2, "/tmp/p is not a regular file (a pipe, device or socket); refused")
    assert describe(StoreError("/srv/q/quizapp.sqlite3 was written by a newer quizapp"), ARGS) == (
        2, "/srv/q/quizapp.sqlite3 was written by a newer quizapp")
    code, message = describe(OSError(errno.ENOSPC, "No space left on device", "/tmp/out.json"), ARGS) or (0, "")
    assert code == 1 and message.startswith("/tmp/out.json: the disk is full")
    assert describe(ValueError("a bug"), ARGS) is None  # a bug keeps its traceback


def test_no_command_keeps_its_own_copy_of_the_handler() -> None:
    """The shared failures are caught in cli/main.py only (TEAM.md: one handler for all commands)."""
    commands = Path(cli_main.__file__).parent
    for path in [*commands.glob("*_cmd.py"), commands.parent / "context.py"]:
        text = path.read_text(encoding="utf-8")
        for caught in ("except sqlite3.DatabaseError", "except StoreError", "except UnsafeFile as", "except OSError as"):
            if (path.name, caught) == ("serve_cmd.py", "except OSError as"):
                continue  # a socket bind error names no file: serve words the address and the errno
            assert caught not in text, f"{path.name} reports {caught.split()[1]} itself"


def test_a_damaged_database_mid_command_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.stats.report as report

    def damaged(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(report, "report", damaged)
    assert cli_main.main(["--data-dir", str(tmp_path), "stats", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"quizapp: error: {tmp_path / 'quizapp.sqlite3'} is damaged") and "Traceback" not in err
