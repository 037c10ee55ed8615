"""Use cases for the accounts of a team server: adding, listing, disabling, passwords.

Passwords are hashed with argon2 here (tens of milliseconds of CPU): the web app calls
these functions from a worker thread. Every change ends the sessions it must: a new
password ends the account's other sessions, a reset or a disabled account all of them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from mend.domain.validation import one_line
from mend.errors import Conflict, InvalidInput, NotFound, Unauthorized
from mend.passwords import check_new_password, hash_password, verify_password
from mend.services import auth
from mend.store.accounts import Account
from mend.store.scope import LOCAL, Owner
from mend.store.uow import UnitOfWork

#: A password reset link works this long, once.
RESET_VALID = timedelta(hours=1)
#: Where a reset link leads, under the server's address.
RESET_PATH = "/reset/"
MAX_EMAIL = 254


def normalize_email(text: str) -> str:
    """An email address as stored: trimmed and lower-cased (InvalidInput if it is not one)."""
    email = text.strip().lower()
    local, at, domain = email.partition("@")
    if (
        not at
        or not local
        or not domain
        or "@" in domain
        or len(email) > MAX_EMAIL
        or any(c.isspace() or ord(c) < 32 or c in "<>,;\"'[]\\()" for c in email)
        or domain.startswith(".")
        or domain.endswith(".")
    ):
        raise InvalidInput(
            f"{text.strip()[:60]!r} is not an email address like ana@example.org.",
            field="email",
        )
    return email


def _unknown(email: str) -> NotFound:
    return NotFound(
        f"No account for {email}; `mend team user list` shows every account.", field="email"
    )


def check_new_account(uow: UnitOfWork, email: str, *, first: bool = False) -> str:
    """The address of an account that may be added (``first``: by `mend team init`),
    lower-cased; Conflict when it may not. The adding repeats the check in its own
    transaction: this lets a command refuse before it asks for a password."""
    address = normalize_email(email)
    with uow:
        _check_new(uow, address, first=first)
    return address


def _check_new(uow: UnitOfWork, address: str, *, first: bool) -> None:
    if first and uow.accounts.count():
        raise Conflict(
            "This database has accounts already; add more with `mend team user add`.",
            field="email",
        )
    if uow.accounts.login(email=address) is not None:
        raise Conflict(f"There is already an account for {address}.", field="email")


def _login(uow: UnitOfWork, email: str) -> Account:
    found = uow.accounts.login(email=normalize_email(email))
    if found is None:
        raise _unknown(email.strip().lower())
    return found.account


def add_account(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    now: datetime,
    name: str = "",
    admin: bool = False,
) -> Account:
    """A new account that can log in at once with ``password``."""
    new = _NewAccount.of(email, name, password)
    with uow:
        account = new.add(uow, admin=admin, first=False, now=now)
        uow.commit()
    return account


@dataclass(frozen=True)
class _NewAccount:
    """An account's checked address, name and password hash, not saved yet."""

    email: str
    name: str
    password_hash: str

    @classmethod
    def of(cls, email: str, name: str, password: str) -> _NewAccount:
        address, display_name = normalize_email(email), one_line(name, "name")
        return cls(address, display_name, hash_password(check_new_password(password)))

    def add(self, uow: UnitOfWork, *, admin: bool, first: bool, now: datetime) -> Account:
        """Save it in the caller's transaction (Conflict if the address is taken, or,
        ``first``, if any account exists)."""
        _check_new(uow, self.email, first=first)
        account_id = uow.accounts.add(
            email=self.email,
            display_name=self.name,
            password_hash=self.password_hash,
            is_admin=admin,
            now=now,
        )
        account = uow.accounts.get(account_id)
        assert account is not None
        return account


@dataclass(frozen=True)
class TeamStart:
    """What `mend team init` did: the first account and the data it was given."""

    account: Account
    people: int
    repairs: int


def start_team(
    uow: UnitOfWork, *, email: str, password: str, now: datetime, name: str = ""
) -> TeamStart:
    """Turn a single-user database into a team server's: its first account (an admin)
    gets every person and repair, in one transaction. Refused once accounts exist."""
    new = _NewAccount.of(email, name, password)
    with uow:
        account = new.add(uow, admin=True, first=True, now=now)
        people, repairs = uow.accounts.adopt_local_data(account.id)
        # Sessions of the local password opened the data that now has an owner.
        uow.access.delete_sessions(of=LOCAL)
        uow.commit()
    return TeamStart(account, people, repairs)


def list_accounts(uow: UnitOfWork) -> Sequence[Account]:
    with uow:
        return uow.accounts.list()


def find_account(uow: UnitOfWork, email: str) -> Account:
    with uow:
        return _login(uow, email)


def set_disabled(
    uow: UnitOfWork, email: str, *, disabled: bool, now: datetime
) -> tuple[Account, int]:
    """Disable an account (it can no longer log in; its sessions and reset links end) or
    enable it again; returns the account and how many sessions ended."""
    with uow:
        account = _login(uow, email)
        uow.accounts.set_disabled(account.id, disabled)
        ended = 0
        if disabled:
            ended = uow.access.delete_sessions(of=Owner(account.id))
            uow.accounts.use_resets(account.id, now=now)
        updated = uow.accounts.get(account.id)
        uow.commit()
    assert updated is not None
    return updated, ended


def change_password(
    uow: UnitOfWork,
    account_id: int,
    *,
    old: str,
    new: str,
    now: datetime,
    client: str | None,
) -> str:
    """Change a logged-in account's password; returns the token of a new session.

    The old password must be right (a wrong one counts as a failed login, with the same
    back-off). Every session of the account ends, the one making the change included:
    the browser goes on with the new session this returns.
    """
    check_new_password(new, "new_password")
    with uow:
        login = uow.accounts.login(account_id=account_id)
        if login is None:
            raise NotFound("This account is gone.")
        key = auth.account_key(login.account.email)
    auth.check_login_allowed(uow, client=client, now=now, account=key)
    if not verify_password(login.password_hash, old):
        auth.record_failed_login(uow, client=client, now=now, account=key)
        raise Unauthorized("That is not your current password.", field="old_password")
    hashed = hash_password(new)
    with uow:
        uow.accounts.set_password(account_id, hashed, now=now)
        uow.access.delete_sessions(of=Owner(account_id))
        token = auth.start_session(uow, password_hash=hashed, now=now, account_id=account_id)
        uow.commit()
    return token


# --- resetting a password by a one-time link -------------------------------------------


@dataclass(frozen=True)
class ResetLink:
    """A link that lets the account's owner set a new password, once, until it expires."""

    email: str
    url: str
    expires_at: datetime


def make_reset_link(uow: UnitOfWork, email: str, *, now: datetime, base_url: str) -> ResetLink:
    """A new one-time link to set the account's password (earlier links stop working).

    Only the token's hash is stored; the link is printed (or, later, mailed) once.
    """
    token = secrets.token_urlsafe(32)
    with uow:
        account = _login(uow, email)
        if account.disabled:
            raise Conflict(
                f"{account.email} is disabled; enable it first with `mend team user enable`.",
                field="email",
            )
        uow.accounts.use_resets(account.id, now=now)
        uow.accounts.forget_resets(before=now - RESET_VALID)
        expires_at = now + RESET_VALID
        uow.accounts.add_reset(account.id, auth.token_hash(token), now=now, expires_at=expires_at)
        uow.commit()
    return ResetLink(account.email, base_url.rstrip("/") + RESET_PATH + token, expires_at)


def _reset_target(uow: UnitOfWork, token: str, now: datetime) -> Account:
    """The account a live reset token is for; NotFound saying why it is not."""
    found = uow.accounts.reset(auth.token_hash(token)) if 0 < len(token) <= 100 else None
    if found is None:
        raise NotFound("This password reset link is not valid; ask for a new one.", field="token")
    account_id, expires_at, used_at = found
    if used_at is not None:
        raise NotFound(
            "This password reset link was used already; ask for a new one.", field="token"
        )
    if expires_at <= now:
        raise NotFound("This password reset link has expired; ask for a new one.", field="token")
    account = uow.accounts.get(account_id)
    if account is None or account.disabled:
        raise NotFound("This password reset link is not valid; ask for a new one.", field="token")
    return account


def reset_target(uow: UnitOfWork, token: str, *, now: datetime) -> Account:
    """The account a reset link is for, while the link works (for the page asking)."""
    with uow:
        return _reset_target(uow, token, now)


def reset_password(uow: UnitOfWork, token: str, *, password: str, now: datetime) -> Account:
    """Set a new password with a reset link: the link is used up, and every session of
    the account ends (whoever had one must log in with the new password)."""
    hashed = hash_password(check_new_password(password))
    with uow:
        account = _reset_target(uow, token, now)
        uow.accounts.set_password(account.id, hashed, now=now)
        uow.accounts.use_resets(account.id, now=now)
        uow.access.delete_sessions(of=Owner(account.id))
        uow.access.clear_failures(auth.account_key(account.email))
        uow.commit()
    return account


# --- logging in --------------------------------------------------------------------------


@cache
def _stand_in_hash() -> str:
    """A hash no password matches: checked for unknown addresses, so that an answer's
    timing does not tell whether an account exists."""
    return hash_password(secrets.token_urlsafe(32))


def log_in(
    uows: auth.UowFactory,
    *,
    email: str,
    password: str,
    client: str | None,
    now: datetime,
    replacing: str | None = None,
) -> tuple[Account, str]:
    """Check an account's email and password, with back-off per client, per account and
    overall, and open a session; returns the account and the session's token.

    Raises ``TooManyAttempts`` while someone must wait (their password is not checked
    at all then) and ``Unauthorized`` otherwise; a wrong password and an unknown address
    get the same answer. Runs argon2: call it off the event loop.
    """
    key = auth.account_key(email)
    auth.check_login_allowed(uows(write=False), client=client, now=now, account=key)
    try:
        address: str | None = normalize_email(email)
    except InvalidInput:
        address = None
    login = None
    if address is not None:
        with uows(write=False) as uow:
            login = uow.accounts.login(email=address)
    matches = verify_password(login.password_hash if login else _stand_in_hash(), password)
    if login is None or not matches:
        auth.record_failed_login(uows(), client=client, now=now, account=key)
        raise Unauthorized(
            "That email and password do not match an account here; try again.",
            field="password",
        )
    if login.account.disabled:
        raise Unauthorized(
            "This account is disabled; ask whoever runs this Mend to enable it.", field="email"
        )
    token = auth.open_session(
        uows(),
        client=client,
        password_hash=login.password_hash,
        now=now,
        replacing=replacing,
        account_id=login.account.id,
        account=key,
    )
    return login.account, token
