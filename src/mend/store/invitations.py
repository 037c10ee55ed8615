"""Invitations into one repair, the link sessions they open, and the other person's words.

Plain rows. What the owner reads and writes is scoped through the repair, like every
other record of a repair (:mod:`mend.store.scope`); a link's token is looked up by its
hash alone, since whoever holds the link is not logged in as anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, insert, or_, select, update

from mend.domain.validation import ALL_SHARED, MAX_ID
from mend.store.scope import Owner
from mend.store.tables import (
    commitments,
    invitations,
    link_sessions,
    occurrences,
    repairs,
    their_pulses,
    their_verdicts,
    their_views,
)


@dataclass(frozen=True)
class Invitation:
    """One invitation into a repair (the token itself is never stored)."""

    id: int
    repair_id: int
    shared_title: str
    their_name: str
    email: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    accepted_at: datetime | None
    #: What it shares besides the title (see mend.domain.validation.SHAREABLE).
    shares: str = ALL_SHARED
    #: The account the other person keeps it in (team server), if they joined with one.
    joined_account_id: int | None = None

    def status(self, now: datetime) -> str:
        """ "revoked", "kept" (in their account), "expired", "joined" (opened at least
        once) or "waiting"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.joined_account_id is not None:
            return "kept"
        if now >= self.expires_at:
            return "expired"
        return "joined" if self.accepted_at is not None else "waiting"

    def shared(self, part: str) -> bool:
        """Whether this invitation shares ``part`` (one of SHAREABLE)."""
        return part in self.shared_parts

    @property
    def shared_parts(self) -> list[str]:
        """The parts it shares, in SHAREABLE's order."""
        return [part for part in self.shares.split(",") if part]

    def is_live(self, now: datetime) -> bool:
        """Whether its link opens: not withdrawn and not past its date."""
        return self.revoked_at is None and now < self.expires_at

    def reachable(self, now: datetime) -> bool:
        """Whether a link session of it may go on: kept in an account, an invitation
        lasts until withdrawn; otherwise as long as its link works."""
        return self.revoked_at is None and (
            self.joined_account_id is not None or now < self.expires_at
        )


_FIELDS = (
    invitations.c.id,
    invitations.c.repair_id,
    invitations.c.shared_title,
    invitations.c.their_name,
    invitations.c.email,
    invitations.c.created_at,
    invitations.c.expires_at,
    invitations.c.revoked_at,
    invitations.c.accepted_at,
    invitations.c.shares,
    invitations.c.joined_account_id,
)


def _invitation(row: Any) -> Invitation:
    """An invitation from a row that starts with ``_FIELDS``."""
    return Invitation(*row)


@dataclass(frozen=True)
class TheirWords:
    """Something the other person wrote: their view, a verdict or a pulse answer."""

    id: int
    author: str
    created_at: datetime
    text: str = ""
    #: kept / late / missed / disputed, for a verdict on an occurrence
    verdict: str = ""
    occurrence_id: int | None = None
    #: 1-5, for a pulse answer
    score: int | None = None


class InvitationRepository:
    """Invitations and their words, seen by ``owner`` (the repair's account)."""

    def __init__(self, connection: Connection, owner: Owner) -> None:
        self.connection = connection
        self.owner = owner

    def _mine(self, repair_column: ColumnElement[int]) -> ColumnElement[bool]:
        return repair_column.in_(self.owner.repair_ids())

    # --- invitations --------------------------------------------------------------------

    def add(
        self,
        repair_id: int,
        *,
        token_hash: str,
        shared_title: str,
        their_name: str,
        email: str,
        now: datetime,
        expires_at: datetime,
        shares: str = ALL_SHARED,
    ) -> int:
        result = self.connection.execute(
            insert(invitations).values(
                repair_id=repair_id,
                token_hash=token_hash,
                shared_title=shared_title,
                their_name=their_name,
                email=email,
                shares=shares,
                created_at=now,
                expires_at=expires_at,
            )
        )
        key: Any = result.inserted_primary_key
        return int(key[0])

    def any_for(self, repair_id: int) -> bool:
        """Whether the repair was ever shared (revoked and expired invitations count)."""
        query = select(invitations.c.id).where(
            invitations.c.repair_id == repair_id, self._mine(invitations.c.repair_id)
        )
        return self.connection.execute(query.limit(1)).first() is not None

    def list(self, repair_id: int) -> Sequence[Invitation]:
        rows = self.connection.execute(
            select(*_FIELDS)
            .where(invitations.c.repair_id == repair_id, self._mine(invitations.c.repair_id))
            .order_by(invitations.c.id)
        )
        return [_invitation(row) for row in rows]

    def get(self, repair_id: int, invitation_id: int) -> Invitation | None:
        if not 1 <= invitation_id <= MAX_ID:
            return None
        row = self.connection.execute(
            select(*_FIELDS).where(
                invitations.c.id == invitation_id,
                invitations.c.repair_id == repair_id,
                self._mine(invitations.c.repair_id),
            )
        ).first()
        return None if row is None else _invitation(row)

    def revoke(self, invitation_id: int, now: datetime) -> None:
        self.connection.execute(
            update(invitations).where(invitations.c.id == invitation_id).values(revoked_at=now)
        )
        self.connection.execute(
            delete(link_sessions).where(link_sessions.c.invitation_id == invitation_id)
        )

    # --- by token (not scoped: the link is the key) -------------------------------------

    def by_token(self, token_hash: str) -> tuple[Invitation, int | None] | None:
        """The invitation a link's token opens, and the account of its repair."""
        row = self.connection.execute(
            select(*_FIELDS, repairs.c.account_id)
            .join(repairs, repairs.c.id == invitations.c.repair_id)
            .where(invitations.c.token_hash == token_hash)
        ).first()
        return None if row is None else (_invitation(row[:-1]), row[-1])

    def mark_accepted(self, invitation_id: int, now: datetime) -> None:
        self.connection.execute(
            update(invitations)
            .where(invitations.c.id == invitation_id, invitations.c.accepted_at.is_(None))
            .values(accepted_at=now)
        )

    def add_link_session(self, invitation_id: int, token_hash: str, now: datetime) -> None:
        self.connection.execute(
            insert(link_sessions).values(
                invitation_id=invitation_id, token_hash=token_hash, created_at=now, last_seen_at=now
            )
        )

    def link_session(
        self, token_hash: str
    ) -> tuple[Invitation, int | None, datetime, datetime] | None:
        """``(invitation, account_id, created_at, last_seen_at)`` of a link session."""
        row = self.connection.execute(
            select(
                *_FIELDS,
                repairs.c.account_id,
                link_sessions.c.created_at,
                link_sessions.c.last_seen_at,
            )
            .join(invitations, invitations.c.id == link_sessions.c.invitation_id)
            .join(repairs, repairs.c.id == invitations.c.repair_id)
            .where(link_sessions.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        return _invitation(row[:-3]), row[-3], row[-2], row[-1]

    def touch_link_session(self, token_hash: str, now: datetime) -> None:
        self.connection.execute(
            update(link_sessions)
            .where(link_sessions.c.token_hash == token_hash)
            .values(last_seen_at=now)
        )

    def delete_link_session(self, token_hash: str) -> None:
        self.connection.execute(
            delete(link_sessions).where(link_sessions.c.token_hash == token_hash)
        )

    # --- kept in the other person's account (not scoped: their account is the key) -----

    def keep_in(self, invitation_id: int, account_id: int) -> bool:
        """Keep it in ``account_id`` unless another account keeps it (one statement, so two
        accounts racing for it cannot both win)."""
        result = self.connection.execute(
            update(invitations)
            .where(
                invitations.c.id == invitation_id,
                invitations.c.revoked_at.is_(None),
                or_(
                    invitations.c.joined_account_id.is_(None),
                    invitations.c.joined_account_id == account_id,
                ),
            )
            .values(joined_account_id=account_id)
        )
        return result.rowcount == 1

    def kept_by(self, account_id: int) -> Sequence[Invitation]:
        """The invitations an account keeps, live or withdrawn, newest first."""
        rows = self.connection.execute(
            select(*_FIELDS)
            .where(invitations.c.joined_account_id == account_id)
            .order_by(invitations.c.id.desc())
        )
        return [_invitation(row) for row in rows]

    def kept(self, invitation_id: int, account_id: int) -> tuple[Invitation, int | None] | None:
        """One invitation ``account_id`` keeps, and the account of its repair."""
        if not 1 <= invitation_id <= MAX_ID:
            return None
        row = self.connection.execute(
            select(*_FIELDS, repairs.c.account_id)
            .join(repairs, repairs.c.id == invitations.c.repair_id)
            .where(
                invitations.c.id == invitation_id,
                invitations.c.joined_account_id == account_id,
            )
        ).first()
        return None if row is None else (_invitation(row[:-1]), row[-1])

    # --- their words --------------------------------------------------------------------

    def occurrence_in(self, repair_id: int, occurrence_id: int) -> bool:
        """Whether ``occurrence_id`` is an occurrence of one of this repair's commitments."""
        if not 1 <= occurrence_id <= MAX_ID:
            return False
        row = self.connection.execute(
            select(occurrences.c.id)
            .join(commitments, commitments.c.id == occurrences.c.commitment_id)
            .where(
                occurrences.c.id == occurrence_id,
                commitments.c.repair_id == repair_id,
                self._mine(commitments.c.repair_id),
            )
        ).first()
        return row is not None

    def add_view(
        self, repair_id: int, invitation_id: int, *, author: str, text: str, now: datetime
    ) -> None:
        self.connection.execute(
            insert(their_views).values(
                repair_id=repair_id,
                invitation_id=invitation_id,
                author=author,
                text=text,
                created_at=now,
            )
        )

    def views(self, repair_id: int) -> Sequence[TheirWords]:
        rows = self.connection.execute(
            select(
                their_views.c.id, their_views.c.author, their_views.c.created_at, their_views.c.text
            )
            .where(their_views.c.repair_id == repair_id, self._mine(their_views.c.repair_id))
            .order_by(their_views.c.id)
        )
        return [TheirWords(id=r[0], author=r[1], created_at=r[2], text=r[3]) for r in rows]

    def add_verdict(
        self,
        occurrence_id: int,
        invitation_id: int,
        *,
        author: str,
        verdict: str,
        note: str,
        now: datetime,
    ) -> None:
        self.connection.execute(
            insert(their_verdicts).values(
                occurrence_id=occurrence_id,
                invitation_id=invitation_id,
                author=author,
                verdict=verdict,
                note=note,
                created_at=now,
            )
        )

    def verdicts(self, repair_id: int) -> Sequence[TheirWords]:
        rows = self.connection.execute(
            select(
                their_verdicts.c.id,
                their_verdicts.c.author,
                their_verdicts.c.created_at,
                their_verdicts.c.note,
                their_verdicts.c.verdict,
                their_verdicts.c.occurrence_id,
            )
            .join(occurrences, occurrences.c.id == their_verdicts.c.occurrence_id)
            .join(commitments, commitments.c.id == occurrences.c.commitment_id)
            .where(commitments.c.repair_id == repair_id, self._mine(commitments.c.repair_id))
            .order_by(their_verdicts.c.id)
        )
        return [
            TheirWords(
                id=r[0], author=r[1], created_at=r[2], text=r[3], verdict=r[4], occurrence_id=r[5]
            )
            for r in rows
        ]

    def add_pulse(
        self,
        repair_id: int,
        invitation_id: int,
        *,
        author: str,
        score: int,
        note: str,
        now: datetime,
    ) -> None:
        self.connection.execute(
            insert(their_pulses).values(
                repair_id=repair_id,
                invitation_id=invitation_id,
                author=author,
                score=score,
                note=note,
                created_at=now,
            )
        )

    def pulses(self, repair_id: int) -> Sequence[TheirWords]:
        rows = self.connection.execute(
            select(
                their_pulses.c.id,
                their_pulses.c.author,
                their_pulses.c.created_at,
                their_pulses.c.note,
                their_pulses.c.score,
            )
            .where(their_pulses.c.repair_id == repair_id, self._mine(their_pulses.c.repair_id))
            .order_by(their_pulses.c.id)
        )
        return [
            TheirWords(id=r[0], author=r[1], created_at=r[2], text=r[3], score=r[4]) for r in rows
        ]
