"""User settings, saved as JSON in the user config directory.

Reading is bounded: a regular file of at most MAX_CONFIG_BYTES (a FIFO or /dev/zero is refused
before anything blocks or fills memory), JSON nested at most as deep as Python's parser allows
and numbers of at most MAX_NUMBER_DIGITS digits; every failure is a ConfigError naming the file.
Saving goes through quizapp.safeio: a full disk leaves the old file as it was.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path

from quizapp.i18n import default_lang
from quizapp.safeio import UnsafeFile, atomic_write_text, read_bounded
from quizapp.textsafe import shorten


class ConfigError(ValueError):
    """The config file exists but cannot be used; the message names the file and the problem."""


MAX_INTERVAL_DAYS = 36500  # fsrs's own default; far larger ones overflow dates
MAX_STEP_MINUTES = 525_600  # a (re)learning step of at most a year
MAX_CONFIG_BYTES = 64 * 1024  # the settings take ~400 bytes
MAX_NUMBER_DIGITS = 30
KEYS_RE = re.compile(r"[a-z0-9_+]+(,[a-z0-9_+]+)*")  # Textual key names, comma-separated


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)  # type: ignore[arg-type]


# The one preset today: every deck schedules with it. Per-deck parameters later add presets under
# other names and a mapping from deck to preset name (README: "Your own parameters").
DEFAULT_PRESET = "default"
FSRS_WEIGHTS = 21  # FSRS-6


@dataclass
class Evaluation:
    """How one set of parameters predicted the held-out (later) reviews of a fit."""

    log_loss: float
    rmse: float  # over bins of predicted recall, as the stats screen's calibration
    bins: list[list[float]] = field(default_factory=list)  # [mean predicted, observed, reviews]

    @classmethod
    def from_dict(cls, data: object, where: str) -> Evaluation:
        if not isinstance(data, dict) or set(data) - {"log_loss", "rmse", "bins"}:
            raise ConfigError(f"{where} must be {{log_loss, rmse, bins}}")
        loss, rmse, bins = data.get("log_loss"), data.get("rmse"), data.get("bins", [])
        if not (_is_number(loss) and _is_number(rmse)):
            raise ConfigError(f"{where}: log_loss and rmse must be numbers")
        if not isinstance(bins, list) or not all(
            isinstance(b, list) and len(b) == 3 and all(_is_number(v) for v in b) for b in bins
        ):
            raise ConfigError(f"{where}.bins must be [mean predicted, observed, reviews] triples")
        return cls(float(loss), float(rmse), [[float(v) for v in b] for b in bins])  # type: ignore[arg-type]


@dataclass
class FittedParameters:
    """FSRS parameters fitted on the learner's own log (`quizapp optimize`), with the evidence
    they were adopted on: when, on how many reviews, and how the defaults and they predicted the
    later reviews held out of the fit."""

    weights: list[float]
    fitted_at: str  # ISO 8601, UTC
    reviews: int  # answers the fit learned from
    held_out: int  # later reviews the two sets of parameters were compared on
    defaults: Evaluation
    fitted: Evaluation

    @classmethod
    def from_dict(cls, data: object, where: str) -> FittedParameters:
        names = {"weights", "fitted_at", "reviews", "held_out", "defaults", "fitted"}
        if not isinstance(data, dict) or set(data) != names:
            raise ConfigError(f"{where} must have exactly: {', '.join(sorted(names))}")
        problem = weights_problem(data["weights"])
        if problem:
            raise ConfigError(f"{where}.weights {problem}")
        if not isinstance(data["fitted_at"], str):
            raise ConfigError(f"{where}.fitted_at must be a date and time (text)")
        if not (_is_int(data["reviews"]) and _is_int(data["held_out"])):
            raise ConfigError(f"{where}: reviews and held_out must be whole numbers")
        return cls(
            [float(w) for w in data["weights"]], data["fitted_at"], data["reviews"], data["held_out"],
            Evaluation.from_dict(data["defaults"], f"{where}.defaults"),
            Evaluation.from_dict(data["fitted"], f"{where}.fitted"),
        )


def weights_problem(weights: object) -> str | None:
    """Why `weights` cannot schedule (None: they can): 21 numbers within FSRS-6's bounds."""
    if not isinstance(weights, list) or len(weights) != FSRS_WEIGHTS or not all(map(_is_number, weights)):
        return f"must be a list of {FSRS_WEIGHTS} numbers"
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    for index, (w, lo, hi) in enumerate(zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)):
        if not lo <= w <= hi:
            return f"[{index}] = {w} is outside FSRS-6's range {lo}–{hi}"
    return None


@dataclass
class Settings:
    language: str = field(default_factory=default_lang)
    desired_retention: float = 0.90
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps_minutes: list[float] = field(default_factory=lambda: [1.0, 10.0])
    relearning_steps_minutes: list[float] = field(default_factory=lambda: [10.0])
    maximum_interval_days: int = 36500
    enable_fuzzing: bool = True
    leech_threshold: int = 8
    leech_action: str = "suspend"  # "suspend" or "tag"
    theme: str = "textual-dark"
    # Remapped keys, Textual's keymap: binding id -> keys, e.g. {"undo": "z", "end": "x,escape"}.
    keymap: dict[str, str] = field(default_factory=dict)
    # FSRS parameters fitted on this learner's log, by preset (today only DEFAULT_PRESET);
    # none: FSRS-6's defaults. Written by `quizapp optimize`; `--reset` removes them.
    fsrs_presets: dict[str, FittedParameters] = field(default_factory=dict)

    def fsrs_weights(self) -> list[float] | None:
        """The parameters every deck schedules with (None: FSRS-6's defaults)."""
        preset = self.fsrs_presets.get(DEFAULT_PRESET)
        return None if preset is None else list(preset.weights)

    def validate(self) -> list[str]:
        problems = self._type_problems()
        if problems:  # the range checks below assume the types are right
            return problems
        if self.language not in ("en", "zh"):
            problems.append(f"language must be 'en' or 'zh', not {self.language!r}")
        if not 0.70 <= self.desired_retention <= 0.99:
            problems.append("desired_retention must be between 0.70 and 0.99")
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            problems.append("daily limits must not be negative")
        if self.leech_threshold < 1:
            problems.append("leech_threshold must be at least 1")
        if self.leech_action not in ("suspend", "tag"):
            problems.append("leech_action must be 'suspend' or 'tag'")
        if not 1 <= self.maximum_interval_days <= MAX_INTERVAL_DAYS:
            problems.append(f"maximum_interval_days must be between 1 and {MAX_INTERVAL_DAYS}")
        for name in ("learning_steps_minutes", "relearning_steps_minutes"):
            if not all(0 < minutes <= MAX_STEP_MINUTES for minutes in getattr(self, name)):
                problems.append(f"{name} must be minutes above 0 and at most {MAX_STEP_MINUTES} (a year)")
        return problems

    def _type_problems(self) -> list[str]:
        """Each value must have its default's type (a hand-edited file may say "20" or true)."""
        problems: list[str] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "fsrs_presets":
                problems.extend(_preset_problems(value))
                continue
            default = f.default_factory() if f.default is MISSING else f.default  # type: ignore[operator]
            if isinstance(default, bool):
                ok, wanted = isinstance(value, bool), "true or false"
            elif isinstance(default, int):
                ok, wanted = _is_int(value), "a whole number"
            elif isinstance(default, float):
                ok, wanted = _is_number(value), "a number"
            elif isinstance(default, list):
                ok = isinstance(value, list) and all(_is_number(v) for v in value)
                wanted = "a list of numbers"
            elif isinstance(default, dict):
                ok = isinstance(value, dict) and all(
                    isinstance(k, str) and isinstance(v, str) and KEYS_RE.fullmatch(v) for k, v in value.items()
                )
                wanted = 'binding ids mapped to keys, like {"undo": "z"}'

            else:
                ok, wanted = isinstance(value, str), "text"
            if not ok:
                problems.append(f"{f.name} must be {wanted}, not {shorten(repr(value))}")
        return problems

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Settings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(shorten(name) for name in unknown[:5])}")
        presets = data.get("fsrs_presets", {})
        if not isinstance(presets, dict):
            raise ConfigError("fsrs_presets must map a preset name to fitted parameters")
        data = {**data, "fsrs_presets": {
            name: FittedParameters.from_dict(value, f"fsrs_presets.{name}") for name, value in presets.items()
        }}
        settings = cls(**data)  # type: ignore[arg-type]
        problems = settings.validate()
        if problems:
            raise ConfigError("; ".join(problems))
        return settings


def _preset_problems(presets: object) -> list[str]:
    if not isinstance(presets, dict) or not all(isinstance(p, FittedParameters) for p in presets.values()):
        return ["fsrs_presets must map a preset name to fitted parameters"]
    unknown = sorted(set(presets) - {DEFAULT_PRESET})
    if unknown:  # the store keeps one set of memory states: one preset until decks get their own
        return [f"fsrs_presets: only {DEFAULT_PRESET!r} is used today, not {', '.join(map(repr, unknown))}"]
    return [f"fsrs_presets.{name}.weights {problem}" for name, preset in presets.items()
            if (problem := weights_problem(preset.weights))]


def load_settings(path: Path) -> Settings:
    """Defaults when the file is missing; a ConfigError (never a traceback) when it is broken."""
    if not path.exists():
        return Settings()
    try:
        data = json.loads(read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8"), parse_int=_bounded_int)
    except UnsafeFile as exc:
        raise ConfigError(f"cannot read settings: {exc}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, _NumberTooLong) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: cannot read settings: nested too deeply") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: settings must be a JSON object")
    try:
        return Settings.from_dict(data)
    except (TypeError, ConfigError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


# A list of numbers laid out by json's indent, one number a line (only the pretty-printer puts a
# newline there: JSON text never holds a raw one): kept on one line, fitted weights stay readable.
_NUMBER_LIST = re.compile(r"\[(?=[^\]]*\n)([-+0-9.eE,\s]+)\]")


class _NumberTooLong(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(f"a number of {len(digits):,} digits (at most {MAX_NUMBER_DIGITS})")
    return int(digits)


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically so a crash never leaves half a config file."""
    text = json.dumps(settings.to_dict(), ensure_ascii=False, indent=2)
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m[1].split(",")) + "]", text)
    atomic_write_text(path, text)
