"""Migrations: the history builds exactly the declared schema and never loses data.

The upgrade harness needs no editing when a revision is added: for every revision in
the history it migrates an empty database to that revision, fills every table with
representative rows generated from the schema as it was then (plain Core inserts on
reflected tables, not the domain mapping), upgrades to head and checks every row is still
there and still loads through the domain; before the upgrade, Mend must refuse the older
database with a pointer to ``mend db upgrade``. A migration that rewrites values on
purpose declares it in ``CHANGED_BY_DESIGN``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from mend.app import build
from mend.domain.validation import ALL_SHARED, PULSE_SCORES, VERDICTS
from mend.errors import Conflict
from mend.settings import load_settings
from mend.store import board, tables
from mend.store.engine import make_engine
from mend.store.schema import HEAD_REVISION, current_revision, ensure_current, upgrade
from mend.store.schema import MIGRATIONS as MIGRATIONS_DIR
from mend.store.types import EnumText

#: (revision, table, column) whose values a migration changes on purpose: skipped when
#: comparing rows seeded at an older revision with what head holds.
CHANGED_BY_DESIGN: set[tuple[str, str, str]] = set()

#: Tables rebuilt from the others (never seeded: the upgrade must build them itself).
DERIVED = ("repair_status",)

ROWS_PER_TABLE = 3
SEED_TIME = datetime(2026, 3, 2, 9, 0, 0, 250000, tzinfo=UTC)


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [s.revision for s in reversed(list(_script().walk_revisions()))]


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_history_is_one_line_ending_at_head_revision() -> None:
    script = _script()
    assert script.get_heads() == [HEAD_REVISION], "bump HEAD_REVISION in mend.store.schema"
    assert len(script.get_bases()) == 1
    assert revisions()[-1] == HEAD_REVISION


def test_upgrade_from_empty_builds_exactly_the_declared_schema(engine: Engine) -> None:
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, tables.metadata)
    assert names == {*tables.metadata.tables, "alembic_version"}
    assert differences == []


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION


def test_a_server_database_is_not_upgraded_without_being_asked(engine: Engine) -> None:
    with pytest.raises(Conflict, match="mend db upgrade"):
        ensure_current(engine, auto_upgrade=False)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


def test_postgresql_defaults_to_no_auto_upgrade(empty_database_url: str, backend: str) -> None:
    settings = load_settings({"database_url": empty_database_url})
    if backend == "sqlite":
        build(settings).close()  # a local file upgrades itself at start
    else:
        with pytest.raises(Conflict, match="`mend db upgrade`"):
            build(settings)


def test_a_database_from_a_newer_mend_is_a_conflict(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(Conflict, match="newer Mend"):
        ensure_current(engine, auto_upgrade=True)


# --- the data-preserving upgrade harness -------------------------------------------------


@pytest.mark.parametrize("revision", revisions())
def test_upgrade_to_head_keeps_rows_made_at(revision: str, engine: Engine) -> None:
    upgrade(engine, revision)
    seeded = seed(engine)
    assert seeded, f"revision {revision} has no tables to seed"
    if revision != HEAD_REVISION:  # an older database is refused until upgraded on purpose
        with pytest.raises(Conflict, match=rf"revision {revision}.*mend db upgrade"):
            ensure_current(engine, auto_upgrade=False)

    upgrade(engine)

    head = reflect(engine)
    for table_name, rows in seeded.items():
        assert table_name in head.tables, f"table {table_name} dropped by a migration"
        table = head.tables[table_name]
        with engine.connect() as conn:
            stored = {row.id: row._mapping for row in conn.execute(select(table))}
        for row in rows:
            assert row["id"] in stored, f"{table_name} row {row['id']} lost"
            for column, value in row.items():
                if column not in table.c or (revision, table_name, column) in CHANGED_BY_DESIGN:
                    continue
                assert same(stored[row["id"]][column], value), (table_name, column)

    # The upgrade built the derived rows of every repair, as the write path builds them
    # (rows written at head without the unit of work have none: the board builds
    # those on the spot).
    with engine.connect() as conn:
        status = {r.repair_id: r for r in conn.execute(select(tables.repair_status))}
        expected = board.summarize(conn, sorted(r["id"] for r in seeded["repairs"]))
    assert set(status) == (set(expected) if revision != HEAD_REVISION else set())
    for repair_id, (summary, ledger) in expected.items():
        if revision == HEAD_REVISION:
            break
        assert status[repair_id].format == board.FORMAT
        assert json.loads(status[repair_id].summary) == summary
        assert json.loads(status[repair_id].trust_ledger) == ledger

    # The seeded rows are valid domain data too: every repair loads with its children, as
    # its owner sees it (rows made before accounts existed belong to the local owner).
    app = build(
        load_settings(
            {"database_url": str(engine.url.render_as_string(False)), "auto_upgrade": False}
        )
    )
    owners = [None, *(row["id"] for row in seeded.get("accounts", []))]
    try:
        repairs = []
        for owner in owners:
            with app.uow(write=False, account=owner) as uow:
                repairs += uow.repairs.list()
                assert all(r.account_id == owner for r in uow.repairs.list())
                assert all(p.created_at.tzinfo is UTC for p in uow.people.list())  # type: ignore[union-attr]
            assert all(r.steps and r.drafts[0].versions for r in repairs)
        assert len(repairs) == len(seeded["repairs"])
    finally:
        app.close()


def reflect(engine: Engine) -> MetaData:
    reflected = MetaData()
    reflected.reflect(engine)
    return reflected


def seed(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Insert ROWS_PER_TABLE rows in every table, parents first; return what was inserted."""
    reflected = reflect(engine)
    seeded: dict[str, list[dict[str, Any]]] = {}
    counter = itertools.count(1)
    with engine.begin() as conn:
        for table in reflected.sorted_tables:
            if table.name in ("alembic_version", *DERIVED):
                continue
            rows = [
                {c.name: sample(table, c, n, next(counter)) for c in table.columns}
                for n in range(1, ROWS_PER_TABLE + 1)
            ]
            conn.execute(table.insert(), rows)
            seeded[table.name] = rows
    return seeded


#: Columns whose values come from a closed set (checked on every write and import).
CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("their_verdicts", "verdict"): VERDICTS,
    ("their_pulses", "score"): tuple(PULSE_SCORES),
    ("invitations", "shares"): (ALL_SHARED, "commitments", ""),
}


def sample(table: Table, column: Column[Any], n: int, unique: int) -> Any:
    """A representative value for ``column`` of row ``n`` (ids are 1..ROWS_PER_TABLE)."""
    if column.primary_key:
        return n
    if column.foreign_keys:
        return n  # row n of the parent table
    declared = tables.metadata.tables.get(table.name)
    declared_column = declared.c.get(column.name) if declared is not None else None
    declared_type = declared_column.type if declared_column is not None else None
    if isinstance(declared_type, EnumText):
        members = list(declared_type.enum_cls)
        return members[(n - 1) % len(members)].value
    if (table.name, column.name) in CHOICES:  # a closed set of values the rules read
        choices = CHOICES[table.name, column.name]
        return choices[(n - 1) % len(choices)]
    kind = column.type
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, DateTime):
        return SEED_TIME + timedelta(days=unique, microseconds=unique)
    if isinstance(kind, Date):
        return date(2026, 1, 1) + timedelta(days=unique)
    if isinstance(kind, JSON):
        if "tasks" in column.name:
            return [{"task": f"task {unique}", "owner": "me"}]
        return {"answer": f"ünïcode {unique}", "list": [1, 2.5, None, True]}
    if isinstance(kind, Integer):
        return unique
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 500
        return f"{table.name}.{column.name} #{unique} — ✓"[:length]
    raise AssertionError(f"teach sample() the type of {table.name}.{column.name}: {kind!r}")


def same(stored: Any, seeded: Any) -> bool:
    if isinstance(seeded, datetime) and isinstance(stored, datetime):
        # SQLite hands back the naive UTC value it stores.
        stored = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    return bool(stored == seeded)
