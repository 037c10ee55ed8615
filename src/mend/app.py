"""The composition root: wires settings, engine, units of work and the clock in one place."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from mend.errors import DatabaseUnavailable, InvalidInput
from mend.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from mend.services.mail.notices import Mailing
    from mend.store.uow import SessionFactory, SqlUnitOfWork

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    return lambda: at


#: ``App.uow(account=...)`` left out: the app's own account.
_OWN = -1


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock = field(default=system_clock)
    #: Whose data this app's units of work see: a team account, or None for the local
    #: owner (see mend.store.scope). The web app makes one per request with
    #: :meth:`acting_as`.
    account: int | None = None

    def uow(self, *, write: bool = True, account: int | None = _OWN) -> SqlUnitOfWork:
        """A unit of work acting for ``account`` (by default this app's)."""
        from mend.store.scope import Owner
        from mend.store.uow import SqlUnitOfWork

        owner = Owner(self.account if account == _OWN else account)
        return SqlUnitOfWork(self.sessions, write=write, owner=owner)

    def acting_as(self, account: int | None) -> App:
        """The same application, its units of work acting for ``account``."""
        if account == self.account:
            return self
        return dataclasses.replace(self, account=account)

    def now(self) -> datetime:
        return self.clock()

    def mailing(self, base_url: str = "") -> Mailing | None:
        """E-mail, when a mail server is configured (links start at ``base_url``, else
        the configured address); None: nothing is mailed, links are copied by hand."""
        if not self.settings.sends_mail:
            return None
        from mend.services.mail.notices import Mailing

        return Mailing(base_url or self.settings.base_url, self.settings.mail_from)

    @property
    def tz(self) -> tzinfo:
        return resolve_timezone(self.settings.timezone)

    def close(self) -> None:
        self.engine.dispose()


def resolve_timezone(name: str) -> tzinfo:
    if not name:
        local = datetime.now().astimezone().tzinfo
        return local or UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"Unknown time zone {name!r}; use a name like Europe/Berlin.") from exc


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> App:
    """Build the application; upgrades a local database's schema when allowed."""
    from sqlalchemy.exc import DatabaseError

    from mend.store.engine import make_engine
    from mend.store.schema import ensure_current
    from mend.store.uow import session_factory

    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    try:
        ensure_current(engine, auto_upgrade=settings.should_auto_upgrade)
    except DatabaseError as exc:  # the first time anything reaches the database
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        server = (
            ""
            if engine.url.get_backend_name() == "sqlite"
            else (", and that the server is running and lets this user connect")
        )
        raise DatabaseUnavailable(
            f"Cannot open the database {where}: {_first_line(exc.orig)}. "
            f"Check --db or MEND_DATABASE_URL{server}."
        ) from exc
    if clock is None:
        clock = fixed_clock(parse_pinned_now(settings.now)) if settings.now else system_clock
    return App(settings=settings, engine=engine, sessions=session_factory(engine), clock=clock)


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else "no reason given"


def parse_pinned_now(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"MEND_NOW must be an ISO date-time, got {value!r}.") from exc
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
