"""The web side of logging in: the current password, the session cookie, the login check.

Threats (docs/security.md): someone on the network guessing the password (back-off,
argon2 off the event loop), a stolen or leftover cookie (server-side sessions that end
at logout, on expiry and when the password changes).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from mend.app import App
from mend.services import auth
from mend.settings import config_file_path, read_config_file
from mend.web.security import SESSION_COOKIE, verify_password


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


def password_hash(request: Request) -> str:
    source: PasswordSource = request.app.state.passwords
    return source.current()


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def logged_in(request: Request) -> bool:
    """True without a password; with one, whether the cookie names a live session."""
    current = password_hash(request)
    if not current:
        return True
    app: App = request.app.state.mend
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    return await run_in_threadpool(
        auth.session_is_valid, app.uow, token, password_hash=current, now=app.now()
    )


async def log_in(request: Request, password: str) -> str:
    """Check the password (with back-off) and open a session; returns its token.

    Raises ``TooManyAttempts`` while this client or everyone must wait, and
    ``Unauthorized`` for a wrong password. argon2 runs in a worker thread: a stream of
    guesses must not stall every other request.
    """
    from mend.errors import Unauthorized

    app: App = request.app.state.mend
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
    app: App = request.app.state.mend
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
