"""A quick read of the stored status board from a local SQLite file, with sqlite3 alone.

`mend status`, `next` and `agenda` show what the stored rows (store/board.py) hold.
Importing SQLAlchemy and building an engine takes longer than reading those rows, so
for a local file these commands read them with the standard library. Anything this
cannot serve exactly — another database, a file that does not exist yet or needs an
upgrade, a repair whose row is missing or of another layout, a clock set before the
newest interaction — answers ``None``, and the caller takes the usual path, which
handles every case.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, NamedTuple

from mend.domain.enums import ACTIVE_STATUSES, RepairStatus, Role
from mend.store.revision import HEAD_REVISION, STATUS_FORMAT


class Head(NamedTuple):
    id: int
    title: str
    status: RepairStatus
    severity: int
    name: str
    role: Role


class Stored(NamedTuple):
    heads: list[Head]
    summaries: dict[int, dict[str, Any]]
    connection: sqlite3.Connection

    def ledgers(self, repair_ids: list[int]) -> dict[int, list[list[Any]]]:
        """The whole trust ledgers of ``repair_ids`` (read only when needed)."""
        out: dict[int, list[list[Any]]] = {}
        for start in range(0, len(repair_ids), 500):
            chunk = repair_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT repair_id, trust_ledger FROM repair_status WHERE repair_id IN ({marks})",
                chunk,
            )
            out.update((rid, json.loads(text)) for rid, text in rows)
        return out


def sqlite_path(url: str) -> Path | None:
    """The file of a local SQLite database URL (or plain path); None for anything else."""
    if "://" not in url:
        return Path(url).expanduser().resolve()
    prefix = "sqlite:///"
    rest = url[len(prefix) :] if url.startswith(prefix) else ""
    if not rest or "?" in rest or rest.startswith(":memory:") or rest.startswith("file:"):
        return None
    return Path(rest)


_STATUSES = {s.value: s for s in RepairStatus}
_ROLES = {r.value: r for r in Role}
_ACTIVE = tuple(s.value for s in ACTIVE_STATUSES)


def read(
    url: str, *, account: int | None, include_closed: bool, reader: Any = None
) -> tuple[Stored, Any] | None:
    """The repairs of ``account`` and their stored summaries, or None (see the module).

    Runs ``reader(stored)`` inside the read transaction (one snapshot for every query)
    and returns ``(stored, its result)``; a reader may answer None to give up too.
    """
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    from mend.privacy import make_database_private

    make_database_private(str(path))  # as opening it the usual way does
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=15)
    except sqlite3.Error:
        return None
    with closing(connection):
        connection.isolation_level = None
        try:
            connection.execute("BEGIN")
            (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision != HEAD_REVISION:
                return None
            owner = "r.account_id IS NULL" if account is None else "r.account_id = ?"
            params: list[Any] = [] if account is None else [account]
            active = ""
            if not include_closed:
                active = f" AND r.status IN ({','.join('?' * len(_ACTIVE))})"
                params += list(_ACTIVE)
            rows = connection.execute(
                "SELECT r.id, r.title, r.status, r.severity, p.name, p.role, s.format, s.summary "
                "FROM repairs r JOIN people p ON p.id = r.person_id "
                "LEFT JOIN repair_status s ON s.repair_id = r.id "
                f"WHERE {owner}{active} ORDER BY r.id",
                params,
            ).fetchall()
            if any(row[6] != STATUS_FORMAT for row in rows):
                return None  # a row to build first: the usual path builds it
            loads = json.loads
            stored = Stored(
                [
                    Head(rid, title, _STATUSES[status], severity, name, _ROLES[role])
                    for rid, title, status, severity, name, role, _, _ in rows
                ],
                {row[0]: loads(row[7]) for row in rows},
                connection,
            )
            result = reader(stored) if reader is not None else None
            connection.execute("COMMIT")
        except (sqlite3.Error, TypeError, KeyError, ValueError):
            return None
    if reader is not None and result is None:
        return None
    return stored, result
