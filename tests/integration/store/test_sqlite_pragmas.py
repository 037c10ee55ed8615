"""SQLite runs in WAL mode with foreign keys and a busy timeout on every connection."""

from __future__ import annotations

import pytest

from mend.app import App
from mend.store.engine import SQLITE_BUSY_TIMEOUT_MS

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

EXPECTED = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    "synchronous": 1,  # NORMAL: safe with WAL, no fsync per commit
}


def pragmas(conn) -> dict[str, object]:
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED}


def test_every_pooled_connection_has_the_pragmas(app: App) -> None:
    with app.engine.connect() as first, app.engine.connect() as second:
        assert pragmas(first) == EXPECTED
        assert pragmas(second) == EXPECTED


def test_units_of_work_see_the_pragmas(app: App) -> None:
    for write in (True, False):
        with app.uow(write=write) as uow:
            assert pragmas(uow.session.connection()) == EXPECTED


def test_a_new_file_is_created_in_wal_mode(app_factory, tmp_path) -> None:
    path = tmp_path / "sub" / "dir" / "new.db"
    app = app_factory(database_url=str(path))
    with app.engine.connect() as conn:
        assert pragmas(conn) == EXPECTED
    assert path.exists()
