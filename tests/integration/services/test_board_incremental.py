"""The stored status board equals the board computed from the whole history.

Random sequences of writes (through the services, as the CLI and the web app make them)
and clock moves, forwards and back; after each step the board, the agenda and the next
action read from the stored rows (store/board.py, services/overview.py) must equal the
ones computed from scratch. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from mend.app import App
from mend.errors import MendError
from mend.services import checkins, commitments, exchange, interactions, repairs, steps
from mend.services.overview import (
    agenda,
    agenda_from_scratch,
    best_next,
    status_board,
    status_board_from_scratch,
)
from mend.services.people import new_person
from mend.store import board
from mend.store import tables as t

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KINDS = ["message", "email", "call", "meeting"]
RULES = ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=FR", "FREQ=WEEKLY;BYDAY=MO,WE"]

operations = st.one_of(
    st.tuples(st.just("open"), st.integers(1, 5)),
    st.tuples(
        st.just("talk"),
        st.sampled_from(KINDS),
        st.sampled_from(["me", "them"]),
        st.sampled_from(["calm", "tense", "heated"]),
        st.sampled_from([None, True, False]),
        st.integers(0, 72),
    ),
    st.tuples(st.just("reply"), st.integers(0, 50)),
    st.tuples(st.just("promise"), st.sampled_from(["me", "them", "both"]), st.integers(-5, 20)),
    st.tuples(st.just("recurring"), st.sampled_from(RULES), st.sampled_from(["me", "both"])),
    st.tuples(st.just("outcome"), st.integers(0, 50), st.sampled_from(["kept", "late", "missed"])),
    st.tuples(st.just("cancel"), st.integers(0, 50)),
    st.tuples(st.just("check_in"), st.integers(1, 200)),
    st.tuples(st.just("complete_check_in"), st.integers(0, 50)),
    st.tuples(st.just("step"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("status"), st.sampled_from(["in_progress", "monitoring", "restored"])),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("clock"), st.integers(-20 * 24, 40 * 24)),
)


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def apply(app: App, op: tuple[Any, ...], now: datetime, state: dict[str, list[int]]) -> datetime:
    """Make one write (or move the clock); a write the rules refuse changes nothing."""
    kind, *args = op
    repair_id = _pick(state["repairs"], len(state["repairs"]) - 1)
    tz = UTC
    try:
        if kind == "clock":
            return now + timedelta(hours=args[0])
        if kind == "open":
            made = repairs.open_repair(
                app.uow(),
                person=new_person(
                    name=f"Person {len(state['repairs'])}", role="colleague", now=now
                ),
                title="A repair",
                what_happened="Something went wrong.",
                severity=args[0],
                now=now,
            )
            state["repairs"].append(made.id)  # type: ignore[arg-type]
        elif repair_id is None:
            return now
        elif kind == "talk":
            how, by, tension, replied, hours = args
            made = interactions.log_interaction(
                app.uow(),
                repair_id,
                kind=how,
                initiated_by=by,
                occurred_at=now - timedelta(hours=hours),
                tension=tension,
                replied=replied,
                force=True,
                now=now,
                tz=tz,
            )
            state["interactions"].append((repair_id, made.id))  # type: ignore[arg-type]
        elif kind == "reply":
            pair = _pick(state["interactions"], args[0])
            if pair:
                interactions.record_reply(app.uow(), pair[0], pair[1], now=now)
        elif kind == "promise":
            owner, days = args
            made = commitments.record_commitment(
                app.uow(),
                repair_id,
                description=f"Promise {len(state['commitments'])}",
                owner=owner,
                due_at=now + timedelta(days=days, hours=3),
                now=now,
                tz=tz,
            )
            state["commitments"].append((repair_id, made.id))  # type: ignore[arg-type]
        elif kind == "recurring":
            rule, owner = args
            made = commitments.record_commitment(
                app.uow(),
                repair_id,
                description=f"Habit {len(state['commitments'])}",
                owner=owner,
                recurrence=rule,
                now=now,
                tz=tz,
            )
            state["commitments"].append((repair_id, made.id))  # type: ignore[arg-type]
        elif kind == "outcome":
            pair = _pick(state["commitments"], args[0])
            if pair:
                commitments.record_outcome(
                    app.uow(), pair[0], pair[1], status=args[1], now=now, tz=tz
                )
        elif kind == "cancel":
            pair = _pick(state["commitments"], args[0])
            if pair:
                commitments.cancel_commitment(app.uow(), pair[0], pair[1], now=now)
        elif kind == "check_in":
            made = checkins.schedule_check_in(
                app.uow(), repair_id, at=now + timedelta(hours=args[0]), now=now, note="How now?"
            )
            state["check_ins"].append((repair_id, made.id))  # type: ignore[arg-type]
        elif kind == "complete_check_in":
            pair = _pick(state["check_ins"], args[0])
            if pair:
                checkins.complete_check_in(app.uow(), pair[0], pair[1], outcome="Fine", now=now)
        elif kind == "step":
            from mend.domain.enums import Step

            which = list(Step)[args[0]]
            if args[1]:
                steps.complete_step(app.uow(), repair_id, which, now=now, force=True)
            else:
                steps.skip_step(app.uow(), repair_id, which, reason="Not needed", now=now)
        elif kind == "status":
            repairs.change_status(app.uow(), repair_id, to=args[0], reason="Moving on", now=now)
        elif kind == "delete":
            gone = _pick(state["repairs"], args[0])
            repairs.delete_repair(app.uow(), gone)
            state["repairs"].remove(gone)
    except MendError:
        pass  # refused by the rules (a closed repair, an outcome not due...): nothing written
    return now


def _due(items: list[Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (d.due_at, d.kind, d.repair_id, d.item_id, d.person, d.label, d.owner) for d in items
    )


def assert_same_board(app: App, now: datetime) -> None:
    for closed in (False, True):
        stored = status_board(app.uow(write=False), now=now, tz=UTC, include_closed=closed)
        scratch = status_board_from_scratch(
            app.uow(write=False), now=now, tz=UTC, include_closed=closed
        )
        assert [r.repair_id for r in stored] == [r.repair_id for r in scratch]
        for a, b in zip(stored, scratch, strict=True):
            assert (a.title, a.person, a.role, a.status, a.severity, a.steps) == (
                b.title,
                b.person,
                b.role,
                b.status,
                b.severity,
                b.steps,
            )
            assert a.trust.n_events == b.trust.n_events
            assert a.trust.value == pytest.approx(b.trust.value, abs=1e-9)
            assert a.trust.positive == pytest.approx(b.trust.positive, abs=1e-9)
            assert a.trust.negative == pytest.approx(b.trust.negative, abs=1e-9)
            assert a.trend.direction == b.trend.direction
            assert a.next_step == b.next_step
            assert _due(a.overdue) == _due(b.overdue)
            assert _due(a.due_soon) == _due(b.due_soon)
        assert best_next(stored, now) == best_next(scratch, now) or _tied(stored, now)
    for days in (1, 7, 30):
        mine = agenda(app.uow(write=False), now=now, tz=UTC, days=days)
        theirs = agenda_from_scratch(app.uow(write=False), now=now, tz=UTC, days=days)
        for part in ("overdue", "today", "this_week"):
            assert _due(getattr(mine, part)) == _due(getattr(theirs, part))


def _tied(rows: list[Any], now: datetime) -> bool:
    """Two items due at the very same instant may come in either order from scratch."""
    times = [d.due_at for r in rows for d in (*r.overdue, *r.due_soon)]
    return len(times) != len(set(times))


def assert_rows_current(app: App) -> None:
    """Every repair has a stored row, and it is what building it now gives."""
    with app.engine.connect() as conn:
        stored = {r.repair_id: r for r in conn.execute(select(t.repair_status))}
        ids = list(conn.execute(select(t.repairs.c.id)).scalars())
        built = board.summarize(conn, ids)
    assert set(stored) == set(ids)
    import json

    for repair_id, (summary, ledger) in built.items():
        assert json.loads(stored[repair_id].summary) == summary
        assert json.loads(stored[repair_id].trust_ledger) == ledger


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=5, max_size=30))
def test_stored_board_equals_the_board_from_scratch(app: App, ops: list[Any]) -> None:
    now = START
    state: dict[str, list[Any]] = {
        "repairs": [],
        "interactions": [],
        "commitments": [],
        "check_ins": [],
    }
    # Each example starts from the repairs the earlier ones left: more history, not less.
    with app.engine.connect() as conn:
        state["repairs"] = list(conn.execute(select(t.repairs.c.id)).scalars())
    for op in [("open", 3), *ops]:
        now = apply(app, op, now, state)
        assert_same_board(app, now)
    assert_rows_current(app)


def test_a_busy_repair_over_months_of_clock(app: App) -> None:
    """Trust decays and recurring promises fall due with only the clock moving."""
    now = START
    state: dict[str, list[Any]] = {
        "repairs": [],
        "interactions": [],
        "commitments": [],
        "check_ins": [],
    }
    script: list[tuple[Any, ...]] = [("open", 4), ("recurring", "FREQ=DAILY", "me")]
    for week in range(10):
        script += [
            ("talk", "message", "me", "calm", None, 1),
            ("outcome", 0, ["kept", "late", "missed"][week % 3]),
            ("promise", "me", 3),
            ("clock", 24 * 5),
        ]
    for op in script:
        now = apply(app, op, now, state)
    for hours in (0, 1, 24 * 30, 24 * 200, -24 * 60, -24 * 400):
        assert_same_board(app, now + timedelta(hours=hours))
    rows = status_board(app.uow(write=False), now=now, tz=UTC)
    assert rows[0].trust.n_events > 5
    assert rows[0].overdue or rows[0].due_soon


def test_a_repair_without_a_stored_row_is_built_on_the_spot(app: App) -> None:
    now = START
    state: dict[str, list[Any]] = {"repairs": [], "interactions": [], "commitments": []}
    for op in [("open", 2), ("promise", "me", -1), ("talk", "call", "me", "tense", None, 2)]:
        now = apply(app, op, now, state)
    with app.engine.begin() as conn:
        conn.execute(delete(t.repair_status))
    assert_same_board(app, now)


def test_their_rows_and_imports_keep_the_rows_current(app: App) -> None:
    """Plain-row writes (an import here) leave every repair with its current row."""
    now = START
    state: dict[str, list[Any]] = {"repairs": [], "interactions": [], "commitments": []}
    for op in [("open", 2), ("promise", "me", 2), ("outcome", 0, "kept")]:
        now = apply(app, op, now, state)
    data = exchange.export_all(app.uow(write=False), now=now)
    exchange.import_all(app.uow(), data)
    assert_rows_current(app)
    assert len(status_board(app.uow(write=False), now=now, tz=UTC)) == 2
    assert_same_board(app, now)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_quick_read_of_a_local_file_equals_the_usual_one(app: App) -> None:
    from mend.services import quickboard

    now = START
    state: dict[str, list[Any]] = {"repairs": [], "interactions": [], "commitments": []}
    script: list[tuple[Any, ...]] = [
        ("open", 3),
        ("recurring", "FREQ=DAILY", "me"),
        ("talk", "message", "me", "tense", None, 30),
        ("promise", "both", 2),
        ("clock", 24 * 3),
        ("outcome", 0, "late"),
        ("open", 5),
        ("promise", "them", -2),
    ]
    for op in script:
        now = apply(app, op, now, state)
    url = app.settings.database_url
    for later in (now, now + timedelta(days=45)):
        quick = quickboard.status_board(url, account=None, now=later, tz=UTC, include_closed=True)
        usual = status_board(app.uow(write=False), now=later, tz=UTC, include_closed=True)
        assert quick == usual
        assert len(usual) == 2
        assert quickboard.agenda(url, account=None, now=later, tz=UTC, days=9) == agenda(
            app.uow(write=False), now=later, tz=UTC, days=9
        )
    # What it cannot serve exactly, it leaves to the usual path.
    before_last_contact = START - timedelta(hours=31)
    assert quickboard.status_board(url, account=None, now=before_last_contact, tz=UTC) is None
    with app.engine.begin() as conn:
        conn.execute(
            delete(t.repair_status).where(t.repair_status.c.repair_id == state["repairs"][0])
        )
    assert quickboard.status_board(url, account=None, now=now, tz=UTC) is None
    assert quickboard.status_board(url, account=7, now=now, tz=UTC) == []


def test_two_writes_to_one_repair_at_once_both_reach_its_row(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second write lands while the first is between building its row and committing:
    the row must hold both (PostgreSQL: the rebuild locks the repair; SQLite: one writer
    at a time)."""
    import threading

    state: dict[str, list[Any]] = {"repairs": [], "interactions": []}
    now = apply(app, ("open", 3), START, state)
    repair_id = state["repairs"][0]

    def write(hours: int) -> None:
        interactions.log_interaction(
            app.uow(),
            repair_id,
            kind="message",
            initiated_by="them",
            occurred_at=now - timedelta(hours=hours),
            force=True,
            now=now,
            tz=UTC,
        )

    real = board.summarize
    second_done = threading.Event()
    started: list[threading.Thread] = []

    def second_write() -> None:
        write(2)
        second_done.set()

    def summarize_then_let_another_write(conn: Any, ids: list[int], **options: Any) -> Any:
        built = real(conn, ids, **options)
        if not started:
            started.append(threading.Thread(target=second_write))
            started[0].start()
            second_done.wait(timeout=3)  # it cannot finish before this commit: fine
        return built

    monkeypatch.setattr(board, "summarize", summarize_then_let_another_write)
    write(1)
    started[0].join(timeout=60)
    assert second_done.is_set()
    assert_rows_current(app)
    with app.engine.connect() as conn:
        stored = conn.execute(select(t.repair_status.c.summary)).scalar_one()
    import json

    assert len(json.loads(stored)["contacts"]) == 2


def test_a_summary_reads_only_the_tables_whose_writes_rebuild_it(app: App) -> None:
    """Writes to other tables rebuild nothing (store/board.SUMMARY_TABLES), so a summary
    that read one of them would go stale: every table ``summarize`` reads is watched."""
    from sqlalchemy import event
    from sqlalchemy.sql.util import find_tables

    now = START
    state: dict[str, list[Any]] = {
        "repairs": [], "interactions": [], "commitments": [], "check_ins": []
    }  # fmt: skip
    script: list[tuple[Any, ...]] = [
        ("open", 3),
        ("recurring", "FREQ=WEEKLY;BYDAY=FR", "me"),
        ("promise", "me", 2),
        ("outcome", 1, "kept"),
        ("talk", "call", "me", "calm", None, 2),
        ("check_in", 5),
        ("step", 0, True),
    ]
    for op in script:
        now = apply(app, op, now, state)
    read: set[str] = set()

    def note(conn: Any, clause: Any, *_: Any) -> None:
        read.update(table.name for table in find_tables(clause, include_joins=True))

    with app.engine.connect() as conn:
        event.listen(conn, "before_execute", note)
        summary = board.summarize(conn, state["repairs"])[state["repairs"][0]][0]
    assert summary["due"]["recurring"] and summary["contacts"] and summary["steps"]
    assert read and read <= board.SUMMARY_TABLES, read - board.SUMMARY_TABLES
