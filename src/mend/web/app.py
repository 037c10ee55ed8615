"""Build the FastAPI application around a Mend ``App`` (the composition root's product)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mend.app import App
from mend.web import errors
from mend.web.auth import PasswordSource, logged_in
from mend.web.guest import LINK_COOKIE, NO_LINK, current_guest
from mend.web.security import CSRF_COOKIE, SESSION_COOKIE, GuardMiddleware, is_token, new_token

HERE = Path(__file__).parent
#: Paths answered without a login: each checks what it needs itself (the calendar feed
#: its private link, a password reset its one-time link, the invited person's pages
#: their link session).
PUBLIC_PATHS = ("/static/", "/login", "/calendar/", "/healthz", "/reset/", "/join/", "/shared")
#: Where a browser holding only a link session may go: its own page, and what shows no
#: one's data. Everything else (the calendar download included) answers it 404.
LINK_SESSION_PATHS = ("/static/", "/login", "/healthz", "/reset/", "/join/", "/shared")


def from_environment() -> FastAPI:
    """The web app of a worker process (``mend serve --workers N``): settings from the
    config file and the ``MEND_*`` environment, as the parent process had them."""
    from mend.app import build
    from mend.settings import load_settings

    mend = build(load_settings())
    served = create_app(mend)
    settle_memory_for_serving(mend)
    return served


#: The collector's thresholds while serving (Python's default is 700, 10, 10).
SERVING_GC_THRESHOLDS = (50_000, 20, 100)


def settle_memory_for_serving(mend: App) -> None:
    """Tune Python's cyclic garbage collector for a long-running server, once its app is built.

    Everything loaded by then (SQLAlchemy, FastAPI, Jinja, the entities' mappings, made
    here rather than on the first write) lives as long as the process: ``gc.freeze``
    takes it out of every later collection. With the default thresholds a worker ran a
    collection every few requests, about 5% of its CPU under load, each full one walking
    the whole heap while every request waited; requests free almost everything they
    make, so collections can be rarer. Measured in docs/team-server.md ("Fourth round").
    """
    import gc

    mend.sessions.prepare()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


#: Every switch of FastAPI's telemetry off, whatever the environment says.
NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def create_app(mend: App, *, mail_interval: float | None = None) -> FastAPI:
    """The web app; with e-mail configured, a loop delivers mail every ``mail_interval``
    seconds (the setting of that name unless given) while it runs."""
    from mend.web import mailer

    api = FastAPI(
        lifespan=mailer.lifespan(mend, mail_interval or mend.settings.mail_interval),
        # FastAPI's built-in OpenTelemetry would trace requests and log exceptions (with
        # their messages, which can hold a user's words) to any exporter the environment
        # configures, FASTAPI_OTEL_AUTO_CONFIGURE included. Mend sends nothing anywhere.
        telemetry=NO_TELEMETRY,
        title="Mend",
        version="1",
        description="Repair a working relationship, step by step. Everything stays local.",
        # FastAPI's docs page loads Swagger UI from a CDN, which the CSP (rightly) blocks.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        responses={
            400: {"model": _error_model(), "description": "Bad request"},
            404: {"model": _error_model(), "description": "Not found"},
            409: {"model": _error_model(), "description": "Conflict with the current state"},
            413: {"model": _error_model(), "description": "Body or text too large"},
            422: {"model": _error_model(), "description": "Invalid input"},
        },
    )
    api.state.mend = mend
    api.state.passwords = PasswordSource(mend.settings.password_hash)
    api.state.templates = _templates(mend)
    errors.install(api)

    from mend.web.api import router as api_router
    from mend.web.pages import router as pages_router

    api.include_router(api_router)
    api.include_router(pages_router)
    api.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @api.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    api.add_middleware(SessionAndCsrf)
    api.add_middleware(GuardMiddleware, allowed_hosts=mend.settings.allowed_hosts)
    return api


async def _only_a_link_session(request: Request) -> bool:
    """Whether this request carries a live link session and no owner login of its own.

    In local mode without a password everyone counts as logged in, so there it is the
    session cookie that tells the owner's browser from the invited person's.
    """
    if not request.cookies.get(LINK_COOKIE):
        return False
    if request.cookies.get(SESSION_COOKIE) and await logged_in(request):
        return False
    return await current_guest(request) is not None


def _error_model() -> type:
    from mend.web.schemas import ErrorResponse

    return ErrorResponse


def _templates(mend: App) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    from mend.web import filters

    filters.install(templates.env, mend.tz)
    templates.env.globals["team_server"] = mend.settings.team
    return templates


class SessionAndCsrf:
    """Ask for the password when one is set (on a team server, an account's login, which
    decides whose data the request sees); give every browser a CSRF cookie.

    Plain ASGI rather than Starlette's ``BaseHTTPMiddleware``, which runs the rest of
    the app in a task of its own and streams its answer through a queue: about a third
    of a millisecond of CPU on every request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        refused = await _refusal(request)
        if refused is not None:
            await refused(scope, receive, send)
            return
        token = request.cookies.get(CSRF_COOKIE, "")
        if not is_token(token):  # a cookie set by someone else is replaced, never echoed
            token = new_token()
        request.state.csrf_token = token
        if request.cookies.get(CSRF_COOKIE) == token:
            await self.app(scope, receive, send)
            return
        cookie = _csrf_cookie(token)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), cookie]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


async def _refusal(request: Request) -> Response | None:
    """The answer to a request that may not go on, or None when it may."""
    path = request.url.path
    if not path.startswith(LINK_SESSION_PATHS) and await _only_a_link_session(request):
        # The invited person reaches /shared and nothing else: any other page, API call
        # or download is "not found", never a login page that confirms an owner's route.
        return errors.not_found(request, NO_LINK)
    if not path.startswith(PUBLIC_PATHS) and not await logged_in(request):
        if path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse(
                errors.error_body("unauthorized", "Log in first (POST /login)."),
                status_code=401,
            )
        return RedirectResponse("/login", status_code=303)
    return None


def _csrf_cookie(token: str) -> tuple[bytes, bytes]:
    """The ``Set-Cookie`` header that gives a browser its CSRF token."""
    carrier = Response()
    carrier.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return next((k, v) for k, v in carrier.raw_headers if k == b"set-cookie")
