"""The seam between the use cases and the coach: reports for drafts, promises found in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from mend.domain.enums import DraftKind, Party
from mend.domain.model import DraftVersion
from mend.services.commitments import end_of_working_day, first_due

_OWNERS = {"me": Party.ME, "us": Party.BOTH, "we": Party.BOTH, "them": Party.THEM}


@dataclass(frozen=True)
class ProposedCommitment:
    """A promise the coach found in a draft, ready to become a tracked commitment."""

    description: str
    owner: Party
    due_at: datetime | None
    recurrence: str | None
    start: int
    end: int


def coach_report(text: str, kind: DraftKind | None, *, now: datetime) -> dict[str, Any]:
    """The coach's report as plain JSON data (kept with each draft version)."""
    from mend.coach import analyze

    report: dict[str, Any] = analyze(text, kind.value if kind else None, now=now).to_dict()
    return report


def report_for(version: DraftVersion, kind: DraftKind | None) -> dict[str, Any]:
    """The report to show for a saved version: the one kept with it when this coach
    wrote it, else a fresh one (a newer coach, or a report imported from elsewhere)."""
    from mend.coach.report import REPORT_VERSION

    kept = version.coach_report
    if isinstance(kept, dict) and kept.get("version") == REPORT_VERSION:
        return kept
    return coach_report(version.text, kind, now=version.created_at)


def proposed_commitments(text: str, *, now: datetime, tz: tzinfo) -> list[ProposedCommitment]:
    """The promises in ``text`` with owners and due times Mend can track."""
    from mend.coach import extract_commitments

    proposals = []
    for found in extract_commitments(text, now=now.astimezone(tz)):
        due_at = end_of_working_day(found.due, tz) if found.due else None
        if found.recurrence and due_at is None:
            due_at = first_due(found.recurrence, now, tz)
        if due_at is None:
            continue  # a promise with no date is not yet trackable; the coach says so
        proposals.append(
            ProposedCommitment(
                description=found.action[:1].upper() + found.action[1:],
                owner=_OWNERS.get(found.owner, Party.ME),
                due_at=due_at,
                recurrence=found.recurrence,
                start=found.start,
                end=found.end,
            )
        )
    return proposals
