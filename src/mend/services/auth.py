"""Logging in to the web app: sessions kept on the server, and back-off for failed logins.

A session is a random token in an HttpOnly cookie; the database keeps only its SHA-256,
so a copy of the database opens no session. Sessions end at logout, after
``SESSION_IDLE`` without a request, ``SESSION_MAX`` after login, and when the password
changes (each remembers a fingerprint of the password it was opened with).

In local mode a session stands for the one local owner (the password in the config
file); on a team server each session names the account that logged in, and ends when
that account's password changes or the account is disabled.

Password checks themselves (argon2, tens of milliseconds of CPU) are the caller's, so the
web app can run them off its event loop; these functions only read and write rows.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from mend.domain.throttle import GLOBAL, PER_ACCOUNT, PER_CLIENT, BackoffRule, retry_after_seconds
from mend.errors import TooManyAttempts
from mend.store.accounts import Account, Login
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


def token_hash(token: str) -> str:
    """What the database keeps of a session token (or of a one-time link's)."""
    return _sha256(token)


def password_fingerprint(password_hash: str) -> str:
    """Stands for the password a session was opened with (not reversible to it)."""
    return _sha256("mend-password:" + password_hash)


def client_key(address: str | None) -> str:
    return f"client:{address or 'unknown'}"


def account_key(email: str) -> str:
    """The back-off key of the address someone tried to log in as (whether or not an
    account has it, so the answers never tell which addresses exist)."""
    return f"account:{email.strip().lower()[:254]}"


def _rules(client: str | None, account: str | None) -> list[tuple[str, BackoffRule]]:
    keys = [(client_key(client), PER_CLIENT)]
    if account is not None:
        keys.append((account, PER_ACCOUNT))
    return [*keys, (GLOBAL_KEY, GLOBAL)]


_WHO = {"client": "from this computer", "account": "for this account", GLOBAL_KEY: "from everyone"}


def check_login_allowed(
    uow: UnitOfWork, *, client: str | None, now: datetime, account: str | None = None
) -> None:
    """Raise :class:`TooManyAttempts` while this client, this account (``account_key``)
    or everyone must wait."""
    with uow:
        for key, _ in _rules(client, account):
            found = uow.access.failures(key)
            if found is not None and found[2] is not None and found[2] > now:
                seconds = retry_after_seconds(found[2], now)
                who = _WHO[key.split(":", 1)[0]]
                raise TooManyAttempts(
                    f"Too many wrong passwords {who}; try again in {seconds} seconds.",
                    retry_after=seconds,
                    field="password",
                )


def record_failed_login(
    uow: UnitOfWork, *, client: str | None, now: datetime, account: str | None = None
) -> int:
    """Count a wrong password for this client, the account tried and overall; returns
    the client's wait (s)."""
    with uow:
        wait = count_failed_login(uow, client=client, now=now, account=account)
        uow.commit()
    return wait


def count_failed_login(
    uow: UnitOfWork, *, client: str | None, now: datetime, account: str | None = None
) -> int:
    """:func:`record_failed_login` inside a transaction the caller commits."""
    wait = 0
    for key, rule in _rules(client, account):
        blocked_until = _count(uow, key, rule, now)
        if key.startswith("client:") and blocked_until is not None:
            wait = retry_after_seconds(blocked_until, now)
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
    account_id: int | None = None,
    account: str | None = None,
) -> str:
    """After a right password: a new session (its token), the client's failures forgotten.

    A session the browser already had is ended first, so a token planted before login
    (session fixation) never becomes a logged-in one. On a team server the session names
    ``account_id``, and that account's failures (``account``, its back-off key) are
    forgotten too.
    """
    with uow:
        if replacing:
            uow.access.delete_session(_sha256(replacing))
        uow.access.clear_failures(client_key(client))
        if account is not None:
            uow.access.clear_failures(account)
        uow.access.delete_sessions(idle_before=now - SESSION_IDLE)
        token = start_session(uow, password_hash=password_hash, now=now, account_id=account_id)
        uow.commit()
    return token


def start_session(
    uow: UnitOfWork, *, password_hash: str, now: datetime, account_id: int | None = None
) -> str:
    """A new session in the caller's transaction; returns its token."""
    token = secrets.token_urlsafe(32)
    uow.access.add_session(
        _sha256(token),
        password_fp=password_fingerprint(password_hash),
        now=now,
        account_id=account_id,
    )
    return token


#: Given the session's account (None: the local owner) and that account's login (read
#: with the session), the fingerprint a live session of it must carry, or None when
#: that login is gone (no password, a disabled or deleted account).
Expected = Callable[[int | None, Login | None], str | None]


def _live(uows: UowFactory, token: str | None, now: datetime, expected: Expected) -> bool:
    """Whether ``token`` names a live session (and keep it alive).

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
        created_at, last_seen_at, password_fp, account_id, login = found
        wanted = expected(account_id, login)
    expired = (
        wanted is None
        or password_fp != wanted
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


def session_is_valid(
    uows: UowFactory, token: str | None, *, password_hash: str, now: datetime
) -> bool:
    """Local mode: whether ``token`` names a live session of the current password."""

    def expected(account_id: int | None, _: Login | None) -> str | None:
        if account_id is not None or not password_hash:
            return None  # an account's session opens nothing in local mode
        return password_fingerprint(password_hash)

    return _live(uows, token, now, expected)


def session_account(uows: UowFactory, token: str | None, *, now: datetime) -> Account | None:
    """Team mode: the account ``token`` is a live session of, or None.

    The session ends when the account is disabled or its password changes.
    """
    found: list[Account] = []

    def expected(account_id: int | None, login: Login | None) -> str | None:
        if account_id is None or login is None or login.account.disabled:
            return None
        found.append(login.account)
        return password_fingerprint(login.password_hash)

    return found[0] if _live(uows, token, now, expected) else None


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
