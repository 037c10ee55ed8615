"""The status board kept per repair: what it needs, stored in the write's own transaction.

Every write through the unit of work to a table a summary reads (``SUMMARY_TABLES``)
notes which repairs it touched (``note_*`` below: ORM flushes and plain-row statements
alike, including the other person's verdicts), and
before the commit :func:`refresh` rebuilds those repairs' rows of ``repair_status``
with the domain's own rules. A read then finishes each row at "now" cheaply
(services/overview.py): the rows hold only what does not depend on the clock.

A summary (JSON) holds, per repair:

* ``steps``: the state of each step that is not pending;
* ``trust``: the last trust events, each with the evidence *as of that event* (earlier
  evidence decayed to it, ``trust.decay``), from the last one at or before four weeks
  before the newest event; the whole list is the ``trust_ledger`` column. Evidence at
  any later instant is the entry's times its decay to that instant (the forgetting
  factor is exponential), so trust now and four weeks ago come from the tail alone;
* ``contacts``: every interaction the patience rules can still read at any instant
  after the newest one (the unanswered chain since the other person's last sign of
  life, and the longest cool-off), with ``latest`` and ``last_sign``;
* ``due``: pending stored occurrences and recurring promises of active commitments,
  and open check-ins; the read applies its horizon and expands recurrences.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, String, bindparam, delete, event, select, type_coerce

from mend.dates import micros
from mend.store import tables as t
from mend.store.revision import STATUS_FORMAT

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

#: The layout of ``summary``; rows of another layout are rebuilt (or computed at read).
FORMAT = STATUS_FORMAT
#: Where a transaction keeps what it touched: (kind, id) pairs, in ``Connection.info``.
TOUCHED = "mend.touched"
_CHUNK = 400


# --- what a write touched -------------------------------------------------------------

#: The tables a summary is built from (``summarize``): a write elsewhere (a draft, the
#: agreement, an invitation, their view or pulse, a mail) leaves every row as it is, so
#: it costs no rebuild.
SUMMARY_TABLES = frozenset(
    {"repairs", "steps", "interactions", "commitments", "occurrences", "their_verdicts",
     "check_ins"}
)  # fmt: skip

#: Per watched table: which column links a row to a repair, and through what.
_LINKS: dict[str, tuple[str, str]] = {
    "repairs": ("id", "repair"),
    "occurrences": ("commitment_id", "commitment"),
    "their_verdicts": ("occurrence_id", "occurrence"),
    **{
        table.name: ("repair_id", "repair")
        for table in t.metadata.sorted_tables
        if "repair_id" in table.c and table.name in SUMMARY_TABLES
    },
}
#: A table's own id, when a statement names its rows by it.
_OWN_KIND = {"repairs": "repair", "commitments": "commitment", "occurrences": "occurrence"}
#: How to find the repair of each kind of parent row.
_PARENTS = {
    "commitment": (t.commitments.c.id, t.commitments.c.repair_id, None),
    "occurrence": (t.occurrences.c.id, t.commitments.c.repair_id, True),
}


def _touched(info: dict[Any, Any]) -> set[tuple[str, int]]:
    found = info.get(TOUCHED)
    if found is None:
        found = info[TOUCHED] = set()
    return found


def note_rows(info: dict[Any, Any], table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Note the repairs of rows written to ``table`` (their values as a dict each)."""
    link = _LINKS.get(table)
    own = _OWN_KIND.get(table)
    if link is None and own is None:
        return
    touched = _touched(info)
    for row in rows:
        if link is not None and isinstance(row.get(link[0]), int):
            touched.add((link[1], row[link[0]]))
        if own is not None and isinstance(row.get("id"), int):
            touched.add((own, row["id"]))


def _where_values(statement: Any) -> list[dict[str, Any]]:
    """``column == value`` pairs of an UPDATE's or DELETE's WHERE on its own table."""
    from sqlalchemy.sql import operators, visitors
    from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnClause

    found: dict[str, Any] = {}
    clause = statement.whereclause
    if clause is None:
        return []
    for node in visitors.iterate(clause):
        if not isinstance(node, BinaryExpression) or node.operator is not operators.eq:
            continue
        column, value = node.left, node.right
        if isinstance(value, ColumnClause):
            column, value = value, column
        if (
            isinstance(column, ColumnClause)
            and getattr(column, "table", None) is statement.table
            and isinstance(value, BindParameter)
        ):
            found[column.name] = value.effective_value
    return [found]


def _after_execute(conn: Any, clause: Any, multiparams: Any, params: Any, *_: Any) -> None:
    if not getattr(clause, "is_dml", False):
        return
    table = getattr(clause, "table", None)
    name = getattr(table, "name", None)
    if name not in _LINKS and name not in _OWN_KIND:
        return
    if getattr(clause, "is_insert", False):
        rows = [p for p in (multiparams or []) if isinstance(p, dict)]
        if params:
            rows.append(params)
        if not rows:
            rows = [clause.compile().params]
    else:
        rows = _where_values(clause)
    note_rows(conn.info, name, rows)


def _on_begin(conn: Any) -> None:
    # A new transaction starts with nothing touched (the dict outlives pool check-outs).
    conn.info.pop(TOUCHED, None)


def _after_flush(session: Session, _context: Any) -> None:
    info = session.connection().info
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = _TABLE_OF.get(type(obj))
        if table is not None:
            note_rows(info, table, [{k: getattr(obj, k, None) for k in ("id", *_KEYS)}])


_KEYS = ("repair_id", "commitment_id", "draft_id")
_TABLE_OF: dict[type, str] = {}
_tracking = {"core": False, "orm": False}
_TRACKING = threading.Lock()


def track_core() -> None:
    """Note plain-row writes (once per process, whichever thread comes first)."""
    if _tracking["core"]:
        return
    with _TRACKING:
        if not _tracking["core"]:
            from sqlalchemy import Engine

            event.listen(Engine, "after_execute", _after_execute)
            event.listen(Engine, "begin", _on_begin)
            _tracking["core"] = True


def track_orm() -> None:
    """Note ORM flushes (once per process, when the mappings are made)."""
    if _tracking["orm"]:
        return
    with _TRACKING:
        if not _tracking["orm"]:
            from sqlalchemy.orm import Session, class_mapper

            from mend.store.mapping import mapper_registry

            for mapper in mapper_registry.mappers:
                table = class_mapper(mapper.class_).persist_selectable
                _TABLE_OF[mapper.class_] = str(table.name)  # type: ignore[attr-defined]
            event.listen(Session, "after_flush", _after_flush)
            _tracking["orm"] = True


def take_touched(conn: Connection) -> set[int]:
    """The repairs this transaction touched (and forget them)."""
    pairs = conn.info.pop(TOUCHED, None) or set()
    ids = {i for kind, i in pairs if kind == "repair"}
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, i in pairs:
        if kind != "repair":
            by_kind[kind].add(i)
    for kind, wanted in by_kind.items():
        key, repair, via = _PARENTS[kind]
        query = select(repair).where(key.in_(sorted(wanted)))
        if via:
            query = query.select_from(
                t.occurrences.join(
                    t.commitments, t.occurrences.c.commitment_id == t.commitments.c.id
                )
            )
        ids.update(conn.execute(query).scalars())
    return ids


# --- building and storing the rows ----------------------------------------------------

#: The repairs asked for (``ids``) in each statement below. The statements are made once:
#: one made per call costs more to build and to key for the compiled cache than to run.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_c, _o, _v, _k, _i = (
    t.commitments.c,
    t.occurrences.c,
    t.their_verdicts.c,
    t.check_ins.c,
    t.interactions.c,
)
_EXISTING = select(t.repairs.c.id).where(t.repairs.c.id.in_(_IDS))
#: On PostgreSQL, locked (see ``summarize``), in one order so two writers never deadlock.
_EXISTING_LOCKED = _EXISTING.order_by(t.repairs.c.id).with_for_update()
_COMMITMENTS = (
    select(
        _c.id,
        _c.repair_id,
        _c.description,
        type_coerce(_c.owner, String),
        _c.created_at,
        _c.due_at,
        _c.recurrence,
        _c.ends_at,
        _c.active,
    )
    .where(_c.repair_id.in_(_IDS))
    .order_by(_c.id)
)
_OCCURRENCES = (
    select(_o.id, _o.commitment_id, _o.due_at, type_coerce(_o.status, String), _o.recorded_at)
    .join(t.commitments, _c.id == _o.commitment_id)
    .where(_c.repair_id.in_(_IDS))
    .order_by(_o.commitment_id, _o.due_at)
)
#: The other person's verdicts on them, oldest first.
_VERDICTS = (
    select(_v.id, _v.occurrence_id, _v.verdict, _v.author, _v.note, _v.created_at)
    .join(t.occurrences, _o.id == _v.occurrence_id)
    .join(t.commitments, _c.id == _o.commitment_id)
    .where(_c.repair_id.in_(_IDS))
    .order_by(_v.id)
)
_STEPS_DONE = select(
    t.steps.c.repair_id,
    type_coerce(t.steps.c.step, String),
    type_coerce(t.steps.c.state, String),
).where(t.steps.c.repair_id.in_(_IDS), t.steps.c.state != "pending")
_OPEN_CHECK_INS = (
    select(_k.repair_id, _k.id, _k.scheduled_at, _k.note)
    .where(_k.repair_id.in_(_IDS), _k.completed_at.is_(None), _k.cancelled.is_(False))
    .order_by(_k.scheduled_at, _k.id)
)
_CONTACTS = (
    select(
        _i.repair_id, _i.occurred_at, _i.kind, _i.initiated_by, _i.tension, _i.replied, _i.forced
    )
    .where(_i.repair_id.in_(_IDS))
    .order_by(_i.repair_id, _i.occurred_at, _i.id)
)


def refresh(conn: Connection, repair_ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Rebuild the rows of ``repair_ids`` (a repair gone has none)."""
    wanted = sorted(set(repair_ids))
    stamp = now or datetime.now(UTC)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        built = summarize(conn, chunk, lock=True)
        gone = [rid for rid in chunk if rid not in built]
        if gone:
            conn.execute(delete(t.repair_status).where(t.repair_status.c.repair_id.in_(gone)))
        if built:
            conn.execute(
                _upsert(conn.dialect.name),
                [
                    {
                        "repair_id": rid,
                        "format": FORMAT,
                        "summary": json.dumps(summary, separators=(",", ":")),
                        "trust_ledger": json.dumps(ledger, separators=(",", ":")),
                        "updated_at": stamp,
                    }
                    for rid, (summary, ledger) in built.items()
                ],
            )


@cache
def _upsert(dialect: str) -> Any:
    """Insert a status row, or replace the one there (one statement, not two), in
    ``dialect``'s SQL (made once per dialect)."""
    from sqlalchemy.dialects import postgresql, sqlite

    statement = (postgresql if dialect == "postgresql" else sqlite).insert(t.repair_status)
    columns = ("format", "summary", "trust_ledger", "updated_at")
    replaced = {c: statement.excluded[c] for c in columns}
    return statement.on_conflict_do_update(index_elements=["repair_id"], set_=replaced)


def rebuild_all(conn: Connection) -> int:
    """Rebuild every repair's row; how many repairs there are."""
    ids = list(conn.execute(select(t.repairs.c.id)).scalars())
    conn.execute(delete(t.repair_status))
    refresh(conn, ids)
    return len(ids)


Summary = dict[str, Any]
Ledger = list[list[Any]]


def summarize(
    conn: Connection, repair_ids: list[int], *, lock: bool = False
) -> dict[int, tuple[Summary, Ledger]]:
    """Each existing repair's summary and trust ledger, from its rows as they are now.

    ``lock``: on PostgreSQL, first lock the repairs' rows. Two transactions writing to
    one repair then take turns: the second reads (each statement sees what is
    committed) after the first has committed, so its row includes the first one's
    write instead of overwriting it. SQLite has one writer at a time anyway.
    """
    from mend.domain import trust

    out: dict[int, tuple[Summary, Ledger]] = {}
    for repair in _trust_views(conn, repair_ids, lock=lock):
        ledger = _ledger(trust.events_from(repair))
        out[repair.id] = ({"steps": {}, "trust": _tail(ledger), "due": _due(repair)}, ledger)
    steps = conn.execute(_STEPS_DONE, {"ids": list(out)})
    for rid, step, state in steps:
        out[rid][0]["steps"][step] = state
    _add_contacts(conn, out)
    _add_check_ins(conn, out)
    return out


def _trust_views(conn: Connection, repair_ids: list[int], *, lock: bool) -> list[Any]:
    """The repairs with their commitments and occurrences, as the domain reads them.

    Plain rows made into light objects with the attributes of the domain's entities
    (``trust.events_from`` and the due rules read them): loading the mapped entities
    costs several times more, which a rebuild of a thousand repairs (an import, the
    migration) would feel. A rule that reads another attribute fails loudly here
    (``AttributeError``), never silently.
    """
    from mend.domain import model
    from mend.domain.enums import OccurrenceStatus, Party

    entity, commitment, occurrence = (
        _light(model.Repair),
        _light(model.Commitment),
        _light(model.Occurrence),
    )

    repairs = {rid: entity(id=rid, commitments=[]) for rid in repair_ids}
    existing = _EXISTING_LOCKED if lock and conn.dialect.name == "postgresql" else _EXISTING
    repairs = {rid: repairs[rid] for rid in conn.execute(existing, {"ids": repair_ids}).scalars()}
    commitments: dict[int, Any] = {}
    owners = {p.value: p for p in Party}
    rows = conn.execute(_COMMITMENTS, {"ids": list(repairs)})
    for cid, rid, description, owner, created_at, due_at, rule, ends_at, active in rows:
        made = commitment(
            id=cid,
            description=description,
            owner=owners[owner],
            created_at=created_at,
            due_at=due_at,
            recurrence=rule,
            ends_at=ends_at,
            active=active,
            occurrences=[],
        )
        commitments[cid] = made
        repairs[rid].commitments.append(made)
    if not commitments:  # nothing promised yet: no occurrences, no verdicts on them
        return list(repairs.values())
    statuses = {s.value: s for s in OccurrenceStatus}
    rows = conn.execute(_OCCURRENCES, {"ids": list(repairs)})
    occurrences: dict[int, Any] = {}
    for oid, cid, due_at, status, recorded_at in rows:
        made = occurrence(
            id=oid, due_at=due_at, status=statuses[status], recorded_at=recorded_at, note=""
        )
        made.their_verdicts = []
        occurrences[oid] = made
        commitments[cid].occurrences.append(made)
    # The other person's verdicts on them, for the trust rule to weigh.
    verdicts = conn.execute(_VERDICTS, {"ids": list(repairs)})
    for vid, oid, verdict, author, note, created_at in verdicts:
        occurrences[oid].their_verdicts.append(
            SimpleNamespace(
                id=vid, verdict=verdict, author=author, note=note, created_at=created_at
            )
        )
    return list(repairs.values())


@cache
def _light(domain: type) -> type:
    """A plain class with ``domain``'s properties (``is_recurring``, ``their_verdict``,
    ...): its objects take any attributes, and read like the entity to the rules."""
    properties = {k: p for k, p in vars(domain).items() if isinstance(p, property)}
    return type(f"Light{domain.__name__}", (SimpleNamespace,), properties)


def _ledger(events: list[Any]) -> Ledger:
    """Per event (oldest first): its instant and the evidence as of it, with the count."""
    from mend.domain import trust

    rows: Ledger = []
    r = s = 0.0
    last: datetime | None = None
    for n, e in enumerate(sorted(events, key=lambda e: e.at), start=1):
        if last is not None:
            factor = trust.decay(last, e.at)
            r, s = r * factor, s * factor
        r, s = r + e.weight_positive, s + e.weight_negative
        rows.append([micros(e.at), r, s, n])
        last = e.at
    return rows


def _tail(ledger: Ledger) -> dict[str, Any]:
    """The ledger from its last entry at or before RECENT before its newest one."""
    from mend.domain.trust import RECENT

    if not ledger:
        return {"tail": [], "complete": True}
    cut = ledger[-1][0] - RECENT // timedelta(microseconds=1)
    first = 0
    for index, row in enumerate(ledger):
        if row[0] <= cut:
            first = index
    return {"tail": ledger[first:], "complete": first == 0}


def _due(repair: Any) -> dict[str, Any]:
    from mend.domain.enums import OccurrenceStatus

    pending, recurring = [], []
    for c in repair.commitments:
        if not c.active:
            continue
        for o in c.occurrences:
            if o.status == OccurrenceStatus.PENDING:
                pending.append([c.id, micros(o.due_at), c.description, c.owner.value])
        if c.recurrence is not None:
            last = max((o.due_at for o in c.occurrences), default=None)
            recurring.append(
                [
                    c.id,
                    c.description,
                    c.owner.value,
                    c.recurrence,
                    micros(c.due_at or c.created_at),
                    None if last is None else micros(last),
                    None if c.ends_at is None else micros(c.ends_at),
                ]
            )
    pending.sort(key=lambda p: (p[1], p[0]))
    return {"pending": pending, "recurring": recurring, "checkins": []}


def _add_check_ins(conn: Connection, out: dict[int, tuple[Summary, Ledger]]) -> None:
    rows = conn.execute(_OPEN_CHECK_INS, {"ids": list(out)})
    for rid, kid, at, note in rows:
        out[rid][0]["due"]["checkins"].append([kid, micros(at), note])


def _add_contacts(conn: Connection, out: dict[int, tuple[Summary, Ledger]]) -> None:
    """The interactions patience can read at any instant from the newest one on."""
    from mend.domain import patience
    from mend.domain.enums import Tension

    rows = conn.execute(_CONTACTS, {"ids": list(out)}).all()
    longest = max(patience.DEFAULT_RULES.cooloff(x) for x in Tension)
    by_repair: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_repair[row.repair_id].append(row)
    for rid, (summary, _) in out.items():
        items = by_repair.get(rid, [])
        signs = [x.occurred_at for x in items if _sign_of_life(x.initiated_by, x.replied, x.kind)]
        last_sign = max(signs) if signs else None
        latest = items[-1].occurred_at if items else None
        # Any later "now" reads from its own start, which is never before this one.
        start = None
        if last_sign is not None and latest is not None:
            start = min(last_sign, latest - longest)
        summary["contacts"] = [
            [
                micros(x.occurred_at),
                x.kind,
                x.initiated_by,
                x.tension,
                x.replied,
                x.forced,
            ]
            for x in items
            if start is None or x.occurred_at >= start
        ]
        summary["latest"] = None if latest is None else micros(latest)
        summary["last_sign"] = None if last_sign is None else micros(last_sign)


@lru_cache(maxsize=64)
def _sign_of_life(initiated_by: str, replied: bool | None, kind: str) -> bool:
    """``patience.is_sign_of_life`` of an interaction's stored values (a dozen kinds)."""
    from mend.domain import patience
    from mend.domain.enums import InteractionKind, Party

    return patience.is_sign_of_life(
        SimpleNamespace(  # type: ignore[arg-type]
            initiated_by=Party(initiated_by), replied=replied, kind=InteractionKind(kind)
        )
    )
