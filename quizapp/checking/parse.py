"""Safe parsing of typed math into sympy: fold -> lex -> whitelisted AST -> sympy objects."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from quizapp.checking import exact
from quizapp.checking.build import BUILTIN_BUILDERS, Builder
from quizapp.checking.domains import DomainSpec, assumptions
from quizapp.checking.errors import invalid
from quizapp.checking.normalize import MAX_RAW_CHARS, fold_with_columns
from quizapp.checking.spec import FunctionDef
from quizapp.checking.syntax import find_code_word
from quizapp.checking.tokens import BUILTIN_FUNCTIONS, Vocabulary, lex

_LAMBDA_WORD = re.compile(r"\blambda\b")


@dataclass(frozen=True)
class Parsed:
    expr: sp.Expr  # as typed, with per-exercise functions kept (sigma shows as σ)
    notes: tuple[tuple[str, str], ...]  # implicit name splits, e.g. ("MK", "M·K")
    decimals: tuple[str, ...] = ()  # decimal literals as typed ("0.333"): exact, but maybe rounded


class ExpressionContext:
    """Everything needed to read expressions of one exercise: names, domains, functions, aliases."""

    def __init__(
        self,
        variables: Sequence[str],
        functions: Sequence[FunctionDef] = (),
        aliases: Sequence[tuple[str, str]] = (),
        domains: Sequence[tuple[str, DomainSpec]] = (),
    ) -> None:
        declared = dict(domains)
        self.symbols = {name: sp.Symbol(name, **assumptions(declared.get(name, "real"))) for name in variables}
        self.fold_extra = {a: f.name for f in functions for a in f.aliases if not a.isascii()}
        spellings = [(f.name, f.name, f.arity) for f in functions]
        spellings += [(a, f.name, f.arity) for f in functions for a in f.aliases if a.isascii()]
        self.display_functions: dict[str, Callable[..., sp.Expr]] = dict(BUILTIN_BUILDERS)
        self.definitions: dict[str, sp.Lambda] = {}
        for f in functions:
            # real and finite: without them sympy's assumption queries on e.g.
            # log(sech(sigma(500)^64)) take seconds; checking uses the definition anyway.
            self.display_functions[f.name] = sp.Function(f.name, real=True, finite=True)
            self.definitions[f.name] = _definition(f)
        self.known = {*variables, *(name for name, _ in aliases), *(s for s, _, _ in spellings)}
        base_vocab = Vocabulary(tuple(variables), tuple(spellings), ())
        self.atoms: dict[str, sp.Expr] = {"e": sp.E, "pi": sp.pi, **self.symbols}
        for name, text in aliases:
            # Alias targets are trusted text in the same vocabulary, e.g. ("s", "sigma(x)").
            self.atoms[name] = self._parse_with(text, base_vocab).expr
        # Unary functions that may be typed bare when there is one variable (σ(1−σ), 1 − tanh²).
        own = tuple(s for s, _, arity in spellings if arity == 1)
        bare = own + tuple(name for name, arity in BUILTIN_FUNCTIONS.items() if arity == 1)
        self.vocab = Vocabulary(
            tuple(variables), tuple(spellings), tuple(name for name, _ in aliases), bare, own
        )

    def parse(self, text: str) -> Parsed:
        """Learner text -> Parsed. Raises InvalidInput with a stable note and bilingual message."""
        return self._parse_with(text, self.vocab)

    def _parse_with(self, text: str, vocab: Vocabulary) -> Parsed:
        if "lam" in self.known:  # λ's spelled-out name is Python's keyword: read it as λ (same columns)
            text = _LAMBDA_WORD.sub("λ     ", text)
        find_code_word(text[:MAX_RAW_CHARS], self.known)
        folded, cols = fold_with_columns(text, self.fold_extra)
        lexed = lex(folded, vocab, cols)
        try:
            expr = Builder(lexed, self.atoms, self.display_functions).build()
        except (RecursionError, MemoryError, OverflowError):
            raise invalid("invalid.too-big", "That expression is too large to check.", "表达式太大，无法判定。") from None
        problem = _constant_call_problem(expr) or _undefined_constant(expr, self.definitions)
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or problem == "undefined":
            raise invalid(
                "invalid.undefined",
                "That expression is undefined (division by zero?).",
                "该表达式无定义（是否除以了零？）。",
            )
        if expr.has(sp.I) or problem == "not-real":
            raise invalid("invalid.not-real", "That value is not a real number.", "该值不是实数。")
        return Parsed(expr, tuple(lexed.notes), tuple(lexed.decimals))

    def expand_functions(self, expr: sp.Expr) -> sp.Expr:
        """Replace per-exercise functions (sigma) by their definitions, for checking only."""
        for name, lam in self.definitions.items():
            expr = expr.replace(self.display_functions[name], lam)
        return expr


def _constant_call_problem(expr: sp.Expr) -> str:
    """"undefined" for log(0), "not-real" for log(-1), else "". Calls are built unevaluated, so
    sympy has not turned them into zoo or iπ for us; sizes are bounded by the builder."""
    for power in expr.atoms(sp.Pow):
        base, exponent = power.args
        if base.is_number and base.is_negative and exponent.is_number and exponent.is_integer is False:
            return "not-real"  # (−8)^(1/3) = 2·(−1)^(1/3): the principal branch is not real
    for call in expr.atoms(sp.Function):
        if isinstance(call, sp.core.function.AppliedUndef) or not call.is_number:
            continue
        try:
            value = complex(call.evalf(15))
        except (TypeError, ValueError, OverflowError):
            return "undefined"
        if value != value or abs(value) == float("inf"):
            return "undefined"
        if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
            return "not-real"
    return ""


def _undefined_constant(expr: sp.Expr, definitions: dict[str, sp.Lambda]) -> str:
    """"undefined" when a constant part has no value, as 1/sin(π) (sin π is exactly 0, though
    its float is 1.2·10⁻¹⁶): each largest constant subexpression is evaluated exactly."""
    pending = [expr]
    while pending:
        node = pending.pop()
        if node.is_Atom:
            continue
        if not node.free_symbols:
            # Only a power (1/x, √x) or a logarithm can be undefined at a constant argument.
            if node.has(sp.Pow, sp.log) and exact.undefined_constant(node, definitions):
                return "undefined"
            continue
        pending.extend(node.args)
    return ""


def _definition(f: FunctionDef) -> sp.Lambda:
    dummies = [f"a{i}" for i in range(f.arity)]
    ctx = ExpressionContext(dummies)
    body = ctx.parse(f.definition).expr
    return sp.Lambda(tuple(ctx.symbols[d] for d in dummies), body)


@lru_cache(maxsize=128)
def context_for(
    variables: tuple[str, ...],
    functions: tuple[FunctionDef, ...] = (),
    aliases: tuple[tuple[str, str], ...] = (),
    domains: tuple[tuple[str, DomainSpec], ...] = (),
) -> ExpressionContext:
    return ExpressionContext(variables, functions, aliases, domains)


NUMBERS_ONLY: Callable[[], ExpressionContext] = lambda: context_for(())  # noqa: E731
