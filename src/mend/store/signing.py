"""Comments on agreement versions and their signatures: plain rows, scoped through the repair.

An agreement version is the owner's when its repair is; nothing here is reached by a
token. The other person's page asks through its unit of work, which acts for the owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from mend.domain.validation import MAX_ID
from mend.store.scope import Owner
from mend.store.tables import agreement_comments, agreement_signatures, agreements


@dataclass(frozen=True)
class AgreementComment:
    id: int
    agreement_id: int
    #: None: the owner wrote it
    invitation_id: int | None
    author: str
    text: str
    created_at: datetime

    @property
    def by_owner(self) -> bool:
        return self.invitation_id is None


@dataclass(frozen=True)
class Signature:
    id: int
    agreement_id: int
    #: None: the owner signed
    invitation_id: int | None
    name: str
    signed_at: datetime

    @property
    def by_owner(self) -> bool:
        return self.invitation_id is None


class SigningRepository:
    """Comments and signatures of the agreement versions ``owner`` can see."""

    def __init__(self, connection: Connection, owner: Owner) -> None:
        self.connection = connection
        self.owner = owner

    def _versions(self, repair_id: int) -> Any:
        return select(agreements.c.id).where(
            agreements.c.repair_id == repair_id,
            agreements.c.repair_id.in_(self.owner.repair_ids()),
        )

    def version_of(self, repair_id: int, agreement_id: int) -> int | None:
        """The version number of ``agreement_id`` if it is an agreement of this repair."""
        if not 1 <= agreement_id <= MAX_ID:
            return None
        return self.connection.execute(
            select(agreements.c.version).where(
                agreements.c.id == agreement_id, agreements.c.id.in_(self._versions(repair_id))
            )
        ).scalar()

    def add_comment(
        self,
        agreement_id: int,
        invitation_id: int | None,
        *,
        author: str,
        text: str,
        now: datetime,
    ) -> None:
        self.connection.execute(
            insert(agreement_comments).values(
                agreement_id=agreement_id,
                invitation_id=invitation_id,
                author=author,
                text=text,
                created_at=now,
            )
        )

    def comments(self, repair_id: int) -> Sequence[AgreementComment]:
        """Every comment on any version of the repair's agreement, oldest first."""
        c = agreement_comments.c
        rows = self.connection.execute(
            select(c.id, c.agreement_id, c.invitation_id, c.author, c.text, c.created_at)
            .where(c.agreement_id.in_(self._versions(repair_id)))
            .order_by(c.id)
        )
        return [AgreementComment(*row) for row in rows]

    def add_signature(
        self, agreement_id: int, invitation_id: int | None, *, name: str, now: datetime
    ) -> None:
        self.connection.execute(
            insert(agreement_signatures).values(
                agreement_id=agreement_id, invitation_id=invitation_id, name=name, signed_at=now
            )
        )

    def signatures(self, repair_id: int) -> Sequence[Signature]:
        """Every signature on any version of the repair's agreement, oldest first."""
        s = agreement_signatures.c
        rows = self.connection.execute(
            select(s.id, s.agreement_id, s.invitation_id, s.name, s.signed_at)
            .where(s.agreement_id.in_(self._versions(repair_id)))
            .order_by(s.id)
        )
        return [Signature(*row) for row in rows]
