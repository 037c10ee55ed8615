"""Whose rows a unit of work sees: the one place where queries are scoped to an account.

On a team server every person and repair belongs to an account, and everything else
hangs off a repair. A unit of work carries the acting :class:`Owner`; the repositories
and the read queries build their filters from it, and nothing else decides who sees
what. A row of another account is not there at all: looking it up is "not found",
word for word what an id that never existed gets, so no answer confirms it exists.

``Owner(None)`` is the single local owner of local mode, whose rows have no account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, bindparam, select

from mend.domain.enums import ACTIVE_STATUSES
from mend.store import tables

#: The alias ``repair_ids`` reads: made once, as making one copies every column of the
#: table (most of a millisecond, paid on every scoped query of every request).
_OWNED = tables.repairs.alias("owned")

#: The parameter a statement made once for every account (``owned``) leaves for the id.
ACCOUNT_ID = "account_id"


def owned(column: ColumnElement[Any], *, local: bool) -> ColumnElement[bool]:
    """``Owner.owns`` for a statement made once and run for many owners: the local owner's
    (``local``), or any account's, its id left as the parameter ``ACCOUNT_ID`` (which
    ``Owner.parameters`` gives)."""
    return column.is_(None) if local else column == bindparam(ACCOUNT_ID)


@dataclass(frozen=True)
class Owner:
    """The account whose data a unit of work reads and writes (None: the local owner)."""

    account_id: int | None = None

    def owns(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """``column`` (an account id column) names this owner."""
        if self.account_id is None:
            return column.is_(None)
        return column == self.account_id

    @property
    def parameters(self) -> dict[str, int]:
        """The parameters a statement scoped with ``owned`` runs with for this owner."""
        return {} if self.account_id is None else {ACCOUNT_ID: self.account_id}

    def repair_ids(self, *, active_only: bool = False) -> Select[tuple[int]]:
        """The ids of this owner's repairs (only the active ones if asked), as a subquery.

        It reads an alias of ``repairs``, so it never correlates with a query on
        ``repairs`` itself.
        """
        scoped = _OWNED
        query = select(scoped.c.id).where(self.owns(scoped.c.account_id))
        if active_only:
            query = query.where(scoped.c.status.in_([s.value for s in ACTIVE_STATUSES]))
        return query

    def rows(self, table: Table) -> ColumnElement[bool]:
        """This owner's rows of any table of user data, following its foreign keys.

        ``people`` and ``repairs`` carry the account; a repair's records name their
        repair, and records under them (draft versions, occurrences) their parent.
        """
        if tables.OWNER_COLUMN in table.c:
            return self.owns(table.c[tables.OWNER_COLUMN])
        for column in table.c:
            for key in column.foreign_keys:
                parent = key.column.table
                return column.in_(select(key.column).where(self.rows(parent)))
        raise TypeError(f"{table.name} has no account and no parent: whose rows are they?")


#: The single local owner of local mode.
LOCAL = Owner()
