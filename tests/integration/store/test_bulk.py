"""store/bulk.insert_rows writes what ``session.execute(table.insert(), rows)`` writes:
values through each column's own types (aware datetimes, enums), on both databases; rows
it is not made for (a column left to its default) take the usual path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from mend.app import App
from mend.domain.enums import Role
from mend.store import tables
from mend.store.bulk import insert_rows

WHEN = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)


def _insert(app: App, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    with app.uow() as uow:
        insert_rows(uow.session, tables.people, rows)
        uow.commit()
    with app.engine.connect() as conn:
        people = tables.people.c
        query = select(people.id, people.name, people.role, people.organisation, people.notes)
        return [
            tuple(row)
            for row in conn.execute(query.add_columns(people.created_at).order_by(people.id))
        ]


def test_whole_rows_keep_their_types(app: App) -> None:
    rows = [
        {
            "id": 100 + k,
            "account_id": None,
            "name": f"Person {k}",
            "role": Role.MANAGER if k % 2 else Role.COLLEAGUE,
            "organisation": "Acme",
            "notes": "",
            "created_at": WHEN + timedelta(days=k),
        }
        for k in range(3)
    ]
    stored = _insert(app, rows)
    assert stored == [
        (100 + k, f"Person {k}", r["role"], "Acme", "", WHEN + timedelta(days=k))
        for k, r in enumerate(rows)
    ]
    assert stored[0][-1].tzinfo is not None


def test_rows_it_is_not_made_for_take_the_usual_path(app: App) -> None:
    short = {"id": 7, "account_id": None, "name": "Ana", "role": Role.CLIENT}
    short_and_dated = {**short, "created_at": WHEN}
    assert _insert(app, [short_and_dated]) == [(7, "Ana", Role.CLIENT, "", "", WHEN)]
    second = {**short_and_dated, "id": 8, "organisation": "Beta"}
    stored = _insert(app, [second])
    assert [(row[0], row[3]) for row in stored] == [(7, ""), (8, "Beta")]
