"""`quizapp validate --lint`: teaching and language checks on content that already validates.

Each rule is a heuristic that names a place (FILE:LINE:COL: field.path: [rule] message):

- cloze-giveaway: a deletion's answer (or its hint) appears elsewhere in the sentence it is cut from;
- longest-correct: a choice whose correct option is the longest by a wide margin;
- many-facts: a flashcard back that lists several facts (list markers, more than two sentences);
- glossary: a term in a form the glossary avoids (content/glossary.yaml);
- en-zh-numbers / en-zh-formula: the English and Chinese texts disagree on numbers or math symbols;
- zh-wrap: Chinese broken across lines mid-paragraph, or a space between two Chinese characters
  (a reflowed line break shows as a stray space).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from quizapp.deck.glossary import Term, avoided_uses
from quizapp.deck.model import CLOZE_RE, Item, Problem, Topic
from quizapp.deck.yamlread import MAX_FILE_BYTES, SAFE_LOADER, PathT, dotted
from quizapp.i18n import LANGS, Bilingual
from quizapp.safeio import UnsafeFile, read_bounded


@dataclass(frozen=True)
class Finding:
    path: PathT  # e.g. ("items", 3, "back", "zh")
    rule: str
    message: str
    offset: int = 0  # line within a block scalar (0 = its first line)


# ── where a text sits in its file ──────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Mark:
    line: int
    col: int
    block: bool  # a literal/folded block scalar: its text starts on the next line


def scalar_marks(path: Path) -> dict[PathT, Mark]:
    """Position of every value in a topic file, by path (empty when the file cannot be read)."""
    try:
        text = read_bounded(path, MAX_FILE_BYTES).decode("utf-8")
        loader = SAFE_LOADER(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except (UnsafeFile, OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}
    marks: dict[PathT, Mark] = {}
    stack: list[tuple[yaml.Node, PathT]] = [(root, ())] if root is not None else []
    while stack:
        node, where = stack.pop()
        block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        marks[where] = Mark(node.start_mark.line + 1, node.start_mark.column + 1, block)
        if isinstance(node, yaml.MappingNode):
            stack += [(v, where + (str(k.value),)) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, where + (i,)) for i, child in enumerate(node.value)]
    return marks


def _to_problem(file: str, marks: dict[PathT, Mark], finding: Finding) -> Problem:
    probe = finding.path
    while probe and probe not in marks:
        probe = probe[:-1]
    mark = marks.get(probe, Mark(1, 1, False))
    if mark.block and probe == finding.path:
        line, col = mark.line + 1 + finding.offset, 1
    else:
        line, col = mark.line, mark.col
    return Problem(file, line, col, dotted(finding.path), f"[{finding.rule}] {finding.message}")


# ── the texts of a topic ───────────────────────────────────────────────────────────────────────

def topic_texts(topic: Topic) -> Iterator[tuple[PathT, Bilingual]]:
    yield ("title",), topic.title
    yield ("summary",), topic.summary
    yield ("notes",), topic.notes
    for item in topic.items:
        base: PathT = ("items", item.index)
        for name in ("front", "back", "text", "extra", "question"):
            value = getattr(item, name)
            if value is not None:
                yield base + (name,), value
        for i, opt in enumerate(item.options):
            yield base + ("options", i, "text"), opt.text
            yield base + ("options", i, "why"), opt.why


# ── rule: a cloze its own sentence gives away ──────────────────────────────────────────────────

_OP_SPACE_RE = re.compile(r"\s*([-+*/=^(),])\s*")
_FOLD = str.maketrans({"−": "-", "–": "-", "·": "*", "×": "*", "⋅": "*"})
_SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=\S)|(?<=[。！？；])")
_BLANK = "\x00"


def _fold(text: str) -> str:
    return _OP_SPACE_RE.sub(r"\1", text.translate(_FOLD))


def _has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", text))


def mentions(haystack: str, needle: str) -> bool:
    """`needle` occurs in `haystack` as a whole token (Chinese: as a substring), spacing and
    operator spelling (− or -, · or ×) aside."""
    hay, pin = _fold(haystack), _fold(needle).strip()
    if not pin:
        return False
    if _has_cjk(pin):
        return pin in hay
    return re.search(r"(?<![\w.])" + re.escape(pin) + r"(?!\w|\.\d)", hay) is not None


def _deletion_parts(body: str) -> tuple[list[str], str]:
    answer, _, hint = body.partition("::")
    return [a.strip() for a in answer.split("|") if a.strip()], hint.strip()


def cloze_giveaways(item: Item) -> Iterator[Finding]:
    assert item.text is not None
    for number in item.cloze_numbers():
        for lang in LANGS:
            text = item.text.get(lang)
            answers: list[str] = []

            def render(m: re.Match[str], number: int = number, answers: list[str] = answers) -> str:
                alts, hint = _deletion_parts(m.group(2))
                if int(m.group(1)) == number:
                    answers.extend(alts)
                    return _BLANK + (hint or "")
                return alts[0] if alts else ""

            shown = CLOZE_RE.sub(render, text)
            sentence = next((s for s in _SENTENCE_END_RE.split(shown) if _BLANK in s), shown)
            rest = sentence.replace(_BLANK, " ")
            # A lone Chinese character is too common to mean anything.
            given = [a for a in answers if not (_has_cjk(a) and len(a) < 2) and mentions(rest, a)]
            if given:
                yield Finding(("items", item.index, "text", lang), "cloze-giveaway",
                              f"c{number}: its answer '{given[0]}' also appears in its own sentence")


# ── rule: the correct option stands out by its length ──────────────────────────────────────────

LONGEST_RATIO = 1.5
LONGEST_MIN_GAP = {"en": 15, "zh": 8}


def longest_correct(item: Item) -> Iterator[Finding]:
    if item.kind != "choice" or len(item.options) < 2:
        return
    for lang in LANGS:
        lengths = [len(opt.text.get(lang)) for opt in item.options]
        best = next(i for i, opt in enumerate(item.options) if opt.correct)
        others = max(n for i, n in enumerate(lengths) if i != best)
        if lengths[best] >= LONGEST_RATIO * others and lengths[best] - others >= LONGEST_MIN_GAP[lang]:
            yield Finding(("items", item.index, "options", best, "text", lang), "longest-correct",
                          f"the correct option is {lengths[best]} characters, the longest other {others}: "
                          "its length gives it away")


# ── rule: one fact per flashcard ───────────────────────────────────────────────────────────────

_LIST_LINE_RE = re.compile(r"^\s*(?:[-*•]\s|\d+[.)、]\s?|[①-⑩])")
_INLINE_LIST_RE = re.compile(r"[（(]\s*2\s*[）)]|②")
_ABBREV_RE = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|Fig|Eq)\.", re.IGNORECASE)
_EN_END_RE = re.compile(r"[.!?](?=\)?(?:\s+|$))")
_ZH_END_RE = re.compile(r"[。！？]")
MAX_SENTENCES = 2


def sentence_count(text: str, lang: str) -> int:
    if lang == "zh":
        return len(_ZH_END_RE.findall(text)) or 1
    plain = _ABBREV_RE.sub("", text)
    plain = re.sub(r"\d\.\d", "", plain)
    return len(_EN_END_RE.findall(plain.strip())) or 1


def many_facts(item: Item) -> Iterator[Finding]:
    if item.kind != "flashcard" or item.back is None:
        return
    for lang in LANGS:
        back = item.back.get(lang)
        listed = sum(1 for line in back.splitlines() if _LIST_LINE_RE.match(line))
        sentences = sentence_count(back, lang)
        if listed >= 2 or _INLINE_LIST_RE.search(back):
            why = "it is a list: make it a select-all (multi) item or split it"
        elif sentences > MAX_SENTENCES:
            why = f"{sentences} sentences: one fact per card, split it"
        else:
            continue
        yield Finding(("items", item.index, "back", lang), "many-facts", why)


# ── rule: a term the glossary avoids ───────────────────────────────────────────────────────────

def glossary_uses(where: PathT, text: Bilingual, terms: Sequence[Term]) -> Iterator[Finding]:
    for lang in LANGS:
        for offset, line in enumerate(text.get(lang).splitlines()):
            for use in avoided_uses(line, lang, list(terms)):
                yield Finding(where + (lang,), "glossary",
                              f"'{use.found}': the glossary's term is '{use.term.preferred(lang)}' ({use.term.en})",
                              offset)


# ── rule: English and Chinese disagree on numbers or formulas ─────────────────────────────────

_NUMBER_RE = re.compile(
    r"(?<![\d.,])(\d+(?:,\d{3})+(?![\d])|\d+(?:\.\d+)?)((?:e[−-]?\d+)?)"
    r"(?:\s?(万|亿)|\s?([MGT])(?![A-Za-z])|([kKB])(?![A-Za-z])|\s(thousand|million|billion)\b)?"
)
_SCALE = {"万": 1e4, "亿": 1e8, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "B": 1e9,
          "thousand": 1e3, "million": 1e6, "billion": 1e9}
# Symbols that only occur in formulas ("=" and "≈" also stand for "is" and "about" in prose).
_FORMULA_CHARS = set("∂Σ∏√∇⊙·−≤≥²³ⁱⁿᵏᵗ⁻⁺⁰¹⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉ₖₗₘₙᵢⱼₜₒ⌊⌋σδηθλμβαγεπρτφω")
# "10×" as a multiplier reads "10 倍" in Chinese: not a formula.
_MULTIPLIER_RE = re.compile(r"(?<=\d)\s?×(?!\s?[\w(])")


def numbers_in(text: str) -> dict[float, str]:
    """Each number's value (with 万/亿/k/M/G/T/B scales applied) -> how it was written."""
    found: dict[float, str] = {}
    for m in _NUMBER_RE.finditer(text):
        digits, exponent, zh_scale, en_scale, suffix, word = m.groups()
        try:
            value = float(digits.replace(",", "") + exponent.replace("−", "-"))
        except ValueError:
            continue
        scale = zh_scale or en_scale or suffix or word
        value *= _SCALE.get(scale or "", 1.0)
        found.setdefault(float(f"{value:.9g}"), m.group(0).strip())
    return found


def _first_answer(m: re.Match[str]) -> str:
    answers = _deletion_parts(m.group(2))[0]
    return answers[0] if answers else ""


def _plain(text: str, item: Item | None) -> str:
    """A cloze's text as the learner finally reads it: each deletion shown as its first answer."""
    return CLOZE_RE.sub(_first_answer, text) if item is not None and item.kind == "cloze" else text


def en_zh_mismatch(where: PathT, text: Bilingual, item: Item | None = None) -> Iterator[Finding]:
    en, zh = _plain(text.en, item), _plain(text.zh, item)
    en_numbers, zh_numbers = numbers_in(en), numbers_in(zh)
    only_en = [w for v, w in en_numbers.items() if v not in zh_numbers]
    only_zh = [w for v, w in zh_numbers.items() if v not in en_numbers]
    if only_en or only_zh:
        yield Finding(where + ("zh",), "en-zh-numbers",
                      f"numbers differ: only in en {only_en or '[]'}, only in zh {only_zh or '[]'}")
    en_math = Counter(c for c in _MULTIPLIER_RE.sub("", en) if c in _FORMULA_CHARS)
    zh_math = Counter(c for c in _MULTIPLIER_RE.sub("", zh) if c in _FORMULA_CHARS)
    if en_math != zh_math:
        diff = [f"{c} en {en_math[c]} zh {zh_math[c]}" for c in sorted(set(en_math) | set(zh_math)) if en_math[c] != zh_math[c]]
        yield Finding(where + ("zh",), "en-zh-formula", "math symbols differ: " + ", ".join(diff))


# ── rule: Chinese hard-wrapped mid-sentence ────────────────────────────────────────────────────

_CJK = r"\u3400-\u9fff"
_ZH_PUNCT = "，。：；！？、（）「」《》"
_ZH_SPACE_RE = re.compile(f"[{_CJK}{_ZH_PUNCT}][ \t]+[{_CJK}{_ZH_PUNCT}]")
# A line that ends inside a sentence (a Chinese character or an opening/inner mark), or a line
# that starts with closing punctuation, was broken mid-sentence.
_ZH_OPEN_END_RE = re.compile(f"[{_CJK}，、（「《]$")
_ZH_CLOSING_START_RE = re.compile(r"^[，。：；！？、）」》]")
_BLOCK_START_RE = re.compile(r"^\s*(?:[-*+•]\s|\d+[.)]\s|#|\||>|```)")


def zh_wrapping(where: PathT, text: str) -> Iterator[Finding]:
    lines = text.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        m = _ZH_SPACE_RE.search(line)
        if m:
            yield Finding(where, "zh-wrap", f"a space between Chinese characters: '{m.group(0)}'", i)
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line.strip() or not following or _BLOCK_START_RE.match(following) or line.lstrip().startswith(("#", "|")):
            continue
        if _ZH_OPEN_END_RE.search(line.rstrip()) or _ZH_CLOSING_START_RE.match(following):
            yield Finding(where, "zh-wrap", "Chinese broken mid-sentence across lines: join them (the break shows as a space)", i)


# ── all rules ──────────────────────────────────────────────────────────────────────────────────

def lint_topic(topic: Topic, terms: Sequence[Term]) -> list[Finding]:
    findings: list[Finding] = []
    items: dict[PathT, Item] = {("items", item.index): item for item in topic.items}
    for where, text in topic_texts(topic):
        findings += glossary_uses(where, text, terms)
        findings += en_zh_mismatch(where, text, items.get(where[:2]))
        findings += zh_wrapping(where + ("zh",), text.zh)
    for item in topic.items:
        if item.kind == "cloze":
            findings += cloze_giveaways(item)
        findings += longest_correct(item)
        findings += many_facts(item)
    return findings


def lint_topics(topics: Sequence[Topic], terms: Sequence[Term]) -> list[Problem]:
    problems: list[Problem] = []
    for topic in topics:
        marks = scalar_marks(topic.source)
        problems += [_to_problem(str(topic.source), marks, f) for f in lint_topic(topic, terms)]
    problems.sort(key=lambda p: (p.file, p.line, p.col))
    return problems
