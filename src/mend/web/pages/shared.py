"""The invited person's side: /join/{token} opens a link session, /shared is their page.

What the page shows is decided in one place (mend.services.shared.shared_view); here
are only the link, the page and what they can say (their view, a verdict on a promise,
a pulse answer, a comment on the agreement) or do (sign the current agreement version).
Every write checks the CSRF token like every other form.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from mend.domain.validation import VERDICTS
from mend.errors import MendError, NotFound
from mend.services import invitations, shared, signing
from mend.services.invitations import Guest
from mend.services.mail import checkins as mail_checkins
from mend.store.accounts import Account
from mend.web.auth import base_app, is_team, logged_in_account, session_account
from mend.web.guest import LINK_COOKIE, guest_app, require_guest, set_link_cookie
from mend.web.pages.common import form, mailing, redirect, render
from mend.web.pages.repairctx import form_error

router = APIRouter()


def _page(
    request: Request,
    guest: Guest,
    *,
    failed: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    note: str = "",
    **extra: Any,
) -> HTMLResponse:
    app = guest_app(request, guest)
    view = shared.shared_page(app.uow, guest, now=app.now())
    return render(
        request,
        "shared.html",
        status_code=status_code,
        page="shared",
        view=view,
        events=shared.timeline(view),
        preview_of=None,
        verdicts=VERDICTS,
        joined=guest.invitation.joined_account_id,
        failed=failed,
        errors=errors or {},
        values=values or {},
        note=note,
        **extra,
    )


_NOTES = {
    "view": "Thank you; your view is saved.",
    "verdict": "Thank you; your answer is saved.",
    "pulse": "Thank you; your answer is saved.",
    "comment": "Thank you; your comment is saved.",
    "sign": "You signed this version of the agreement.",
    "keep": "It is kept in your account: open it from “Shared with you” after you log in.",
}


@router.get("/join/{token}")
async def join(request: Request, token: str) -> Response:
    """Open an invitation link: a link session starts, and the shared page follows."""
    app = base_app(request)
    session = await run_in_threadpool(
        invitations.accept,
        app.uow(account=None),
        token,
        now=app.now(),
        replacing=request.cookies.get(LINK_COOKIE),
    )
    response = redirect("/shared")
    set_link_cookie(request, response, session)
    return response


async def _account(request: Request) -> Account | None:
    """On a team server, the account this browser is also logged in to, if any."""
    return await session_account(request) if is_team(request) else None


@router.get("/shared", response_class=HTMLResponse)
async def shared_page(request: Request) -> Response:
    guest = await require_guest(request)
    done = request.query_params.get("done", "")
    account = await _account(request)
    return await run_in_threadpool(
        partial(_page, request, guest, note=_NOTES.get(done, ""), account=account)
    )


@router.post("/shared/keep")
async def keep_in_account(request: Request) -> Response:
    """Keep this invitation in the account this browser is logged in to (team server)."""
    guest = await require_guest(request)
    await form(request)
    account = await _account(request)
    if account is None:
        if not is_team(request):
            raise NotFound("This Mend has no accounts: keep the link you were sent instead.")
        return redirect("/login?then=shared")
    app = base_app(request)
    try:
        await run_in_threadpool(invitations.keep, app.uow(account=None), guest, account.id)
    except MendError as exc:
        return await run_in_threadpool(
            partial(
                _page,
                request,
                guest,
                failed="keep",
                errors={"account": exc.message},
                status_code=exc.http_status,
                account=account,
            )
        )
    return redirect("/shared?done=keep#keep")


@router.get("/with-me", response_class=HTMLResponse)
def with_me(request: Request) -> Response:
    """An account's list of repairs others shared with it and it keeps."""
    account = logged_in_account(request)
    app = base_app(request)
    kept = invitations.kept_by(app.uow(account=None, write=False), account.id)
    return render(request, "with_me.html", page="with-me", kept=kept, now=app.now())


@router.post("/with-me/{invitation_id}/open")
async def open_kept(request: Request, invitation_id: int) -> Response:
    """Open a kept invitation's shared page from the account (a link session for it)."""
    await form(request)
    account = logged_in_account(request)
    app = base_app(request)
    session = await run_in_threadpool(
        partial(
            invitations.open_kept,
            app.uow(account=None),
            account.id,
            invitation_id,
            now=app.now(),
            replacing=request.cookies.get(LINK_COOKIE),
        )
    )
    response = redirect("/shared")
    set_link_cookie(request, response, session)
    return response


async def _say(request: Request, what: str, action: Any, occurrence: int | None = None) -> Response:
    guest = await require_guest(request)
    data = await form(request)
    app = guest_app(request, guest)
    try:
        await run_in_threadpool(action, app, guest, data)
    except NotFound:
        raise
    except MendError as exc:
        fallback = {
            "view": "text",
            "verdict": "note",
            "pulse": "score",
            "comment": "text",
            "sign": "version",
        }[what]
        names = {
            "text": "text",
            "note": "note",
            "score": "score",
            "verdict": "verdict",
            "version": "version",
        }
        return await run_in_threadpool(
            partial(
                _page,
                request,
                guest,
                failed=what,
                errors=form_error(exc, fallback, names),
                values=data,
                status_code=exc.http_status,
                failed_occurrence=str(occurrence or ""),
            )
        )
    return redirect(f"/shared?done={what}#{what}")


@router.post("/shared/view")
async def give_view(request: Request) -> Response:
    def act(app: Any, guest: Guest, data: dict[str, str]) -> None:
        shared.give_view(app.uow(), guest, text=data.get("text", ""), now=app.now())

    return await _say(request, "view", act)


@router.post("/shared/occurrences/{occurrence_id}")
async def give_verdict(request: Request, occurrence_id: int) -> Response:
    def act(app: Any, guest: Guest, data: dict[str, str]) -> None:
        shared.give_verdict(
            app.uow(),
            guest,
            occurrence_id,
            verdict=data.get("verdict", ""),
            note=data.get("note", ""),
            now=app.now(),
            mailing=mailing(request, app),
        )

    return await _say(request, "verdict", act, occurrence_id)


@router.post("/shared/pulse")
async def give_pulse(request: Request) -> Response:
    def act(app: Any, guest: Guest, data: dict[str, str]) -> None:
        raw = data.get("score", "").strip()
        score = int(raw) if raw.isdigit() and len(raw) == 1 else 0
        shared.give_pulse(app.uow(), guest, score=score, note=data.get("note", ""), now=app.now())

    return await _say(request, "pulse", act)


@router.post("/shared/agreement/comment")
async def comment_on_agreement(request: Request) -> Response:
    def act(app: Any, guest: Guest, data: dict[str, str]) -> None:
        signing.their_comment(
            app.uow(),
            guest,
            text=data.get("text", ""),
            now=app.now(),
            mailing=mailing(request, app),
        )

    return await _say(request, "comment", act)


@router.post("/shared/agreement/sign")
async def sign_agreement(request: Request) -> Response:
    def act(app: Any, guest: Guest, data: dict[str, str]) -> None:
        raw = data.get("version", "").strip()
        version = int(raw) if raw.isdigit() and len(raw) <= 9 else 0
        signing.their_sign(
            app.uow(), guest, now=app.now(), version=version, mailing=mailing(request, app)
        )

    return await _say(request, "sign", act)


@router.get("/shared/check-ins/{check_in_id}.ics")
async def check_in_calendar(request: Request, check_in_id: int) -> Response:
    """One check-in of their repair as a calendar file (only through their link session:
    anyone else, the owner included, gets 404)."""
    guest = await require_guest(request)
    app = guest_app(request, guest)
    body = await run_in_threadpool(
        partial(
            mail_checkins.download,
            app.uow(write=False),
            guest,
            check_in_id,
            base_url=app.settings.public_url or str(request.base_url),
            sender=app.settings.mail_from,
            now=app.now(),
        )
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="check-in-{check_in_id}.ics"',
            "cache-control": "no-store",
        },
    )


@router.post("/shared/leave")
async def leave(request: Request) -> Response:
    """End the link session on this browser (the link itself keeps working)."""
    await require_guest(request)
    await form(request)
    app = base_app(request)
    await run_in_threadpool(
        invitations.leave, app.uow(account=None), request.cookies.get(LINK_COOKIE)
    )
    response = render(request, "shared_closed.html", page="shared")
    response.delete_cookie(LINK_COOKIE, path="/")
    return response
