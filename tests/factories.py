"""Test data for every layer: small functions that build domain objects with sane defaults.

Each ``make_*`` takes keyword overrides for any field of the object it builds, so a
test states only what matters to it::

    repair = make_repair(my_part="I shipped without telling her", interactions=[
        make_interaction(at(2025, 3, 3), tension=Tension.HEATED),
    ])

All times are timezone-aware UTC; :data:`T0` is the default "opened" moment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mend.domain.enums import (
    DraftKind,
    GroundKind,
    InteractionKind,
    OccurrenceStatus,
    Party,
    Role,
    Step,
    StepState,
)
from mend.domain.model import (
    AgreementVersion,
    CheckIn,
    Commitment,
    CommonGround,
    Draft,
    DraftVersion,
    Initiative,
    Interaction,
    Occurrence,
    Person,
    Repair,
    StepRecord,
)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A UTC datetime; 09:00 unless told otherwise."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


#: Monday 3 March 2025, 09:00 UTC: when test repairs open unless told otherwise.
T0 = at(2025, 3, 3)


def make_person(**overrides: Any) -> Person:
    fields: dict[str, Any] = {"name": "Dana Ortiz", "role": Role.COLLEAGUE, "created_at": T0}
    return Person(**(fields | overrides))


def make_repair(**overrides: Any) -> Repair:
    """A freshly opened repair with the acknowledgement fields filled in."""
    fields: dict[str, Any] = {
        "person_id": 1,
        "title": "The launch-date mix-up",
        "what_happened": "I moved the launch date without telling Dana.",
        "opened_at": T0,
        "my_part": "I changed the plan on my own and didn't tell her.",
        "impact": "She found out from the client and looked unprepared.",
        "id": 1,
    }
    return Repair(**(fields | overrides))


def make_interaction(occurred_at: datetime = T0, **overrides: Any) -> Interaction:
    """A calm message the user sent, no reply recorded."""
    fields: dict[str, Any] = {"kind": InteractionKind.MESSAGE, "initiated_by": Party.ME}
    return Interaction(occurred_at=occurred_at, **(fields | overrides))


def make_draft(
    kind: DraftKind = DraftKind.APOLOGY,
    *,
    sent_at: datetime | None = None,
    text: str = "I'm sorry that I moved the date without telling you.",
    **overrides: Any,
) -> Draft:
    """A draft with one version; sent (version 1) when ``sent_at`` is given."""
    created = overrides.pop("created_at", T0)
    fields: dict[str, Any] = {
        "kind": kind,
        "title": kind.value.capitalize(),
        "created_at": created,
        "sent_at": sent_at,
        "sent_version": 1 if sent_at is not None else None,
        "versions": [DraftVersion(number=1, text=text, created_at=created)],
    }
    return Draft(**(fields | overrides))


def make_occurrence(
    due_at: datetime = T0,
    status: OccurrenceStatus = OccurrenceStatus.PENDING,
    **overrides: Any,
) -> Occurrence:
    return Occurrence(due_at=due_at, status=status, **overrides)


def make_commitment(**overrides: Any) -> Commitment:
    """An active one-off commitment of the user, due a week after ``T0``."""
    fields: dict[str, Any] = {
        "description": "Send Dana the weekly status update",
        "owner": Party.ME,
        "created_at": T0,
        "due_at": at(2025, 3, 10),
        "id": 1,
    }
    return Commitment(**(fields | overrides))


def make_check_in(scheduled_at: datetime = T0, **overrides: Any) -> CheckIn:
    fields: dict[str, Any] = {"created_at": T0}
    return CheckIn(scheduled_at=scheduled_at, **(fields | overrides))


def make_common_ground(**overrides: Any) -> CommonGround:
    fields: dict[str, Any] = {
        "kind": GroundKind.GOAL,
        "text": "A smooth launch for the client",
        "created_at": T0,
    }
    return CommonGround(**(fields | overrides))


def make_initiative(**overrides: Any) -> Initiative:
    fields: dict[str, Any] = {
        "title": "Joint launch checklist",
        "my_contribution": "I draft the checklist",
        "their_contribution": "Dana reviews it with the client",
        "created_at": T0,
    }
    return Initiative(**(fields | overrides))


def make_agreement(**overrides: Any) -> AgreementVersion:
    fields: dict[str, Any] = {
        "version": 1,
        "created_at": T0,
        "channel": "Slack DM",
        "frequency": "weekly",
        "review_on": at(2025, 5, 1).date(),
    }
    return AgreementVersion(**(fields | overrides))


def with_steps(repair: Repair, states: dict[Step, StepState], when: datetime = T0) -> Repair:
    """Set the given steps' states (done and skipped ones get ``completed_at=when``)."""
    for step, state in states.items():
        record = repair.step(step)
        record.state = state
        record.completed_at = None if state == StepState.PENDING else when
        if state == StepState.SKIPPED:
            record.skip_reason = "not relevant here"
    return repair


def step_record(step: Step, **overrides: Any) -> StepRecord:
    return StepRecord(step=step, **overrides)
