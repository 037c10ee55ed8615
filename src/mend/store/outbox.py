"""The mail outbox: e-mail waiting to go out, and how its delivery went.

Plain rows. Mail is added inside the unit of work of the change it tells about; the
sender claims one row at a time (so two processes never send the same mail), sends it
outside any transaction, then records the answer. This is the server's queue, not any
account's data: only the services of mend.services.mail read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from mend.store.tables import check_ins, invitations, mail_outbox, repairs

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True)
class Mail:
    """One e-mail of the outbox."""

    id: int
    repair_id: int
    kind: str
    to_address: str
    subject: str
    body: str
    ics: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str


_FIELDS = (
    mail_outbox.c.id,
    mail_outbox.c.repair_id,
    mail_outbox.c.kind,
    mail_outbox.c.to_address,
    mail_outbox.c.subject,
    mail_outbox.c.body,
    mail_outbox.c.ics,
    mail_outbox.c.status,
    mail_outbox.c.attempts,
    mail_outbox.c.created_at,
    mail_outbox.c.next_attempt_at,
    mail_outbox.c.sent_at,
    mail_outbox.c.last_error,
)


@dataclass(frozen=True)
class DueCheckIn:
    """An open check-in coming up, and one live invitation of its repair with an address."""

    check_in_id: int
    repair_id: int
    account_id: int | None
    scheduled_at: datetime
    invitation_id: int


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(
        self,
        repair_id: int,
        *,
        kind: str,
        to_address: str,
        subject: str,
        body: str,
        now: datetime,
        ics: str = "",
        dedupe_key: str | None = None,
    ) -> int:
        key = self.connection.execute(
            insert(mail_outbox).values(
                repair_id=repair_id,
                kind=kind,
                to_address=to_address,
                subject=subject,
                body=body,
                ics=ics,
                dedupe_key=dedupe_key,
                status=PENDING,
                attempts=0,
                created_at=now,
                next_attempt_at=now,
                last_error="",
            )
        ).inserted_primary_key
        assert key is not None
        return int(key[0])

    def keys_among(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` a mail of the outbox already has."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            rows = self.connection.execute(
                select(mail_outbox.c.dedupe_key).where(
                    mail_outbox.c.dedupe_key.in_(keys[start : start + 500])
                )
            )
            found.update(str(key) for (key,) in rows)
        return found

    def has_key(self, dedupe_key: str) -> bool:
        row = self.connection.execute(
            select(mail_outbox.c.id).where(mail_outbox.c.dedupe_key == dedupe_key)
        ).first()
        return row is not None

    def reminded(self, check_in_id: int) -> set[int]:
        """The invitations that were sent a reminder of ``check_in_id`` (any date)."""
        rows = self.connection.execute(
            select(mail_outbox.c.dedupe_key).where(
                mail_outbox.c.dedupe_key.like(f"check_in:{check_in_id}:%")
            )
        )
        return {int(str(key).rsplit(":", 1)[1]) for (key,) in rows}

    def get(self, mail_id: int) -> Mail | None:
        row = self.connection.execute(select(*_FIELDS).where(mail_outbox.c.id == mail_id)).first()
        return None if row is None else Mail(**row._mapping)

    def newest(self, *, limit: int = 50, status: str | None = None) -> Sequence[Mail]:
        """The newest mail first."""
        query = select(*_FIELDS).order_by(mail_outbox.c.id.desc()).limit(limit)
        if status is not None:
            query = query.where(mail_outbox.c.status == status)
        return [Mail(**row._mapping) for row in self.connection.execute(query)]

    def counts(self) -> dict[str, int]:
        rows = self.connection.execute(
            select(mail_outbox.c.status, func.count()).group_by(mail_outbox.c.status)
        )
        return {status: int(n) for status, n in rows}

    def due_ids(self, now: datetime, *, limit: int) -> Sequence[int]:
        rows = self.connection.execute(
            select(mail_outbox.c.id)
            .where(mail_outbox.c.status == PENDING, mail_outbox.c.next_attempt_at <= now)
            .order_by(mail_outbox.c.next_attempt_at, mail_outbox.c.id)
            .limit(limit)
        )
        return [int(r[0]) for r in rows]

    def claim(self, mail_id: int, now: datetime, *, until: datetime) -> bool:
        """Take a due mail for sending: it is not due again before ``until`` (should this
        process die mid-way), and no other process takes it meanwhile."""
        result = self.connection.execute(
            update(mail_outbox)
            .where(
                mail_outbox.c.id == mail_id,
                mail_outbox.c.status == PENDING,
                mail_outbox.c.next_attempt_at <= now,
            )
            .values(next_attempt_at=until, attempts=mail_outbox.c.attempts + 1)
        )
        return result.rowcount == 1

    def mark_sent(self, mail_id: int, now: datetime) -> None:
        # The body may carry an invitation link: once delivered, it is not kept.
        self.connection.execute(
            update(mail_outbox)
            .where(mail_outbox.c.id == mail_id)
            .values(status=SENT, sent_at=now, body="", ics="", last_error="")
        )

    def mark_retry(self, mail_id: int, error: str, *, at: datetime) -> None:
        self.connection.execute(
            update(mail_outbox)
            .where(mail_outbox.c.id == mail_id)
            .values(next_attempt_at=at, last_error=error[:500])
        )

    def mark_failed(self, mail_id: int, error: str) -> None:
        self.connection.execute(
            update(mail_outbox)
            .where(mail_outbox.c.id == mail_id)
            .values(status=FAILED, last_error=error[:500])
        )

    def retry_failed(self, now: datetime) -> int:
        """Put failed mail back in the queue; how many."""
        result = self.connection.execute(
            update(mail_outbox)
            .where(mail_outbox.c.status == FAILED)
            .values(status=PENDING, attempts=0, next_attempt_at=now)
        )
        return int(result.rowcount)

    def forget_old(self, *, before: datetime) -> int:
        """Forget mail sent, or failed, before ``before``; how many."""
        result = self.connection.execute(
            delete(mail_outbox).where(
                mail_outbox.c.status != PENDING, mail_outbox.c.created_at < before
            )
        )
        return int(result.rowcount)

    # --- across every account: check-ins coming up, for reminders ----------------------

    def check_ins_between(self, start: datetime, end: datetime, now: datetime) -> list[DueCheckIn]:
        """Open check-ins scheduled in ``[start, end)`` of active repairs that have a live
        invitation with an e-mail address that shares check-ins (one row per such
        invitation)."""
        from mend.domain.enums import ACTIVE_STATUSES

        rows = self.connection.execute(
            select(
                check_ins.c.id,
                check_ins.c.repair_id,
                repairs.c.account_id,
                check_ins.c.scheduled_at,
                invitations.c.id,
            )
            .join(repairs, repairs.c.id == check_ins.c.repair_id)
            .join(invitations, invitations.c.repair_id == check_ins.c.repair_id)
            .where(
                check_ins.c.completed_at.is_(None),
                check_ins.c.cancelled.is_(False),
                check_ins.c.scheduled_at >= start,
                check_ins.c.scheduled_at < end,
                repairs.c.status.in_([s.value for s in ACTIVE_STATUSES]),
                and_(
                    invitations.c.revoked_at.is_(None),
                    invitations.c.expires_at > now,
                    invitations.c.email != "",
                    # A comma-joined choice of part names, of which only one holds this.
                    invitations.c.shares.contains("check_ins", autoescape=True),
                ),
            )
            .order_by(check_ins.c.scheduled_at, check_ins.c.id, invitations.c.id)
        )
        return [DueCheckIn(*row) for row in rows]
