"""Accounts of a team server and their password resets, on plain rows.

Not scoped to an owner: these are the server's own records of who may log in (the
admin commands and the login itself read them), never shown to another account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from mend.store.tables import accounts, password_resets, people, repairs


@dataclass(frozen=True)
class Account:
    """One account (its password hash stays in the store: see :meth:`password_hash`)."""

    id: int
    email: str
    display_name: str
    is_admin: bool
    disabled: bool
    created_at: datetime
    password_changed_at: datetime

    @property
    def name(self) -> str:
        """What to call them: the display name, else the email address."""
        return self.display_name or self.email


_FIELDS = (
    accounts.c.id,
    accounts.c.email,
    accounts.c.display_name,
    accounts.c.is_admin,
    accounts.c.disabled,
    accounts.c.created_at,
    accounts.c.password_changed_at,
)


@dataclass(frozen=True)
class Login:
    """An account and the hash its password is checked against."""

    account: Account
    password_hash: str


def _account(row: object) -> Account:
    return Account(*row)  # type: ignore[misc]


#: An account's columns and then its password hash, as ``login_from`` reads them.
LOGIN_COLUMNS = (*_FIELDS, accounts.c.password_hash)


def login_from(row: Sequence[Any]) -> Login:
    """The login of a row of ``LOGIN_COLUMNS``."""
    return Login(_account(row[:-1]), row[-1])


class AccountRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- accounts ---------------------------------------------------------------------

    def add(
        self,
        *,
        email: str,
        display_name: str,
        password_hash: str,
        is_admin: bool,
        now: datetime,
    ) -> int:
        """A new account; returns its id."""
        result = self.connection.execute(
            insert(accounts).values(
                email=email,
                display_name=display_name,
                password_hash=password_hash,
                is_admin=is_admin,
                disabled=False,
                created_at=now,
                password_changed_at=now,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(accounts)).scalar_one())

    def get(self, account_id: int) -> Account | None:
        row = self.connection.execute(select(*_FIELDS).where(accounts.c.id == account_id)).first()
        return None if row is None else _account(row)

    def by_email(self, email: str) -> Account | None:
        """The account with this (lower-cased) address, or None."""
        row = self.connection.execute(select(*_FIELDS).where(accounts.c.email == email)).first()
        return None if row is None else _account(row)

    def list(self) -> Sequence[Account]:
        rows = self.connection.execute(select(*_FIELDS).order_by(accounts.c.email))
        return [_account(row) for row in rows]

    def login(self, *, account_id: int | None = None, email: str | None = None) -> Login | None:
        """The account by id or by (lower-cased) address, with its password hash."""
        where = accounts.c.id == account_id if email is None else accounts.c.email == email
        row = self.connection.execute(select(*LOGIN_COLUMNS).where(where)).first()
        return None if row is None else login_from(row)

    def set_password(self, account_id: int, password_hash: str, *, now: datetime) -> None:
        self.connection.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(password_hash=password_hash, password_changed_at=now)
        )

    def set_disabled(self, account_id: int, disabled: bool) -> None:
        self.connection.execute(
            update(accounts).where(accounts.c.id == account_id).values(disabled=disabled)
        )

    def calendar_secret(self, account_id: int) -> str | None:
        return self.connection.execute(
            select(accounts.c.calendar_secret).where(accounts.c.id == account_id)
        ).scalar()

    def set_calendar_secret(self, account_id: int, secret: str) -> None:
        self.connection.execute(
            update(accounts).where(accounts.c.id == account_id).values(calendar_secret=secret)
        )

    def adopt_local_data(self, account_id: int) -> tuple[int, int]:
        """Give the account every person and repair of the local owner (no account yet);
        returns how many of each it got."""
        moved = []
        for table in (people, repairs):
            result = self.connection.execute(
                update(table).where(table.c.account_id.is_(None)).values(account_id=account_id)
            )
            moved.append(result.rowcount or 0)
        return moved[0], moved[1]

    # --- password resets -------------------------------------------------------------

    def add_reset(
        self, account_id: int, token_hash: str, *, now: datetime, expires_at: datetime
    ) -> None:
        self.connection.execute(
            insert(password_resets).values(
                account_id=account_id, token_hash=token_hash, created_at=now, expires_at=expires_at
            )
        )

    def reset(self, token_hash: str) -> tuple[int, datetime, datetime | None] | None:
        """``(account_id, expires_at, used_at)`` of a reset token, or None."""
        row = self.connection.execute(
            select(
                password_resets.c.account_id,
                password_resets.c.expires_at,
                password_resets.c.used_at,
            ).where(password_resets.c.token_hash == token_hash)
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    def use_resets(self, account_id: int, *, now: datetime) -> None:
        """Mark every unused reset link of the account used (one use, and only the newest
        link ever counts until then)."""
        self.connection.execute(
            update(password_resets)
            .where(password_resets.c.account_id == account_id, password_resets.c.used_at.is_(None))
            .values(used_at=now)
        )

    def forget_resets(self, *, before: datetime) -> None:
        """Delete reset links that expired before ``before`` (nothing left to check)."""
        self.connection.execute(
            delete(password_resets).where(password_resets.c.expires_at < before)
        )
