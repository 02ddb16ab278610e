"""The checking pipeline: read -> invalid? -> correct? -> authored mistakes -> generic -> wrong.

Public functions: check_answer, check_expression, interpret, is_separated. This module imports
sympy and numpy; `quizapp.checking` re-exports these names lazily.
"""

from __future__ import annotations

import logging
import operator
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from quizapp.checking import equivalence, expressions, messages, numeric
from quizapp.checking.detectors import diagnose
from quizapp.checking.display import number_text
from quizapp.checking.errors import InvalidInput
from quizapp.checking.scalars import (
    ChoiceReading,
    NumberReading,
    VectorReading,
    digits_needed,
    read_choice,
    read_number,
    read_vector,
    real_tolerance,
    within_tolerance,
)
from quizapp.checking.spec import (
    AnswerSpec,
    DomainSpec,
    FunctionDef,
    Mistake,
    Value,
    variables_and_domains,
)
from quizapp.checking.verdict import Verdict
from quizapp.i18n import Bilingual

log = logging.getLogger("quizapp.checking")
log.addHandler(logging.NullHandler())  # never print to a terminal the TUI owns

Reading = NumberReading | VectorReading | ChoiceReading | expressions.ExprReading


@dataclass(frozen=True)
class Interpretation:
    """How an input reads, for the live preview. Deliberately not a Verdict: nothing is marked.

    `valid` False means the input would be `invalid` (note and feedback say why).
    """

    valid: bool
    interpreted: str = ""
    note: str = ""
    feedback: Bilingual = field(default_factory=lambda: Bilingual("", ""))

    @property
    def is_invalid(self) -> bool:
        return not self.valid

    def to_dict(self) -> dict[str, object]:
        return asdict(self)  # the feedback as {"en": …, "zh": …}


# ---------------------------------------------------------------- reading


class ReferenceError_(ValueError):
    """The exercise's own reference or mistake text does not parse: a bug in the family."""


def _read(text: str, spec: AnswerSpec) -> Reading:
    if spec.kind == "expression":
        try:
            expressions.setup_for(spec)
        except InvalidInput as exc:
            raise ReferenceError_(f"reference {spec.reference!r} does not parse: {exc}") from None
        return expressions.read(text, spec)
    if spec.kind in ("integer", "real"):
        return read_number(text)
    if spec.kind == "vector":
        reading = read_vector(text)
        expected = len(tuple(spec.reference))  # type: ignore[arg-type]
        if len(reading.values) != expected:
            raise InvalidInput(
                "invalid.length",
                Bilingual(
                    f"The answer has {expected} components; you gave {len(reading.values)}.",
                    f"答案应有 {expected} 个分量，你给了 {len(reading.values)} 个。",
                ),
            )
        return reading
    if spec.kind == "choice":
        return read_choice(text)
    raise ValueError(f"unknown answer kind {spec.kind!r}")


def _interpreted(reading: Reading) -> str:
    splits = getattr(reading, "splits", "")
    return f"{reading.interpreted}   [{splits}]" if splits else reading.interpreted


def _safe_invalid(exc: BaseException) -> Verdict:
    if isinstance(exc, InvalidInput):
        return Verdict("invalid", note=exc.note, feedback=exc.feedback)
    if isinstance(exc, RecursionError | MemoryError | OverflowError):
        return Verdict(
            "invalid",
            note="invalid.too-big",
            feedback=Bilingual("That answer is too large to check.", "答案太大，无法判定。"),
        )
    if isinstance(exc, ReferenceError_):
        log.error("%s", exc)
        return Verdict("invalid", note="invalid.reference", feedback=messages.INTERNAL)
    log.exception("unexpected error while reading an answer")
    return Verdict("invalid", note="invalid.error", feedback=messages.INTERNAL)


# ---------------------------------------------------------------- matching


def as_int(value: object) -> int | None:
    """An exact int for int-like values (int, numpy integers, integral floats), else None."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        pass
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _vector_tolerances(spec: AnswerSpec, target: np.ndarray) -> np.ndarray:
    return np.array([real_tolerance(spec, float(t)) for t in target]) * (1 + numeric.TOLERANCE_MARGIN)


def _matches(reading: Reading, value: Value, spec: AnswerSpec) -> str:
    """The same test for the reference and for every authored mistake: "exact" (equal, or within
    the tolerance of a number), "digits" (an expression equal to the precision the spec asks
    for, but not exactly), or "" (no match)."""
    if isinstance(reading, expressions.ExprReading):
        return _expression_matches(reading, value, spec)
    if isinstance(reading, NumberReading):
        exact = as_int(value) if spec.kind == "integer" else None
        if exact is not None:
            return "exact" if reading.exact_int is not None and reading.exact_int == exact else ""
        return "exact" if within_tolerance(reading.value, float(value), spec) else ""  # type: ignore[arg-type]
    if isinstance(reading, VectorReading):
        target_v = np.asarray(value, dtype=np.float64)
        got = np.asarray(reading.values, dtype=np.float64)
        if target_v.shape != got.shape:
            return ""
        return "exact" if bool(np.all(np.abs(got - target_v) <= _vector_tolerances(spec, target_v))) else ""
    if isinstance(reading, ChoiceReading):
        return "exact" if reading.letters == frozenset(str(v).upper() for v in value) else ""  # type: ignore[union-attr]
    return ""


def _expression_matches(reading: expressions.ExprReading, value: Value, spec: AnswerSpec) -> str:
    setup = expressions.setup_for(spec)
    target_values: np.ndarray | None = setup.values
    if value == spec.reference:
        target = setup.reference
    else:
        try:
            target, target_values = expressions.mistake_expr(spec, str(value))
        except InvalidInput as exc:
            log.error("authored mistake %r does not parse: %s", value, exc)
            return ""
    if equivalence.equivalent(reading.expr, target, setup, target_values):
        return "exact"
    if spec.digits is not None and target_values is not None and setup.conclusive:
        got = expressions.values_of(reading.expr, setup)
        if equivalence.within_digits(got, target_values, setup.generic, spec.digits):
            return "digits"
    return ""


# ---------------------------------------------------------------- generic detectors


def _generic(reading: Reading, spec: AnswerSpec) -> tuple[str, Bilingual]:
    found: tuple[str, str] | None = None
    if isinstance(reading, expressions.ExprReading):
        return _generic_expression(reading, spec)
    if isinstance(reading, NumberReading):
        return _generic_number(reading, spec)
    if isinstance(reading, VectorReading):
        ref_v = np.asarray(spec.reference, dtype=np.float64)
        got = np.asarray(reading.values, dtype=np.float64)
        found = diagnose(
            got,
            ref_v,
            lambda a, b: np.abs(a - b) <= _vector_tolerances(spec, b),
            pattern=len(ref_v) > 1,
            offsets=len(ref_v) > 1,
            rounding_band=max(10 * spec.rtol, 1e-2),
        )
        if found is None:
            off = np.abs(got - ref_v) > _vector_tolerances(spec, ref_v)
            names = [spec.labels[i] if i < len(spec.labels) else str(i + 1) for i in np.flatnonzero(off)]
            return "generic.wrong", messages.wrong_components(names)
    elif isinstance(reading, ChoiceReading):
        ref_c = frozenset(str(v).upper() for v in spec.reference)  # type: ignore[union-attr]
        return "generic.wrong", messages.wrong_choice(len(ref_c - reading.letters), len(reading.letters - ref_c))
    return _found(found)


def _found(found: tuple[str, str] | None) -> tuple[str, Bilingual]:
    if found is None:
        return "generic.wrong", messages.WRONG
    note, detail = found
    return note, messages.generic(note, detail)


def _generic_expression(reading: expressions.ExprReading, spec: AnswerSpec) -> tuple[str, Bilingual]:
    setup = expressions.setup_for(spec)
    got = expressions.values_of(reading.expr, setup) if setup.conclusive else None
    if got is None:
        return _found(None)
    if equivalence.nearly(got, setup):
        # Equal to float precision, not exactly: a rounded decimal, 0.99999999 for 1.
        if spec.digits is not None:
            return "generic.rounding", messages.rounding(spec.digits, None)
        return "generic.inexact", messages.inexact(reading.decimals)
    coarse = max(1, (spec.digits or 0) - 2)
    if spec.digits is not None and reading.decimals and equivalence.within_digits(got, setup.values, setup.generic, coarse):
        return "generic.rounding", messages.rounding(spec.digits, None)
    values, ref = got[setup.defined], setup.values[setup.defined]
    # A ratio or offset is only telling when the reference varies across the points.
    spread = float(np.ptp(ref)) if ref.size else 0.0
    varying = spread > 1e-9 * max(1.0, float(np.max(np.abs(ref)))) if ref.size else False
    return _found(diagnose(values, ref, lambda a, b: numeric.close(a, b), pattern=varying, offsets=varying))


def _generic_number(reading: NumberReading, spec: AnswerSpec) -> tuple[str, Bilingual]:
    ref = float(spec.reference)  # type: ignore[arg-type]
    if spec.kind == "integer":
        ref_int = as_int(spec.reference)
        ref = float(ref_int) if ref_int is not None else ref
        if reading.exact_int is None:
            return "generic.not-integer", messages.generic("generic.not-integer", number_text(reading.value))
        found = diagnose(
            np.array([float(reading.exact_int)]), np.array([ref]), lambda a, b: a == b, pattern=False, offsets=True
        )
        return _found(found)
    if reading.unit is not None and numeric.within(abs(reading.value - ref), 0.5 * reading.unit):
        # The reference rounded at the last digit typed: right, but not precise enough.
        return "generic.rounding", messages.rounding(digits_needed(spec), reading.significant or None)
    found = diagnose(
        np.array([reading.value]),
        np.array([ref]),
        lambda a, b: np.array([within_tolerance(float(a[0]), float(b[0]), spec)]),
        pattern=False,
        offsets=False,
        rounding_band=max(10 * spec.rtol, 1e-2),
    )
    return _found(found)


# ---------------------------------------------------------------- public API


def check_answer(text: str, spec: AnswerSpec, mistakes: Sequence[Mistake] = ()) -> Verdict:
    """Mark one typed answer. Never raises for any input text."""
    if not isinstance(text, str):
        return Verdict("invalid", note="invalid.syntax", feedback=Bilingual("Please type an answer.", "请输入答案。"))
    try:
        reading = _read(text, spec)
    except Exception as exc:  # noqa: BLE001 - any failure to read is an invalid answer
        return _safe_invalid(exc)
    try:
        return _mark(reading, spec, mistakes)
    finally:
        if isinstance(reading, expressions.ExprReading):
            expressions.setup_for(spec).forget(reading.expr)


def _mark(reading: Reading, spec: AnswerSpec, mistakes: Sequence[Mistake]) -> Verdict:
    shown = _interpreted(reading)
    splits = getattr(reading, "splits", "")
    try:
        match = _matches(reading, spec.reference, spec)
        if match:
            praise = messages.CORRECT if match == "exact" else messages.to_digits(spec.digits or 0)
            return Verdict("correct", shown, "", messages.with_reading(praise, splits), 1.0)
        for mistake in mistakes:
            if _matches(reading, mistake.value, spec):
                return Verdict("wrong", shown, mistake.note, mistake.feedback, mistake.score)
        note, feedback = _generic(reading, spec)
    except (RecursionError, MemoryError, OverflowError) as exc:
        return _safe_invalid(exc)
    return Verdict("wrong", shown, note, messages.with_reading(feedback, splits), 0.0)


def check_expression(
    text: str,
    reference: str,
    variables: Sequence[str] | Mapping[str, DomainSpec],
    functions: Sequence[FunctionDef] | None = None,
    digits: int | None = None,
) -> Verdict:
    """Compare a typed expression with a reference expression string (trusted text).

    `variables` is a list of names (all real) or a mapping name -> domain, e.g. {"k": "positive"}.
    """
    names, domains = variables_and_domains(variables if isinstance(variables, Mapping) else list(variables))
    spec = AnswerSpec(
        kind="expression", reference=reference, variables=names, functions=tuple(functions or ()),
        domain=domains, digits=digits,
    )
    return check_answer(text, spec)


def interpret(text: str, spec: AnswerSpec) -> Interpretation:
    """Parse and validate only (no equivalence work), for the live "interpreted as" preview."""
    try:
        reading = _read(text, spec)
    except Exception as exc:  # noqa: BLE001
        bad = _safe_invalid(exc)
        return Interpretation(False, "", bad.note, bad.feedback)
    return Interpretation(True, _interpreted(reading))


def is_separated(spec: AnswerSpec, mistake: Mistake) -> bool:
    """Whether an authored mistake lies clearly outside the tolerance of the reference.

    numbers: distance ≥ 10× the tolerance; integers: different; vectors: some component that
    far; expressions: values apart (beyond float noise) at some sample point, or defined where
    the reference is not; choices: different sets.
    """
    ref, value = spec.reference, mistake.value
    if spec.kind == "integer":
        exact, ref_int = as_int(value), as_int(ref)
        if exact is not None and ref_int is not None:
            return exact != ref_int
        return abs(float(value) - float(ref)) > 1e-9 * max(1.0, abs(float(ref)))  # type: ignore[arg-type]
    if spec.kind == "real":
        return abs(float(value) - float(ref)) >= 10 * real_tolerance(spec, float(ref))  # type: ignore[arg-type]
    if spec.kind == "vector":
        r = np.asarray(ref, dtype=np.float64)
        m = np.asarray(value, dtype=np.float64)
        if r.shape != m.shape:
            return True
        return bool(np.any(np.abs(m - r) >= 10 * _vector_tolerances(spec, r)))
    if spec.kind == "choice":
        return frozenset(str(v).upper() for v in value) != frozenset(str(v).upper() for v in ref)  # type: ignore[union-attr]
    setup = expressions.setup_for(spec)
    target, target_values = expressions.mistake_expr(spec, str(value))
    if not setup.conclusive or target_values is None:
        return not equivalence.equivalent(target, setup.reference, setup, None)
    return len(equivalence.suspects(target_values, setup.values, setup.generic)) > 0
