"""The coach's result types: an immutable :class:`Report` of scores and :class:`Finding` s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from mend.coach._text import json_text
from mend.coach.commitments import Commitment

#: Order of the scores in every report (and in ``to_dict``).
SCORE_NAMES: Final = (
    "politeness",
    "receptiveness",
    "calm",
    "ownership",
    "empathy",
    "apology",
    "actionability",
    "clarity",
    "empathy_emotional_reaction",
    "empathy_interpretation",
    "empathy_exploration",
)

#: How each score is named and explained to people (the web page and the command line).
SCORE_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "politeness": ("Politeness", "how courteous it reads"),
        "receptiveness": ("Openness", "how open it sounds to their view"),
        "calm": ("Calm", "free of heat and blame"),
        "ownership": ("Ownership", "how plainly you own your part"),
        "empathy": ("Empathy", "how well it recognises what they felt"),
        "apology": ("Apology", "how complete the apology is"),
        "actionability": ("Concreteness", "whether it says what will happen, and when"),
        "clarity": ("Clarity", "how easy it is to read"),
        "empathy_emotional_reaction": ("Feelings named", "naming how they felt"),
        "empathy_interpretation": ("Understanding shown", "saying why it makes sense"),
        "empathy_exploration": ("Questions asked", "inviting them to say more"),
    }
)
SEVERITIES: Final = ("praise", "suggestion", "warning", "problem")
REPORT_VERSION: Final = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the coach noticed, pointing at ``text[start:end]``.

    Findings about what is *missing* (codes starting ``missing_``) and about the
    language have an empty span at 0: there are no words to point at.
    """

    code: str
    severity: str
    start: int
    end: int
    quote: str
    explanation: str
    suggestion: str | None = None
    #: The strongest words inside the span (what the finding rests on most); the whole
    #: span when the finding has no narrower focus.
    focus: tuple[int, int] | None = None
    #: A rewrite of ``quote`` that removes the problem, already checked by the coach
    #: ("" means: leave these words out). None when there is no safe one.
    replacement: str | None = None
    #: A sentence to add to the draft that gives it what is missing (for ``missing_*``
    #: and low-score findings).

    def to_dict(self) -> dict[str, object]:
        focus = self.focus or (self.start, self.end)
        return {
            "code": self.code,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "quote": json_text(self.quote),
            "focus": {"start": focus[0], "end": focus[1]},
            "explanation": self.explanation,
            "suggestion": self.suggestion,
            "replacement": None if self.replacement is None else json_text(self.replacement),
        }


def _frozen_scores() -> Mapping[str, float | None]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Report:
    """What the coach has to say about one draft.

    ``scores`` maps every name in :data:`SCORE_NAMES` to 0–100 (higher is better) or
    ``None`` when it does not apply (``apology`` with no apology in the text; every
    score when ``language_supported`` is false).
    """

    step: str | None
    length: int
    language_supported: bool
    scores: Mapping[str, float | None] = field(default_factory=_frozen_scores)
    findings: tuple[Finding, ...] = ()
    commitments: tuple[Commitment, ...] = ()

    @property
    def problems(self) -> tuple[Finding, ...]:
        """The findings of severity ``problem``."""
        return tuple(f for f in self.findings if f.severity == "problem")

    def codes(self) -> set[str]:
        """The set of finding codes in this report."""
        return {f.code for f in self.findings}

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict with stable field names."""
        return {
            "version": REPORT_VERSION,
            "step": self.step,
            "length": self.length,
            "language_supported": self.language_supported,
            "scores": {name: self.scores.get(name) for name in SCORE_NAMES},
            "findings": [f.to_dict() for f in self.findings],
            "commitments": [c.to_dict() for c in self.commitments],
        }
