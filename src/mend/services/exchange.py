"""Export everything to JSON and import it back, without losing anything.

The export is one JSON object::

    {"format": "mend-export", "schema_version": 1, "exported_at": "…+00:00",
     "people": [...], "repairs": [...], ...one list per table...}

Each row carries the table's column names, ids and foreign keys as they are in the
database; datetimes are ISO 8601 in UTC with their offset, dates are ISO, enums their
values, JSON columns as they are.

How each column is written and read back is decided once, from its SQLAlchemy type
(:func:`_codec_for`), so a column added to :mod:`mend.store.tables` is exported and
imported without touching this module.

An import *adds* to what is there. Into an empty database the file's ids are kept, so
export → import → export gives the same data back. Into a database that already holds
rows, every id (and every reference to it) is shifted past the largest id already in
its table, so nothing collides and every link still points at the right row.

Both act for the unit of work's owner (see :mod:`mend.store.scope`): an export holds
that account's people and repairs and everything under them, nothing of anyone else's;
an import gives every person and repair it adds to that account. Which account a row
belongs to is the server's bookkeeping, never in the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from mend.domain import validation
from mend.errors import ImportFailed, InvalidInput
from mend.store import tables
from mend.store.bulk import insert_rows
from mend.store.scope import Owner
from mend.store.types import EnumText, UTCDateTime
from mend.store.uow import UnitOfWork

FORMAT = "mend-export"
SCHEMA_VERSION = 2
#: Tables an export of an older schema cannot have: read as empty from such a file.
_SINCE: dict[str, int] = {
    "invitations": 2,
    "their_views": 2,
    "their_verdicts": 2,
    "their_pulses": 2,
    "agreement_comments": 2,
    "agreement_signatures": 2,
}

#: Every table of user data, parents before children: the order rows are checked and
#: inserted in. Security state (sessions, login back-off) is the server's, not the user's.
TABLES: tuple[Table, ...] = tuple(
    t for t in tables.metadata.sorted_tables if t.info.get("exported", True)
)

#: Integer columns that point at another table without a database foreign key (the
#: row they name may be gone). They are shifted with that table's ids when the row is
#: in the file; otherwise they are kept as they are, or cleared when ids move.
SOFT_REFERENCES: dict[tuple[str, str], str] = {("commitments", "source_draft_id"): "drafts"}

_HOW_TO_FIX = "export it again from Mend, or correct the file"


@dataclass
class ImportSummary:
    """What an import added: rows per table, and how far each table's ids were shifted."""

    counts: dict[str, int] = field(default_factory=dict)
    id_offsets: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ids_kept(self) -> bool:
        """True when every row kept the id it had in the file."""
        return not any(self.id_offsets.values())

    def describe(self) -> str:
        """For people: "2 people, 3 repairs and 145 other records (new ids: ...)"."""
        people = self.counts.get("people", 0)
        repairs = self.counts.get("repairs", 0)
        others = self.total - people - repairs
        parts = [
            _count(people, "person", "people"),
            _count(repairs, "repair", "repairs"),
            _count(others, "other record", "other records"),
        ]
        text = f"{parts[0]}, {parts[1]} and {parts[2]}"
        if not self.ids_kept and self.total:
            text += " (given new ids after those already here)"
        return text


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# --- one codec per column type ------------------------------------------------------


class _Invalid(Exception):
    """A value does not fit its column; the message completes "<where> ..."."""


Loader = Callable[[Any], Any]


@dataclass(frozen=True)
class _Codec:
    dump: Callable[[Any], Any]
    load: Loader


def _same(value: Any) -> Any:
    return value


def _load_int(value: Any) -> int:
    if type(value) is not int:
        raise _Invalid(f"must be a whole number, not {_describe(value)}")
    return value


def _load_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Invalid(f"must be true or false, not {_describe(value)}")
    return value


def _string_loader(max_length: int | None) -> Loader:
    def load(value: Any) -> str:
        if type(value) is not str:
            raise _Invalid(f"must be text, not {_describe(value)}")
        if max_length is not None and len(value) > max_length:
            raise _Invalid(f"is {len(value)} characters long; the most it can hold is {max_length}")
        if "\x00" in value:
            raise _Invalid("contains a NUL character, which text cannot hold")
        return value

    return load


def _enum_loader(enum_cls: type[Enum]) -> Loader:
    by_value = {member.value: member for member in enum_cls}
    allowed = ", ".join(str(v) for v in by_value)

    def load(value: Any) -> Any:
        try:
            return by_value[value]
        except (KeyError, TypeError):
            raise _Invalid(f"is {_describe(value)}, which is not one of: {allowed}") from None

    return load


def _load_datetime(value: Any) -> datetime:
    if type(value) is not str:
        raise _Invalid(f"must be an ISO 8601 date-time text, not {_describe(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"is {value!r}, which is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise _Invalid(f"is {value!r}, which has no UTC offset (add +00:00)")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise _Invalid(f"is {value!r}, which is outside the years Mend can hold") from None


def _load_date(value: Any) -> date:
    if type(value) is not str:
        raise _Invalid(f"must be an ISO date text like 2024-05-31, not {_describe(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"is {value!r}, which is not an ISO date like 2024-05-31") from None


def _json_loader(container: type | None) -> Loader:
    def load(value: Any) -> Any:
        if container is not None and not isinstance(value, container):
            wanted = "an object" if container is dict else "a list"
            raise _Invalid(f"must be {wanted}, not {_describe(value)}")
        return value

    return load


def _dump_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dump_date(value: date) -> str:
    return value.isoformat()


def _dump_enum(value: Enum) -> Any:
    return value.value


def _codec_for(column: Column[Any]) -> _Codec:
    """How one column is written to the file and read back: the one place for each rule."""
    kind = column.type
    if isinstance(kind, EnumText):
        return _Codec(_dump_enum, _enum_loader(kind.enum_cls))
    if isinstance(kind, UTCDateTime):
        return _Codec(_dump_datetime, _load_datetime)
    if isinstance(kind, Date):
        return _Codec(_dump_date, _load_date)
    if isinstance(kind, Boolean):
        return _Codec(_same, _load_bool)
    if isinstance(kind, Integer):
        return _Codec(_same, _load_int)
    if isinstance(kind, String):  # Text is a String without a length
        return _Codec(_same, _string_loader(kind.length))
    if isinstance(kind, JSON):
        return _Codec(_same, _json_loader(_json_container(column)))
    raise TypeError(f"no export rule for column {column} of type {kind!r}")


def _json_container(column: Column[Any]) -> type | None:
    """``dict`` or ``list`` for JSON columns whose default says which (answers, tasks)."""
    default = column.default
    if default is not None and default.is_callable:
        sample = default.arg(None)  # type: ignore[attr-defined]
        if isinstance(sample, dict | list):
            return type(sample)
    return None


def _default_of(column: Column[Any]) -> Any:
    """The value a missing field gets: the column's default, else None."""
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # type: ignore[attr-defined]
    return default.arg  # type: ignore[attr-defined]


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, int | float):
        return repr(value)
    return {"dict": "an object", "list": "a list"}.get(type(value).__name__, type(value).__name__)


@dataclass(frozen=True)
class _ColumnPlan:
    name: str
    codec: _Codec
    required: bool  # must be present in every row of the file
    nullable: bool
    default: Any
    #: "id" (the row's own id), "fk" (a foreign key), "soft" (see SOFT_REFERENCES) or None
    link: str | None
    target: str  # the table whose ids this column holds (when link is set)
    #: The domain's rule for the column's values (the same the CLI and API apply).
    check: validation.Check | None


def _exported(column: Column[Any]) -> bool:
    return bool(column.info.get("exported", True))


def _plan(table: Table) -> tuple[_ColumnPlan, ...]:
    plans = []
    for column in table.columns:
        if not _exported(column):
            continue
        link, target = None, ""
        if column.primary_key:
            link, target = "id", table.name
        for fk in column.foreign_keys:
            link, target = "fk", fk.column.table.name
        if (table.name, column.name) in SOFT_REFERENCES:
            link, target = "soft", SOFT_REFERENCES[(table.name, column.name)]
        plans.append(
            _ColumnPlan(
                name=column.name,
                codec=_codec_for(column),
                required=column.primary_key or not (column.nullable or column.default is not None),
                nullable=bool(column.nullable) and not column.primary_key,
                default=_default_of(column),
                link=link,
                target=target,
                check=column.info.get("check")
                or (validation.on_field(validation.check_id) if link else None),
            )
        )
    return tuple(plans)


_PLANS: dict[str, tuple[_ColumnPlan, ...]] = {t.name: _plan(t) for t in TABLES}


# --- export ---------------------------------------------------------------------------


def export_data(session: Session, *, now: datetime, owner: Owner) -> dict[str, Any]:
    """Everything of ``owner`` in the database as JSON-ready data (see the module
    docstring)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    data: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": _dump_datetime(now),
    }
    for table in TABLES:
        plans = _PLANS[table.name]
        dumpers = [(p.name, p.codec.dump) for p in plans]
        columns = [table.c[p.name] for p in plans]
        result = session.execute(select(*columns).where(owner.rows(table)).order_by(table.c.id))
        data[table.name] = [
            {
                name: None if value is None else dump(value)
                for (name, dump), value in zip(dumpers, row, strict=True)
            }
            for row in result
        ]
    return data


def export_all(uow: UnitOfWork, *, now: datetime) -> dict[str, Any]:
    """Use case: export everything (reads only; nothing is committed)."""
    with uow:
        return export_data(uow.session, now=now, owner=uow.owner)


# --- import ---------------------------------------------------------------------------


def load_export_file(source: str | Path | bytes) -> dict[str, Any]:
    """Read an export: a path, or the JSON text itself (text that starts with ``{``).

    Raises :class:`ImportFailed` with one line saying what is wrong for a file that
    cannot be read, is not JSON, or does not hold a JSON object.
    """
    if isinstance(source, bytes):
        raw, label = source, "The import data"
    elif isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        raw, label = source.encode("utf-8"), "The import text"
    else:
        path = Path(source)
        label = f"The file {path}"
        try:
            raw = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ImportFailed(
                f"Cannot read the import file {path}: {reason}; check the path.", field="file"
            ) from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError as exc:
        raise ImportFailed(
            f"{label} is nested too deeply to be a Mend export; use the .json file Mend exported.",
            field="file",
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"{label} is not UTF-8 text (byte {exc.start}); use the .json file Mend exported.",
            field="file",
        ) from exc
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{label} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may be cut short or edited by hand, so export it again from Mend.",
            field="file",
        ) from exc
    except ValueError as exc:  # e.g. a number of thousands of digits
        raise ImportFailed(
            f"{label} holds a value Mend cannot read ({exc}); export it again from Mend.",
            field="file",
        ) from exc
    if not isinstance(data, dict):
        raise ImportFailed(
            f"{label} holds {_describe(data)}, not a Mend export (a JSON object); "
            "use the .json file `mend export` wrote.",
            field="file",
        )
    return data


def import_data(session: Session, data: Mapping[str, Any], *, owner: Owner) -> ImportSummary:
    """Add everything in an export to the database, as ``owner``'s; the caller commits.

    The whole file is checked before anything is written; the first problem raises
    :class:`ImportFailed` naming the table, row and field. Ids are kept when a table
    is empty and shifted past its largest id otherwise (see the module docstring).
    """
    loaded = validate_export(data)
    ids = {name: {row["id"] for row in rows} for name, rows in loaded.items()}
    offsets = {
        t.name: int(session.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())
        for t in TABLES
    }
    for name, rows in loaded.items():
        highest = max((row["id"] for row in rows), default=0) + offsets[name]
        if highest > validation.MAX_ID:
            raise ImportFailed(
                f"Cannot import: this database already holds {name} ids up to "
                f"{offsets[name]:,}, and the file's ids added after them would pass "
                f"{validation.MAX_ID:,}, the largest id Mend can store. Import it into an "
                "empty database instead. Nothing was imported.",
                field=name,
            )
    summary = ImportSummary(id_offsets=offsets)
    for table in TABLES:
        rows = _shift(table, loaded[table.name], offsets, ids)
        if tables.OWNER_COLUMN in table.c:
            for row in rows:
                row[tables.OWNER_COLUMN] = owner.account_id
        insert_rows(session, table, rows)
        summary.counts[table.name] = len(rows)
    _reset_sequences(session, [t for t in TABLES if summary.counts[t.name]])
    return summary


def import_file(uow: UnitOfWork, source: str | Path | bytes) -> ImportSummary:
    """Use case: read an export (a path or its bytes), check all of it, import it.

    Reading and checking a large file takes seconds: the web app runs this in a worker
    thread, and readers meanwhile see the data as it was until the one commit.
    """
    return import_all(uow, load_export_file(source))


def import_all(uow: UnitOfWork, data: Mapping[str, Any]) -> ImportSummary:
    """Use case: import an export and commit once; on any error nothing is written."""
    with uow:
        summary = import_data(uow.session, data, owner=uow.owner)
        uow.commit()
    return summary


def validate_export(data: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Check a whole export and return its rows as Python values, per table.

    Raises :class:`ImportFailed` on the first problem, naming where it is.
    """
    if not isinstance(data, Mapping):
        raise ImportFailed(
            f"The import holds {_describe(data)}, not a Mend export (a JSON object); "
            "use the .json file `mend export` wrote.",
            field="file",
        )
    _check_header(data)
    loaded: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, set[int]] = {}
    for table in TABLES:
        rows = _load_table(table.name, data.get(table.name, []), ids)
        _check_unique(table, rows)
        loaded[table.name] = rows
        ids[table.name] = {row["id"] for row in rows}
    return loaded


def _check_header(data: Mapping[str, Any]) -> None:
    fmt = data.get("format")
    if fmt != FORMAT:
        raise ImportFailed(
            f"This is not a Mend export (format is {_describe(fmt)}, expected {FORMAT!r}); "
            "use the .json file `mend export` wrote.",
            field="format",
        )
    version = data.get("schema_version")
    if type(version) is not int or version < 1:
        raise ImportFailed(
            f"The export's schema_version is {_describe(version)}, not a whole number "
            f"from 1 to {SCHEMA_VERSION}; {_HOW_TO_FIX}.",
            field="schema_version",
        )
    if version > SCHEMA_VERSION:
        raise ImportFailed(
            f"This file was written by a newer Mend (schema {version}); upgrade Mend to "
            f"import it (this one reads schema {SCHEMA_VERSION}).",
            field="schema_version",
        )
    for table in TABLES:
        if table.name not in data and version < _SINCE.get(table.name, 1):
            continue  # read as no rows
        if table.name not in data:
            raise ImportFailed(
                f"The export has no {table.name!r} list; it may be incomplete, so {_HOW_TO_FIX}.",
                field=table.name,
            )
        if not isinstance(data[table.name], list):
            raise ImportFailed(
                f"In the export, {table.name!r} is {_describe(data[table.name])}, "
                f"not a list of rows; {_HOW_TO_FIX}.",
                field=table.name,
            )


def _fail(table: str, index: int, column: str | None, problem: str) -> ImportFailed:
    where = f"{table}[{index}]" + (f".{column}" if column else "")
    return ImportFailed(
        f"Cannot import: {where} {problem}; {_HOW_TO_FIX}. Nothing was imported.",
        field=where,
    )


def _load_table(
    name: str, rows: Iterable[Any], ids: Mapping[str, set[int]]
) -> list[dict[str, Any]]:
    plans = _PLANS[name]
    known = {p.name for p in plans}
    out: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise _fail(name, index, None, f"is {_describe(row)}, not an object")
        if not known.issuperset(row):
            extra = sorted(set(row) - known)[0]
            raise _fail(name, index, extra, "is not a field Mend knows")
        values: dict[str, Any] = {}
        for plan in plans:
            if plan.name not in row:
                if plan.required:
                    raise _fail(name, index, plan.name, "is missing")
                values[plan.name] = plan.default
                continue
            value = row[plan.name]
            if value is None:
                if not plan.nullable:
                    raise _fail(name, index, plan.name, "is null but must have a value")
                values[plan.name] = None
                continue
            try:
                value = plan.codec.load(value)
                if plan.check is not None:
                    value = plan.check(value, plan.name)
            except _Invalid as exc:
                raise _fail(name, index, plan.name, str(exc)) from None
            except InvalidInput as exc:
                raise _fail(name, index, plan.name, _as_clause(exc.message)) from None
            if plan.link == "fk" and value not in ids[plan.target]:
                raise _fail(
                    name,
                    index,
                    plan.name,
                    f"is {value}, but there is no {plan.target} row with that id",
                )
            values[plan.name] = value
        out.append(values)
    return out


def _as_clause(message: str) -> str:
    """A check's sentence ("Severity must be ...") as the end of "<where> ..."."""
    return "is not valid: " + message.rstrip(".")


def _check_unique(table: Table, rows: list[dict[str, Any]]) -> None:
    """Ids and the table's unique constraints hold within the file."""
    keys: list[tuple[str, ...]] = [("id",)]
    keys += [
        tuple(c.name for c in constraint.columns)
        for constraint in table.constraints
        # a unique column left out of exports gets a fresh value on import
        if isinstance(constraint, UniqueConstraint)
        and all(_exported(c) for c in constraint.columns)
    ]
    for key in keys:
        seen: dict[tuple[Any, ...], int] = {}
        for index, row in enumerate(rows):
            value = tuple(row[c] for c in key)
            if value in seen:
                fields = " and ".join(key)
                raise _fail(
                    table.name,
                    index,
                    key[-1],
                    f"repeats the {fields} of {table.name}[{seen[value]}]",
                )
            seen[value] = index


def _shift(
    table: Table,
    rows: list[dict[str, Any]],
    offsets: Mapping[str, int],
    ids: Mapping[str, set[int]],
) -> list[dict[str, Any]]:
    """Move ids and references past what the database holds (no-op into empty tables)."""
    for plan in _PLANS[table.name]:
        offset = offsets.get(plan.target, 0)
        if plan.link == "soft":
            present = ids[plan.target]
            for row in rows:
                value = row[plan.name]
                if value in present:
                    row[plan.name] = value + offset
                elif offset:
                    # The row it named is gone; an id moved past it would name another.
                    row[plan.name] = None
        elif plan.link and offset:
            for row in rows:
                if row[plan.name] is not None:
                    row[plan.name] += offset
    return rows


def _reset_sequences(session: Session, inserted: Iterable[Table]) -> None:
    """PostgreSQL: explicit ids do not move a serial's sequence, so move it past them."""
    if session.connection().dialect.name != "postgresql":
        return
    for table in inserted:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )
