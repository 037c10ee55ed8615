"""Many rows into one table at once, for an import of a whole export.

``session.execute(table.insert(), rows)`` builds every row's parameters through the
compiled statement, which for the 190,000 rows of a large export took longer than the
database took to write them. Here the statement is compiled once, each column's own
bind processor (store/types.py, then the driver's) converts the values, and the
driver's ``executemany`` writes them: the same values the usual path would write. The
repairs the rows belong to are noted for the status board, as any write's are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from mend.store.board import note_rows


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, all columns of ``table``) in one go."""
    if not rows:
        return
    keys = rows[0].keys()
    names = list(keys)
    if any(row.keys() != keys for row in rows) or not set(names) <= set(table.c.keys()):
        session.execute(table.insert(), list(rows))  # not the uniform rows this is for
        return
    connection = session.connection()
    dialect = connection.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    if set(compiled.params) != set(names):  # a column default to fill in: the usual path
        session.execute(table.insert(), list(rows))
        return
    order = list(compiled.positiontup or []) if compiled.positional else names
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order
    ]
    steps = list(zip(order, processors, strict=True))

    def values(row: dict[str, Any]) -> list[Any]:
        return [
            row[name] if convert is None or row[name] is None else convert(row[name])
            for name, convert in steps
        ]

    params: list[Any] = (
        [tuple(values(row)) for row in rows]
        if compiled.positional
        else [dict(zip(order, values(row), strict=True)) for row in rows]
    )
    connection.exec_driver_sql(compiled.string, params)
    note_rows(connection.info, table.name, rows)
