"""Engines configured for safe concurrent use: SQLite in WAL mode with one writer at a time."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError

from mend.errors import InvalidInput

#: How long a writer waits for another process's write to finish, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 15_000

WRITE_OPTION = "mend_write"

#: How PostgreSQL reads run (read-only units of work, the board's change stamp): outside
#: a transaction. Under READ COMMITTED (the default, which Mend keeps) each statement sees
#: what was committed when it started, inside a transaction or not; a read's BEGIN and
#: ROLLBACK would be two round trips that change nothing. SQLite keeps its transactions:
#: there a read's statements share one snapshot.
AUTOCOMMIT: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"}

#: A pooled PostgreSQL connection unused for this long is checked before use (seconds).
PING_AFTER_IDLE = 10.0
_IDLE_SINCE = "mend.idle_since"


def normalize_url(url: str) -> str:
    """Accept a plain file path as well as a SQLAlchemy URL; PostgreSQL uses psycopg 3."""
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise InvalidInput(f"Not a database URL: {url!r} ({exc}).", field="database") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_size=10, max_overflow=20)
        _ping_when_idle(engine)
        return engine
    raise InvalidInput(
        f"Mend works with SQLite or PostgreSQL, not {parsed.get_backend_name()!r}.",
        field="database",
    )


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a while.

    A connection that served a request seconds ago is alive; pinging it anyway (what
    ``pool_pre_ping`` does) is a round trip on every checkout, a tenth of a light
    request's CPU on a busy team server. One idle for longer may have been dropped (a
    restarted server, a firewall's idle timeout): it is pinged, and replaced if dead.
    Should the database restart within the window, the requests then using one of its
    connections fail once, and SQLAlchemy replaces every older connection of the pool.
    """

    def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    event.listen(engine, "connect", _idle_from_now)  # a new connection is alive
    event.listen(engine, "checkin", _idle_from_now)

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool replaces the connection and tries again
            raise DisconnectionError(f"A pooled connection is gone: {exc}") from exc


def _make_private(database: str) -> None:
    from mend.privacy import make_database_private

    make_database_private(database)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        _make_private(database)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself, so writes can say IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        try:  # SQLite's math functions are a build option; the status board needs power()
            cursor.execute("SELECT power(2, 1)")
        except Exception:  # sqlite3.OperationalError: no such function
            import math

            dbapi_connection.create_function("power", 2, math.pow, deterministic=True)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front: two processes never deadlock upgrading
        # a read lock, the second simply waits its turn (busy timeout).
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def change_stamp_reader(engine: Engine) -> Callable[[], object]:
    """A cheap function whose answer changes whenever anyone commits to the database.

    SQLite: ``PRAGMA data_version`` on a connection kept for it (it changes whenever any
    other connection commits). PostgreSQL: the current snapshot
    (``xmin:xmax:in-progress``), which changes whenever a writing transaction starts or
    ends anywhere on the server. ``None`` means "cannot tell": other databases, or a
    stamp that cannot be read; callers must then assume the data changed.
    """
    backend = engine.url.get_backend_name()
    database = engine.url.database
    if backend == "sqlite" and database and database != ":memory:":
        connection = sqlite3.connect(database, check_same_thread=False, timeout=5)
        connection.isolation_level = None
        lock = threading.Lock()

        def sqlite_stamp() -> object:
            try:
                with lock:
                    return connection.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

        return sqlite_stamp
    if backend == "postgresql":

        def postgres_stamp() -> object:
            try:
                # Outside a transaction: one round trip instead of three.
                with engine.connect().execution_options(**AUTOCOMMIT) as conn:
                    return conn.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar()
            except SQLAlchemyError:
                return None

        return postgres_stamp
    return lambda: None
