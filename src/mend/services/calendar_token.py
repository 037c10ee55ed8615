"""The private calendar feed link: a token derived from a secret kept on this computer.

The token is an HMAC of a fixed label under a random secret stored in a file in the
user data folder (created on first use, readable only by its owner). Anyone holding
the link can read the feed, so it is compared in constant time and can be replaced:
:func:`regenerate` writes a new secret, and every older link stops working at once.

On a team server each account has its own link: the account's id and an HMAC under a
secret of its own, kept in its row (a server may run several processes, even on
several machines, so not in a file). Replacing it touches no one else's link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from mend.privacy import private_dir, write_private
from mend.store.uow import UnitOfWork

SECRET_FILE = "calendar-secret"
_LABEL = b"mend calendar feed v1"


def default_directory() -> Path:
    from mend.settings import default_data_dir

    return default_data_dir()


def _secret_path(directory: Path | None) -> Path:
    return (directory or default_directory()) / SECRET_FILE


def _write_secret(path: Path) -> bytes:
    secret = secrets.token_bytes(32)
    private_dir(path.parent)
    write_private(path, secret.hex() + "\n")
    return secret


def _secret(directory: Path | None) -> bytes:
    path = _secret_path(directory)
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, ValueError):
        return _write_secret(path)
    return secret if len(secret) >= 16 else _write_secret(path)


def feed_token(directory: Path | None = None) -> str:
    """The current token for the feed link (the secret is made on first use)."""
    return hmac.new(_secret(directory), _LABEL, hashlib.sha256).hexdigest()[:40]


def token_is_valid(token: str, directory: Path | None = None) -> bool:
    """True when ``token`` is the current one (constant-time comparison)."""
    return hmac.compare_digest(token.encode("utf-8", "replace"), feed_token(directory).encode())


def regenerate(directory: Path | None = None) -> str:
    """Replace the secret, so every earlier link stops working; returns the new token."""
    _write_secret(_secret_path(directory))
    return feed_token(directory)


# --- the link of the unit of work's owner (a team account has its own) -----------------


def _account_token(account_id: int, secret: str) -> str:
    digest = hmac.new(bytes.fromhex(secret), _LABEL, hashlib.sha256).hexdigest()[:40]
    return f"{account_id}-{digest}"


def owner_token(uow: UnitOfWork) -> str:
    """The feed token of the unit of work's owner: the local owner's from the secret
    file, a team account's from its own secret in the database (made on first use)."""
    account_id = uow.owner.account_id
    if account_id is None:
        return feed_token()
    with uow:
        secret = uow.accounts.calendar_secret(account_id)
        if secret is None:
            secret = secrets.token_hex(32)
            uow.accounts.set_calendar_secret(account_id, secret)
            uow.commit()
    return _account_token(account_id, secret)


def renew_owner_token(uow: UnitOfWork) -> str:
    """Replace the owner's secret, so its earlier links stop working; the new token."""
    account_id = uow.owner.account_id
    if account_id is None:
        return regenerate()
    secret = secrets.token_hex(32)
    with uow:
        uow.accounts.set_calendar_secret(account_id, secret)
        uow.commit()
    return _account_token(account_id, secret)


def account_for_token(uow: UnitOfWork, token: str) -> int | None:
    """The team account whose current feed link ``token`` is (constant-time), or None
    (also for a disabled account)."""
    number, dash, _ = token.partition("-")
    if not dash or not number.isdigit() or len(number) > 10:
        return None
    account_id = int(number)
    with uow:
        login = uow.accounts.login(account_id=account_id)
        secret = uow.accounts.calendar_secret(account_id) if login is not None else None
    if login is None or login.account.disabled or secret is None:
        return None
    expected = _account_token(account_id, secret)
    return (
        account_id
        if hmac.compare_digest(token.encode("utf-8", "replace"), expected.encode())
        else None
    )
