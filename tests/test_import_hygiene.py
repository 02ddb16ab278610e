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
