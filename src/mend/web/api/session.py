"""Logging in when a password is set: /login (a page and JSON) and /logout.

With a password, every page and API call but /login, /healthz, /static and the private
calendar link needs the session cookie this sets (see mend.web.app and mend.web.auth).
On a team server the login is an account's email and password, and the session acts
for that account.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from mend.errors import TooManyAttempts, Unauthorized
from mend.web import auth
from mend.web.errors import error_body

router = APIRouter(include_in_schema=False)

#: Notes the login page can show after a redirect (``/login?done=reset``).
_NOTES = {
    "reset": "Your new password is set; log in with it.",
    "shared": "Log in, and you come back to the page that was shared with you.",
}
#: Where a login may lead afterwards (``/login?then=shared``): named, never a URL, so
#: the login page cannot be made to send anyone elsewhere.
_THEN = {"shared": "/shared#keep"}


def _login_page(
    request: Request, *, error: str = "", status_code: int = 200, email: str = "", then: str = ""
) -> HTMLResponse:
    from mend.web.pages.common import render

    return render(
        request,
        "login.html",
        status_code=status_code,
        page="login",
        error=error,
        team=auth.is_team(request),
        email=email,
        note=_NOTES.get(request.query_params.get("done", "") or then, ""),
        then=then,
    )


async def json_strings(request: Request, fields: tuple[str, ...]) -> dict[str, str] | JSONResponse:
    """The text ``fields`` of a JSON body (a script logging in, or setting a password), or
    the 422 answer naming the first one missing."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    missing = [f for f in fields if not isinstance(body, dict) or not isinstance(body.get(f), str)]
    if missing:
        shape = ", ".join(f'"{f}": "..."' for f in fields)
        return JSONResponse(
            error_body("invalid_input", f"Send {{{shape}}}.", missing[0]), status_code=422
        )
    assert isinstance(body, dict)
    return {f: body[f] for f in fields}


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    if not auth.is_team(request) and not auth.password_hash(request):
        return RedirectResponse("/", status_code=303)
    then = request.query_params.get("then", "")
    return _login_page(request, then=then if then in _THEN else "")


@router.post("/login")
async def login(request: Request) -> Response:
    """A form post (password + csrf_token, and email on a team server), or JSON
    ``{"password": "..."}`` (``{"email": "...", "password": "..."}``) for scripts."""
    from mend.web.pages.common import form

    team = auth.is_team(request)
    fields = ("email", "password") if team else ("password",)
    as_json = request.headers.get("content-type", "").startswith("application/json")
    then = ""
    if as_json:
        body = await json_strings(request, fields)
        if isinstance(body, JSONResponse):
            return body
        values = body
    else:
        data = await form(request)
        values = {f: data.get(f, "") for f in fields}
        then = data.get("then", "") if data.get("then", "") in _THEN else ""
        if not team and not auth.password_hash(request):
            return RedirectResponse("/", status_code=303)
    try:
        if team:
            token = await auth.log_in_account(request, values["email"], values["password"])
        else:
            token = await auth.log_in(request, values["password"])
    except (Unauthorized, TooManyAttempts) as exc:
        headers = {"retry-after": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
        if as_json:
            return JSONResponse(exc.to_dict(), status_code=exc.http_status, headers=headers)
        page = _login_page(
            request,
            error=exc.message,
            status_code=exc.http_status,
            email=values.get("email", ""),
            then=then,
        )
        page.headers.update(headers)
        return page
    response: Response = (
        Response(status_code=204)
        if as_json
        else RedirectResponse(_THEN.get(then, "/"), status_code=303)
    )
    auth.set_session_cookie(request, response, token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    from mend.web.pages.common import form

    if not request.headers.get("content-type", "").startswith("application/json"):
        await form(request)
        response: Response = RedirectResponse("/login", status_code=303)
    else:
        response = Response(status_code=204)
    await auth.log_out(request, response)
    return response
