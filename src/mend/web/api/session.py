"""Logging in when a password is set: /login (a page and JSON) and /logout.

With a password, every page and API call but /login, /healthz, /static and the private
calendar link needs the session cookie this sets (see mend.web.app).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from mend.web.errors import error_body
from mend.web.security import SESSION_COOKIE, sign, verify_password

router = APIRouter(include_in_schema=False)

WRONG = "That is not the password; try again."


def _logged_in(request: Request, response: Response) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        sign("owner", request.app.state.session_key),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    from mend.web.pages.common import mend, render

    if not mend(request).settings.password_hash:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", page="login", error="")


@router.post("/login")
async def login(request: Request) -> Response:
    """A form post (password + csrf_token), or JSON ``{"password": "..."}`` for scripts."""
    from mend.web.pages.common import form, mend, render

    password_hash = mend(request).settings.password_hash
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("password"), str):
            return JSONResponse(
                error_body("invalid_input", 'Send {"password": "..."}.', "password"),
                status_code=422,
            )
        if not password_hash or not verify_password(password_hash, body["password"]):
            return JSONResponse(error_body("unauthorized", WRONG, "password"), status_code=401)
        return _logged_in(request, Response(status_code=204))
    data = await form(request)
    if not password_hash:
        return RedirectResponse("/", status_code=303)
    if not verify_password(password_hash, data.get("password", "")):
        return render(request, "login.html", status_code=401, page="login", error=WRONG)
    return _logged_in(request, RedirectResponse("/", status_code=303))


@router.post("/logout")
async def logout(request: Request) -> Response:
    from mend.web.pages.common import form

    if not request.headers.get("content-type", "").startswith("application/json"):
        await form(request)
        response: Response = RedirectResponse("/login", status_code=303)
    else:
        response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response
