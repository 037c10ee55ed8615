"""API schemas: ``XCreate`` for input, ``XPublic`` for output, one place for each shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from mend.domain.enums import (
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
from mend.domain.validation import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DRAFT,
    MAX_ID,
    MAX_SHORT,
    MAX_TEXT,
    check_day,
    check_moment,
)
from mend.errors import InvalidInput

T = TypeVar("T")


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """No text may hold a NUL character (PostgreSQL cannot store one)."""
        if _has_nul(value):
            raise ValueError("text cannot contain a NUL character")
        return value


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` plus where it sits in the whole."""

    items: list[T]
    total: int
    limit: int
    offset: int


def moment(value: datetime) -> datetime:
    """``value`` in UTC, if it falls between FIRST_YEAR and LAST_YEAR (else ValueError)."""
    try:
        return check_moment(value, "time")
    except InvalidInput:
        raise ValueError(f"give a time between the years {FIRST_YEAR} and {LAST_YEAR}") from None


def _day(value: date) -> date:
    try:
        return check_day(value, "day")
    except InvalidInput:
        raise ValueError(f"give a day between the years {FIRST_YEAR} and {LAST_YEAR}") from None


#: A moment given to the API: ISO 8601 with its offset ("2026-03-02T09:00:00Z",
#: "...+01:00"); one without says nothing about where it happened, so it is refused (422).
When = Annotated[AwareDatetime, AfterValidator(moment)]
#: A day given to the API (ISO 8601, "2026-03-02").
Day = Annotated[date, AfterValidator(_day)]

Short = Field(max_length=MAX_SHORT)
Text = Field(default="", max_length=MAX_TEXT)


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


# --- people ---------------------------------------------------------------------


class PersonCreate(Input):
    name: str = Field(min_length=1, max_length=MAX_SHORT)
    role: Role
    organisation: str = Field(default="", max_length=MAX_SHORT)
    notes: str = Text


class PersonUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=MAX_SHORT)
    role: Role | None = None
    organisation: str | None = Field(default=None, max_length=MAX_SHORT)
    notes: str | None = Field(default=None, max_length=MAX_TEXT)


class PersonPublic(Public):
    id: int
    name: str
    role: Role
    organisation: str
    notes: str
    created_at: datetime | None


# --- repairs --------------------------------------------------------------------


class RepairCreate(Input):
    person_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(min_length=1, max_length=MAX_SHORT)
    what_happened: str = Field(min_length=1, max_length=MAX_TEXT)
    occurred_on: Day | None = None
    my_part: str = Text
    impact: str = Text
    severity: int = Field(default=3, ge=1, le=5)


class RepairUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=MAX_SHORT)
    what_happened: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    occurred_on: Day | None = None
    my_part: str | None = Field(default=None, max_length=MAX_TEXT)
    impact: str | None = Field(default=None, max_length=MAX_TEXT)
    severity: int | None = Field(default=None, ge=1, le=5)


class StatusChangeCreate(Input):
    to: RepairStatus
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class StatusChangePublic(Public):
    from_status: RepairStatus | None
    to_status: RepairStatus
    at: datetime
    reason: str


class StepCheckPublic(BaseModel):
    met: bool
    missing: str


class StepPublic(BaseModel):
    step: Step
    number: int
    title: str
    purpose: str
    state: StepState
    completed_at: datetime | None
    skip_reason: str
    answers: dict[str, str]
    check: StepCheckPublic


class NextStepPublic(Public):
    step: Step
    why: str
    blocked_until: datetime | None
    waiting_for_reply: bool = False


class PatiencePublic(Public):
    allowed: bool
    reasons: list[str]
    next_allowed_at: datetime | None
    must_wait_for_reply: bool


class TrustPublic(Public):
    value: float
    uncertainty: float
    positive: float
    negative: float
    n_events: int


class TrendPublic(Public):
    direction: Literal["rising", "falling", "steady"]
    delta: float


class RepairPublic(Public):
    id: int
    person_id: int
    title: str
    what_happened: str
    occurred_on: date | None
    my_part: str
    impact: str
    severity: int
    status: RepairStatus
    opened_at: datetime
    status_changes: list[StatusChangePublic]


class RepairDetail(BaseModel):
    repair: RepairPublic
    person: PersonPublic
    steps: list[StepPublic]
    next_step: NextStepPublic | None
    patience: PatiencePublic
    trust: TrustPublic


class DueItemPublic(Public):
    kind: str
    repair_id: int
    item_id: int
    person: str
    label: str
    due_at: datetime
    owner: Party


class StatusRowPublic(BaseModel):
    repair_id: int
    title: str
    person: str
    role: Role
    status: RepairStatus
    severity: int
    progress: int
    steps: dict[Step, StepState]
    trust: TrustPublic
    trend: TrendPublic
    #: Since the first outcome and over the last 4 weeks, in words.
    trend_text: str
    next_step: NextStepPublic | None
    overdue: list[DueItemPublic]
    due_soon: list[DueItemPublic]


class AgendaPublic(Public):
    overdue: list[DueItemPublic]
    today: list[DueItemPublic]
    this_week: list[DueItemPublic]


class SuggestionPublic(Public):
    repair_id: int
    person: str
    text: str
    why: str


# --- steps ------------------------------------------------------------------------


class AnswersCreate(Input):
    answers: dict[str, str] = Field(max_length=20)


class StepDone(Input):
    force: bool = False


class StepSkip(Input):
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


# --- interactions ---------------------------------------------------------------


class InteractionCreate(Input):
    kind: InteractionKind
    initiated_by: Literal["me", "them"]
    occurred_at: When | None = None
    summary: str = Text
    their_perspective: str = Text
    my_interpretation: str = Text
    tension: Tension = Tension.CALM
    replied: bool | None = None
    force: bool = False


class ReplyCreate(Input):
    replied: bool = True
    replied_at: When | None = None


class InteractionPublic(Public):
    id: int
    occurred_at: datetime
    kind: InteractionKind
    initiated_by: Party
    summary: str
    their_perspective: str
    my_interpretation: str
    tension: Tension
    replied: bool | None
    replied_at: datetime | None
    forced: bool
    forced_reason: str


# --- drafts and the coach -------------------------------------------------------


class DraftCreate(Input):
    kind: DraftKind
    text: str = Field(min_length=1, max_length=MAX_DRAFT)
    title: str = Field(default="", max_length=MAX_SHORT)


class DraftVersionCreate(Input):
    text: str = Field(min_length=1, max_length=MAX_DRAFT)
    title: str = Field(default="", max_length=MAX_SHORT)


class DraftVersionPublic(Public):
    number: int
    text: str
    created_at: datetime
    coach_report: dict[str, Any] | None


class DraftPublic(Public):
    id: int
    kind: DraftKind
    title: str
    created_at: datetime | None
    sent_at: datetime | None
    sent_version: int | None
    versions: list[DraftVersionPublic]


class ProposedCommitmentPublic(Public):
    description: str
    owner: Party
    due_at: datetime | None
    recurrence: str | None
    start: int
    end: int


class DraftSend(Input):
    channel: InteractionKind | None = None
    accept: list[int] = Field(default_factory=list, max_length=50)
    force: bool = False


class TrackProposals(Input):
    accept: list[int] = Field(min_length=1, max_length=50)


class DraftSent(BaseModel):
    draft: DraftPublic
    proposals: list[ProposedCommitmentPublic]


class CoachRequest(Input):
    text: str = Field(max_length=MAX_DRAFT)
    step: DraftKind | None = None


class CoachSpanPublic(BaseModel):
    start: int
    end: int


class CoachFindingPublic(BaseModel):
    code: str
    severity: str
    start: int
    end: int
    quote: str
    explanation: str
    suggestion: str | None = None
    #: The words that weighed most (learned detectors), inside ``start``..``end``.
    focus: CoachSpanPublic | None = None
    #: Text to put in place of ``start``..``end`` ("" to leave it out), checked to
    #: remove the finding and add no problem.
    replacement: str | None = None


class CoachPromisePublic(BaseModel):
    owner: str
    action: str
    due: date | None = None
    due_text: str | None = None
    recurrence: str | None = None
    start: int
    end: int
    text: str


class CoachReportPublic(BaseModel):
    """What the coach found in a text; ``start``/``end`` are character offsets into it."""

    version: int
    step: str | None
    length: int
    language_supported: bool
    scores: dict[str, float | None]
    findings: list[CoachFindingPublic]
    commitments: list[CoachPromisePublic]


# --- commitments and check-ins --------------------------------------------------


class CommitmentCreate(Input):
    description: str = Field(min_length=1, max_length=MAX_TEXT)
    owner: Party = Party.ME
    due_at: When | None = None
    recurrence: str | None = Field(default=None, max_length=MAX_SHORT)
    ends_at: When | None = None


class OutcomeCreate(Input):
    status: Literal["kept", "late", "missed"]
    due_at: When | None = None
    note: str = Text


class OccurrencePublic(Public):
    id: int | None
    due_at: datetime
    status: OccurrenceStatus
    recorded_at: datetime | None
    note: str


class CommitmentPublic(Public):
    id: int
    description: str
    owner: Party
    created_at: datetime
    due_at: datetime | None
    recurrence: str | None
    ends_at: datetime | None
    active: bool
    source_draft_id: int | None
    occurrences: list[OccurrencePublic]


class CheckInCreate(Input):
    scheduled_at: When
    cadence_days: int | None = Field(default=None, ge=1, le=365)
    note: str = Text


class CheckInComplete(Input):
    outcome: str = Field(min_length=1, max_length=MAX_TEXT)
    note: str = Text
    adapt_cadence: bool = True


class CheckInPublic(Public):
    id: int
    scheduled_at: datetime
    created_at: datetime
    cadence_days: int | None
    completed_at: datetime | None
    outcome: str
    note: str
    cancelled: bool


class CheckInCompleted(BaseModel):
    check_in: CheckInPublic
    next_check_in: CheckInPublic | None


# --- common ground and agreement ------------------------------------------------


class CommonGroundCreate(Input):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: GroundKind = GroundKind.GOAL


class CommonGroundPublic(Public):
    id: int
    kind: GroundKind
    text: str
    created_at: datetime


class InitiativeCreate(Input):
    title: str = Field(min_length=1, max_length=MAX_SHORT)
    my_contribution: str = Text
    their_contribution: str = Text
    status: Literal["proposed", "active", "done", "dropped"] = "proposed"


class InitiativeUpdate(Input):
    status: Literal["proposed", "active", "done", "dropped"] | None = None
    my_contribution: str | None = Field(default=None, max_length=MAX_TEXT)
    their_contribution: str | None = Field(default=None, max_length=MAX_TEXT)


class InitiativePublic(Public):
    id: int
    title: str
    my_contribution: str
    their_contribution: str
    status: str
    created_at: datetime


class CommonGroundList(BaseModel):
    common_ground: list[CommonGroundPublic]
    initiatives: list[InitiativePublic]


class AgreementTask(BaseModel):
    task: str = Field(min_length=1, max_length=MAX_SHORT)
    owner: Party


class AgreementCreate(Input):
    channel: str | None = Field(default=None, max_length=MAX_TEXT)
    frequency: str | None = Field(default=None, max_length=MAX_TEXT)
    response_time: str | None = Field(default=None, max_length=MAX_TEXT)
    tasks: list[AgreementTask] | None = Field(default=None, max_length=100)
    raising_problems: str | None = Field(default=None, max_length=MAX_TEXT)
    review_on: Day | None = None
    notes: str | None = Field(default=None, max_length=MAX_TEXT)


class AgreementPublic(Public):
    version: int
    created_at: datetime
    channel: str
    frequency: str
    response_time: str
    tasks: list[dict[str, str]]
    raising_problems: str
    review_on: date | None
    notes: str


class AgreementHistory(BaseModel):
    current: AgreementPublic | None
    versions: list[AgreementPublic]


# --- trust ----------------------------------------------------------------------


class TrustPoint(BaseModel):
    week_ending: date
    value: float
    uncertainty: float


class TrustMover(BaseModel):
    at: datetime
    #: What the outcome counted as (the other person's verdict where they gave one).
    kind: OccurrenceStatus
    label: str
    delta: float
    #: Whose word it counted on: yours, theirs, agreed (the same from both) or disputed.
    word: Literal["yours", "theirs", "agreed", "disputed"] = "yours"
    #: The same in words: "your word", "Priya's word", "disputed by Priya", ...
    whose: str = "your word"


class TrustGap(BaseModel):
    """An outcome the two of you recorded differently, with both readings."""

    occurrence_id: int | None
    description: str
    due_at: datetime | None
    #: Your record; null while it is still pending on your side.
    mine: OccurrenceStatus | None
    #: Their latest verdict: kept, late, missed or disputed.
    theirs: str
    their_name: str
    their_note: str
    their_at: datetime | None
    #: What it counted as.
    counted: OccurrenceStatus
    #: The whole gap in one sentence, as the trust page shows it.
    text: str


class PulseAnswer(BaseModel):
    at: datetime
    score: int
    author: str
    note: str


class PulseFigures(BaseModel):
    #: Answers in the span asked for (``weeks``), their mean, the newest of all and its
    #: change from the one before.
    count: int
    average: float | None
    latest: PulseAnswer | None
    change: int | None


class TrustReportPublic(BaseModel):
    repair_id: int
    estimate: TrustPublic
    #: Over the last 4 weeks.
    trend: TrendPublic
    #: Since the first outcome and over the last 4 weeks, in words.
    summary: str
    trajectory: list[TrustPoint]
    #: Every recorded outcome with its effect on trust, the largest first (paged).
    movers: list[TrustMover]
    movers_total: int
    #: Where the other person's record differs from yours, oldest first.
    gaps: list[TrustGap] = []
    #: Their "how are we doing?" answers (1-5) over the span, oldest first.
    pulses: list[PulseAnswer] = []
    pulse: PulseFigures | None = None


class ImportResult(BaseModel):
    counts: dict[str, int]


class DemoLoaded(BaseModel):
    repair_id: int


class CalendarFeed(BaseModel):
    """The private subscription link; anyone holding it can read the feed."""

    url: str
    webcal_url: str


# --- accounts (team server) ---------------------------------------------------------


class AccountPublic(Public):
    """The account logged in on a team server."""

    email: str
    display_name: str
    is_admin: bool


class PasswordChange(Input):
    old_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)
