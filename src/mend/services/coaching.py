"""The seam between the use cases and the coach: reports for drafts, promises found in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mend.domain.enums import DraftKind, Party


@dataclass(frozen=True)
class ProposedCommitment:
    """A promise the coach found in a draft, ready to become a tracked commitment."""

    description: str
    owner: Party
    due_at: datetime | None
    recurrence: str | None
    start: int
    end: int


def coach_report(text: str, kind: DraftKind, *, now: datetime) -> dict[str, Any]:
    from mend.coach import analyze

    return analyze(text, kind.value, now=now).to_dict()


def proposed_commitments(text: str, *, now: datetime) -> list[ProposedCommitment]:
    from mend.coach import extract_commitments

    proposals = []
    for found in extract_commitments(text, now=now):
        owner = getattr(found, "owner", "me")
        proposals.append(
            ProposedCommitment(
                description=str(found.action),
                owner=Party(owner if owner in {"me", "them", "both"} else "me"),
                due_at=getattr(found, "due", None),
                recurrence=getattr(found, "recurrence", None),
                start=int(found.start),
                end=int(found.end),
            )
        )
    return proposals
