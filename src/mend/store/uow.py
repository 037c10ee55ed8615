"""The unit of work owns the transaction: nothing is saved unless ``commit()`` is called."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mend.store.engine import WRITE_OPTION
from mend.store.mapping import start_mappers
from mend.store.repositories import PeopleRepository, RepairRepository


class UnitOfWork(Protocol):
    people: PeopleRepository
    repairs: RepairRepository
    session: Session

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SqlUnitOfWork:
    """One database transaction; rolls back on leaving unless committed.

    ``write=True`` takes SQLite's write lock at the start (``BEGIN IMMEDIATE``), so
    two Mend processes writing at once queue up instead of failing half-way.
    """

    def __init__(self, sessions: sessionmaker[Session], *, write: bool = True) -> None:
        self._sessions = sessions
        self._write = write

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        if self._write:
            self.session.connection(execution_options={WRITE_OPTION: True})
        self.people = PeopleRepository(self.session)
        self.repairs = RepairRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed, and unlike rollback() it leaves
        # loaded objects readable (detached), so interfaces can render what they got.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    start_mappers()
    # Objects stay readable after commit: services hand them to the interfaces to render.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
