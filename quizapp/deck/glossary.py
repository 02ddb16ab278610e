"""The glossary (content/glossary.yaml): one preferred term per concept in each language, and the
forms to avoid. The content linter checks every topic against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from quizapp.deck.model import Problem
from quizapp.safeio import UnsafeFile, read_bounded

GLOSSARY_NAME = "glossary.yaml"
MAX_GLOSSARY_BYTES = 500_000
_ENTRY_KEYS = {"en", "zh", "avoid_en", "avoid_zh", "note"}
# "指数移动平均（EMA）" is matched as its core "指数移动平均": a gloss in brackets is optional.
_GLOSS_RE = re.compile(r"\s*[（(][^（）()]*[）)]\s*")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Term:
    en: str
    zh: str
    avoid_en: tuple[str, ...] = ()
    avoid_zh: tuple[str, ...] = ()
    note: str = ""
    line: int = 1

    def preferred(self, lang: str) -> str:
        """The preferred form without its optional bracketed gloss."""
        return _GLOSS_RE.sub("", self.zh if lang == "zh" else self.en).strip()

    def avoided(self, lang: str) -> tuple[str, ...]:
        return self.avoid_zh if lang == "zh" else self.avoid_en


@dataclass(frozen=True)
class AvoidedUse:
    found: str
    term: Term
    column: int


def load_glossary(path: Path) -> tuple[list[Term], list[Problem]]:
    """Terms and the problems of the file (never raises for bad content)."""
    file = str(path)
    try:
        text = read_bounded(path, MAX_GLOSSARY_BYTES).decode("utf-8")
    except (UnsafeFile, OSError) as exc:
        return [], [Problem(file, 1, 1, "", f"cannot read the glossary: {exc}")]
    except UnicodeDecodeError:
        return [], [Problem(file, 1, 1, "", "not UTF-8 text: save the file as UTF-8")]
    from quizapp.deck.yamlread import parse_yaml  # not on the way to the first screen

    doc = parse_yaml(text, file)  # the decks' own checked reader
    if doc.data is None:
        return [], doc.problems
    if not isinstance(doc.data, list):
        return [], [Problem(file, 1, 1, "", "the glossary must be a list of {en, zh, avoid_en, avoid_zh, note}")]
    terms: list[Term] = []
    problems: list[Problem] = list(doc.problems)
    for i, raw in enumerate(doc.data):
        line, col = doc.pos.at((i,))
        term, errors = _term(raw, line)
        problems += [Problem(file, line, col, f"[{i}]", e) for e in errors]
        if term is not None:
            terms.append(term)
    problems += _conflicts(file, terms)
    return terms, problems


def _term(data: Any, line: int) -> tuple[Term | None, list[str]]:
    if not isinstance(data, dict):
        return None, ["an entry must be a mapping with en and zh"]
    errors = [f"unknown field '{k}'" for k in data if k not in _ENTRY_KEYS]
    for lang in ("en", "zh"):
        if not isinstance(data.get(lang), str) or not data[lang].strip():
            errors.append(f"missing '{lang}' (the preferred term)")
    lists: dict[str, tuple[str, ...]] = {}
    for name in ("avoid_en", "avoid_zh"):
        value = data.get(name, [])
        if not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
            errors.append(f"'{name}' must be a list of terms")
            value = []
        lists[name] = tuple(v.strip() for v in value)
    if errors:
        return None, errors
    term = Term(data["en"].strip(), data["zh"].strip(), lists["avoid_en"], lists["avoid_zh"],
                str(data.get("note") or ""), line)
    return term, []


def _conflicts(file: str, terms: list[Term]) -> list[Problem]:
    """An avoided form that is another entry's preferred form would make the glossary contradict itself."""
    problems: list[Problem] = []
    preferred = {(lang, t.preferred(lang).casefold()): t for t in terms for lang in ("en", "zh")}
    for term in terms:
        for lang in ("en", "zh"):
            for form in term.avoided(lang):
                other = preferred.get((lang, form.casefold()))
                if other is not None:
                    problems.append(Problem(file, term.line, 1, "", f"'{form}' is avoided here but preferred for '{other.en}'"))
    return problems


@lru_cache(maxsize=4096)
def _compiled(pattern: str, lang: str) -> re.Pattern[str]:
    """Chinese matches as a substring; English as a whole word, in any case."""
    if lang == "zh" or _CJK_RE.search(pattern):
        return re.compile(re.escape(pattern))
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(pattern) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _find_all(pattern: str, text: str, lang: str) -> list[int]:
    """Start columns of `pattern` in `text`."""
    return [m.start() for m in _compiled(pattern, lang).finditer(text)]


def avoided_uses(line: str, lang: str, terms: list[Term]) -> list[AvoidedUse]:
    """Avoided forms on one line of text. Preferred forms are blanked out first (so 指数移动平均 does not
    count as 移动平均), and a line that also carries the entry's preferred form is allowed."""
    folded = line.casefold()
    if not any(form.casefold() in folded for term in terms for form in term.avoided(lang)):
        return []
    masked = line
    for term in terms:
        for col in _find_all(term.preferred(lang), line, lang):
            width = len(term.preferred(lang))
            masked = masked[:col] + "\x00" * width + masked[col + width:]
    found: list[AvoidedUse] = []
    for term in terms:
        if _find_all(term.preferred(lang), line, lang):
            continue
        hits = [(col, form) for form in sorted(term.avoided(lang), key=len, reverse=True)
                for col in _find_all(form, masked, lang)]
        if hits:
            col, form = min(hits)
            found.append(AvoidedUse(form, term, col + 1))
    return found
