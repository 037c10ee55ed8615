"""The composition root: wires settings, engine, units of work and the clock in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from mend.errors import InvalidInput
from mend.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from mend.store.uow import SessionFactory, SqlUnitOfWork

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    return lambda: at


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock = field(default=system_clock)

    def uow(self, *, write: bool = True) -> SqlUnitOfWork:
        from mend.store.uow import SqlUnitOfWork

        return SqlUnitOfWork(self.sessions, write=write)

    def now(self) -> datetime:
        return self.clock()

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
    from mend.store.engine import make_engine
    from mend.store.schema import ensure_current
    from mend.store.uow import session_factory

    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    ensure_current(engine, auto_upgrade=settings.should_auto_upgrade)
    if clock is None:
        clock = fixed_clock(parse_pinned_now(settings.now)) if settings.now else system_clock
    return App(settings=settings, engine=engine, sessions=session_factory(engine), clock=clock)


def parse_pinned_now(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"MEND_NOW must be an ISO date-time, got {value!r}.") from exc
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
