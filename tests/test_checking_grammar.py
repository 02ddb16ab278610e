"""The README documents the grammar of typed answers; these tests read its tables and check that
the parser agrees, in both directions (nothing documented is refused, nothing accepted is missing).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from quizapp.checking.domains import DOMAIN_NAMES
from quizapp.checking.errors import InvalidInput
from quizapp.checking.normalize import fold
from quizapp.checking.parse import context_for
from quizapp.checking.tokens import BUILTIN_FUNCTIONS, CONSTANTS

README = Path(__file__).resolve().parent.parent / "README.md"


def _table(title: str) -> list[list[str]]:
    """Rows (cells without backticks) of the first table after the line starting with `title`."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        rows.append(cells)
    return rows[1:]  # without the header


FUNCTIONS = _table("**Functions and constants.**")


def _names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _parse(text: str) -> sp.Expr:
    return context_for(("x", "y")).parse(text).expr


def test_the_function_table_lists_exactly_what_the_parser_accepts() -> None:
    documented: set[str] = set()
    for name, aliases, _, _ in FUNCTIONS:
        documented |= set(_names(name)) | set(_names(aliases))
    accepted = set(BUILTIN_FUNCTIONS) | set(CONSTANTS) | {"√", "π"}
    assert documented == accepted


@pytest.mark.parametrize("row", FUNCTIONS, ids=lambda r: r[0])
def test_each_row_parses_as_documented(row: list[str]) -> None:
    (name,), aliases, arguments, defined = _names(row[0]), _names(row[1]), row[2], row[3]
    if arguments == "constant":
        value = _parse(name)
        assert value.is_number and not value.free_symbols
        for alias in aliases:
            assert _parse(alias) == value
        return
    arity = int(arguments)
    assert BUILTIN_FUNCTIONS[name] == arity
    args = ", ".join(["x", "y"][:arity])
    for alias in aliases:
        assert _parse(f"{alias}({args})") == _parse(f"{name}({args})"), alias
    wrong = ", ".join(["x"] * (arity + 1))
    with pytest.raises(InvalidInput):
        _parse(f"{name}({wrong})")
    _check_domain_column(name, arity, defined)


def _check_domain_column(name: str, arity: int, defined: str) -> None:
    """'all real x': f(−2) is accepted; 'x > 0': f(0) is refused and f(2) accepted; 'x ≥ 0':
    f(−1) is refused and f(0) accepted. Constant arguments are checked when read."""
    call = lambda v: f"{name}({', '.join([v] * arity)})"  # noqa: E731
    if defined.startswith("all real"):
        _parse(call("-2"))
    elif defined.startswith("x > 0"):
        _parse(call("2"))
        with pytest.raises(InvalidInput):
            _parse(call("0"))
    elif defined.startswith("x ≥ 0"):
        _parse(call("0"))
        with pytest.raises(InvalidInput):
            _parse(call("-1"))
    else:
        pytest.fail(f"unknown domain wording for {name}: {defined!r}")


def test_the_domain_table_lists_the_domain_names() -> None:
    rows = _table("**Domains.**")
    assert tuple(_names(row[0])[0] for row in rows) == DOMAIN_NAMES


def test_the_greek_row_matches_the_folding() -> None:
    row = next(r for r in _table("**Operators and notation.**") if r[0] == "Greek letters")
    letters, names = _names(row[1])
    assert [fold(ch) for ch in letters.split()] == names.split()


def test_every_operator_spelling_in_the_table_parses() -> None:
    rows = {r[0]: _names(r[1]) for r in _table("**Operators and notation.**")}
    for op in rows["add, subtract, negate"] + rows["multiply"][:3] + rows["divide"] + rows["power"][:2]:
        _parse(f"x {op} 2")
    for example in rows["multiply"][3:] + rows["power"][2:] + rows["square root"]:
        context_for(("x", "a", "b", "c", "M", "K")).parse(example)
