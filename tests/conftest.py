"""Fixtures shared by every test.

Databases
    ``backend``             "sqlite" or "postgres"; tests that use a database run on both.
                            Narrow one test with
                            ``@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)``.
    ``database_url``        a database only this test uses, schema at head, no rows.
    ``empty_database_url``  a database only this test uses, with no tables at all.
    ``postgres_url``        the server URL from MEND_TEST_POSTGRES_URL (session).
Applications
    ``app``                 ``mend.app.build`` on ``database_url`` with the clock pinned at NOW.
    ``app_factory``         ``app_factory(now=..., clock=..., **settings)`` builds more; all
                            are closed after the test.
Other
    ``NOW`` / ``now``       2026-03-02 09:00 UTC, a Monday.
    ``chromium_path``       the Chromium binary (MEND_TEST_CHROMIUM or /usr/bin/chromium).

PostgreSQL and Chromium tests skip with a reason when those are absent, except when the
``CI`` variable is set: there a missing server or browser fails the run. Start a local
server with ``eval "$(scripts/dev-postgres.sh)"``. Each pytest-xdist worker gets its own
PostgreSQL database (``<db>_gw0`` ...), emptied between tests.

Every test runs with MEND_CONFIG pointing at a file that does not exist, the other
``MEND_*`` settings unset and the XDG data/config folders in a temporary directory, so no
test can read the developer's config or touch their real database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.serving import Server

from mend.app import App, Clock, build, fixed_clock
from mend.settings import SETTINGS, load_settings

#: The moment every test's clock is pinned to unless it asks otherwise: a Monday morning.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

POSTGRES_ENV = "MEND_TEST_POSTGRES_URL"
CHROMIUM_ENV = "MEND_TEST_CHROMIUM"


def in_ci() -> bool:
    """True on the CI machine, where missing services must fail rather than skip."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is an error: .ci/run provides it)")
    pytest.skip(reason)


# --- isolation from the developer's own data -------------------------------------------


@pytest.fixture(autouse=True)
def _hide_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "user-home"
    monkeypatch.setenv("MEND_CONFIG", str(home / "no-such-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)


# --- clock -------------------------------------------------------------------------------


@pytest.fixture
def now() -> datetime:
    return NOW


# --- databases ---------------------------------------------------------------------------


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL server given in MEND_TEST_POSTGRES_URL (its own database)."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        skip_or_fail(f"PostgreSQL not available: set {POSTGRES_ENV} (scripts/dev-postgres.sh)")
    return url


class _PostgresWorkerDatabase:
    """One database per xdist worker, reset between tests instead of recreated (fast)."""

    def __init__(self, server_url: str) -> None:
        server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.name = f"{server.database or 'mend_test'}_{_worker()}"
        self.url = server.set(database=self.name).render_as_string(hide_password=False)
        self._server = create_engine(server, isolation_level="AUTOCOMMIT")
        try:
            with self._server.connect() as conn:
                # FORCE: a previous run killed half-way may still hold connections.
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        except Exception as exc:
            self._server.dispose()
            pytest.fail(
                f"Cannot create the test database {self.name} on {server!r} "
                f"({POSTGRES_ENV}); the role needs CREATEDB: {exc}"
            )
        self.engine = create_engine(self.url, pool_size=1)

    def reset(self, *, keep_schema: bool) -> None:
        """Leave the schema at head with no rows, or (``keep_schema=False``) no tables."""
        from mend.store.schema import HEAD_REVISION, upgrade
        from mend.store.tables import metadata

        expected = {*metadata.tables, "alembic_version"}
        with self.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            present = set(
                conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            )
            at_head = (
                present == expected
                and conn.scalar(text("SELECT max(version_num) FROM alembic_version"))
                == HEAD_REVISION
            )
            if keep_schema and at_head:
                # DELETE beats TRUNCATE on tiny tables (ms instead of tens of ms).
                for table in reversed(metadata.sorted_tables):
                    conn.execute(table.delete())
                conn.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(t, 'id'), 1, false) "
                        "FROM unnest(CAST(:tables AS text[])) AS t"
                    ),
                    {"tables": sorted(n for n, tb in metadata.tables.items() if "id" in tb.c)},
                )
                return
            if present or not keep_schema:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        if keep_schema:
            upgrade(self.engine)

    def drop(self) -> None:
        self.engine.dispose()
        with self._server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._server.dispose()


@pytest.fixture(scope="session")
def _postgres_worker_db(postgres_url: str) -> Iterator[_PostgresWorkerDatabase]:
    database = _PostgresWorkerDatabase(postgres_url)
    yield database
    database.drop()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at head, migrated once per worker and copied for each test."""
    from mend.store.engine import make_engine
    from mend.store.schema import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(str(path))
    upgrade(engine)
    with engine.connect() as conn:
        # Fold the WAL into the main file so a plain file copy is the whole database.
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on; tests using a database run once per backend."""
    return str(request.param)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database for this test alone: schema at the newest revision, no rows."""
    if backend == "sqlite":
        path = tmp_path / "mend.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return _sqlite_url(path)
    database: _PostgresWorkerDatabase = request.getfixturevalue("_postgres_worker_db")
    database.reset(keep_schema=True)
    return database.url


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database for this test alone with no tables at all (for migration tests)."""
    if "database_url" in request.fixturenames:
        # On PostgreSQL both are the worker's one database: one would undo the other.
        pytest.fail("a test can use database_url or empty_database_url, not both")
    if backend == "sqlite":
        return _sqlite_url(tmp_path / "empty.db")
    database: _PostgresWorkerDatabase = request.getfixturevalue("_postgres_worker_db")
    database.reset(keep_schema=False)
    return database.url


# --- applications ------------------------------------------------------------------------

AppFactory = Callable[..., App]


@pytest.fixture
def app_factory(database_url: str) -> Iterator[AppFactory]:
    """Build apps on this test's database: ``app_factory(now=dt)``, ``clock=fn``, settings."""
    apps: list[App] = []

    def make(*, now: datetime | None = None, clock: Clock | None = None, **settings: Any) -> App:
        if now is not None and clock is not None:
            raise TypeError("give now or clock, not both")
        values = {"database_url": database_url, "auto_upgrade": True, **settings}
        built = build(load_settings(values), clock=clock or fixed_clock(now or NOW))
        apps.append(built)
        return built

    yield make
    for built in apps:
        built.close()


@pytest.fixture
def app(app_factory: AppFactory) -> App:
    """The application on this test's database, its clock pinned at NOW."""
    return app_factory()


# --- e-mail ------------------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[Any]:
    """A real SMTP server on a free local port (tests/mailtools.py); ``smtp.settings``
    are the Mend settings that send through it."""
    from tests.mailtools import smtp_server

    with smtp_server() as inbox:
        yield inbox


# --- browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable for browser tests."""
    given = os.environ.get(CHROMIUM_ENV, "").strip()
    if given:
        if not (os.path.isfile(given) and os.access(given, os.X_OK)):
            pytest.fail(f"{CHROMIUM_ENV}={given} is not an executable file")
        return given
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    if not found:
        skip_or_fail(f"Chromium not available: set {CHROMIUM_ENV} or apt-get install chromium")
    return str(found)


# --- real servers ------------------------------------------------------------------------


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """A list to append started ``tests.serving.Server``s to; each is stopped afterwards."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()
