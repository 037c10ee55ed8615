"""RepairRepository.get reads only the kinds of records a repair has, and gives back the
same aggregate the mapping's own loading gives (every relationship, in its order)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, inspect, select

from mend.app import App
from mend.domain.enums import InteractionKind, Party
from mend.domain.model import Interaction, Repair
from mend.services import ground, people, repairs
from mend.services.demo import load_demo

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def snapshot(value: Any) -> Any:
    """Every field of an entity and of everything under it, as plain values."""
    if is_dataclass(value):
        return {f.name: snapshot(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    return value


def as_mapped(app: App, repair_id: int) -> Any:
    """The repair as the mapping alone loads it (a select-in query per relationship)."""
    with app.uow(write=False) as uow:
        query = select(Repair).where(Repair.id == repair_id)  # type: ignore[arg-type]
        return snapshot(uow.session.scalars(query).one())


def as_got(app: App, repair_id: int) -> Any:
    with app.uow(write=False) as uow:
        return snapshot(uow.repairs.get(repair_id))


def just_opened(app: App) -> int:
    """A repair with nothing yet but its steps and its opening."""
    person = people.add_person(app.uow(), name="Ana", role="colleague", now=NOW)
    repair = repairs.open_repair(
        app.uow(), person=str(person.id), title="The handover", what_happened="x", now=NOW
    )
    assert repair.id is not None
    return repair.id


@contextmanager
def statements(app: App) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("SELECT"):
            seen.append(args[2])

    event.listen(app.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.engine, "before_cursor_execute", note)


def test_a_repair_with_every_kind_of_record_loads_whole(app: App) -> None:
    repair = load_demo(app.uow, now=NOW, tz=UTC)
    rid = repair.id
    assert rid is not None
    ground.add_initiative(
        app.uow(),
        rid,
        title="Shared release checklist",
        my_contribution="I draft it",
        their_contribution="She reviews it",
        now=NOW,
    )
    ground.set_agreement(app.uow(), rid, now=NOW, channel="chat", tasks=[("specs", "me")])
    ground.set_agreement(app.uow(), rid, now=NOW + timedelta(days=1), frequency="weekly")
    got = as_got(app, rid)
    kinds = list(inspect(Repair).relationships.keys())
    assert all(got[key] for key in kinds), [key for key in kinds if not got[key]]
    assert any(o["their_verdicts"] == [] for c in got["commitments"] for o in c["occurrences"])
    assert got == as_mapped(app, rid)


def test_a_repair_reads_only_the_kinds_it_has(app: App) -> None:
    rid = just_opened(app)
    with statements(app) as seen, app.uow(write=False) as uow:
        got = uow.repairs.get(rid)
        # The repair with its nine "has any?" answers, then its steps and its opening.
        assert len(seen) == 3, seen
        assert got.interactions == [] and got.drafts == [] and got.commitments == []
        assert len(got.steps) == 10 and len(got.status_changes) == 1
        got.interactions  # noqa: B018 (read again: loaded, no query)
        assert len(seen) == 3
    assert snapshot(got) == as_mapped(app, rid)


def test_a_second_get_in_one_unit_of_work_keeps_what_it_changed(app: App) -> None:
    rid = just_opened(app)
    with app.uow() as uow:
        first = uow.repairs.get(rid)
        first.interactions.append(
            Interaction(
                occurred_at=NOW,
                kind=InteractionKind.MESSAGE,
                initiated_by=Party.ME,
                summary="Sent the notes",
            )
        )
        with uow.session.no_autoflush:  # the new record is not in the database yet
            again = uow.repairs.get(rid)
        assert again is first
        assert [i.summary for i in again.interactions] == ["Sent the notes"]
        uow.commit()
    assert [i["summary"] for i in as_got(app, rid)["interactions"]] == ["Sent the notes"]
