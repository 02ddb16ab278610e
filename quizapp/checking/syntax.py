"""Structural checks on a token stream, before anything is built: brackets, operators and commas,
each refused with what is wrong and the column where it is (columns of what the learner typed).

Tokens are quizapp.checking.tokens.Token (kind, text, col); this module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Protocol

from quizapp.checking.errors import InvalidInput, invalid

_BINARY_ONLY = ("*", "/", "**")
# Words that mean the learner typed program code, not math. Not words that are also English
# ("and", "or", "if", "in", "for", "from", "with"): those get the ordinary unknown-name message.
CODE_WORDS = frozenset(
    (
        "import", "def", "class", "lambda", "return", "yield", "global", "nonlocal", "assert",
        "raise", "except", "finally", "async", "await", "elif", "print", "eval", "exec", "compile",
        "open", "os", "sys", "subprocess", "getattr", "setattr", "globals", "locals", "None",
        "True", "False", "__import__", "__builtins__",
    )
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TokenLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def col(self) -> int: ...


def _shown(tok: TokenLike) -> str:
    return "^" if tok.text == "**" and tok.kind == "op" else tok.text


def _syntax(en: str, zh: str) -> InvalidInput:
    return invalid("invalid.syntax", en, zh)


def check_brackets(tokens: Sequence[TokenLike], end_col: int) -> None:
    """Every '(' closed, every ')' opened. The message names both ends of the problem."""
    opened: list[TokenLike] = []
    for tok in tokens:
        if tok.kind == "lp":
            opened.append(tok)
        elif tok.kind == "rp":
            if not opened:
                raise _syntax(
                    f"The ')' at column {tok.col} closes a bracket that was never opened.",
                    f"第 {tok.col} 列的「)」没有对应的「(」。",
                )
            opened.pop()
    if opened:
        tok = opened[-1]
        raise _syntax(
            f"Unclosed bracket: the '(' at column {tok.col} is never closed (a ')' is missing after column {end_col}).",
            f"括号没有闭合：第 {tok.col} 列的「(」缺少对应的「)」（第 {end_col} 列之后少了「)」）。",
        )


def find_code_word(text: str, known: Collection[str]) -> None:
    """Refuse typed text containing program code (`import os`, `lambda: 0`) with that message,
    before any character or name check: "unknown variable 'import'" would be beside the point."""
    for m in _WORD.finditer(text):
        if m.group() in CODE_WORDS and m.group() not in known:
            raise code_word(m.group(), m.start() + 1)


def code_word(name: str, col: int) -> InvalidInput:
    return _syntax(
        f"'{name}' (column {col}) is program code, not math: type only the expression, e.g. 2*x + 1.",
        f"第 {col} 列的「{name}」是程序代码，不是数学：请只输入数学表达式，例如 2*x + 1。",
    )


def check_operators(tokens: Sequence[TokenLike]) -> None:
    """No operator without operands, no empty brackets, commas only between call arguments."""
    calls: list[bool] = []  # per open bracket: does it hold a function's arguments?
    prev: TokenLike | None = None
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.kind == "op":
            _check_operator(tok, prev, nxt)
        elif tok.kind == "lp":
            calls.append(prev is not None and prev.kind == "func")
        elif tok.kind == "rp":
            if prev is not None and prev.kind == "lp":
                raise _syntax(f"Empty brackets at column {prev.col}.", f"第 {prev.col} 列的括号是空的。")
            if prev is not None and prev.kind in ("op", "comma"):
                raise _missing_after(prev)
            if calls:
                calls.pop()
        elif tok.kind == "comma":
            _check_comma(tok, prev, calls)
        prev = tok


def _missing_after(tok: TokenLike) -> InvalidInput:
    shown = _shown(tok)
    return _syntax(
        f"Something is missing after '{shown}' (column {tok.col}).",
        f"第 {tok.col} 列的「{shown}」后面缺少内容。",
    )


def _check_operator(tok: TokenLike, prev: TokenLike | None, nxt: TokenLike | None) -> None:
    shown = _shown(tok)
    if nxt is None:
        raise _syntax(
            f"The answer ends with '{shown}' (column {tok.col}): something is missing after it.",
            f"答案以第 {tok.col} 列的「{shown}」结尾：后面缺少内容。",
        )
    if tok.text not in _BINARY_ONLY:
        return  # + and − may also be signs: -x, 2*-3, x^-1
    if prev is None:
        raise _syntax(
            f"'{shown}' at column {tok.col} has nothing before it.",
            f"第 {tok.col} 列的「{shown}」前面缺少内容。",
        )
    if prev.kind in ("op", "lp", "comma"):
        before = _shown(prev)
        raise _syntax(
            f"'{shown}' (column {tok.col}) follows '{before}' (column {prev.col}): something is missing between them.",
            f"第 {prev.col} 列的「{before}」和第 {tok.col} 列的「{shown}」之间缺少内容。",
        )


def _check_comma(tok: TokenLike, prev: TokenLike | None, calls: list[bool]) -> None:
    if not calls or not calls[-1]:
        raise _syntax(
            f"A comma at column {tok.col}: use a dot for decimals (0.5), and commas only between "
            "the arguments of a function such as max(a, b).",
            f"第 {tok.col} 列有逗号：小数请用句点（0.5），逗号只用于分隔函数参数，例如 max(a, b)。",
        )
    if prev is None or prev.kind in ("lp", "comma", "op"):
        raise _syntax(
            f"An argument is missing before the comma at column {tok.col}.",
            f"第 {tok.col} 列的逗号前缺少参数。",
        )
