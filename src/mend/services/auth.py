"""Logging in to the web app: sessions kept on the server, and back-off for failed logins.

A session is a random token in an HttpOnly cookie; the database keeps only its SHA-256,
so a copy of the database opens no session. Sessions end at logout, after
``SESSION_IDLE`` without a request, ``SESSION_MAX`` after login, and when the password
changes (each remembers a fingerprint of the password it was opened with).

Password checks themselves (argon2, tens of milliseconds of CPU) are the caller's, so the
web app can run them off its event loop; these functions only read and write rows.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from mend.domain.throttle import GLOBAL, PER_CLIENT, BackoffRule, retry_after_seconds
from mend.errors import TooManyAttempts
from mend.store.uow import UnitOfWork

#: A session not used for this long ends.
SESSION_IDLE = timedelta(hours=12)
#: A session ends this long after login, however much it is used.
SESSION_MAX = timedelta(days=7)
#: A session's last use is written at most this often (reads stay reads).
TOUCH_EVERY = timedelta(minutes=5)

GLOBAL_KEY = "global"

UowFactory = Callable[..., UnitOfWork]


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """Stands for the password a session was opened with (not reversible to it)."""
    return _sha256("mend-password:" + password_hash)


def client_key(address: str | None) -> str:
    return f"client:{address or 'unknown'}"


def check_login_allowed(uow: UnitOfWork, *, client: str | None, now: datetime) -> None:
    """Raise :class:`TooManyAttempts` while this client, or everyone, must wait."""
    with uow:
        for key in (client_key(client), GLOBAL_KEY):
            found = uow.access.failures(key)
            if found is not None and found[2] is not None and found[2] > now:
                seconds = retry_after_seconds(found[2], now)
                who = "everyone" if key == GLOBAL_KEY else "this computer"
                raise TooManyAttempts(
                    f"Too many wrong passwords from {who}; try again in {seconds} seconds.",
                    retry_after=seconds,
                    field="password",
                )


def record_failed_login(uow: UnitOfWork, *, client: str | None, now: datetime) -> int:
    """Count a wrong password for this client and overall; returns the client's wait (s)."""
    wait = 0
    with uow:
        for key, rule in ((client_key(client), PER_CLIENT), (GLOBAL_KEY, GLOBAL)):
            blocked_until = _count(uow, key, rule, now)
            if key != GLOBAL_KEY and blocked_until is not None:
                wait = retry_after_seconds(blocked_until, now)
        uow.commit()
    return wait


def _count(uow: UnitOfWork, key: str, rule: BackoffRule, now: datetime) -> datetime | None:
    found = uow.access.failures(key)
    failures = 1
    if found is not None and not rule.counts_again(found[1], now):
        failures = found[0] + 1
    block = rule.block_after(failures)
    blocked_until = now + block if block else None
    uow.access.set_failures(key, failures, now=now, blocked_until=blocked_until)
    return blocked_until


def open_session(
    uow: UnitOfWork,
    *,
    client: str | None,
    password_hash: str,
    now: datetime,
    replacing: str | None = None,
) -> str:
    """After a right password: a new session (its token), the client's failures forgotten.

    A session the browser already had is ended first, so a token planted before login
    (session fixation) never becomes a logged-in one.
    """
    token = secrets.token_urlsafe(32)
    with uow:
        if replacing:
            uow.access.delete_session(_sha256(replacing))
        uow.access.clear_failures(client_key(client))
        uow.access.delete_sessions(idle_before=now - SESSION_IDLE)
        uow.access.add_session(
            _sha256(token), password_fp=password_fingerprint(password_hash), now=now
        )
        uow.commit()
    return token


def session_is_valid(
    uows: UowFactory, token: str | None, *, password_hash: str, now: datetime
) -> bool:
    """Whether ``token`` names a live session for the current password (and keep it alive).

    ``uows(write=...)`` makes units of work: the check reads, and writes only when the
    session must be ended or its last use moved on (at most every ``TOUCH_EVERY``).
    """
    if not token or len(token) > 100:
        return False
    key = _sha256(token)
    with uows(write=False) as uow:
        found = uow.access.session(key)
    if found is None:
        return False
    created_at, last_seen_at, password_fp = found
    expired = (
        password_fp != password_fingerprint(password_hash)
        or now - created_at >= SESSION_MAX
        or now - last_seen_at >= SESSION_IDLE
    )
    if expired or now - last_seen_at >= TOUCH_EVERY:
        with uows(write=True) as uow:
            if expired:
                uow.access.delete_session(key)
            else:
                uow.access.touch_session(key, now)
            uow.commit()
    return not expired


def close_session(uow: UnitOfWork, token: str | None) -> None:
    """Log out: the session is deleted, so its cookie opens nothing any more."""
    if not token:
        return
    with uow:
        uow.access.delete_session(_sha256(token))
        uow.commit()


def end_all_sessions(uow: UnitOfWork) -> int:
    """Log everyone out (the password changed); returns how many sessions ended."""
    with uow:
        ended = uow.access.delete_sessions()
        uow.commit()
    return ended
