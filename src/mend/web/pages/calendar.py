"""The calendar feed: a private link to subscribe to, and a one-off download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mend.app import App
from mend.errors import NotFound
from mend.services import calendar_token, exports
from mend.web.auth import base_app, logged_in
from mend.web.pages.common import form, mend, redirect, render

router = APIRouter()

ICS_TYPE = "text/calendar; charset=utf-8"


def _feed(app: App, *, filename: str, attachment: bool) -> Response:
    body = exports.calendar_feed(app.uow(write=False), now=app.now())
    disposition = "attachment" if attachment else "inline"
    return Response(
        body,
        media_type=ICS_TYPE,
        headers={
            "content-disposition": f'{disposition}; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request) -> Response:
    token = calendar_token.owner_token(mend(request).uow())
    base = str(request.base_url).rstrip("/")
    feed_url = f"{base}/calendar/{token}.ics"
    return render(
        request,
        "calendar.html",
        page="calendar",
        feed_url=feed_url,
        webcal_url="webcal://" + feed_url.split("://", 1)[1],
        renewed=bool(request.query_params.get("renewed")),
    )


@router.post("/calendar")
async def regenerate_link(request: Request) -> Response:
    """Replace the private link; calendars subscribed to the old one stop updating."""
    await form(request)
    await run_in_threadpool(calendar_token.renew_owner_token, mend(request).uow())
    return redirect("/calendar?renewed=1")


@router.get("/calendar/mend.ics")
async def download(request: Request) -> Response:
    # /calendar/ is open to calendar apps, so this download checks the login itself.
    if not await logged_in(request):
        return RedirectResponse("/login", status_code=303)
    return await run_in_threadpool(_feed, mend(request), filename="mend.ics", attachment=True)


@router.get("/calendar/{token}.ics")
def subscription(request: Request, token: str) -> Response:
    """The feed behind a private link: the local owner's, or on a team server the
    account's whose link it is (no login: calendar apps cannot log in)."""
    app = base_app(request)
    if app.settings.team:
        account = calendar_token.account_for_token(app.uow(write=False), token)
        feed_of = None if account is None else app.acting_as(account)
    else:
        feed_of = app if calendar_token.token_is_valid(token) else None
    if feed_of is None:
        raise NotFound("There is no calendar at this address; copy the link again from Mend.")
    return _feed(feed_of, filename="mend.ics", attachment=False)
