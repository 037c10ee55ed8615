"""/api/v1/repairs/{id}/invitations: invite the other person in, list, revoke; and what
they wrote (their view, verdicts, pulse answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from mend.app import App
from mend.domain.validation import MAX_SHORT, SHAREABLE
from mend.services import invitations, shared
from mend.store.invitations import Invitation
from mend.web.deps import PREFIX, Id, get_mend
from mend.web.schemas import Input, Public

router = APIRouter(prefix=PREFIX + "/repairs/{repair_id}", tags=["invitations"])


class InvitationCreate(Input):
    shared_title: str = Field(min_length=1, max_length=MAX_SHORT)
    their_name: str = Field(min_length=1, max_length=MAX_SHORT)
    email: str = Field(default="", max_length=254)
    valid_days: int | None = Field(default=None, ge=1, le=invitations.MAX_VALID_DAYS)
    #: What they will see besides the title (default: all of these).
    shares: list[Annotated[str, Field(max_length=32)]] | None = Field(
        default=None, max_length=len(SHAREABLE)
    )


class InvitationPublic(BaseModel):
    id: int
    shared_title: str
    their_name: str
    email: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    accepted_at: datetime | None
    status: str
    shares: list[str]


class InvitationCreated(InvitationPublic):
    #: The link to give them: shown in this answer only (the server keeps its hash).
    link: str
    #: Whether the link is also e-mailed to them (an address given, e-mail configured).
    emailed: bool


class TheirWordsPublic(Public):
    id: int
    author: str
    created_at: datetime
    text: str
    verdict: str = ""
    occurrence_id: int | None = None
    score: int | None = None


class TheirWordsAll(BaseModel):
    views: list[TheirWordsPublic]
    verdicts: list[TheirWordsPublic]
    pulses: list[TheirWordsPublic]


class SharedEventPublic(BaseModel):
    at: datetime
    #: "owner" or "them"
    by: str
    #: Who did it, as the owner reads it: "You", or the other person's name.
    actor: str
    what: str
    detail: str


def _public(invitation: Invitation, now: datetime) -> dict[str, object]:
    return {
        "id": invitation.id,
        "shared_title": invitation.shared_title,
        "their_name": invitation.their_name,
        "email": invitation.email,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "revoked_at": invitation.revoked_at,
        "accepted_at": invitation.accepted_at,
        "status": invitation.status(now),
        "shares": invitation.shared_parts,
    }


@router.get("/invitations", response_model=list[InvitationPublic])
def list_invitations(repair_id: Id, app: App = Depends(get_mend)) -> list[dict[str, object]]:
    now = app.now()
    return [_public(i, now) for i in invitations.list_for(app.uow(write=False), repair_id)]


@router.post("/invitations", response_model=InvitationCreated, status_code=201)
def create_invitation(
    request: Request, repair_id: Id, body: InvitationCreate, app: App = Depends(get_mend)
) -> dict[str, object]:
    base = app.settings.public_url or str(request.base_url)
    made = invitations.create(
        app.uow(), repair_id, now=app.now(), mailing=app.mailing(base), **body.model_dump()
    )
    emailed = bool(made.invitation.email and app.settings.sends_mail)
    return {**_public(made.invitation, app.now()), "link": made.link(base), "emailed": emailed}


@router.post("/invitations/{invitation_id}/revoke", response_model=InvitationPublic)
def revoke_invitation(
    repair_id: Id, invitation_id: Id, app: App = Depends(get_mend)
) -> dict[str, object]:
    done = invitations.revoke(app.uow(), repair_id, invitation_id, now=app.now())
    return _public(done, app.now())


@router.get("/their-words", response_model=TheirWordsAll)
def their_words(repair_id: Id, app: App = Depends(get_mend)) -> dict[str, object]:
    views, verdicts, pulses = shared.their_words(app.uow(write=False), repair_id)
    return {"views": views, "verdicts": verdicts, "pulses": pulses}


@router.get("/shared-timeline", response_model=list[SharedEventPublic])
def shared_timeline(repair_id: Id, app: App = Depends(get_mend)) -> list[dict[str, object]]:
    """Who did what on the shared items, newest first, as the owner reads it."""
    view = shared.preview(app.uow(write=False), repair_id)
    return [
        {
            "at": e.at,
            "by": e.by,
            "actor": e.actor(view, "owner"),
            "what": e.what,
            "detail": e.detail,
        }
        for e in shared.timeline(view)
    ]
