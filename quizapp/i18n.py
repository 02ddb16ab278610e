"""Bilingual text: every learner-visible string exists in English and Chinese."""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


@dataclass(frozen=True, slots=True)
class Bilingual:
    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def of(cls, en: str, zh: str | None = None) -> Bilingual:
        return cls(en, en if zh is None else zh)


def default_lang() -> Lang:
    """Follow the locale: Chinese when LANG/LC_ALL say zh, English otherwise."""
    for var in ("QUIZAPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"
