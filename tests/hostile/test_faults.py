"""A full disk while a file is written (issue 16 item 1): the old file stays as it was, byte for
byte, no temporary file is left, and the command says what happened.

ENOSPC is injected under quizapp.safeio (the one way the app writes files): the data reaches
the disk in part and then the disk is full, or the flush/fsync fails, or the rename does.
Tests can neither fill a real disk on a shared machine nor count on mounting a small tmpfs.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
from cases import IMPORTS

import quizapp.safeio as safeio
from quizapp.cli.main import main
from quizapp.config import Settings, load_settings, save_settings


class _FillsUp:
    """A file that takes `room` bytes, then fails every write with ENOSPC (as a full disk does)."""

    def __init__(self, inner: IO[Any], room: int) -> None:
        self._inner = inner
        self._room = room

    def write(self, data: Any) -> int:
        if len(data) > self._room:
            self._inner.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return int(self._inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> _FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()


def _enospc(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(params=["write", "fsync", "rename"])
def full_disk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it and the disk fills up at one step of safeio's write."""

    def fill() -> None:
        if request.param == "write":
            real_fdopen = os.fdopen

            def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
                return _FillsUp(real_fdopen(fd, *args, **kwargs), room=10)

            monkeypatch.setattr(safeio.os, "fdopen", fdopen)
        elif request.param == "fsync":
            monkeypatch.setattr(safeio.os, "fsync", _enospc)
        else:
            monkeypatch.setattr(safeio.os, "replace", _enospc)

    return fill


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_config_save_on_a_full_disk_keeps_the_old_file(tmp_path: Path, full_disk: Callable[[], None]) -> None:
    path = tmp_path / "config.json"
    save_settings(Settings(language="zh", new_per_day=7), path)
    before = path.read_bytes()
    full_disk()
    with pytest.raises(OSError) as raised:
        save_settings(Settings(language="en", new_per_day=50, theme="nord"), path)
    assert raised.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert _only(tmp_path) == ["config.json"]  # the temporary file is gone
    assert load_settings(path).new_per_day == 7


def test_a_first_config_save_on_a_full_disk_creates_nothing(tmp_path: Path, full_disk: Callable[[], None]) -> None:
    full_disk()
    with pytest.raises(OSError):
        save_settings(Settings(), tmp_path / "config.json")
    assert _only(tmp_path) == []


def _studied(tmp_path: Path) -> Path:
    """A data dir with one answer in its log (imported: quicker than a session)."""
    data = tmp_path / "data"
    export = json.loads((IMPORTS / "poison_ts_max.json").read_text(encoding="utf-8"))
    export["reviews"][0]["ts"] = 1764583200000  # an ordinary answer of a v1 export
    source = tmp_path / "source.json"
    source.write_text(json.dumps(export), encoding="utf-8")
    assert main(["--data-dir", str(data), "import", "--json", str(source)]) == 0
    return data


@pytest.mark.parametrize("form", ["--json", "--csv"])
def test_export_on_a_full_disk_keeps_the_old_export(tmp_path: Path, form: str,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = _studied(tmp_path)
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "backup"
    assert main(["--data-dir", str(data), "export", form, str(target)]) == 0
    before = {name: (out / name).read_bytes() for name in _only(out)}
    capsys.readouterr()
    real_fdopen = os.fdopen
    monkeypatch.setattr(safeio.os, "fdopen", lambda fd, *a, **k: _FillsUp(real_fdopen(fd, *a, **k), room=100))
    assert main(["--data-dir", str(data), "export", form, str(target)]) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "Traceback" not in err
    assert {name: (out / name).read_bytes() for name in _only(out)} == before


@pytest.mark.parametrize("step", ["write", "fsync"])
@pytest.mark.parametrize("failing", ["reviews", "cards"])
def test_a_csv_export_is_a_pair_both_new_or_both_old(tmp_path: Path, step: str, failing: str,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up while one file of the pair is written: the other must not have replaced
    its old version (a reviews file that no longer matches its cards)."""
    data = _studied(tmp_path)
    out = tmp_path / "exports"
    out.mkdir()
    assert main(["--data-dir", str(data), "export", "--csv", str(out / "backup")]) == 0
    for old in out.iterdir():
        old.write_text(f"the previous {old.name}\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    real_fdopen, real_fsync = os.fdopen, os.fsync

    def doomed(fd: int) -> bool:  # the temporary beside backup.<failing>.csv
        return os.readlink(f"/proc/self/fd/{fd}").startswith(str(out / f".backup.{failing}.csv."))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        inner = real_fdopen(fd, *args, **kwargs)
        return _FillsUp(inner, room=0) if step == "write" and doomed(fd) else inner

    def fsync(fd: int) -> None:
        if step == "fsync" and doomed(fd):
            _enospc()
        real_fsync(fd)

    monkeypatch.setattr(safeio.os, "fdopen", fdopen)
    monkeypatch.setattr(safeio.os, "fsync", fsync)
    assert main(["--data-dir", str(data), "export", "--csv", str(out / "backup")]) == 1
    assert "disk is full" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_anki_package_on_a_full_disk_keeps_the_old_package(tmp_path: Path, full_disk: Callable[[], None],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"the previous package")
    full_disk()
    argv = ["--data-dir", str(tmp_path / "data"), "export", "--apkg", str(target), "--query", "id:rf-definition"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"error: {target}: the disk is full" in err and "Traceback" not in err
    assert target.read_bytes() == b"the previous package"
    assert _only(tmp_path) == ["data", "deck.apkg"]


def test_a_new_deck_on_a_full_disk_creates_nothing(tmp_path: Path, full_disk: Callable[[], None],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    full_disk()
    assert main(["--data-dir", str(data), "new-deck", "Attention"]) == 1
    err = capsys.readouterr().err
    assert f"error: {data / 'decks' / 'attention.yaml'}: the disk is full" in err and "Traceback" not in err
    assert _only(data / "decks") == []


def test_adding_a_card_to_a_deck_on_a_full_disk_keeps_the_deck(tmp_path: Path,
                                                               full_disk: Callable[[], None]) -> None:
    """The add form and `e` write the learner's own deck files: a full disk must not eat one."""
    from quizapp.deck import load_library
    from quizapp.deck.authoring import Draft, add_item
    from quizapp.deck.userdecks import create_deck
    from quizapp.i18n import Bilingual

    decks = tmp_path / "decks"
    decks.mkdir()
    path = create_deck(decks, "Mine")
    path.write_text(path.read_text(encoding="utf-8") + "# my own comment\n", encoding="utf-8")
    before = path.read_bytes()
    library = load_library(include_builtin=False, user_dirs=[decks])
    draft = Draft(kind="flashcard", id="mine-adam", front=Bilingual("Adam?", "Adam？"),
                  back=Bilingual("Two moments", "两个矩"))
    full_disk()
    with pytest.raises(OSError) as raised:
        add_item(path, draft, library)
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(path)
    assert path.read_bytes() == before
    assert _only(decks) == ["mine.yaml"]
