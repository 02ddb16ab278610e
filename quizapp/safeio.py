"""Files in and out, safely: every file the app writes is replaced atomically, and every file it
reads from outside is a regular file of bounded size.

- ``atomic_writer(path)`` (text), ``atomic_binary_writer(path)``, ``atomic_write_text``,
  ``atomic_write_bytes``: the data goes to a
  temporary file in the same folder, is flushed and fsynced, then renamed over ``path`` (and the
  folder fsynced). If anything fails (a full disk, a kill before the rename), the old file is
  intact and the temporary file is removed.
- ``read_bounded(path, limit)``: the bytes of a regular file of at most ``limit`` bytes. A FIFO, a
  device (``/dev/zero``), a directory or a larger file raises ``UnsafeFile`` with a message that
  names the path, before anything is read that could block or exhaust memory.
  ``read_head(path, n)``: the first bytes of a regular file of any size, on the same terms.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class UnsafeFile(OSError):
    """A file from outside cannot be read safely; str() names the path and says why, `reason`
    says why without the path ("is too large (…)", "Permission denied")."""

    def __init__(self, path: Path | str, reason: str) -> None:
        joined = f"{path}: {reason}" if reason[:1].isupper() else f"{path} {reason}"
        super().__init__(joined)
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])


def check_regular(path: Path) -> os.stat_result:
    """stat() of a regular file; UnsafeFile for anything else (FIFO, device, directory, socket)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UnsafeFile(path, str(exc.strerror or exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeFile(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(path, "is not a regular file (a pipe, device or socket); refused")
    return info


def _read_regular(path: Path, size: int) -> bytes:
    """Up to `size` bytes from the start of `path`, which must still be a regular file once open."""
    # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open() does not hang.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnsafeFile(path, str(exc.strerror or exc)) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise UnsafeFile(path, "is not a regular file; refused")
        try:
            return fh.read(size)
        except OSError as exc:  # EIO on a failing disk
            raise UnsafeFile(path, str(exc.strerror or exc)) from None


def read_bounded(path: Path, limit: int) -> bytes:
    """The whole file, refusing non-regular files and files over `limit` bytes."""
    info = check_regular(path)
    if info.st_size > limit:
        raise UnsafeFile(path, f"is too large ({info.st_size:,} bytes; the limit is {limit:,})")
    data = _read_regular(path, limit + 1)
    if len(data) > limit:
        raise UnsafeFile(path, f"is too large (over {limit:,} bytes)")
    return data


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file of any size (a database's header)."""
    check_regular(path)
    return _read_regular(path, size)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[tuple[int, Path]]:
    """A temporary file in path's folder, renamed over path when the block succeeds."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        yield fd, tmp
        try:  # keep the permissions of the file being replaced; a new file gets the umask's
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        # A full disk mid-write names no file, a failed rename the temporary: name the target.
        if isinstance(exc, OSError) and exc.filename in (None, str(tmp)):
            exc.filename, exc.filename2 = str(path), None
        raise
    _fsync_dir(folder)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """with atomic_writer(path) as fh: fh.write(...) — `path` changes only if the block succeeds."""
    with atomic_writers(path) as (fh,):
        yield fh


@contextlib.contextmanager
def atomic_writers(*paths: Path) -> Iterator[tuple[IO[str], ...]]:
    """Files that belong together (an export's CSV pair): every one is written and fsynced
    before the first is renamed, so a full disk at any point leaves all the old ones."""
    with contextlib.ExitStack() as stack:
        handles = []
        for path in paths:
            fd, _tmp = stack.enter_context(_temporary_beside(Path(path)))
            handles.append(stack.enter_context(os.fdopen(fd, "w", encoding="utf-8", newline="")))
        yield tuple(handles)
        for fh in handles:
            fh.flush()
            os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_binary_writer(path: Path) -> Iterator[IO[bytes]]:
    """atomic_writer for bytes."""
    with _temporary_beside(Path(path)) as (fd, _tmp), os.fdopen(fd, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_writer(path) as fh:
        fh.write(text)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_binary_writer(path) as fh:
        fh.write(data)
