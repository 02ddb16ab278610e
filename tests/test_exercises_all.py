"""Generic checks over every exercise family in the catalog (both family areas)."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from family_checks import get_family, param_variants

from quizapp.exercises.base import Family, Instance
from quizapp.exercises.catalog import CATALOG, family_names
from quizapp.i18n import Bilingual

SEEDS = range(50)
LATEX = re.compile(r"\\[A-Za-z]+|\$")
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9-]*)+$")


def assert_bilingual(text: Bilingual, what: str) -> None:
    assert text.en.strip() and text.zh.strip(), f"{what}: empty text"
    assert CJK.search(text.zh), f"{what}: the zh text has no Chinese"
    for lang, value in (("en", text.en), ("zh", text.zh)):
        assert not LATEX.search(value), f"{what} ({lang}) contains LaTeX: {value!r}"


@pytest.fixture(params=family_names())
def family(request: pytest.FixtureRequest) -> Family:
    return get_family(request.param)


def test_family_metadata_matches_catalog(family: Family) -> None:
    entry = CATALOG[family.name]
    assert family.topic == entry.topic
    assert set(family.param_defaults) == set(entry.params)
    assert_bilingual(family.title, f"{family.name} title")
    assert family.mistake_notes, f"{family.name} describes no mistake notes"
    for note, text in family.mistake_notes.items():
        assert NOTE.match(note), f"{family.name}: malformed note {note!r}"
        assert_bilingual(text, f"{family.name} note {note}")


def test_generates_deterministic_bilingual_instances(family: Family) -> None:
    for seed in SEEDS:
        inst = family.generate(seed)
        again = family.generate(seed)
        assert isinstance(inst, Instance) and inst.family == family.name and inst.seed == seed
        assert (inst.prompt_text, inst.solution_text, inst.answer_text, inst.spec, inst.mistakes) == (
            again.prompt_text, again.solution_text, again.answer_text, again.spec, again.mistakes,
        ), f"{family.name} seed {seed} is not deterministic"
        assert_bilingual(inst.prompt_text, f"{family.name} prompt")
        assert_bilingual(inst.solution_text, f"{family.name} solution")
        assert inst.answer_hint.en.strip() and inst.answer_hint.zh.strip()
        assert inst.answer_text.strip()
        for mistake in inst.mistakes:
            assert_bilingual(mistake.feedback, f"{family.name} feedback for {mistake.note}")
    assert len({family.generate(s).prompt("en") for s in SEEDS}) > 1 or family.name.endswith("formula"), (
        f"{family.name}: every seed gives the same prompt"
    )


def test_prompt_states_the_answer_form(family: Family) -> None:
    for seed in range(20):
        inst = family.generate(seed)
        en, zh = inst.prompt("en"), inst.prompt("zh")
        if inst.spec.kind == "integer":
            assert "Give an integer" in en and "整数" in zh, (family.name, seed)
        elif inst.spec.kind == "expression":
            assert ("formula" in en or "expression" in en) and ("公式" in zh or "表达式" in zh), (family.name, seed)
        else:
            assert "4 significant figures" in en and "4 位有效数字" in zh, (family.name, seed)


def test_values_and_params_are_plain_json(family: Family) -> None:
    """The review log stores the seed and params; values are shown in solutions and logs."""
    for seed in range(10):
        inst = family.generate(seed)
        json.dumps({"values": dict(inst.values), "params": dict(inst.params)})


def test_answer_text_is_correct(family: Family) -> None:
    for seed in SEEDS:
        inst = family.generate(seed)
        verdict = inst.check(inst.answer_text)
        assert verdict.status == "correct", (family.name, seed, inst.answer_text, verdict)


def test_mistake_notes_are_stable(family: Family) -> None:
    """Notes never carry random values: over seeds and params they stay inside the described set."""
    seen: set[str] = set()
    for params in param_variants(family.name):
        for seed in SEEDS:
            inst = family.generate(seed, **params)
            seen |= {m.note for m in inst.mistakes} | {m.note for p in inst.parts for m in p.mistakes}
    undescribed = seen - set(family.mistake_notes)
    assert not undescribed, f"{family.name}: notes without a description (random values?): {undescribed}"
    assert seen, f"{family.name} authors no mistakes"


def test_registry_holds_every_catalog_family() -> None:
    from quizapp.exercises import families

    found = families()
    assert list(found) == list(CATALOG)
    assert len(found) >= 16 and len({f.topic for f in found.values()}) >= 13


def test_families_function_survives_importing_a_family_module() -> None:
    """Importing quizapp.exercises.families.<module> must not rebind quizapp.exercises.families."""
    import quizapp.exercises as exercises

    importlib.import_module("quizapp.exercises.families.flops")
    assert callable(exercises.families) and not isinstance(exercises.families, type(importlib))


def _family_texts(family: Family) -> list[Bilingual]:
    """Every text a family shows: title, note descriptions, and for a few seeds of each parameter
    value the prompt, the solution, the hints and the mistake feedback (parts included)."""
    texts = [family.title, *family.mistake_notes.values()]
    for params in param_variants(family.name):
        for seed in range(10):
            inst = family.generate(seed, **params)
            texts += [inst.prompt_text, inst.solution_text, inst.answer_hint]
            texts += [m.feedback for m in inst.mistakes]
            for part in inst.parts:
                texts += [part.prompt_text, part.answer_hint, *(m.feedback for m in part.mistakes)]
    return texts


def test_families_use_the_glossary_terms(family: Family) -> None:
    """The families word concepts as the glossary says (膨胀率, not 空洞率), like the content does."""
    from pathlib import Path

    from quizapp.deck.glossary import avoided_uses, load_glossary

    terms, problems = load_glossary(Path(__file__).parent.parent / "content" / "glossary.yaml")
    assert terms and not problems
    found = {
        (use.found, use.term.preferred(lang))
        for text in _family_texts(family)
        for lang, value in (("en", text.en), ("zh", text.zh))
        for line in value.splitlines()
        for use in avoided_uses(line, lang, terms)
    }
    assert not found, f"{family.name} uses avoided terms (found, glossary's term): {sorted(found)}"
