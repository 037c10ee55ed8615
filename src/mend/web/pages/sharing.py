"""The owner's side of inviting the other person in: /repairs/{id}/invite and the preview.

The link is shown once, on the page that answers the form that made it; only its hash
is kept. The preview renders the very template and data the invited person gets.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from mend.domain.validation import VERDICTS
from mend.errors import MendError, NotFound
from mend.services import invitations, shared
from mend.web.pages.common import form, mailing, mend, redirect, render
from mend.web.pages.repairctx import form_error, load, render_repair_page

router = APIRouter()

FIELDS = {
    "shared_title": "shared_title",
    "their_name": "their_name",
    "email": "email",
    "valid_days": "valid_days",
}


def _page(
    request: Request,
    repair_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    app = mend(request)
    repair, person = load(app, repair_id)
    found = invitations.list_for(app.uow(write=False), repair_id)
    return render_repair_page(
        request,
        "invite.html",
        repair=repair,
        person=person,
        section="invite",
        status_code=status_code,
        heading="Invite them in",
        invitations=found,
        now=app.now(),
        mail_on=app.settings.sends_mail,
        errors=errors or {},
        values=values or {},
        **extra,
    )


@router.get("/repairs/{repair_id}/invite", response_class=HTMLResponse)
def invite_page(request: Request, repair_id: int) -> Response:
    return _page(request, repair_id)


@router.post("/repairs/{repair_id}/invitations")
async def add_invitation(request: Request, repair_id: int) -> Response:
    app = mend(request)
    data = await form(request)
    days_text = data.get("valid_days", "").strip()
    page = partial(_page, request, repair_id, values=data)
    try:
        days = int(days_text) if days_text else None
    except ValueError:
        return page(errors={"valid_days": "Give a number of days, such as 14."}, status_code=422)
    try:
        made = await run_in_threadpool(
            invitations.create,
            app.uow(),
            repair_id,
            shared_title=data.get("shared_title", ""),
            their_name=data.get("their_name", ""),
            email=data.get("email", ""),
            now=app.now(),
            valid_days=days,
            mailing=mailing(request, app),
        )
    except NotFound:
        raise
    except MendError as exc:
        return page(errors=form_error(exc, "shared_title", FIELDS), status_code=exc.http_status)
    base = app.settings.public_url or str(request.base_url)
    # The link is shown on this answer only: a redirect would have to carry the token.
    return _page(request, repair_id, status_code=201, new_link=made.link(base), made=made)


@router.post("/repairs/{repair_id}/invitations/{invitation_id}/revoke")
async def revoke_invitation(request: Request, repair_id: int, invitation_id: int) -> Response:
    app = mend(request)
    await form(request)
    await run_in_threadpool(invitations.revoke, app.uow(), repair_id, invitation_id, now=app.now())
    return redirect(f"/repairs/{repair_id}/invite#invitations")


@router.get("/repairs/{repair_id}/share-preview", response_class=HTMLResponse)
def share_preview(request: Request, repair_id: int) -> Response:
    """Exactly the page the invited person sees (their forms shown, but not working)."""
    app = mend(request)
    view = shared.preview(app.uow(write=False), repair_id)
    return render(
        request,
        "shared.html",
        page="shared",
        view=view,
        preview_of=repair_id,
        verdicts=VERDICTS,
        errors={},
        values={},
        failed="",
        note="",
    )
