"""The invited person's link session on the web: its cookie, and who it stands for.

A link session is not a login: it reaches /shared (the one repair of its invitation)
and nothing else. Every other page and API call answers a request that carries only a
link session with 404, the answer an id that does not exist gets (mend.web.app).
"""

from __future__ import annotations

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from mend.app import App
from mend.errors import NotFound
from mend.services import invitations
from mend.services.auth import SESSION_MAX
from mend.services.invitations import Guest
from mend.web.auth import base_app

#: The link session's cookie (the owner's login is another cookie, never this one).
LINK_COOKIE = "mend_link"

NO_LINK = (
    "There is nothing shared with you here. Open the invitation link you were sent "
    "again; if it no longer works, ask for a new one."
)


async def current_guest(request: Request) -> Guest | None:
    """The live link session this request's cookie names (once per request), or None."""
    if hasattr(request.state, "guest"):
        found: Guest | None = request.state.guest
        return found
    app = base_app(request)
    token = request.cookies.get(LINK_COOKIE)
    guest = (
        await run_in_threadpool(invitations.guest, app.uow, token, now=app.now()) if token else None
    )
    request.state.guest = guest
    return guest


async def require_guest(request: Request) -> Guest:
    guest = await current_guest(request)
    if guest is None:
        raise NotFound(NO_LINK)
    return guest


def guest_app(request: Request, guest: Guest) -> App:
    """The application acting for the repair's owner, to read and write that repair."""
    return base_app(request).acting_as(guest.account_id)


def set_link_cookie(request: Request, response: Response, token: str) -> None:
    # Lax, not Strict: the link is opened from an email or a chat, another site, and
    # the redirect that follows must carry the cookie. Writes stay protected by the
    # CSRF token and the same-origin check like every other form.
    response.set_cookie(
        LINK_COOKIE,
        token,
        max_age=int(SESSION_MAX.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
