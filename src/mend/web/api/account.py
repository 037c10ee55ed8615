"""/api/v1/account: the account logged in on a team server, and its password."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from mend.store.accounts import Account
from mend.web import auth
from mend.web import schemas as s
from mend.web.deps import PREFIX

router = APIRouter(prefix=f"{PREFIX}/account", tags=["account"])


@router.get("", response_model=s.AccountPublic)
def whoami(request: Request) -> Account:
    """The account logged in (team servers only; 404 elsewhere)."""
    return auth.logged_in_account(request)


@router.post("/password", status_code=204, response_class=Response)
async def change_password(request: Request, body: s.PasswordChange) -> Response:
    """Change the password. Every session of the account ends, this one included; the
    answer sets the cookie of a new session."""
    token = await auth.change_password(request, old=body.old_password, new=body.new_password)
    response = Response(status_code=204)
    auth.set_session_cookie(request, response, token)
    return response
