"""PostgreSQL's pool checks a connection before use only after it sat idle, and replaces
one the server dropped (a restart, a firewall's idle timeout) without the caller seeing it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mend.store import engine as engines

pytestmark = pytest.mark.postgres


@pytest.fixture
def pool(_postgres_worker_db):
    engine = engines.make_engine(_postgres_worker_db.url)
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT pg_backend_pid()")))


def _drop(database_url: str, pid: int) -> None:
    """Kill a connection from the server's side, as a restart would."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    killer = create_engine(database_url, poolclass=NullPool)
    with killer.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def _age_every_pooled_connection(engine, seconds: float) -> None:
    for record in list(engine.pool._pool.queue):  # the idle connections' records
        record.info[engines._IDLE_SINCE] -= seconds


def test_a_connection_dropped_while_idle_is_replaced_before_use(pool, _postgres_worker_db) -> None:
    dropped = _backend_pid(pool)
    _drop(_postgres_worker_db.url, dropped)
    _age_every_pooled_connection(pool, engines.PING_AFTER_IDLE + 1)

    # The caller never sees the dead connection: it is pinged, found gone, and replaced.
    assert _backend_pid(pool) != dropped


def test_a_connection_used_moments_ago_is_not_pinged(pool, monkeypatch) -> None:
    _backend_pid(pool)  # one connection, just returned to the pool
    pings: list[object] = []
    real = pool.dialect.do_ping
    monkeypatch.setattr(pool.dialect, "do_ping", lambda c: pings.append(c) or real(c))

    for _ in range(3):
        _backend_pid(pool)
    assert pings == []

    _age_every_pooled_connection(pool, engines.PING_AFTER_IDLE + 1)
    _backend_pid(pool)
    assert len(pings) == 1


def test_a_connection_dropped_moments_ago_fails_one_use_then_the_pool_recovers(
    pool, _postgres_worker_db
) -> None:
    from sqlalchemy.exc import OperationalError

    dropped = _backend_pid(pool)
    _drop(_postgres_worker_db.url, dropped)

    # Inside the window nothing checks it: this use fails (what the docstring promises) ...
    with pytest.raises(OperationalError), pool.connect() as conn:
        conn.execute(text("SELECT 1"))
    # ... and the pool has thrown it away: the next use gets a live connection.
    assert _backend_pid(pool) != dropped
