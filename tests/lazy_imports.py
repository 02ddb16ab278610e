"""A fresh interpreter runs some code and reports whether sympy and numpy got imported: loading a
deck must leave both unimported (they cost seconds at start-up)."""

from __future__ import annotations

import subprocess
import sys


def sympy_numpy_loaded_after(code: str) -> list[str]:
    """`[sympy loaded, numpy loaded]` as "True"/"False" after `code` ran in a new interpreter."""
    probe = "import sys\n" + code + "print('sympy' in sys.modules, 'numpy' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()
