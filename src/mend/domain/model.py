"""Entities of a repair, as plain dataclasses.

A ``Repair`` is the aggregate: everything recorded about mending one working
relationship hangs off it. The store maps these classes onto tables without the
classes knowing (imperative mapping), so they stay free of I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mend.domain.enums import (
    ACTIVE_STATUSES,
    DraftKind,
    GroundKind,
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Role,
    Step,
    StepState,
    Tension,
)
from mend.domain.errors import InvalidTransition

#: Field metadata of bookkeeping that outputs leave out (which account owns a row).
INTERNAL = {"internal": True}

#: Which status changes are allowed, and to where.
ALLOWED_TRANSITIONS: dict[RepairStatus, frozenset[RepairStatus]] = {
    RepairStatus.OPEN: frozenset({RepairStatus.IN_PROGRESS, RepairStatus.CLOSED_UNRESOLVED}),
    RepairStatus.IN_PROGRESS: frozenset(
        {RepairStatus.MONITORING, RepairStatus.RESTORED, RepairStatus.CLOSED_UNRESOLVED}
    ),
    # A setback while monitoring sends the repair back to work.
    RepairStatus.MONITORING: frozenset(
        {RepairStatus.IN_PROGRESS, RepairStatus.RESTORED, RepairStatus.CLOSED_UNRESOLVED}
    ),
    RepairStatus.RESTORED: frozenset({RepairStatus.IN_PROGRESS}),
    RepairStatus.CLOSED_UNRESOLVED: frozenset({RepairStatus.OPEN}),
}


@dataclass(eq=False)
class Person:
    name: str
    role: Role
    organisation: str = ""
    notes: str = ""
    created_at: datetime | None = None
    id: int | None = None
    #: The team account this person belongs to; None for the local owner. The server's
    #: bookkeeping, not something to show (``INTERNAL``).
    account_id: int | None = field(default=None, metadata=INTERNAL)


@dataclass(eq=False)
class StatusChange:
    from_status: RepairStatus | None
    to_status: RepairStatus
    at: datetime
    reason: str = ""
    id: int | None = None


@dataclass(eq=False)
class StepRecord:
    """The user's progress on one of the ten steps of one repair."""

    step: Step
    state: StepState = StepState.PENDING
    completed_at: datetime | None = None
    skip_reason: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    id: int | None = None


@dataclass(eq=False)
class Interaction:
    """A meeting, email, call or message between the two people."""

    occurred_at: datetime
    kind: InteractionKind
    initiated_by: Party
    summary: str = ""
    their_perspective: str = ""
    my_interpretation: str = ""
    tension: Tension = Tension.CALM
    replied: bool | None = None
    replied_at: datetime | None = None
    forced: bool = False
    forced_reason: str = ""
    id: int | None = None

    @property
    def is_outreach(self) -> bool:
        """An outreach is anything the user started."""
        return self.initiated_by == Party.ME


@dataclass(eq=False)
class DraftVersion:
    number: int
    text: str
    created_at: datetime
    coach_report: dict[str, Any] | None = None
    id: int | None = None


@dataclass(eq=False)
class Draft:
    """Something the user plans to say, kept with its versions."""

    kind: DraftKind
    title: str = ""
    created_at: datetime | None = None
    sent_at: datetime | None = None
    sent_version: int | None = None
    versions: list[DraftVersion] = field(default_factory=list)
    id: int | None = None

    @property
    def current(self) -> DraftVersion:
        return max(self.versions, key=lambda v: v.number)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


@dataclass(eq=False)
class TheirVerdict:
    """What the invited other person said about one occurrence: kept, late, missed or
    disputed (with a note), in their name. Read-only here: they write it through their
    link (services/shared.py)."""

    verdict: str
    author: str
    created_at: datetime
    note: str = ""
    id: int | None = None


@dataclass(eq=False)
class Occurrence:
    """One due instance of a commitment, and what became of it."""

    due_at: datetime
    status: OccurrenceStatus = OccurrenceStatus.PENDING
    recorded_at: datetime | None = None
    note: str = ""
    id: int | None = None
    #: The other person's verdicts on it, oldest first (a team server's invited person).
    their_verdicts: list[TheirVerdict] = field(default_factory=list)

    @property
    def their_verdict(self) -> TheirVerdict | None:
        """Their latest verdict: the one that stands when they changed their mind."""
        return self.their_verdicts[-1] if self.their_verdicts else None

    @property
    def first_said_at(self) -> datetime | None:
        """When they first gave a verdict on it, if ever."""
        return min((v.created_at for v in self.their_verdicts), default=None)


@dataclass(eq=False)
class Commitment:
    """A promise: one-off (``due_at``) or recurring (``recurrence``, an RRULE subset)."""

    description: str
    owner: Party
    created_at: datetime
    due_at: datetime | None = None
    recurrence: str | None = None
    ends_at: datetime | None = None
    active: bool = True
    source_draft_id: int | None = None
    occurrences: list[Occurrence] = field(default_factory=list)
    id: int | None = None

    @property
    def is_recurring(self) -> bool:
        return self.recurrence is not None


@dataclass(eq=False)
class CheckIn:
    """A planned conversation to see how things are going."""

    scheduled_at: datetime
    created_at: datetime
    cadence_days: int | None = None
    completed_at: datetime | None = None
    outcome: str = ""
    note: str = ""
    cancelled: bool = False
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and not self.cancelled


@dataclass(eq=False)
class CommonGround:
    """A goal or interest both people share."""

    kind: GroundKind
    text: str
    created_at: datetime
    id: int | None = None


@dataclass(eq=False)
class Initiative:
    """Something the two do together, each contributing a part."""

    title: str
    my_contribution: str
    their_contribution: str
    created_at: datetime
    status: str = "proposed"
    id: int | None = None


@dataclass(eq=False)
class AgreementVersion:
    """One version of the working agreement that closes a repair (step 10)."""

    version: int
    created_at: datetime
    channel: str = ""
    frequency: str = ""
    response_time: str = ""
    tasks: list[dict[str, str]] = field(default_factory=list)
    raising_problems: str = ""
    review_on: date | None = None
    notes: str = ""
    id: int | None = None


@dataclass(eq=False)
class Repair:
    """The aggregate: one effort to mend the relationship with one person."""

    person_id: int
    title: str
    what_happened: str
    opened_at: datetime
    occurred_on: date | None = None
    my_part: str = ""
    impact: str = ""
    severity: int = 3
    status: RepairStatus = RepairStatus.OPEN
    status_changes: list[StatusChange] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    common_ground: list[CommonGround] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    agreements: list[AgreementVersion] = field(default_factory=list)
    id: int | None = None
    #: The team account this repair belongs to (its person's); None for the local owner.
    account_id: int | None = field(default=None, metadata=INTERNAL)

    def step(self, step: Step) -> StepRecord:
        """The record for ``step``, created on first use."""
        for record in self.steps:
            if record.step == step:
                return record
        record = StepRecord(step=step)
        self.steps.append(record)
        return record

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def agreement(self) -> AgreementVersion | None:
        """The newest agreement version, if any."""
        return max(self.agreements, key=lambda a: a.version) if self.agreements else None

    def change_status(self, to: RepairStatus, at: datetime, reason: str = "") -> None:
        """Move to ``to``, recording when and why; raises on a move that is not allowed."""
        if to == self.status:
            raise InvalidTransition(f"The repair is already {to.value.replace('_', ' ')}.")
        if to not in ALLOWED_TRANSITIONS[self.status]:
            allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[self.status]))
            raise InvalidTransition(
                f"A repair that is {self.status.value.replace('_', ' ')} cannot become "
                f"{to.value.replace('_', ' ')}; it can become: {allowed}."
            )
        self.status_changes.append(
            StatusChange(from_status=self.status, to_status=to, at=at, reason=reason)
        )
        self.status = to
