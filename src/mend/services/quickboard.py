"""The status board, next action and agenda of a local SQLite file, read with sqlite3.

The same rows and rules as services/overview.py (both finish the stored summaries with
services/statusrows.py), without importing SQLAlchemy; None whenever the quick read
cannot serve exactly (see store/quick.py), and the caller then takes the usual path.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from mend.services.statusrows import (
    Agenda,
    StatusRow,
    contacts_late,
    finish_agenda,
    finish_board,
    needing_ledgers,
)
from mend.store import quick


def status_board(
    url: str, *, account: int | None, now: datetime, tz: tzinfo, include_closed: bool = False
) -> list[StatusRow] | None:
    def finish(stored: quick.Stored) -> list[StatusRow] | None:
        if contacts_late(stored.heads, stored.summaries, now):
            return None
        ledgers = stored.ledgers(needing_ledgers(stored.heads, stored.summaries, now, 0))
        return finish_board(stored.heads, stored.summaries, ledgers, {}, now=now, tz=tz)

    got = quick.read(url, account=account, include_closed=include_closed, reader=finish)
    return None if got is None else got[1]


def agenda(
    url: str, *, account: int | None, now: datetime, tz: tzinfo, days: int = 7
) -> Agenda | None:
    def finish(stored: quick.Stored) -> Agenda:
        return finish_agenda(stored.heads, stored.summaries, now=now, tz=tz, days=days)

    got = quick.read(url, account=account, include_closed=False, reader=finish)
    return None if got is None else got[1]
