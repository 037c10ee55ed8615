"""The repair pages: opening a repair, and the repair itself as a guided path of ten steps.

The repair page shows each step with its purpose, guidance and questions (a form that
completes it), its state and why the recommended step is next; the timeline of what
happened; the patience panel; and the forms that move the repair along. A refused form
re-renders the page with the message beside the field and nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.app import App
from mend.dates import parse_when
from mend.domain.enums import (
    DraftKind,
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Role,
    Step,
    StepState,
    Tension,
)
from mend.domain.guides import StepGuide, guide
from mend.domain.model import ALLOWED_TRANSITIONS, Repair
from mend.domain.playbook import StepCheck
from mend.domain.recurrence import describe as describe_recurrence
from mend.domain.validation import check_severity, clean_text, one_line
from mend.errors import InvalidInput, MendError, NotFound, PatienceWarning
from mend.services import interactions, overview, people, repairs, shared, steps
from mend.web.filters import human
from mend.web.pages.common import form, mend, redirect, render
from mend.web.pages.forms import Failed, choices, parse_date, parse_int
from mend.web.pages.repairctx import load

router = APIRouter()

#: What each step's work is written as, when the coach can help with it.
STEP_DRAFTS: Mapping[Step, DraftKind] = {
    Step.ACKNOWLEDGE: DraftKind.ACKNOWLEDGMENT,
    Step.OPEN_CONVERSATION: DraftKind.OUTREACH,
    Step.LISTEN: DraftKind.LISTENING,
    Step.EMPATHIZE: DraftKind.EMPATHY,
    Step.APOLOGIZE: DraftKind.APOLOGY,
    Step.OFFER_SOLUTIONS: DraftKind.SOLUTION,
    Step.SET_EXPECTATIONS: DraftKind.AGREEMENT,
}

#: Where else a step's work is done (path under /repairs/{id}, label).
STEP_LINKS: Mapping[Step, tuple[tuple[str, str], ...]] = {
    Step.OPEN_CONVERSATION: (("#log", "Log your outreach"), ("/checkins", "Schedule a check-in")),
    Step.LISTEN: (("#log", "Log the conversation and their perspective"),),
    Step.OFFER_SOLUTIONS: (("/commitments", "Record a commitment"),),
    Step.BE_PATIENT: (("#patience", "See what patience asks right now"),),
    Step.REBUILD_TRUST: (("/commitments", "Your commitments"), ("/trust", "Trust over time")),
    Step.FIND_COMMON_GROUND: (("/ground", "Record common ground and a joint initiative"),),
    Step.SET_EXPECTATIONS: (("/agreement", "Write the working agreement"),),
}

#: Form field names for the service's field names, where they differ.
INTERACTION_FIELDS = {
    "initiated_by": "started_by",
    "their_perspective": "their_view",
    "repair": "_form",
}
REPAIR_FIELDS = {"person": "person_id", "name": "new_person_name", "role": "new_person_role"}

SEVERITIES = [
    ("1", "1: minor friction"),
    ("2", "2: noticeable"),
    ("3", "3: serious"),
    ("4", "4: very serious"),
    ("5", "5: the working relationship has broken down"),
]

STATUS_HELP = {
    RepairStatus.OPEN: "Just opened; nothing has been worked on yet.",
    RepairStatus.IN_PROGRESS: "You are working through the steps.",
    RepairStatus.MONITORING: "The steps are done; you are watching that things hold.",
    RepairStatus.RESTORED: "The relationship works again.",
    RepairStatus.CLOSED_UNRESOLVED: "You stopped without the relationship being repaired.",
}


# --- building the page ---------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    """One of the ten steps as the page shows it."""

    step: Step
    guide: StepGuide
    state: StepState
    check: StepCheck
    values: dict[str, str]
    completed_at: datetime | None
    skip_reason: str
    is_next: bool
    draft_kind: DraftKind | None
    links: tuple[tuple[str, str], ...]

    @property
    def closed(self) -> bool:
        return self.state != StepState.PENDING


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    details: list[str] = field(default_factory=list)
    link: str = ""
    reply_to: int | None = None


def step_views(view: overview.RepairView) -> list[StepView]:
    repair = view.repair
    records = {r.step: r for r in repair.steps}
    next_step = view.next_step.step if view.next_step else None
    out = []
    for step in Step:
        record = records.get(step)
        values = dict(record.answers) if record else {}
        if step == Step.ACKNOWLEDGE:
            values |= {
                "what_happened": repair.what_happened,
                "my_part": repair.my_part,
                "impact": repair.impact,
            }
        out.append(
            StepView(
                step=step,
                guide=guide(step),
                state=record.state if record else StepState.PENDING,
                check=view.checks[step],
                values=values,
                completed_at=record.completed_at if record else None,
                skip_reason=record.skip_reason if record else "",
                is_next=step == next_step,
                draft_kind=STEP_DRAFTS.get(step),
                links=STEP_LINKS.get(step, ()),
            )
        )
    return out


def timeline(repair: Repair, tz: tzinfo) -> list[TimelineEntry]:
    """Everything that happened in this repair, newest first."""
    entries: list[TimelineEntry] = []
    for i in repair.interactions:
        who = "You reached out" if i.initiated_by == Party.ME else "They got in touch"
        details = [d for d in (i.summary,) if d]
        if i.their_perspective:
            details.append(f"Their view: {i.their_perspective}")
        if i.my_interpretation:
            details.append(f"How you read it: {i.my_interpretation}")
        if i.tension != Tension.CALM:
            details.append(f"The mood was {i.tension.value}.")
        if i.forced:
            details.append("Logged despite a patience warning.")
        if i.initiated_by == Party.ME and i.replied is not None:
            details.append("They replied." if i.replied else "No reply.")
        awaiting = (
            i.initiated_by == Party.ME
            and i.replied is None
            and i.kind
            in (
                InteractionKind.EMAIL,
                InteractionKind.MESSAGE,
            )
        )
        entries.append(
            TimelineEntry(
                i.occurred_at,
                "interaction",
                f"{who} ({i.kind.value})",
                details,
                reply_to=i.id if awaiting else None,
            )
        )
    for d in repair.drafts:
        link = f"/repairs/{repair.id}/drafts/{d.id}"
        if d.created_at:
            entries.append(
                TimelineEntry(
                    d.created_at, "draft", f"Draft started: {d.title}", [d.kind.value], link
                )
            )
        if d.sent_at:
            entries.append(
                TimelineEntry(d.sent_at, "sent", f"Sent: {d.title}", [d.kind.value], link)
            )
    for c in repair.commitments:
        when = (
            describe_recurrence(c.recurrence)
            if c.recurrence
            else f"due {c.due_at.astimezone(tz):%a %d %b %Y %H:%M}"
            if c.due_at
            else ""
        )
        owner = {Party.ME: "You", Party.THEM: "They", Party.BOTH: "You both"}[c.owner]
        entries.append(
            TimelineEntry(
                c.created_at, "commitment", f"Commitment: {c.description}", [f"{owner}, {when}"]
            )
        )
        for o in c.occurrences:
            if o.status != OccurrenceStatus.PENDING and o.recorded_at:
                entries.append(
                    TimelineEntry(
                        o.recorded_at,
                        f"outcome {o.status.value}",
                        f"{o.status.value.capitalize()}: {c.description}",
                        [o.note] if o.note else [],
                    )
                )
    for k in repair.check_ins:
        entries.append(
            TimelineEntry(
                k.created_at,
                "checkin",
                f"Check-in planned for {k.scheduled_at.astimezone(tz):%a %d %b %Y %H:%M}",
                [k.note] if k.note else [],
            )
        )
        if k.completed_at:
            entries.append(
                TimelineEntry(
                    k.completed_at,
                    "checkin",
                    "Check-in held",
                    [x for x in (k.outcome, k.note) if x],
                )
            )
    for s in repair.status_changes:
        title = (
            "Repair opened"
            if s.from_status is None
            else f"Status: {human(s.from_status)} → {human(s.to_status)}"
        )
        entries.append(TimelineEntry(s.at, "status", title, [s.reason] if s.reason else []))
    for r in repair.steps:
        if r.completed_at and r.state != StepState.PENDING:
            verb = "done" if r.state == StepState.DONE else "skipped"
            entries.append(
                TimelineEntry(
                    r.completed_at,
                    "step",
                    f"Step {r.step.number} {verb}: {guide(r.step).title}",
                    [r.skip_reason] if r.skip_reason else [],
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def local_input(moment: datetime, tz: tzinfo) -> str:
    """A moment as ``<input type=datetime-local>`` wants it, in the user's zone."""
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def repair_page(
    request: Request,
    repair_id: int,
    *,
    failed: Failed | None = None,
    warning: str = "",
) -> Response:
    app = mend(request)
    view, (their_views, their_verdicts, their_pulses) = shared.owner_page(
        app.uow(write=False), repair_id, now=app.now(), tz=app.tz
    )
    repair = view.repair
    events = timeline(repair, app.tz)
    drafts = sorted(repair.drafts, key=lambda d: d.id or 0, reverse=True)
    promised = {o.id: (c, o) for c in repair.commitments for o in c.occurrences}
    return render(
        request,
        "repair.html",
        their_views=their_views,
        their_verdicts=[(v, *promised[v.occurrence_id]) for v in their_verdicts],
        their_pulses=their_pulses,
        status_code=failed.status if failed else 200,
        page="repair",
        view=view,
        repair=repair,
        person=view.person,
        steps=step_views(view),
        done=sum(1 for r in repair.steps if r.state != StepState.PENDING),
        timeline=events,
        drafts=drafts,
        next_statuses=choices(
            [s for s in RepairStatus if s in ALLOWED_TRANSITIONS[repair.status]],
            {"closed_unresolved": "Closed, unresolved"},
        ),
        status_help=STATUS_HELP,
        kinds=choices(InteractionKind),
        tensions=choices(Tension),
        draft_kinds=choices(DraftKind),
        now_input=local_input(app.now(), app.tz),
        failed=failed,
        warning=warning,
    )


# --- opening a repair ----------------------------------------------------------------


def new_repair_page(
    request: Request, *, failed: Failed | None = None, person_id: str = ""
) -> Response:
    app = mend(request)
    return render(
        request,
        "repair_new.html",
        status_code=failed.status if failed else 200,
        page="new",
        people=people.list_people(app.uow(write=False)),
        roles=choices(Role),
        failed=failed,
        person_id=person_id,
        severities=SEVERITIES,
        today=app.now().astimezone(app.tz).date().isoformat(),
    )


@router.get("/repairs/new", response_class=HTMLResponse)
def new_repair(request: Request, person_id: str = "") -> Response:
    return new_repair_page(request, person_id=person_id)


def _repair_fields(data: Mapping[str, str], app: App) -> dict[str, object]:
    """The repair's fields read and checked, before anything is saved."""
    occurred_on = parse_date(data.get("occurred_on", ""), "occurred_on")
    if occurred_on is not None and occurred_on > app.now().astimezone(app.tz).date():
        raise InvalidInput(
            f"The date it happened ({occurred_on.isoformat()}) is in the future.",
            field="occurred_on",
        )
    return {
        "title": one_line(data.get("title"), "title", required=True),
        "what_happened": clean_text(data.get("what_happened"), "what_happened", required=True),
        "my_part": clean_text(data.get("my_part"), "my_part"),
        "impact": clean_text(data.get("impact"), "impact"),
        "severity": check_severity(parse_int(data.get("severity", "3"), "severity", "Severity")),
        "occurred_on": occurred_on,
    }


def edit_repair_page(request: Request, repair_id: int, *, failed: Failed | None = None) -> Response:
    app = mend(request)
    repair, person = load(app, repair_id)
    return render(
        request,
        "repair_edit.html",
        status_code=failed.status if failed else 200,
        page="repair",
        repair=repair,
        person=person,
        failed=failed,
        severities=SEVERITIES,
        today=app.now().astimezone(app.tz).date().isoformat(),
    )


@router.get("/repairs/{repair_id:int}/edit", response_class=HTMLResponse)
def edit_repair(request: Request, repair_id: int) -> Response:
    return edit_repair_page(request, repair_id)


@router.post("/repairs/{repair_id:int}/edit")
async def save_repair(request: Request, repair_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        repairs.update_repair(app.uow(), repair_id, now=app.now(), **_repair_fields(data, app))  # type: ignore[arg-type]
    except InvalidInput as exc:
        return edit_repair_page(request, repair_id, failed=Failed.of("repair", exc, data))
    return redirect(f"/repairs/{repair_id}")


@router.get("/repairs")
def repairs_list() -> Response:
    """Every repair is on the home page."""
    return redirect("/")


@router.post("/repairs")
async def open_repair(request: Request) -> Response:
    data = await form(request)
    app = mend(request)
    new_name = data.get("new_person_name", "").strip()
    try:
        fields = _repair_fields(data, app)
        who: str | people.NewPerson
        if new_name:
            who = people.new_person(
                name=new_name, role=data.get("new_person_role") or Role.OTHER, now=app.now()
            )
        else:
            who = data.get("person_id", "").strip()
            if not who:
                raise InvalidInput(
                    "Say who this is with: choose someone, or give a new person's name.",
                    field="person_id" if "person_id" in data else "new_person_name",
                )
            if not who.isdigit():
                raise InvalidInput("Choose a person from the list.", field="person_id")
        # One transaction: a new person is saved with the repair, or not at all.
        repair = repairs.open_repair(app.uow(), person=who, now=app.now(), **fields)  # type: ignore[arg-type]
    except MendError as exc:
        failed = Failed.of("repair", exc, data, fields=REPAIR_FIELDS)
        if isinstance(exc, NotFound):
            failed = Failed("repair", {"person_id": exc.message}, data)
        return new_repair_page(request, failed=failed)
    return redirect(f"/repairs/{repair.id}")


# --- the repair page -----------------------------------------------------------------


@router.get("/repairs/{repair_id:int}", response_class=HTMLResponse)
def repair_detail(request: Request, repair_id: int) -> Response:
    return repair_page(request, repair_id)


def _step(value: str) -> Step:
    try:
        return Step(value)
    except ValueError:
        raise NotFound(f"There is no step called {value!r}.", field="step") from None


StepAction = Callable[[App, Step, dict[str, str]], object]


async def _on_step(
    request: Request, repair_id: int, step: str, form_name: str, action: StepAction
) -> Response:
    """Run ``action`` on one step from its form; a refusal re-renders beside that form."""
    data = await form(request)
    which = _step(step)
    try:
        action(mend(request), which, data)
    except NotFound:
        raise
    except MendError as exc:
        failed = Failed.of(f"{form_name}-{which.value}", exc, data)
        return repair_page(request, repair_id, failed=failed)
    return redirect(f"/repairs/{repair_id}#step-{which.value}")


@router.post("/repairs/{repair_id:int}/steps/{step}")
async def answer_step(request: Request, repair_id: int, step: str) -> Response:
    def answer(app: App, which: Step, data: dict[str, str]) -> object:
        keys = {q.key for q in guide(which).questions}
        answers = {k: v for k, v in data.items() if k in keys}
        return steps.answer_step(app.uow(), repair_id, which, answers, now=app.now())

    return await _on_step(request, repair_id, step, "step", answer)


@router.post("/repairs/{repair_id:int}/steps/{step}/skip")
async def skip_step(request: Request, repair_id: int, step: str) -> Response:
    def skip(app: App, which: Step, data: dict[str, str]) -> object:
        if not data.get("reason", "").strip():
            raise InvalidInput(
                "Say why you are skipping this step; it helps when you look back.",
                field="reason",
            )
        return steps.skip_step(app.uow(), repair_id, which, reason=data["reason"], now=app.now())

    return await _on_step(request, repair_id, step, "skip", skip)


@router.post("/repairs/{repair_id:int}/steps/{step}/done")
async def complete_step(request: Request, repair_id: int, step: str) -> Response:
    def done(app: App, which: Step, data: dict[str, str]) -> object:
        force = bool(data.get("force"))
        return steps.complete_step(app.uow(), repair_id, which, now=app.now(), force=force)

    return await _on_step(request, repair_id, step, "done", done)


@router.post("/repairs/{repair_id:int}/steps/{step}/reopen")
async def reopen_step(request: Request, repair_id: int, step: str) -> Response:
    def reopen(app: App, which: Step, data: dict[str, str]) -> object:
        return steps.reopen_step(app.uow(), repair_id, which, now=app.now())

    return await _on_step(request, repair_id, step, "reopen", reopen)


@router.post("/repairs/{repair_id:int}/status")
async def change_status(request: Request, repair_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        repairs.change_status(
            app.uow(),
            repair_id,
            to=data.get("status", ""),
            reason=data.get("reason", ""),
            now=app.now(),
        )
    except NotFound:
        raise
    except MendError as exc:
        failed = Failed.of("status", exc, data, fields={"repair": "status"}, default="status")
        return repair_page(request, repair_id, failed=failed)
    return redirect(f"/repairs/{repair_id}")


def _replied(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value.strip().lower())


@router.post("/repairs/{repair_id:int}/interactions")
async def log_interaction(request: Request, repair_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        raw_at = data.get("occurred_at", "").strip()
        occurred_at = (
            parse_when(raw_at, now=app.now(), tz=app.tz, field="occurred_at")
            if raw_at
            else app.now()
        )
        interactions.log_interaction(
            app.uow(),
            repair_id,
            kind=data.get("kind", ""),
            initiated_by=data.get("started_by", ""),
            occurred_at=occurred_at,
            summary=data.get("summary", ""),
            their_perspective=data.get("their_view", ""),
            my_interpretation=data.get("my_interpretation", ""),
            tension=data.get("tension") or Tension.CALM,
            replied=_replied(data.get("replied", "")),
            force=bool(data.get("force")),
            now=app.now(),
            tz=app.tz,
        )
    except NotFound:
        raise
    except PatienceWarning as exc:
        return repair_page(
            request,
            repair_id,
            failed=Failed("interaction", {}, data, exc.http_status),
            warning=exc.message.replace(" (CLI: --force)", ""),
        )
    except MendError as exc:
        failed = Failed.of("interaction", exc, data, fields=INTERACTION_FIELDS)
        return repair_page(request, repair_id, failed=failed)
    return redirect(f"/repairs/{repair_id}#timeline")


@router.post("/repairs/{repair_id:int}/interactions/{interaction_id:int}/reply")
async def record_reply(request: Request, repair_id: int, interaction_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    interactions.record_reply(
        app.uow(),
        repair_id,
        interaction_id,
        replied=data.get("replied", "yes") != "no",
        now=app.now(),
    )
    return redirect(f"/repairs/{repair_id}#timeline")
