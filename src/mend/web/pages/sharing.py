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

from mend.domain.validation import SHAREABLE, VERDICTS
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
    "shares": "shares",
}

#: The invite form's words for each part the owner may share.
SHARE_LABELS = {
    "messages": "Messages you sent them (the version you sent)",
    "commitments": "Promises and how each went (they can confirm or dispute each)",
    "check_ins": "Check-in dates",
    "common_ground": "Common ground",
    "agreement": "The working agreement (they can comment on it and sign it)",
}


#: Short names of the same parts, for the list of invitations.
SHARE_NAMES = {
    "messages": "messages",
    "commitments": "promises",
    "check_ins": "check-ins",
    "common_ground": "common ground",
    "agreement": "the agreement",
}


def chosen_shares(data: dict[str, str]) -> list[str]:
    """The parts ticked on the invite form."""
    return [part for part in SHAREABLE if data.get(f"share_{part}")]


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
    view = shared.preview(app.uow(write=False), repair_id)
    return render_repair_page(
        request,
        "invite.html",
        repair=repair,
        person=person,
        section="invite",
        status_code=status_code,
        heading="Invite them in",
        invitations=found,
        shareable=SHAREABLE,
        share_labels=SHARE_LABELS,
        share_names=SHARE_NAMES,
        shared_view=view,
        events=shared.timeline(view),
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
            shares=chosen_shares(data),
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


def _preview(request: Request, repair_id: int, **choices: Any) -> HTMLResponse:
    app = mend(request)
    shared.catch_up(app.uow, repair_id, now=app.now())
    view = shared.preview(app.uow(write=False), repair_id, **choices)
    return render(
        request,
        "shared.html",
        page="shared",
        view=view,
        events=shared.timeline(view),
        preview_of=repair_id,
        verdicts=VERDICTS,
        errors={},
        values={},
        failed="",
        note="",
    )


@router.get("/repairs/{repair_id}/share-preview", response_class=HTMLResponse)
def share_preview(request: Request, repair_id: int) -> Response:
    """Exactly the page the invited person sees (their forms shown, but not working),
    as the newest invitation shares it."""
    return _preview(request, repair_id)


@router.post("/repairs/{repair_id}/share-preview", response_class=HTMLResponse)
async def share_preview_of_choices(request: Request, repair_id: int) -> Response:
    """The same, for the title, name and parts chosen on the invite form (nothing saved)."""
    data = await form(request)
    return await run_in_threadpool(
        partial(
            _preview,
            request,
            repair_id,
            title=data.get("shared_title", ""),
            their_name=data.get("their_name", ""),
            shares=chosen_shares(data),
        )
    )
