"""The unit of work owns the transaction: commit or nothing at all."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mend.app import App
from mend.domain.enums import Role, Step
from mend.domain.model import Person, Repair, StepRecord
from mend.store import tables


def count(app: App, table: str) -> int:
    with app.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(tables.metadata.tables[table])))


def person(name: str, at: datetime) -> Person:
    return Person(name=name, role=Role.MANAGER, created_at=at)


def test_nothing_is_saved_without_commit(app: App, now: datetime) -> None:
    with app.uow() as uow:
        uow.people.add(person("Ada", now))
        uow.session.flush()  # written inside the transaction, yet never committed
        assert len(uow.people.list()) == 1
    assert count(app, "people") == 0


def test_commit_saves(app: App, now: datetime) -> None:
    with app.uow() as uow:
        uow.people.add(person("Ada", now))
        uow.commit()
    with app.uow(write=False) as uow:
        assert [p.name for p in uow.people.list()] == ["Ada"]


def test_changes_after_the_last_commit_are_dropped(app: App, now: datetime) -> None:
    with app.uow() as uow:
        ada = person("Ada", now)
        uow.people.add(ada)
        uow.commit()
        ada.name = "Ada Lovelace"
        uow.people.add(person("Bob", now))
    with app.uow(write=False) as uow:
        assert [p.name for p in uow.people.list()] == ["Ada"]


def test_an_exception_inside_rolls_back_everything(app: App, now: datetime) -> None:
    with pytest.raises(RuntimeError, match="boom"), app.uow() as uow:
        uow.people.add(person("Ada", now))
        uow.session.flush()
        raise RuntimeError("boom")
    assert count(app, "people") == 0


def test_explicit_rollback_discards_and_the_unit_can_go_on(app: App, now: datetime) -> None:
    with app.uow() as uow:
        uow.people.add(person("Ada", now))
        uow.session.flush()
        uow.rollback()
        uow.people.add(person("Bob", now))
        uow.commit()
    with app.uow(write=False) as uow:
        assert [p.name for p in uow.people.list()] == ["Bob"]


def test_a_failure_half_way_leaves_nothing_half_written(app: App, now: datetime) -> None:
    with app.uow() as uow:
        ada = person("Ada", now)
        uow.people.add(ada)
        uow.commit()
    assert ada.id is not None

    with pytest.raises(IntegrityError), app.uow() as uow:
        existing = uow.people.get(ada.id)
        existing.notes = "changed in the failed transaction"
        uow.people.add(person("Bob", now))
        repair = Repair(person_id=ada.id, title="t", what_happened="w", opened_at=now)
        # Many good rows, then one that breaks uq_steps_repair_step at the very end.
        repair.steps = [StepRecord(step=s) for s in Step] + [StepRecord(step=Step.LISTEN)]
        uow.repairs.add(repair)
        uow.commit()

    assert {name: count(app, name) for name in ("people", "repairs", "steps")} == {
        "people": 1,
        "repairs": 0,
        "steps": 0,
    }
    with app.uow(write=False) as uow:
        assert uow.people.get(ada.id).notes == ""


def test_a_foreign_key_violation_rolls_back_the_batch(app: App, now: datetime) -> None:
    with pytest.raises(IntegrityError), app.uow() as uow:
        uow.people.add(person("Ada", now))
        uow.repairs.add(Repair(person_id=424242, title="t", what_happened="w", opened_at=now))
        uow.commit()
    assert count(app, "people") == 0


def test_objects_read_in_a_unit_of_work_stay_readable_after_it(app: App, now: datetime) -> None:
    """Leaving a unit must not expire what it loaded: interfaces render it afterwards."""
    with app.uow() as uow:
        uow.people.add(person("Ada", now))
        uow.commit()
    with app.uow(write=False) as uow:
        found = uow.people.find("ada")
    assert found.name == "Ada"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_writing_unit_takes_the_sqlite_write_lock_up_front(app: App) -> None:
    path = app.engine.url.database
    assert path
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with app.uow(write=True), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the unit has ended
        other.execute("ROLLBACK")
        with app.uow(write=False) as uow:
            uow.people.list()
            other.execute("BEGIN IMMEDIATE")  # a reading unit does not block writers
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_read_only_unit_cannot_commit(app: App, now: datetime) -> None:
    with app.uow(write=False) as uow:
        uow.people.list()
        with pytest.raises(RuntimeError, match="read-only"):
            uow.commit()


@pytest.mark.parametrize("via", ["session", "connection"])
def test_a_read_keeps_a_snapshot_on_sqlite_and_no_open_transaction_on_postgresql(
    app: App, backend: str, via: str
) -> None:
    """SQLite: a read's statements share one snapshot (its transaction). PostgreSQL
    (READ COMMITTED, where each statement has its own snapshot anyway): a read holds no
    transaction open between its statements, so it costs no BEGIN and ROLLBACK round
    trips and never sits "idle in transaction"."""
    from sqlalchemy import text

    with app.uow(write=False) as uow:
        conn = uow.session.connection() if via == "session" else uow.connection
        if backend == "sqlite":
            conn.execute(text("SELECT count(*) FROM people"))
            assert conn.connection.dbapi_connection.in_transaction  # type: ignore[union-attr]
            return
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with app.engine.connect() as other:
            state = other.execute(
                text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar_one()
        assert state == "idle"
    with app.uow(write=True) as uow:  # a write is one transaction, as ever
        pid = uow.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with app.engine.connect() as other:
            state = other.execute(
                text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar_one()
        assert state == "idle in transaction"
