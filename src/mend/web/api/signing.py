"""/api/v1/repairs/{id}/agreement/signing: comments on the agreement and signatures.

The owner's side of what the other person does on their page: read where the current
version stands, comment on it, sign it. The rules live in mend.services.signing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from mend.app import App
from mend.domain.validation import MAX_SHORT, MAX_TEXT
from mend.errors import NotFound
from mend.services import signing
from mend.web.deps import PREFIX, Id, get_mend
from mend.web.schemas import Input

router = APIRouter(prefix=PREFIX + "/repairs/{repair_id}/agreement", tags=["agreement"])

Side = Literal["owner", "them"]


class CommentCreate(Input):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    name: str = Field(default="", max_length=MAX_SHORT)


class SignCreate(Input):
    #: The version the owner read: refused with 409 if it is no longer the current one.
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    name: str = Field(default="", max_length=MAX_SHORT)


class CommentPublic(BaseModel):
    id: int
    agreement_id: int
    by: Side
    author: str
    text: str
    created_at: datetime


class SignaturePublic(BaseModel):
    by: Side
    name: str
    signed_at: datetime


class SigningPublic(BaseModel):
    agreement_id: int
    version: int
    owner_signed: bool
    they_signed: bool
    #: Signed by both: this version no longer changes; a change makes a new version.
    locked: bool
    signatures: list[SignaturePublic]
    comments: list[CommentPublic]


@router.get("/signing", response_model=SigningPublic)
def get_signing(repair_id: Id, app: App = Depends(get_mend)) -> dict[str, object]:
    found = signing.status(app.uow(write=False), repair_id)
    if found is None:
        raise NotFound("There is no agreement to comment on or sign yet.", field="agreement")
    return found.as_dict()


@router.post("/comments", response_model=SigningPublic, status_code=201)
def add_comment(
    repair_id: Id, body: CommentCreate, app: App = Depends(get_mend)
) -> dict[str, object]:
    done = signing.comment(app.uow(), repair_id, text=body.text, now=app.now(), name=body.name)
    return done.as_dict()


@router.post("/sign", response_model=SigningPublic)
def sign(
    request: Request, repair_id: Id, body: SignCreate, app: App = Depends(get_mend)
) -> dict[str, object]:
    """The owner signs; where e-mail is on, those who have not signed are asked to."""
    done = signing.sign(
        app.uow(),
        repair_id,
        now=app.now(),
        version=body.version,
        name=body.name,
        mailing=app.mailing(app.settings.public_url or str(request.base_url)),
    )
    return done.as_dict()
