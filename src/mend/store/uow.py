"""The unit of work owns the transaction: nothing is saved unless ``commit()`` is called.

The ORM (SQLAlchemy's ``orm`` package and Mend's mappings) loads on first use: a read
that needs only rows, like `mend status`, runs on a plain connection and never pays
for importing and configuring it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from mend.store.engine import AUTOCOMMIT, WRITE_OPTION
from mend.store.scope import LOCAL, Owner

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

    from mend.store.access import AccessRepository
    from mend.store.accounts import AccountRepository
    from mend.store.invitations import InvitationRepository
    from mend.store.outbox import OutboxRepository
    from mend.store.repositories import PeopleRepository, RepairRepository
    from mend.store.signing import SigningRepository


class UnitOfWork(Protocol):
    @property
    def owner(self) -> Owner: ...

    @property
    def people(self) -> PeopleRepository: ...

    @property
    def repairs(self) -> RepairRepository: ...

    @property
    def access(self) -> AccessRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def invitations(self) -> InvitationRepository: ...

    @property
    def signing(self) -> SigningRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def session(self) -> Session: ...

    @property
    def connection(self) -> Connection: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


#: Held while the entities are mapped (once per process, by whichever thread is first).
_PREPARING = threading.Lock()


class SessionFactory:
    """Makes ORM sessions on ``engine``; maps the entities when the first one is made."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._maker: sessionmaker[Session] | None = None
        #: PostgreSQL runs reads outside a transaction (see ``engine.AUTOCOMMIT``).
        self.reads_autocommit = engine.dialect.name == "postgresql"

    def prepare(self) -> sessionmaker[Session]:
        """Map the entities (once): entities made from then on can be saved."""
        if self._maker is None:
            # A server's first requests arrive together, each in its own thread: one maps
            # while the others wait (a half-made mapping fails in strange ways).
            with _PREPARING:
                if self._maker is None:
                    self._maker = self._prepare()
        return self._maker

    def _prepare(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        from mend.store.board import track_orm
        from mend.store.mapping import start_mappers

        start_mappers()
        track_orm()
        # Objects stay readable after commit: services hand them to the interfaces.
        return sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True)

    def __call__(self, **options: Any) -> Session:
        return self.prepare()(**options)


class SqlUnitOfWork:
    """One database transaction; rolls back on leaving unless committed.

    ``write=True`` takes SQLite's write lock at the start (``BEGIN IMMEDIATE``), so
    two Mend processes writing at once queue up instead of failing half-way. A read
    opens its transaction on first use: on ``connection`` for plain rows, or on
    ``session`` (and the repositories) for entities; a session opened after the
    connection joins the connection's transaction.

    ``owner`` is the account acting (see :mod:`mend.store.scope`): the repositories and
    the read queries see its people and repairs and nothing else.
    """

    def __init__(
        self, sessions: SessionFactory, *, write: bool = True, owner: Owner = LOCAL
    ) -> None:
        self._sessions = sessions
        self._write = write
        self.owner = owner
        from mend.store.board import track_core

        track_core()
        if write:
            # Services make their new entities before entering the unit of work; the
            # classes must be mapped by then for the session to accept them.
            sessions.prepare()
        self._session: Session | None = None
        self._connection: Connection | None = None
        self._people: PeopleRepository | None = None
        self._repairs: RepairRepository | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self._session = self._connection = None
        self._people = self._repairs = None
        if self._write:
            with busy_as_error():
                self.session.connection(execution_options={WRITE_OPTION: True})
        return self

    @property
    def _outside_a_transaction(self) -> bool:
        """A read on PostgreSQL (``engine.AUTOCOMMIT``)."""
        return not self._write and self._sessions.reads_autocommit

    @property
    def session(self) -> Session:
        if self._session is None:
            if self._connection is not None:
                self._session = self._sessions(bind=self._connection)
            else:
                self._session = self._sessions()
                if self._outside_a_transaction:
                    self._session.connection(execution_options=AUTOCOMMIT)
        return self._session

    @property
    def connection(self) -> Connection:
        """The transaction's connection, for queries of plain rows (SQLAlchemy Core)."""
        if self._session is not None:
            return self._session.connection()
        if self._connection is None:
            self._connection = self._sessions.engine.connect()
            if self._outside_a_transaction:
                self._connection.execution_options(**AUTOCOMMIT)
            self._connection.begin()
        return self._connection

    @property
    def people(self) -> PeopleRepository:
        if self._people is None:
            from mend.store.repositories import PeopleRepository

            self._people = PeopleRepository(self.session, self.owner)
        return self._people

    @property
    def access(self) -> AccessRepository:
        """Sessions and failed logins (plain rows on the transaction's connection)."""
        from mend.store.access import AccessRepository

        return AccessRepository(self.connection)

    @property
    def accounts(self) -> AccountRepository:
        """The team server's accounts and password resets (plain rows, not scoped)."""
        from mend.store.accounts import AccountRepository

        return AccountRepository(self.connection)

    @property
    def invitations(self) -> InvitationRepository:
        """Invitations into this owner's repairs, link sessions and the other person's
        words (plain rows, scoped through the repair)."""
        from mend.store.invitations import InvitationRepository

        return InvitationRepository(self.connection, self.owner)

    @property
    def signing(self) -> SigningRepository:
        """Comments on this owner's agreement versions and their signatures (plain rows,
        scoped through the repair)."""
        from mend.store.signing import SigningRepository

        return SigningRepository(self.connection, self.owner)

    @property
    def outbox(self) -> OutboxRepository:
        """E-mail waiting to go out (plain rows, the server's queue: not scoped)."""
        from mend.store.outbox import OutboxRepository

        return OutboxRepository(self.connection)

    @property
    def repairs(self) -> RepairRepository:
        if self._repairs is None:
            from mend.store.repositories import RepairRepository

            self._repairs = RepairRepository(self.session, self.owner)
        return self._repairs

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed, and unlike rollback() it leaves
        # loaded objects readable (detached), so interfaces can render what they got.
        if self._session is not None:
            self._session.close()
        if self._connection is not None:
            self._connection.close()

    def commit(self) -> None:
        if not self._write:
            # On PostgreSQL a read's statements each commit on their own (AUTOCOMMIT): a
            # read that wrote would not be one transaction. Writes say so up front.
            raise RuntimeError("A read-only unit of work (write=False) cannot commit.")
        with busy_as_error():
            self._refresh_board()
            self.session.commit()
            if self._connection is not None:  # the session joined this connection's one
                self._connection.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def _refresh_board(self) -> None:
        """Bring the status rows of the repairs this transaction touched up to date
        (store/board.py), so they commit with the write."""
        from mend.store.board import refresh, take_touched

        if self._session is not None:
            self._session.flush()
        elif self._connection is None:
            return
        touched = take_touched(self.connection)
        if touched:
            refresh(self.connection, touched)


@contextmanager
def busy_as_error() -> Iterator[None]:
    """Turn SQLite's "database is locked" (after the busy timeout) into :class:`Busy`.

    Another process (a second `mend`, a server) holding the write lock for longer than
    Mend waits is not a bug to report but a moment to try again.
    """
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        if "locked" not in str(exc.orig).lower():
            raise
        from mend.errors import Busy
        from mend.store.engine import SQLITE_BUSY_TIMEOUT_MS

        raise Busy(
            "Another Mend is writing to this database and has not finished after "
            f"{SQLITE_BUSY_TIMEOUT_MS // 1000} seconds; nothing was saved. Try again in a "
            "moment."
        ) from exc


def session_factory(engine: Engine) -> SessionFactory:
    return SessionFactory(engine)
