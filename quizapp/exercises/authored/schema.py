"""YAML exercises: the item fields read into an ExerciseDef, with every problem reported against
its field (the deck loader turns the paths into FILE:LINE:COL). No sympy or numpy: this runs when
the library loads. Every expression is read by the checker's whitelisted lexer here (unknown
names, a part that names a later part, syntax), evaluated later by exercises.mathexpr.

    - id: lin-params
      kind: exercise
      vars:                                   # drawn per instance from the seed
        n: {int: [2, 9]}                      # inclusive
        d: {choice: [64, 128, 256]}
        p: {real: [0.1, 0.9], digits: 2}      # digits: decimal places of the drawn value
      where: "n < d"                          # optional; redrawn until true
      prompt: {en: "A linear layer maps {n} inputs to {d} outputs. Parameters?", zh: "…"}
      answer: "n*d + d"
      form: integer
      mistakes:
        - {answer: "n*d", note: {en: "Forgot the bias.", zh: "忘了偏置。"}}
      solution: {en: "Weights {n*d}, biases {d}: {answer}.", zh: "…"}
      parts:                                  # instead of answer/form/mistakes
        - {id: out, prompt: {…}, answer: "…", form: real}
        - {id: delta, prompt: {…}, answer: "(out - t)*out*(1 - out)", form: real}
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizapp.exercises.forms import NAME_RE, AnswerForm, parse_form
from quizapp.exercises.mathexpr import EXTRA_FUNCTIONS, ExprError, compile_expr
from quizapp.i18n import LANGS, Bilingual

PathT = tuple[str | int, ...]
Report = Callable[[PathT, str], None]

YAML_FIELDS = ("vars", "where", "prompt", "answer", "form", "mistakes", "solution", "parts", "hint")
PART_FIELDS = ("id", "prompt", "answer", "form", "mistakes", "label", "hint")
MISTAKE_FIELDS = ("answer", "note", "id")
MAX_VARS = 20
MAX_PARTS = 12
RESERVED = frozenset({"e", "pi", "answer", "exp", "log", "ln", "sqrt", "abs", "tanh", "sinh", "cosh",
                      "sech", "sin", "cos", "min", "max"} | {name for name, _, _ in EXTRA_FUNCTIONS})
COMPARISON = re.compile(r"(<=|>=|==|!=|<|>|≤|≥|≠)")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
DIGITS_SUFFIX = re.compile(r"^(.*?):\s*(\d{1,2})$", re.DOTALL)


@dataclass(frozen=True)
class VarDef:
    name: str
    kind: str  # int | choice | real
    low: float = 0
    high: float = 0
    choices: tuple[int | float, ...] = ()
    digits: int | None = None  # decimal places of a drawn real


@dataclass(frozen=True)
class MistakeDef:
    id: str
    answer: str
    note: Bilingual


@dataclass(frozen=True)
class AnswerDef:
    """The answer of a one-answer exercise (id "answer"), or one part."""

    id: str
    answer: str
    form: AnswerForm
    mistakes: tuple[MistakeDef, ...] = ()
    prompt: Bilingual | None = None  # parts only
    label: str = ""  # how feedback names the quantity ("o₁"); the id by default
    hint: Bilingual | None = None


@dataclass(frozen=True)
class ExerciseDef:
    vars: tuple[VarDef, ...]
    prompt: Bilingual
    answers: tuple[AnswerDef, ...]
    where: tuple[str, ...] = ()  # comparisons, all of which must hold
    solution: Bilingual | None = None
    multipart: bool = False

    @property
    def var_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.vars)


def split_where(text: str) -> list[tuple[str, str, str]]:
    """'0 < n < d and d != 64' -> [('0', '<', 'n'), ('n', '<', 'd'), ('d', '!=', '64')]."""
    out: list[tuple[str, str, str]] = []
    for clause in re.split(r"\band\b|&&", text):
        pieces = COMPARISON.split(clause)
        if len(pieces) < 3:
            raise ExprError(f"'{clause.strip()}' is not a comparison (use <, <=, >, >=, ==, !=)")
        for i in range(0, len(pieces) - 2, 2):
            out.append((pieces[i].strip(), pieces[i + 1], pieces[i + 2].strip()))
    return out


def split_vector(text: str) -> list[str] | None:
    """'[a + b, min(a, b)]' -> ['a + b', 'min(a, b)'] (commas inside brackets stay), else None."""
    plain = text.strip()
    if len(plain) < 2 or plain[0] != "[" or plain[-1] != "]":
        return None
    parts, depth, current = [], 0, ""
    for ch in plain[1:-1]:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts if all(parts) else None


def placeholders(text: str) -> list[tuple[str, int | None]]:
    """The {expr} and {expr:N} fields of a text ({{ and }} are literal braces)."""
    found: list[tuple[str, int | None]] = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(1) is None:
            continue
        body, digits = m.group(1), None
        suffix = DIGITS_SUFFIX.match(body)
        if suffix is not None:
            body, digits = suffix.group(1), int(suffix.group(2))
        found.append((body.strip(), digits))
    return found


class _Reader:
    def __init__(self, raw: dict[str, Any], path: PathT, report: Report, bilingual: Callable[[Any, PathT], Bilingual | None]) -> None:
        self.raw = raw
        self.path = path
        self.report = report
        self.bilingual = bilingual
        self.ok = True

    def add(self, sub: PathT, message: str) -> None:
        self.ok = False
        self.report(self.path + sub, message)

    def expression(self, text: Any, sub: PathT, names: tuple[str, ...], later: tuple[str, ...] = (), vector: bool = False) -> None:
        if not isinstance(text, str) or not text.strip():
            self.add(sub, "must be a math expression in quotes, like \"n*d + d\"")
            return
        if vector:
            components = split_vector(text)
            if components is None:
                self.add(sub, "a vector answer is written in brackets, like \"[a + b, a - b]\"")
                return
            for component in components:
                self.expression(component, sub, names, later)
            return
        try:
            compile_expr(text, names + later)
        except ExprError as exc:
            self.add(sub, str(exc))
            return
        named = sorted(compile_expr(text, names + later).names & set(later))
        if named:
            self.add(sub, f"names the later part '{named[0]}': a part may use only the parts before it")

    def text(self, sub: PathT, names: tuple[str, ...]) -> Bilingual | None:
        """A bilingual text whose {expr} fields must read over `names`."""
        value = self.bilingual(self.raw_at(sub), self.path + sub)
        if value is None:
            self.ok = False
            return None
        for lang in LANGS:
            for body, _ in placeholders(value.get(lang)):
                try:
                    compile_expr(body, names)
                except ExprError as exc:
                    self.add(sub + (lang,), f"{{{body}}}: {exc} (write {{{{ and }}}} for literal braces)")
        return value

    def raw_at(self, sub: PathT) -> Any:
        node: Any = self.raw
        for key in sub:
            node = node[key]
        return node


def read_exercise(raw: dict[str, Any], path: PathT, report: Report,
                  bilingual: Callable[[Any, PathT], Bilingual | None]) -> ExerciseDef | None:
    """An ExerciseDef from a YAML exercise item, or None after reporting its problems."""
    r = _Reader(raw, path, report, bilingual)
    if "prompt" not in raw:
        r.add((), "a YAML exercise needs a prompt (or give `family` for a built-in one)")
    has_parts, has_answer = "parts" in raw, "answer" in raw
    if has_parts == has_answer:
        r.add((), "give either `answer` (with `form`) or `parts`" if has_parts else "missing required field 'answer' (or 'parts')")
    if has_parts:
        for name in ("form", "mistakes", "hint"):
            if name in raw:
                r.add((name,), f"with parts, each part has its own `{name}`")
    variables = _vars(r, raw.get("vars", {}))
    names = tuple(v.name for v in variables) + _misdrawn_names(raw.get("vars"), variables)
    where = _where(r, raw.get("where"), names)
    answers = _parts(r, raw["parts"], names) if has_parts else _single(r, names)
    part_ids = tuple(a.id for a in answers if a.id != "answer")
    prompt = r.text(("prompt",), names) if "prompt" in raw else None
    solution = r.text(("solution",), names + part_ids + ("answer",)) if "solution" in raw else None
    if not r.ok or prompt is None or not answers:
        return None
    return ExerciseDef(variables, prompt, answers, where, solution, has_parts)


def _vars(r: _Reader, raw: Any) -> tuple[VarDef, ...]:
    if not isinstance(raw, dict):
        r.add(("vars",), "must map names to draws, like {n: {int: [2, 9]}}")
        return ()
    if len(raw) > MAX_VARS:
        r.add(("vars",), f"at most {MAX_VARS} variables")
    out: list[VarDef] = []
    for name, spec in raw.items():
        sub: PathT = ("vars", str(name))
        if not (isinstance(name, str) and NAME_RE.match(name)) or name in RESERVED:
            r.add(sub, f"'{name}' cannot be a variable name (letters, digits and _, starting with a letter; not a function or e, pi, answer)")
            continue
        var = _var(r, str(name), spec, sub)
        if var is not None:
            out.append(var)
    return tuple(out)


def _misdrawn_names(raw: Any, good: tuple[VarDef, ...]) -> tuple[str, ...]:
    """Well-named variables whose draw is malformed: reported once, not again at every use."""
    if not isinstance(raw, dict):
        return ()
    done = {v.name for v in good}
    return tuple(n for n in raw if isinstance(n, str) and NAME_RE.match(n) and n not in RESERVED and n not in done)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _var(r: _Reader, name: str, spec: Any, sub: PathT) -> VarDef | None:
    kinds = [k for k in ("int", "choice", "real") if isinstance(spec, dict) and k in spec]
    if not isinstance(spec, dict) or len(kinds) != 1:
        r.add(sub, "must be one of {int: [low, high]}, {choice: [a, b, …]}, {real: [low, high], digits: 2}")
        return None
    kind = kinds[0]
    extra = set(spec) - {kind, "digits"}
    if extra or ("digits" in spec and kind != "real"):
        r.add(sub, f"unknown field '{sorted(extra)[0] if extra else 'digits'}' for a {kind} variable")
        return None
    value = spec[kind]
    if kind == "choice":
        if not (isinstance(value, list) and value and all(_number(v) for v in value)):
            r.add(sub + (kind,), "must be a non-empty list of numbers")
            return None
        return VarDef(name, kind, choices=tuple(value))
    if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value) and value[0] <= value[1]):
        r.add(sub + (kind,), "must be [low, high] with low ≤ high")
        return None
    if kind == "int" and not all(isinstance(v, int) for v in value):
        r.add(sub + (kind,), "an int variable needs whole-number bounds")
        return None
    digits = spec.get("digits")
    if digits is not None and (not isinstance(digits, int) or isinstance(digits, bool) or not 0 <= digits <= 6):
        r.add(sub + ("digits",), "must be the number of decimal places, 0 to 6")
        return None
    return VarDef(name, kind, float(value[0]), float(value[1]), digits=digits)


def _where(r: _Reader, raw: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return ()
    clauses = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for clause in clauses:
        if not isinstance(clause, str):
            r.add(("where",), "must be a condition in quotes, like \"n < d\"")
            continue
        try:
            for left, _, right in split_where(clause):
                compile_expr(left, names)
                compile_expr(right, names)
        except ExprError as exc:
            r.add(("where",), str(exc))
            continue
        out.append(clause)
    return tuple(out)


def _single(r: _Reader, names: tuple[str, ...]) -> tuple[AnswerDef, ...]:
    raw = r.raw
    form = _form(r, raw.get("form", "real"), ("form",), names)
    if form is None:
        return ()
    scope = names + form.names
    r.expression(raw["answer"], ("answer",), scope, vector=form.kind == "vector")
    mistakes = _mistakes(r, raw.get("mistakes", []), ("mistakes",), scope, vector=form.kind == "vector")
    hint = r.bilingual(raw["hint"], r.path + ("hint",)) if "hint" in raw else None
    return (AnswerDef("answer", str(raw["answer"]), form, mistakes, hint=hint),)


def _form(r: _Reader, raw: Any, sub: PathT, names: tuple[str, ...]) -> AnswerForm | None:
    form, problems = parse_form(raw)
    for inner, message in problems:
        r.add(sub + inner, message)
    if form is not None:
        clash = sorted(set(form.names) & set(names))
        if clash:
            r.add(sub + ("in",), f"'{clash[0]}' is already a variable drawn in vars")
            return None
    return form


def _mistakes(r: _Reader, raw: Any, sub: PathT, names: tuple[str, ...], later: tuple[str, ...] = (),
              vector: bool = False) -> tuple[MistakeDef, ...]:
    if not isinstance(raw, list):
        r.add(sub, "must be a list of {answer: \"…\", note: {en: …, zh: …}}")
        return ()
    out: list[MistakeDef] = []
    for i, m in enumerate(raw):
        msub = sub + (i,)
        if not isinstance(m, dict) or "answer" not in m or "note" not in m:
            r.add(msub, "a mistake is {answer: \"…\", note: {en: …, zh: …}} (optionally id: a-name)")
            continue
        for key in m:
            if key not in MISTAKE_FIELDS:
                r.add(msub + (str(key),), f"unknown field '{key}' (allowed: {', '.join(MISTAKE_FIELDS)})")
        mid = m.get("id", f"m{i + 1}")
        if not (isinstance(mid, str) and re.match(r"^[a-z0-9][a-z0-9-]*$", mid)):
            r.add(msub + ("id",), "must be lowercase letters, digits and '-', like no-bias")
        r.expression(m["answer"], msub + ("answer",), names, later, vector)
        note = r.text(msub + ("note",), tuple(n for n in names if n not in later))
        if note is not None:
            out.append(MistakeDef(str(mid), str(m["answer"]), note))
    return tuple(out)


def _parts(r: _Reader, raw: Any, names: tuple[str, ...]) -> tuple[AnswerDef, ...]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PARTS:
        r.add(("parts",), f"must be a list of 1 to {MAX_PARTS} parts")
        return ()
    ids = [p.get("id") if isinstance(p, dict) else None for p in raw]
    out: list[AnswerDef] = []
    for i, part in enumerate(raw):
        sub: PathT = ("parts", i)
        if not isinstance(part, dict):
            r.add(sub, "a part is a mapping with id, prompt, answer and form")
            continue
        for key in part:
            if key not in PART_FIELDS:
                r.add(sub + (str(key),), f"unknown field '{key}' (allowed: {', '.join(PART_FIELDS)})")
        pid = part.get("id")
        if not (isinstance(pid, str) and NAME_RE.match(pid)) or pid in RESERVED or pid in names or pid in ids[:i]:
            r.add(sub + ("id",), "needs an id: a new name (letters, digits, _) that later parts can use")
            continue
        missing = [k for k in ("prompt", "answer") if k not in part]
        if missing:
            r.add(sub, f"missing required field '{missing[0]}'")
            continue
        earlier = tuple(a.id for a in out if a.form.kind in ("integer", "real"))
        later = tuple(str(x) for x in ids[i:] if isinstance(x, str))
        defn = _part(r, part, sub, names + earlier, later)
        if defn is not None:
            out.append(defn)
    return tuple(out)


def _part(r: _Reader, part: dict[str, Any], sub: PathT, scope: tuple[str, ...], later: tuple[str, ...]) -> AnswerDef | None:
    form = _form(r, part.get("form", "real"), sub + ("form",), scope)
    if form is None:
        return None
    vector = form.kind == "vector"
    r.expression(part["answer"], sub + ("answer",), scope + form.names, later, vector)
    mistakes = _mistakes(r, part.get("mistakes", []), sub + ("mistakes",), scope + form.names, later, vector)
    prompt = r.text(sub + ("prompt",), scope)
    label = part.get("label", part["id"])
    hint = r.bilingual(part["hint"], r.path + sub + ("hint",)) if "hint" in part else None
    if not isinstance(label, str):
        r.add(sub + ("label",), "must be text, like o₁")
        return None
    return AnswerDef(str(part["id"]), str(part["answer"]), form, mistakes, prompt, label, hint)
