"""Folded text -> a token stream with implicit multiplication made explicit (no sympy here).

Every name is resolved against the exercise's vocabulary and replaced by a placeholder
(`_n0` numbers, `_a0` atoms, `_f0` functions), so the string handed to `ast.parse` contains
nothing but placeholders, operators, parentheses and commas.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from quizapp.checking.errors import InvalidInput, invalid
from quizapp.checking.syntax import CODE_WORDS, check_brackets, check_operators, code_word

BUILTIN_FUNCTIONS: dict[str, int] = {
    "exp": 1, "log": 1, "ln": 1, "sqrt": 1, "abs": 1, "tanh": 1, "sinh": 1, "cosh": 1,
    "sech": 1, "sin": 1, "cos": 1, "max": 2, "min": 2,
}  # fmt: skip
CONSTANTS = ("e", "pi")
MAX_SIGNIFICANT_DIGITS = 20
MAX_DECIMAL_EXPONENT = 300
MAX_NESTING = 40  # parentheses; real answers need a handful

_TOKEN = re.compile(
    r"(?P<num>(?:[0-9]+(?:_[0-9]+)*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|\^|[-+*/(),√])"
)


@dataclass(frozen=True)
class Vocabulary:
    """The names one exercise accepts. Functions map every spelling to (canonical name, arity)."""

    variables: tuple[str, ...] = ()
    functions: tuple[tuple[str, str, int], ...] = ()  # (spelling, canonical, arity)
    aliases: tuple[str, ...] = ()  # names standing for a whole expression, e.g. "s"
    # Per-exercise unary functions that may be typed bare when there is a single variable:
    # "σ(1−σ)" then reads as σ(x)·(1 − σ(x)).
    bare_functions: tuple[str, ...] = ()
    # Of those, the per-exercise ones for which "σ(1−σ)" (a group that uses σ itself) reads as
    # σ(x)·(1 − σ(x)); builtins keep exp(exp(x)) a call.
    self_multiplying: tuple[str, ...] = ()

    def function(self, name: str) -> tuple[str, int] | None:
        for spelling, canonical, arity in self.functions:
            if spelling == name:
                return canonical, arity
        if name in BUILTIN_FUNCTIONS:
            return name, BUILTIN_FUNCTIONS[name]
        return None

    def atom_names(self) -> tuple[str, ...]:
        extra = tuple(c for c in CONSTANTS if c not in self.variables and c not in self.aliases)
        return self.aliases + self.variables + extra


@dataclass(frozen=True)
class Token:
    kind: str  # num, atom, func, op, lp, rp, comma, sqrt
    text: str
    col: int = field(default=0, compare=False)  # 1-based column in the typed text, for messages


@dataclass
class Lexed:
    source: str  # placeholders and operators only, ready for ast.parse(mode="eval")
    numbers: list[str] = field(default_factory=list)  # _n{i} -> literal text
    atoms: list[str] = field(default_factory=list)  # _a{i} -> variable, alias or constant
    funcs: list[tuple[str, int]] = field(default_factory=list)  # _f{i} -> (canonical, arity)
    notes: list[tuple[str, str]] = field(default_factory=list)  # ("MK", "M·K") name splits
    decimals: list[str] = field(default_factory=list)  # decimal literals as typed, e.g. "0.333"


def _syntax(en: str, zh: str) -> InvalidInput:
    return invalid("invalid.syntax", en, zh)


def _raw_tokens(text: str, cols: list[int]) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos] == " ":
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        col = cols[pos]
        if m is None:
            bad = text[pos]
            raise _syntax(f"I can't read '{bad}' at column {col}.", f"第 {col} 列的字符「{bad}」无法识别。")
        if m.group("num") is not None:
            _check_number(m.group())
            tokens.append(Token("num", m.group().replace("_", ""), col))
        elif m.group("name") is not None:
            tokens.append(Token("name", m.group(), col))
        else:
            op = m.group()
            kind = {"(": "lp", ")": "rp", ",": "comma", "√": "sqrt"}.get(op, "op")
            tokens.append(Token(kind, "**" if op == "^" else op, col))
        pos = m.end()
    return tokens


def _check_number(literal: str) -> None:
    mantissa, _, exponent = literal.replace("_", "").lower().partition("e")
    digits = mantissa.replace(".", "").lstrip("0")
    if len(digits) > MAX_SIGNIFICANT_DIGITS or (exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT):
        raise invalid(
            "invalid.too-big",
            f"The number {literal[:24]}{'…' if len(literal) > 24 else ''} is too large or too precise to check.",
            f"数字 {literal[:24]}{'…' if len(literal) > 24 else ''} 太大或位数太多，无法判定。",
        )


def _split_name(name: str, parts: tuple[str, ...]) -> list[str] | None:
    """Split `name` into the fewest known parts (so 'MK' -> ['M', 'K']), or None."""
    best: list[list[str] | None] = [None] * (len(name) + 1)
    best[0] = []
    for end in range(1, len(name) + 1):
        for part in parts:
            start = end - len(part)
            if start >= 0 and best[start] is not None and name[start:end] == part:
                cand = [*best[start], part]  # type: ignore[misc]
                if best[end] is None or len(cand) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = cand
    return best[len(name)]


def _unknown(name: str, vocab: Vocabulary, as_function: bool, col: int) -> InvalidInput:
    candidates = list(vocab.atom_names())
    if as_function:
        candidates += [s for s, _, _ in vocab.functions] + list(BUILTIN_FUNCTIONS)
    hint = next((c for c in candidates if c.lower() == name.lower()), None)
    if hint is None:
        folded = {a.lower(): a for a in vocab.atom_names()}
        parts = _split_name(name.lower(), tuple(folded))
        hint = "·".join(folded[p] for p in parts) if parts and len(parts) > 1 else None
    if hint is None:
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        hint = close[0] if close else None
    if hint is None and name in CODE_WORDS:
        return code_word(name, col)
    shown = name if len(name) <= 24 else name[:24] + "…"
    what_en, what_zh = ("function", "函数") if as_function else ("variable", "变量")
    en = f"unknown {what_en} '{shown}' (column {col})"
    zh = f"第 {col} 列：未知{what_zh}「{shown}」"
    if hint is not None:
        en += f" — did you mean '{hint}'?"
        zh += f"——你是想写「{hint}」吗？"
    elif vocab.variables and not as_function:
        en += f" (allowed: {', '.join(vocab.variables)})"
        zh += f"（可用：{', '.join(vocab.variables)}）"
    return invalid("invalid.unknown-name", en, zh)


def _resolve(tokens: list[Token], vocab: Vocabulary, notes: list[tuple[str, str]]) -> list[Token]:
    out: list[Token] = []
    atoms = vocab.atom_names()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.kind != "name":
            out.append(tok)
            continue
        name = tok.text
        nxt = tokens[i] if i < len(tokens) else None
        before_paren = nxt is not None and nxt.kind == "lp"
        col = tok.col
        if name in atoms:
            out.append(Token("atom", name, col))
            continue
        function = vocab.function(name)
        if function is not None:
            unary = function[1] == 1
            bare = unary and name in vocab.bare_functions and len(vocab.variables) == 1
            multiplies = bare and name in vocab.self_multiplying and _uses_bare(tokens, i, name, vocab)
            if before_paren and not multiplies:
                out.append(Token("func", name, col))
                continue
            if unary and nxt is not None and (nxt.kind == "num" or (nxt.kind == "name" and nxt.text in atoms)):
                # "tanh x", "log 2": the function applies to the next number or name.
                arg = Token("num" if nxt.kind == "num" else "atom", nxt.text, nxt.col)
                out.extend([Token("func", name, col), Token("lp", "(", col), arg, Token("rp", ")", nxt.col)])
                i += 1
                continue
            if bare:
                # "σ(1−σ)", "1 − tanh²": with one variable a bare function means f(x).
                var = vocab.variables[0]
                notes.append((name, f"{name}({var})"))
                out.extend([Token("func", name, col), Token("lp", "(", col), Token("atom", var, col), Token("rp", ")", col)])
                continue
            raise _syntax(
                f"'{name}' is a function: write it with parentheses, e.g. {name}(x).",
                f"「{name}」是函数，请加括号，例如 {name}(x)。",
            )
        parts = _split_name(name, atoms) if not name.startswith("_") else None
        if parts is not None and len(parts) > 1:
            notes.append((name, "·".join(parts)))
            out.extend(Token("atom", p, col) for p in parts)
            continue
        raise _unknown(name, vocab, before_paren, col)
    return out


def _uses_bare(tokens: list[Token], open_at: int, name: str, vocab: Vocabulary) -> bool:
    """Whether the group opening at `open_at` uses the function `name` bare, as a value.

    Then the answer writes σ for σ(x), and "σ(1−σ)" is the product σ(x)·(1 − σ(x)). A group
    that only applies σ (σ(σ(x)), σ(σ(x) + 1)) is an argument: a call is never a product.
    """
    canonical = vocab.function(name)
    depth = 0
    for j in range(open_at, len(tokens)):
        tok = tokens[j]
        depth += {"lp": 1, "rp": -1}.get(tok.kind, 0)
        if depth == 0:
            return False
        applied = j + 1 < len(tokens) and tokens[j + 1].kind == "lp"
        if tok.kind == "name" and not applied and vocab.function(tok.text) == canonical:
            return True
    return False


def _matching(tokens: list[Token], open_at: int) -> int:
    """Index of the parenthesis closing the one at `open_at`, or -1."""
    depth = 0
    for j in range(open_at, len(tokens)):
        depth += {"lp": 1, "rp": -1}.get(tokens[j].kind, 0)
        if depth == 0:
            return j
    return -1


def _function_powers(tokens: list[Token], vocab: Vocabulary) -> list[Token]:
    """tanh²(x) (lexed as tanh ** (2) (x)) -> (tanh(x)) ** (2); likewise σ²(x)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.kind == "name"
            and vocab.function(tok.text) is not None
            and i + 2 < len(tokens)
            and tokens[i + 1] == Token("op", "**")
        ):
            j = i + 2
            exp_end = j + 1 if tokens[j].kind == "num" else (_matching(tokens, j) + 1 if tokens[j].kind == "lp" else 0)
            if 0 < exp_end < len(tokens) and tokens[exp_end].kind == "lp":
                close = _matching(tokens, exp_end)
                if close > 0:
                    args = _function_powers(tokens[exp_end + 1 : close], vocab)
                    c = tok.col
                    out += [Token("lp", "(", c), tok, Token("lp", "(", c), *args, Token("rp", ")", c), Token("rp", ")", c)]
                    out += [Token("op", "**", c), *tokens[j:exp_end]]
                    i = close + 1
                    continue
            single = tokens[exp_end] if 0 < exp_end < len(tokens) else None
            if single is not None and single.kind in ("num", "name") and vocab.function(single.text) is None:
                # tanh² x -> (tanh(x))²
                c = tok.col
                out += [Token("lp", "(", c), tok, Token("lp", "(", c), single, Token("rp", ")", c), Token("rp", ")", c)]
                out += [Token("op", "**", c), *tokens[j:exp_end]]
                i = exp_end + 1
                continue
        out.append(tok)
        i += 1
    return out


def _operand_end(tokens: list[Token], start: int) -> int:
    """Index just past the operand starting at `start` (for √ without parentheses)."""
    if start >= len(tokens):
        col = tokens[start - 1].col
        raise _syntax(f"'√' (column {col}) needs something after it.", f"第 {col} 列的「√」后面缺少内容。")
    tok = tokens[start]
    if tok.kind == "sqrt":
        return _operand_end(tokens, start + 1)
    if tok.kind == "func":
        start += 1
        tok = tokens[start] if start < len(tokens) else Token("op", "")
    if tok.kind == "lp":
        depth = 0
        for j in range(start, len(tokens)):
            depth += {"lp": 1, "rp": -1}.get(tokens[j].kind, 0)
            if depth == 0:
                return j + 1
        raise _syntax("A parenthesis is not closed.", "括号没有闭合。")
    if tok.kind in ("num", "atom"):
        return start + 1
    raise _syntax(
        f"'√' needs a number, a name or parentheses after it (column {tok.col}).",
        f"「√」后面应是数字、名字或括号（第 {tok.col} 列）。",
    )


def _expand_sqrt(tokens: list[Token]) -> list[Token]:
    """√x -> sqrt(x), √(x+1) -> sqrt(x+1), √√x -> sqrt(sqrt(x))."""
    out = list(tokens)
    i = len(out) - 1
    while i >= 0:
        if out[i].kind == "sqrt":
            c = out[i].col
            if i + 1 < len(out) and out[i + 1].kind == "lp":
                out[i] = Token("func", "sqrt", c)
            else:
                end = _operand_end(out, i + 1)
                out[i:end] = [Token("func", "sqrt", c), Token("lp", "(", c), *out[i + 1 : end], Token("rp", ")", c)]
        i -= 1
    return out


_ENDS_OPERAND = {"num", "atom", "rp"}
_STARTS_OPERAND = {"num", "atom", "func", "lp"}


def lex(text: str, vocab: Vocabulary, cols: list[int] | None = None) -> Lexed:
    """Folded text -> placeholder source for ast.parse. Raises InvalidInput.

    `cols` gives, per character of `text`, its column in what was typed (for messages).
    """
    notes: list[tuple[str, str]] = []
    cols = cols if cols is not None else list(range(1, len(text) + 1))
    raw = _raw_tokens(text, cols)
    if not raw:
        raise invalid("invalid.empty", "Please type an answer.", "请输入答案。")
    depth = 0
    for tok in raw:
        depth += {"lp": 1, "rp": -1}.get(tok.kind, 0)
        if depth > MAX_NESTING:
            raise invalid("invalid.too-long", "Parentheses are nested too deeply.", "括号嵌套太深。")
    check_brackets(raw, cols[-1])
    tokens = _expand_sqrt(_resolve(_function_powers(raw, vocab), vocab, notes))
    check_operators(tokens)
    lexed = Lexed(source="", notes=notes)
    pieces: list[str] = []
    prev: Token | None = None
    for tok in tokens:
        if prev is not None and prev.kind in _ENDS_OPERAND and tok.kind in _STARTS_OPERAND:
            if prev.kind == "num" and tok.kind == "num":
                raise _syntax(
                    f"Two numbers in a row ('{prev.text} {tok.text}'): is an operator missing?",
                    f"两个数字连在一起（「{prev.text} {tok.text}」）：是不是少了运算符？",
                )
            pieces.append("*")
        if tok.kind == "num":
            pieces.append(f"_n{len(lexed.numbers)}")
            lexed.numbers.append(tok.text)
            if "." in tok.text or "e-" in tok.text.lower():
                lexed.decimals.append(tok.text)
        elif tok.kind == "atom":
            pieces.append(f"_a{len(lexed.atoms)}")
            lexed.atoms.append(tok.text)
        elif tok.kind == "func":
            resolved = vocab.function(tok.text)
            assert resolved is not None
            pieces.append(f"_f{len(lexed.funcs)}")
            lexed.funcs.append(resolved)
        else:
            pieces.append(tok.text)
        prev = tok
    lexed.source = " ".join(pieces)
    return lexed
