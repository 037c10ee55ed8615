"""Logging in when a password is set: /login (a page and JSON) and /logout.

With a password, every page and API call but /login, /healthz, /static and the private
calendar link needs the session cookie this sets (see mend.web.app and mend.web.auth).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from mend.errors import TooManyAttempts, Unauthorized
from mend.web import auth
from mend.web.errors import error_body

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    from mend.web.pages.common import render

    if not auth.password_hash(request):
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", page="login", error="")


@router.post("/login")
async def login(request: Request) -> Response:
    """A form post (password + csrf_token), or JSON ``{"password": "..."}`` for scripts."""
    from mend.web.pages.common import form, render

    as_json = request.headers.get("content-type", "").startswith("application/json")
    if as_json:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("password"), str):
            return JSONResponse(
                error_body("invalid_input", 'Send {"password": "..."}.', "password"),
                status_code=422,
            )
        password = body["password"]
    else:
        password = (await form(request)).get("password", "")
        if not auth.password_hash(request):
            return RedirectResponse("/", status_code=303)
    try:
        token = await auth.log_in(request, password)
    except (Unauthorized, TooManyAttempts) as exc:
        headers = {"retry-after": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
        if as_json:
            return JSONResponse(exc.to_dict(), status_code=exc.http_status, headers=headers)
        page = render(
            request, "login.html", status_code=exc.http_status, page="login", error=exc.message
        )
        page.headers.update(headers)
        return page
    response: Response = (
        Response(status_code=204) if as_json else RedirectResponse("/", status_code=303)
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
