"""Web sessions and failed-login counts: the server's security state, on plain rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from mend.store.accounts import LOGIN_COLUMNS, Login, login_from
from mend.store.scope import Owner
from mend.store.tables import accounts, login_failures, web_sessions

#: A session by its token's hash, with its account's login if it has one. Made once: every
#: request runs it, and a statement made once keeps its cache key.
_SESSION = (
    select(
        web_sessions.c.created_at,
        web_sessions.c.last_seen_at,
        web_sessions.c.password_fp,
        web_sessions.c.account_id,
        *LOGIN_COLUMNS,
    )
    .select_from(web_sessions.outerjoin(accounts, accounts.c.id == web_sessions.c.account_id))
    .where(web_sessions.c.token_hash == bindparam("token_hash"))
)


class AccessRepository:
    """Sessions (by the hash of their token) and failed-login counters (by key)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- sessions ---------------------------------------------------------------------

    def add_session(
        self, token_hash: str, *, password_fp: str, now: datetime, account_id: int | None = None
    ) -> None:
        self.connection.execute(
            insert(web_sessions).values(
                token_hash=token_hash,
                created_at=now,
                last_seen_at=now,
                password_fp=password_fp,
                account_id=account_id,
            )
        )

    def session(
        self, token_hash: str
    ) -> tuple[datetime, datetime, str, int | None, Login | None] | None:
        """``(created_at, last_seen_at, password_fp, account_id, login)`` of a session,
        or None; ``login`` is its account's (None for the local owner's session, or an
        account gone), read in the same query."""
        row = self.connection.execute(_SESSION, {"token_hash": token_hash}).first()
        if row is None:
            return None
        login = None if row[4] is None else login_from(row[4:])
        return row[0], row[1], row[2], row[3], login

    def touch_session(self, token_hash: str, now: datetime) -> None:
        self.connection.execute(
            update(web_sessions)
            .where(web_sessions.c.token_hash == token_hash)
            .values(last_seen_at=now)
        )

    def delete_session(self, token_hash: str) -> None:
        self.connection.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash))

    def delete_sessions(
        self, *, idle_before: datetime | None = None, of: Owner | None = None
    ) -> int:
        """Delete every session, or only those last seen before ``idle_before``, or only
        those of one owner (an account, or the local owner); returns how many."""
        statement = delete(web_sessions)
        if idle_before is not None:
            statement = statement.where(web_sessions.c.last_seen_at < idle_before)
        if of is not None:
            statement = statement.where(of.owns(web_sessions.c.account_id))
        return self.connection.execute(statement).rowcount or 0

    # --- failed logins ----------------------------------------------------------------

    def failures(self, key: str) -> tuple[int, datetime, datetime | None] | None:
        """``(failures, last_failure_at, blocked_until)`` for ``key``, or None."""
        row = self.connection.execute(
            select(
                login_failures.c.failures,
                login_failures.c.last_failure_at,
                login_failures.c.blocked_until,
            ).where(login_failures.c.key == key)
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    def set_failures(
        self, key: str, failures: int, *, now: datetime, blocked_until: datetime | None
    ) -> None:
        values = {"failures": failures, "last_failure_at": now, "blocked_until": blocked_until}
        done = self.connection.execute(
            update(login_failures).where(login_failures.c.key == key).values(**values)
        )
        if not done.rowcount:
            self.connection.execute(insert(login_failures).values(key=key, **values))

    def clear_failures(self, key: str) -> None:
        self.connection.execute(delete(login_failures).where(login_failures.c.key == key))
