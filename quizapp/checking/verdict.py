"""The result of checking one typed answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from quizapp.i18n import Bilingual

Status = Literal["correct", "wrong", "invalid"]


@dataclass(frozen=True)
class Verdict:
    status: Status
    # How the input was read, pretty-printed (sympy's unicode printer); "" when unparseable.
    interpreted: str = ""
    # Stable tag such as "rf.no-stride-product" or "generic.sign"; never contains random values,
    # so stats can count a mistake across instances.
    note: str = ""
    feedback: Bilingual = field(default_factory=lambda: Bilingual("", ""))
    score: float = 0.0

    @property
    def is_correct(self) -> bool:
        return self.status == "correct"

    @property
    def is_invalid(self) -> bool:
        return self.status == "invalid"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)  # the feedback as {"en": …, "zh": …}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Verdict:
        fb = data.get("feedback") or {}
        assert isinstance(fb, dict)
        return cls(
            status=data["status"],  # type: ignore[arg-type]
            interpreted=str(data.get("interpreted", "")),
            note=str(data.get("note", "")),
            feedback=Bilingual(str(fb.get("en", "")), str(fb.get("zh", ""))),
            score=float(data.get("score", 0.0)),  # type: ignore[arg-type]
        )
