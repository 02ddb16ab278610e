"""Atomic replacement of written files and bounded, regular-file-only reads."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from quizapp.safeio import (
    UnsafeFile,
    atomic_binary_writer,
    atomic_write_text,
    atomic_writer,
    read_bounded,
)


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o600)
    atomic_write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)  # permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_failure_mid_write_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_text("valid old export", encoding="utf-8")

    class DiskFull(OSError):
        pass

    with pytest.raises(DiskFull), atomic_writer(target) as fh:
        fh.write("half of the new ")
        raise DiskFull(errno.ENOSPC, "No space left on device")
    assert target.read_text(encoding="utf-8") == "valid old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


def test_a_failure_before_the_first_write_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "new.bin"
    with pytest.raises(RuntimeError), atomic_binary_writer(target):
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_read_bounded_reads_a_small_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes(b"id: x\n")
    assert read_bounded(path, 100) == b"id: x\n"


def test_read_bounded_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 101)
    with pytest.raises(UnsafeFile, match="too large"):
        read_bounded(path, 100)


def test_read_bounded_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeFile, match="not a regular file"):
        read_bounded(fifo, 100)


def test_read_bounded_refuses_a_device_and_a_directory(tmp_path: Path) -> None:
    with pytest.raises(UnsafeFile, match="not a regular file"):
        read_bounded(Path("/dev/zero"), 100)
    with pytest.raises(UnsafeFile, match="directory"):
        read_bounded(tmp_path, 100)


def test_read_bounded_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnsafeFile, match="missing.yaml"):
        read_bounded(tmp_path / "missing.yaml", 100)
