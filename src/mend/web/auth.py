"""The web side of logging in: the current password, the session cookie, the login check.

Threats (docs/security.md): someone on the network guessing the password (back-off,
argon2 off the event loop), a stolen or leftover cookie (server-side sessions that end
at logout, on expiry and when the password changes), and on a team server another
account (every request acts for the account its session names: :func:`acting_app`).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from mend.app import App
from mend.errors import Unauthorized
from mend.passwords import verify_password
from mend.services import accounts, auth
from mend.settings import config_file_path, read_config_file
from mend.store.accounts import Account
from mend.web.security import SESSION_COOKIE


class PasswordSource:
    """The password hash now in force, even if `mend password` changed it since start.

    The environment outranks the config file and cannot change under a running server;
    the file can, so it is read again whenever its size or modification time change (a
    ``stat`` per request, microseconds).
    """

    def __init__(self, initial: str) -> None:
        self._hash = initial
        self._from_env = "MEND_PASSWORD_HASH" in os.environ
        self._path: Path = config_file_path()
        self._stamp = self._stat()

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self._path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def current(self) -> str:
        if self._from_env:
            return self._hash
        stamp = self._stat()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                data = read_config_file(self._path) if stamp is not None else {}
            except Exception:  # a half-written file: keep the last good value
                return self._hash
            self._hash = str(data.get("password_hash", ""))
        return self._hash


def base_app(request: Request) -> App:
    """The application as built, acting for no one in particular (the local owner)."""
    app: App = request.app.state.mend
    return app


def is_team(request: Request) -> bool:
    """Whether this is a team server (`mend serve --team`): accounts, not one password."""
    return base_app(request).settings.team


def acting_app(request: Request) -> App:
    """The application acting for whoever made this request: on a team server the
    account its session names (set once per request by the login check in
    mend.web.app), in local mode the local owner. Every page and API call reads and
    writes through it, so each sees only its own account's data."""
    acting: App | None = getattr(request.state, "acting", None)
    if acting is None:
        app = base_app(request)
        if app.settings.team:
            account: Account | None = getattr(request.state, "account", None)
            if account is None:  # never reached past the login check; refuse all the same
                raise Unauthorized("Log in first (POST /login).")
            app = app.acting_as(account.id)
        acting = request.state.acting = app
    return acting


def password_hash(request: Request) -> str:
    source: PasswordSource = request.app.state.passwords
    return source.current()


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def logged_in(request: Request) -> bool:
    """Whether the request may go on: in local mode, true without a password, and with
    one whether the cookie names a live session; on a team server, whether it names a
    live session of an account (which is kept as ``request.state.account``)."""
    if is_team(request):
        request.state.account = await session_account(request)
        return request.state.account is not None
    current = password_hash(request)
    if not current:
        return True
    app = base_app(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    return await run_in_threadpool(
        auth.session_is_valid, app.uow, token, password_hash=current, now=app.now()
    )


async def session_account(request: Request) -> Account | None:
    """Team mode: the account whose live session the cookie names, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    app = base_app(request)
    return await run_in_threadpool(auth.session_account, app.uow, token, now=app.now())


async def log_in_account(request: Request, email: str, password: str) -> str:
    """Team mode: check an account's email and password and open a session (its token).

    Back-off per client, per account and overall; argon2 in a worker thread.
    """
    app = base_app(request)
    _, token = await run_in_threadpool(
        accounts.log_in,
        app.uow,
        email=email,
        password=password,
        client=client_address(request),
        now=app.now(),
        replacing=request.cookies.get(SESSION_COOKIE),
    )
    return token


async def log_in(request: Request, password: str) -> str:
    """Check the password (with back-off) and open a session; returns its token.

    Raises ``TooManyAttempts`` while this client or everyone must wait, and
    ``Unauthorized`` for a wrong password. argon2 runs in a worker thread: a stream of
    guesses must not stall every other request.
    """
    app = base_app(request)
    current = password_hash(request)
    client = client_address(request)
    await run_in_threadpool(
        auth.check_login_allowed, app.uow(write=False), client=client, now=app.now()
    )
    if not current or not await run_in_threadpool(verify_password, current, password):
        await run_in_threadpool(auth.record_failed_login, app.uow(), client=client, now=app.now())
        raise Unauthorized("That is not the password; try again.", field="password")
    return await run_in_threadpool(
        auth.open_session,
        app.uow(),
        client=client,
        password_hash=current,
        now=app.now(),
        replacing=request.cookies.get(SESSION_COOKIE),
    )


async def log_out(request: Request, response: Response) -> None:
    app = base_app(request)
    await run_in_threadpool(auth.close_session, app.uow(), request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(auth.SESSION_MAX.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def logged_in_account(request: Request) -> Account:
    """The account of this request's session (a 404 where Mend has no accounts)."""
    from mend.errors import NotFound

    account: Account | None = getattr(request.state, "account", None)
    if not is_team(request) or account is None:
        raise NotFound(
            "This Mend has no accounts: it runs for one person. A team server "
            "(`mend serve --team`) has them."
        )
    return account


async def change_password(request: Request, *, old: str, new: str) -> str:
    """Change the logged-in account's password (argon2 in a worker thread); returns the
    token of the new session that replaces every one the account had."""
    account = logged_in_account(request)
    app = acting_app(request)
    return await run_in_threadpool(
        accounts.change_password,
        app.uow(),
        account.id,
        old=old,
        new=new,
        now=app.now(),
        client=client_address(request),
    )
