"""Every file the app writes goes through quizapp/safeio.py (issue 16 item 1, TEAM.md "Files").

An audit of the source: any call that can create or change a file (open for writing, write_text,
os.open with write flags, renames, copies, temporary files, SQLite connections and backups…)
outside safeio.py must be on the list below with the reason it is safe. A new writer that skips
the atomic temp-file-and-rename fails this test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quizapp"

# (file or folder/, call) → why it is not a file write that needs safeio.
ALLOWED: dict[tuple[str, str], str] = {
    ("quizapp/store/", "sqlite3.connect"): "the review database: SQLite's own transactions and WAL",
    ("quizapp/store/", "backup"): "the pre-migration copy, by SQLite's backup API, verified before use (item 10)",
    ("quizapp/cli/main.py", "os.open"): "opens /dev/null to detach a failed stdout",
    ("quizapp/sched/process.py", "os.open"): "opens /dev/null for a fit's child process (nothing may reach the terminal)",
    ("quizapp/bridges/anki.py", "TemporaryDirectory"): "the Anki collection is built in a private temporary "
    "directory; the package itself is written through safeio",
    ("quizapp/store/opening.py", "TemporaryDirectory"): "a database with a -wal but no -shm is judged on a "
    "private temporary copy, so nothing is created beside a file that may be refused (item 10)",
    ("quizapp/store/opening.py", "shutil.copyfile"): "the private copy above (the database and its -wal)",
}
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}
WRITING_METHODS = {
    "write_text", "write_bytes", "write_to_file", "save_screenshot", "touch", "symlink_to", "hardlink_to",
    "rename", "mkfifo", "backup", "mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
    "SpooledTemporaryFile", "TemporaryDirectory",
}
WRITING_FUNCTIONS = {"os.replace", "os.rename", "os.link", "os.symlink", "os.truncate", "shutil.copy",
                     "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return "?"


def _writes_mode(call: ast.Call, index: int) -> bool:
    mode = call.args[index] if len(call.args) > index else next(
        (k.value for k in call.keywords if k.arg == "mode"), None)
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and bool(set(mode.value) & set("wax+"))


def _describe(call: ast.Call) -> str | None:
    """The call's name if it can write a file, else None."""
    name = _name(call.func)
    last = name.rsplit(".", 1)[-1]
    if name in ("open", "io.open", "os.fdopen"):
        return name if _writes_mode(call, 1) else None
    if last == "open" and name != "os.open":  # Path.open(mode)
        return name if _writes_mode(call, 0) else None
    if name == "os.open":
        flags = {n.attr for n in ast.walk(call.args[1]) if isinstance(n, ast.Attribute)} if len(call.args) > 1 else set()
        return name if flags & WRITE_FLAGS else None
    if name in WRITING_FUNCTIONS or last in WRITING_METHODS:
        return name if name in WRITING_FUNCTIONS else last
    if name == "sqlite3.connect":
        target = ast.unparse(call.args[0]) if call.args else ""
        return None if "mode=ro" in target else name
    return None


def writers(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (what := _describe(node)) is not None:
            yield node.lineno, what


def violations(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        for line, what in writers(path):
            if not any(rel.startswith(where) and what == call for where, call in ALLOWED):
                found.append(f"{rel}:{line}: {what} writes a file without quizapp.safeio")
    return found


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "safeio.py")


def test_every_file_the_app_writes_goes_through_safeio() -> None:
    assert not violations(_sources()), "\n".join(violations(_sources()))


def test_the_audit_sees_the_ways_a_file_is_written(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, shutil, sqlite3, tempfile\n"
        "open(p, 'w'); open(p); open(p, mode='ab'); p.open('w'); p.open()\n"
        "p.write_text('x'); os.open(p, os.O_WRONLY | os.O_CREAT); os.open(p, os.O_RDONLY)\n"
        "os.replace(a, b); shutil.copy(a, b); tempfile.mkstemp(); sqlite3.connect(p)\n"
        "sqlite3.connect(f'{u}?mode=ro', uri=True); text.replace('a', 'b')\n",
        encoding="utf-8",
    )
    assert [what for _, what in writers(sample)] == [
        "open", "open", "p.open", "write_text", "os.open", "os.replace", "shutil.copy", "mkstemp", "sqlite3.connect",
    ]
