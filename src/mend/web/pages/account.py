"""Your account on a team server: changing the password, and setting a new one with a
one-time reset link (a page, and JSON for scripts, as /login takes)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from mend.errors import InvalidInput, MendError, NotFound
from mend.services import accounts
from mend.store.accounts import Account
from mend.web import auth
from mend.web.api.session import json_strings
from mend.web.pages.common import form, redirect, render
from mend.web.pages.forms import Failed

router = APIRouter()

#: Where each refusal shows on the password form ("password" is the back-off's field).
_CHANGE_FIELDS = {"password": "old_password", "old_password": "old_password"}
_CHANGE_FIELDS |= {"new_password": "new_password", "confirm": "confirm"}
_RESET_FIELDS = {"password": "password", "new_password": "password", "confirm": "confirm"}


def _typed_twice(data: dict[str, str], name: str) -> str:
    """A new password typed twice in a form (InvalidInput when the two differ)."""
    new = data.get(name, "")
    if new != data.get("confirm", ""):
        raise InvalidInput(
            "The two new passwords differ; type the same one twice.", field="confirm"
        )
    return new


def _refused(form_name: str, exc: MendError, fields: dict[str, str]) -> Failed:
    # What was typed is never sent back: these are passwords.
    return Failed.of(form_name, exc, {}, fields=fields, default=next(iter(fields.values())))


def _account_page(
    request: Request, *, failed: Failed | None = None, changed: bool = False
) -> Response:
    return render(
        request,
        "account.html",
        status_code=failed.status if failed else 200,
        page="account",
        account=auth.logged_in_account(request),
        failed=failed,
        changed=changed,
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request) -> Response:
    return _account_page(request, changed=bool(request.query_params.get("changed")))


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    """Change the password: every other session of the account ends; this browser goes
    on with a new one."""
    data = await form(request)
    auth.logged_in_account(request)  # 404 where there are no accounts
    try:
        token = await auth.change_password(
            request, old=data.get("old_password", ""), new=_typed_twice(data, "new_password")
        )
    except MendError as exc:
        return _account_page(request, failed=_refused("password", exc, _CHANGE_FIELDS))
    response = redirect("/account?changed=1")
    auth.set_session_cookie(request, response, token)
    return response


# --- a one-time reset link ------------------------------------------------------------


def _reset_target(request: Request, token: str) -> Account:
    """The account a live reset link is for (404 saying why not, or with no accounts)."""
    if not auth.is_team(request):
        raise NotFound("This Mend has no accounts, so no password to reset.")
    app = auth.base_app(request)
    return accounts.reset_target(app.uow(write=False), token, now=app.now())


def _reset_page(
    request: Request, token: str, account: Account, *, failed: Failed | None = None
) -> Response:
    return render(
        request,
        "reset.html",
        status_code=failed.status if failed else 200,
        page="reset",
        token=token,
        account=account,
        failed=failed,
    )


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str) -> Response:
    """The page a reset link opens: a new password, typed twice (404 once the link has
    expired or was used)."""
    return _reset_page(request, token, _reset_target(request, token))


@router.post("/reset/{token}")
async def reset(request: Request, token: str) -> Response:
    """Set the new password (a form, or JSON ``{"password": "..."}``). The link is used
    up and every session of the account ends."""
    as_json = request.headers.get("content-type", "").startswith("application/json")
    if as_json:
        body = await json_strings(request, ("password",))
        if isinstance(body, JSONResponse):
            return body
        typed = {"password": body["password"], "confirm": body["password"]}
    else:
        typed = await form(request)
    account = await run_in_threadpool(_reset_target, request, token)
    app = auth.base_app(request)
    try:
        new = _typed_twice(typed, "password")
        await run_in_threadpool(
            accounts.reset_password, app.uow(), token, password=new, now=app.now()
        )
    except NotFound:
        raise
    except MendError as exc:
        if as_json:
            raise
        return _reset_page(request, token, account, failed=_refused("reset", exc, _RESET_FIELDS))
    return Response(status_code=204) if as_json else redirect("/login?done=reset")
