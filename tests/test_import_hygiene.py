"""The core never imports Textual, and start-up paths stay free of sympy and numpy."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "quizapp.deck", "quizapp.checking", "quizapp.exercises", "quizapp.config", "quizapp.paths",
    "quizapp.cli.main",
]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )
    return set(out.stdout.split())


def test_core_does_not_import_textual() -> None:
    import pkgutil

    import quizapp

    modules = sorted(
        m.name for m in pkgutil.walk_packages(quizapp.__path__, "quizapp.")
        if not m.name.startswith("quizapp.tui") and not m.name.endswith("__main__")
    )
    loaded = _loaded_after("\n".join(f"import {m}" for m in modules))
    assert "textual" not in loaded


def test_help_and_content_loading_skip_sympy_and_numpy() -> None:
    loaded = _loaded_after(
        "import quizapp.cli.main as m\nm.build_parser()\n"
        "from quizapp.deck import load_library\nload_library()\n"
        + "\n".join(f"import {m}" for m in CORE_MODULES)
    )
    assert "sympy" not in loaded
    assert "numpy" not in loaded


# Cycles between packages that other work is removing (issue 10); none may be added.
KNOWN_CYCLES: set[frozenset[str]] = set()


def _package_imports() -> dict[str, set[str]]:
    """quizapp package -> the quizapp packages it imports (anywhere in its modules, lazily too)."""
    import ast
    from pathlib import Path

    import quizapp

    root = Path(quizapp.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        source = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if bits[0] == "quizapp" and len(bits) > 1 and bits[1] != source:
                    graph.setdefault(source, set()).add(bits[1])
    return graph


def test_no_import_cycles_between_packages() -> None:
    graph = _package_imports()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        return False

    cycles = {
        frozenset({a, b}) for a, targets in graph.items() for b in targets if reaches(b, a)
    }
    assert cycles <= KNOWN_CYCLES, sorted(sorted(c) for c in cycles - KNOWN_CYCLES)
    assert "srs" not in graph.get("store", set())  # the store sits below the scheduler
    for low in ("timing", "forgetting"):
        assert graph.get(low, set()) <= {"timing"}, low  # the clock and the curve import nothing else


def test_sql_and_connections_stay_in_the_store() -> None:
    import re
    from pathlib import Path

    import quizapp

    root = Path(quizapp.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.relative_to(root).parts[0] == "store":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import sqlite3|from sqlite3 )", text, re.M) or re.search(r"\.conn\b", text):
            offenders.append(str(path.relative_to(root)))
        if re.search(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
