"""/api/v1/repairs/{id}/…: interactions, drafts, commitments, check-ins, ground, agreement."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request

from mend.app import App
from mend.domain.model import Repair
from mend.errors import InvalidInput, NotFound
from mend.services import checkins, commitments, drafts, ground, interactions, listing, repairs
from mend.services.coaching import report_for
from mend.web import schemas as s
from mend.web.deps import PREFIX, Id, Paging, get_mend, page_params

router = APIRouter(prefix=PREFIX + "/repairs/{repair_id}")


def _repair(app: App, repair_id: int) -> Repair:
    return repairs.get_repair(app.uow(write=False), repair_id)


def _records(
    app: App, repair_id: int, kind: listing.RecordKind, paging: Paging
) -> dict[str, object]:
    items, total = listing.repair_records(
        app.uow(write=False), repair_id, kind, limit=paging.limit, offset=paging.offset
    )
    return paging.result(items, total)


# --- interactions -----------------------------------------------------------------


@router.get("/interactions", response_model=s.Page[s.InteractionPublic], tags=["interactions"])
def list_interactions(
    repair_id: Id, paging: Paging = Depends(page_params), app: App = Depends(get_mend)
) -> dict[str, object]:
    return _records(app, repair_id, "interactions", paging)


@router.post(
    "/interactions", response_model=s.InteractionPublic, status_code=201, tags=["interactions"]
)
def log_interaction(
    repair_id: Id, body: s.InteractionCreate, app: App = Depends(get_mend)
) -> object:
    fields = body.model_dump()
    occurred_at = fields.pop("occurred_at") or app.now()
    return interactions.log_interaction(
        app.uow(), repair_id, occurred_at=occurred_at, now=app.now(), tz=app.tz, **fields
    )


@router.get(
    "/interactions/{interaction_id}", response_model=s.InteractionPublic, tags=["interactions"]
)
def get_interaction(repair_id: Id, interaction_id: Id, app: App = Depends(get_mend)) -> object:
    return interactions.find_interaction(_repair(app, repair_id), interaction_id)


@router.post(
    "/interactions/{interaction_id}/reply",
    response_model=s.InteractionPublic,
    tags=["interactions"],
)
def record_reply(
    repair_id: Id, interaction_id: Id, body: s.ReplyCreate, app: App = Depends(get_mend)
) -> object:
    return interactions.record_reply(
        app.uow(),
        repair_id,
        interaction_id,
        replied=body.replied,
        replied_at=body.replied_at,
        now=app.now(),
    )


@router.get("/patience", response_model=s.PatiencePublic, tags=["interactions"])
def check_patience(
    repair_id: Id,
    at: datetime | None = Query(
        None, description="When you would reach out (default: now; without an offset, local time)."
    ),
    app: App = Depends(get_mend),
) -> object:
    when = at or app.now()
    if when.tzinfo is None:
        when = when.replace(tzinfo=app.tz)
    try:
        when = s.moment(when)
    except ValueError as exc:
        raise InvalidInput(f"at: {exc}.", field="at") from exc
    return interactions.check_outreach(app.uow(write=False), repair_id, at=when, tz=app.tz)


# --- drafts -------------------------------------------------------------------------


@router.get("/drafts", response_model=s.Page[s.DraftPublic], tags=["drafts"])
def list_drafts(
    repair_id: Id, paging: Paging = Depends(page_params), app: App = Depends(get_mend)
) -> dict[str, object]:
    return _records(app, repair_id, "drafts", paging)


@router.post("/drafts", response_model=s.DraftPublic, status_code=201, tags=["drafts"])
def new_draft(repair_id: Id, body: s.DraftCreate, app: App = Depends(get_mend)) -> object:
    return drafts.save_draft(
        app.uow(), repair_id, kind=body.kind, text=body.text, title=body.title, now=app.now()
    )


@router.get("/drafts/{draft_id}", response_model=s.DraftPublic, tags=["drafts"])
def get_draft(repair_id: Id, draft_id: Id, app: App = Depends(get_mend)) -> object:
    return drafts.find_draft(_repair(app, repair_id), draft_id)


@router.post(
    "/drafts/{draft_id}/versions", response_model=s.DraftPublic, status_code=201, tags=["drafts"]
)
def new_version(
    repair_id: Id, draft_id: Id, body: s.DraftVersionCreate, app: App = Depends(get_mend)
) -> object:
    return drafts.save_draft(
        app.uow(), repair_id, draft_id=draft_id, text=body.text, title=body.title, now=app.now()
    )


@router.get(
    "/drafts/{draft_id}/versions/{number}/coach",
    response_model=s.CoachReportPublic,
    tags=["drafts"],
)
def version_report(repair_id: Id, draft_id: Id, number: Id, app: App = Depends(get_mend)) -> object:
    """The coach's report on one saved version of a draft (as saved, unless a newer
    coach reads it differently)."""
    draft = drafts.find_draft(_repair(app, repair_id), draft_id)
    for version in draft.versions:
        if version.number == number:
            return report_for(version, draft.kind)
    raise NotFound(f"Draft {draft_id} has no version {number}.", field="number")


@router.get(
    "/drafts/{draft_id}/proposed-commitments",
    response_model=list[s.ProposedCommitmentPublic],
    tags=["drafts"],
)
def proposed(repair_id: Id, draft_id: Id, app: App = Depends(get_mend)) -> object:
    return drafts.preview_commitments(
        app.uow(write=False), repair_id, draft_id, now=app.now(), tz=app.tz
    )


@router.post("/drafts/{draft_id}/send", response_model=s.DraftSent, tags=["drafts"])
def send(repair_id: Id, draft_id: Id, body: s.DraftSend, app: App = Depends(get_mend)) -> object:
    draft, proposals = drafts.send_draft(
        app.uow(),
        repair_id,
        draft_id,
        channel=body.channel,
        accept=body.accept,
        force=body.force,
        now=app.now(),
        tz=app.tz,
    )
    return {"draft": draft, "proposals": proposals}


@router.post(
    "/drafts/{draft_id}/track",
    response_model=list[s.CommitmentPublic],
    status_code=201,
    tags=["drafts"],
)
def track(
    repair_id: Id, draft_id: Id, body: s.TrackProposals, app: App = Depends(get_mend)
) -> object:
    """After sending: track some of the promises the sent draft made, by position.

    Promises already tracked from this draft are not added twice; the answer lists the
    commitments added now.
    """
    return drafts.track_proposals(
        app.uow(), repair_id, draft_id, body.accept, now=app.now(), tz=app.tz
    )


# --- commitments ----------------------------------------------------------------------


@router.get("/commitments", response_model=s.Page[s.CommitmentPublic], tags=["commitments"])
def list_commitments(
    repair_id: Id, paging: Paging = Depends(page_params), app: App = Depends(get_mend)
) -> dict[str, object]:
    return _records(app, repair_id, "commitments", paging)


@router.post(
    "/commitments", response_model=s.CommitmentPublic, status_code=201, tags=["commitments"]
)
def add_commitment(repair_id: Id, body: s.CommitmentCreate, app: App = Depends(get_mend)) -> object:
    return commitments.record_commitment(
        app.uow(), repair_id, now=app.now(), tz=app.tz, **body.model_dump()
    )


@router.get("/commitments/{commitment_id}", response_model=s.CommitmentPublic, tags=["commitments"])
def get_commitment(repair_id: Id, commitment_id: Id, app: App = Depends(get_mend)) -> object:
    return commitments.find_commitment(_repair(app, repair_id), commitment_id)


@router.post(
    "/commitments/{commitment_id}/outcomes",
    response_model=s.OccurrencePublic,
    tags=["commitments"],
)
def record_outcome(
    repair_id: Id, commitment_id: Id, body: s.OutcomeCreate, app: App = Depends(get_mend)
) -> object:
    return commitments.record_outcome(
        app.uow(),
        repair_id,
        commitment_id,
        status=body.status,
        due_at=body.due_at,
        note=body.note,
        now=app.now(),
        tz=app.tz,
    )


@router.post(
    "/commitments/{commitment_id}/cancel",
    response_model=s.CommitmentPublic,
    tags=["commitments"],
)
def cancel_commitment(repair_id: Id, commitment_id: Id, app: App = Depends(get_mend)) -> object:
    return commitments.cancel_commitment(app.uow(), repair_id, commitment_id, now=app.now())


# --- check-ins ----------------------------------------------------------------------


@router.get("/check-ins", response_model=s.Page[s.CheckInPublic], tags=["check-ins"])
def list_check_ins(
    repair_id: Id, paging: Paging = Depends(page_params), app: App = Depends(get_mend)
) -> dict[str, object]:
    return _records(app, repair_id, "check_ins", paging)


@router.post("/check-ins", response_model=s.CheckInPublic, status_code=201, tags=["check-ins"])
def schedule(repair_id: Id, body: s.CheckInCreate, app: App = Depends(get_mend)) -> object:
    return checkins.schedule_check_in(
        app.uow(),
        repair_id,
        at=body.scheduled_at,
        cadence_days=body.cadence_days,
        note=body.note,
        now=app.now(),
    )


@router.get("/check-ins/{check_in_id}", response_model=s.CheckInPublic, tags=["check-ins"])
def get_check_in(repair_id: Id, check_in_id: Id, app: App = Depends(get_mend)) -> object:
    return checkins.find_check_in(_repair(app, repair_id), check_in_id)


@router.post(
    "/check-ins/{check_in_id}/complete", response_model=s.CheckInCompleted, tags=["check-ins"]
)
def complete(
    repair_id: Id, check_in_id: Id, body: s.CheckInComplete, app: App = Depends(get_mend)
) -> object:
    done, successor = checkins.complete_check_in(
        app.uow(),
        repair_id,
        check_in_id,
        outcome=body.outcome,
        note=body.note,
        adapt_cadence=body.adapt_cadence,
        now=app.now(),
    )
    return {"check_in": done, "next_check_in": successor}


@router.post("/check-ins/{check_in_id}/cancel", response_model=s.CheckInPublic, tags=["check-ins"])
def cancel(
    request: Request, repair_id: Id, check_in_id: Id, app: App = Depends(get_mend)
) -> object:
    base = app.settings.public_url or str(request.base_url)
    return checkins.cancel_check_in(
        app.uow(), repair_id, check_in_id, now=app.now(), mailing=app.mailing(base), tz=app.tz
    )


# --- common ground and agreement ------------------------------------------------------


@router.get("/common-ground", response_model=s.CommonGroundList, tags=["common ground"])
def list_common_ground(repair_id: Id, app: App = Depends(get_mend)) -> object:
    repair = _repair(app, repair_id)
    return {"common_ground": repair.common_ground, "initiatives": repair.initiatives}


@router.post(
    "/common-ground",
    response_model=s.CommonGroundPublic,
    status_code=201,
    tags=["common ground"],
)
def add_ground(repair_id: Id, body: s.CommonGroundCreate, app: App = Depends(get_mend)) -> object:
    return ground.add_common_ground(
        app.uow(), repair_id, text=body.text, kind=body.kind, now=app.now()
    )


@router.post(
    "/initiatives", response_model=s.InitiativePublic, status_code=201, tags=["common ground"]
)
def add_initiative(repair_id: Id, body: s.InitiativeCreate, app: App = Depends(get_mend)) -> object:
    return ground.add_initiative(app.uow(), repair_id, now=app.now(), **body.model_dump())


@router.patch(
    "/initiatives/{initiative_id}", response_model=s.InitiativePublic, tags=["common ground"]
)
def update_initiative(
    repair_id: Id, initiative_id: Id, body: s.InitiativeUpdate, app: App = Depends(get_mend)
) -> object:
    return ground.update_initiative(
        app.uow(), repair_id, initiative_id, now=app.now(), **body.model_dump(exclude_unset=True)
    )


@router.get("/agreement", response_model=s.AgreementHistory, tags=["agreement"])
def get_agreement(repair_id: Id, app: App = Depends(get_mend)) -> object:
    repair = _repair(app, repair_id)
    return {"current": repair.agreement, "versions": repair.agreements}


@router.post("/agreement", response_model=s.AgreementPublic, status_code=201, tags=["agreement"])
def set_agreement(repair_id: Id, body: s.AgreementCreate, app: App = Depends(get_mend)) -> object:
    fields = body.model_dump(exclude_unset=True)
    if "tasks" in fields and fields["tasks"] is not None:
        fields["tasks"] = [(t["task"], t["owner"]) for t in fields["tasks"]]
    return ground.set_agreement(app.uow(), repair_id, now=app.now(), **fields)


__all__ = ["NotFound", "router"]
