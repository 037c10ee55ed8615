"""The use cases against real databases (SQLite and PostgreSQL): rules, errors, atomicity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from tests.conftest import NOW

from mend.app import App
from mend.domain.enums import OccurrenceStatus, RepairStatus, Step, StepState
from mend.domain.errors import InvalidTransition
from mend.errors import Ambiguous, InvalidInput, NotFound, PatienceWarning, TooLarge
from mend.services import checkins, commitments, ground, interactions, people, repairs, steps
from mend.store import tables

UTC_TZ = UTC


def _count(app: App, table: tables.Table) -> int:
    with app.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def _open(app: App, *, name: str = "Ana", **fields: object) -> int:
    people.add_person(app.uow(), name=name, role="colleague", now=NOW)
    defaults: dict[str, object] = {
        "title": "Late specs",
        "what_happened": "I delivered the specs four days late.",
        "my_part": "I kept quiet when I saw it slipping.",
        "impact": "Her sprint stalled for two days.",
        "severity": 4,
    }
    defaults.update(fields)
    repair = repairs.open_repair(app.uow(), person=name, now=NOW, **defaults)  # type: ignore[arg-type]
    assert repair.id is not None
    return repair.id


def _state(app: App, repair_id: int, step: Step) -> StepState:
    repair = repairs.get_repair(app.uow(write=False), repair_id)
    return next(r.state for r in repair.steps if r.step == step)


def test_opening_a_repair_creates_the_ten_steps_and_acknowledges(app: App) -> None:
    rid = _open(app)
    repair = repairs.get_repair(app.uow(write=False), rid)
    assert [r.step for r in sorted(repair.steps, key=lambda r: r.step.number)] == list(Step)
    assert _state(app, rid, Step.ACKNOWLEDGE) == StepState.DONE
    assert repair.status == RepairStatus.IN_PROGRESS
    assert [c.to_status for c in repair.status_changes] == [
        RepairStatus.OPEN,
        RepairStatus.IN_PROGRESS,
    ]


def test_without_my_part_acknowledge_waits_and_the_repair_stays_open(app: App) -> None:
    rid = _open(app, my_part="", impact="")
    assert _state(app, rid, Step.ACKNOWLEDGE) == StepState.PENDING
    assert repairs.get_repair(app.uow(write=False), rid).status == RepairStatus.OPEN
    steps.answer_step(
        app.uow(),
        rid,
        Step.ACKNOWLEDGE,
        {"my_part": "I said nothing.", "impact": "She lost two days."},
        now=NOW,
    )
    assert _state(app, rid, Step.ACKNOWLEDGE) == StepState.DONE


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"title": "   "}, InvalidInput, "title"),
        ({"what_happened": ""}, InvalidInput, "what_happened"),
        ({"severity": 6}, InvalidInput, "severity"),
        ({"my_part": "x" * 10_001}, TooLarge, "my_part"),
        ({"occurred_on": date(2027, 1, 1)}, InvalidInput, "occurred_on"),
    ],
)
def test_bad_repair_input_is_refused_and_nothing_is_written(
    app: App, fields: dict[str, object], error: type[Exception], field: str
) -> None:
    people.add_person(app.uow(), name="Ana", role="colleague", now=NOW)
    base: dict[str, object] = {"title": "t", "what_happened": "w"}
    base.update(fields)
    with pytest.raises(error) as caught:
        repairs.open_repair(app.uow(), person="Ana", now=NOW, **base)  # type: ignore[arg-type]
    assert getattr(caught.value, "field", None) == field
    assert _count(app, tables.repairs) == 0
    assert _count(app, tables.steps) == 0


def test_a_new_person_is_saved_with_their_repair_or_not_at_all(app: App) -> None:
    newcomer = people.new_person(name="Bo Lind", role="client", now=NOW)
    with pytest.raises(InvalidInput) as caught:
        repairs.open_repair(app.uow(), person=newcomer, title=" ", what_happened="w", now=NOW)
    assert caught.value.field == "title"
    assert _count(app, tables.people) == 0

    again = people.new_person(name="Bo Lind", role="client", now=NOW)
    repair = repairs.open_repair(app.uow(), person=again, title="t", what_happened="w", now=NOW)
    [stored] = people.list_people(app.uow(write=False))
    assert (stored.name, stored.id) == ("Bo Lind", repair.person_id)


def test_people_are_found_by_id_exact_name_or_unique_part(app: App) -> None:
    people.add_person(app.uow(), name="Sam Lee", role="manager", now=NOW)
    people.add_person(app.uow(), name="Sam Ortiz", role="client", now=NOW)
    assert people.find_person(app.uow(write=False), "sam lee").name == "Sam Lee"
    assert people.find_person(app.uow(write=False), "ortiz").name == "Sam Ortiz"
    with pytest.raises(Ambiguous, match="matches 2 people"):
        people.find_person(app.uow(write=False), "Sam")
    with pytest.raises(NotFound):
        people.find_person(app.uow(write=False), "Nobody")
    with pytest.raises(InvalidInput, match="Role must be one of"):
        people.add_person(app.uow(), name="X", role="friend", now=NOW)


def test_unknown_repair_is_not_found(app: App) -> None:
    with pytest.raises(NotFound, match="No repair with id 99"):
        repairs.get_repair(app.uow(write=False), 99)


def test_outreach_during_a_cool_off_is_refused_unless_forced(app: App) -> None:
    rid = _open(app)
    interactions.log_interaction(
        app.uow(),
        rid,
        kind="meeting",
        initiated_by="them",
        occurred_at=NOW,
        tension="heated",
        now=NOW,
        tz=UTC_TZ,
    )
    later = NOW + timedelta(days=2)
    with pytest.raises(PatienceWarning, match="heated") as caught:
        interactions.log_interaction(
            app.uow(), rid, kind="email", initiated_by="me", occurred_at=later, now=later, tz=UTC_TZ
        )
    assert "7 March" in caught.value.message
    assert _count(app, tables.interactions) == 1
    forced = interactions.log_interaction(
        app.uow(),
        rid,
        kind="email",
        initiated_by="me",
        occurred_at=later,
        now=later,
        tz=UTC_TZ,
        force=True,
    )
    assert forced.forced and "heated" in forced.forced_reason
    # The forced email is itself unanswered: the first nudge waits 3 days after it.
    waiting = interactions.check_outreach(
        app.uow(write=False), rid, at=later + timedelta(days=2), tz=UTC_TZ
    )
    assert not waiting.allowed
    assert waiting.next_allowed_at == later + timedelta(days=3)
    verdict = interactions.check_outreach(
        app.uow(write=False), rid, at=later + timedelta(days=3), tz=UTC_TZ
    )
    assert verdict.allowed


def test_interactions_cannot_be_in_the_future(app: App) -> None:
    rid = _open(app)
    with pytest.raises(InvalidInput, match="future"):
        interactions.log_interaction(
            app.uow(),
            rid,
            kind="call",
            initiated_by="me",
            occurred_at=NOW + timedelta(days=1),
            now=NOW,
            tz=UTC_TZ,
        )


def test_a_recurring_commitment_falls_due_and_records_the_oldest_first(app: App) -> None:
    rid = _open(app)
    weekly = commitments.record_commitment(
        app.uow(),
        rid,
        description="Status note",
        recurrence="every friday",
        due_at=datetime(2026, 3, 6, 16, 0, tzinfo=UTC),
        now=NOW,
    )
    assert weekly.id is not None
    three_weeks = NOW + timedelta(days=19)
    first = commitments.record_outcome(app.uow(), rid, weekly.id, status="kept", now=three_weeks)
    second = commitments.record_outcome(
        app.uow(), rid, weekly.id, status="missed", now=three_weeks, note="Forgot"
    )
    assert first.due_at == datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
    assert second.due_at == datetime(2026, 3, 13, 16, 0, tzinfo=UTC)
    stored = repairs.get_repair(app.uow(write=False), rid).commitments[0]
    assert [o.status for o in stored.occurrences] == [
        OccurrenceStatus.KEPT,
        OccurrenceStatus.MISSED,
        OccurrenceStatus.PENDING,
    ]
    assert _state(app, rid, Step.OFFER_SOLUTIONS) == StepState.DONE


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"due_at": NOW - timedelta(days=2)}, "in the past"),
        ({}, "needs a due date"),
        ({"recurrence": "whenever"}, "recurrence|repeat|understand"),
        ({"due_at": NOW + timedelta(days=1), "owner": "nobody"}, "Owner must be one of"),
    ],
)
def test_bad_commitments_are_refused(app: App, kwargs: dict[str, object], message: str) -> None:
    rid = _open(app)
    with pytest.raises(InvalidInput, match=message):
        commitments.record_commitment(app.uow(), rid, description="x", now=NOW, **kwargs)  # type: ignore[arg-type]
    assert _count(app, tables.commitments) == 0


def test_completing_a_recurring_check_in_schedules_the_next_by_trust(app: App) -> None:
    rid = _open(app)
    first = checkins.schedule_check_in(
        app.uow(), rid, at=NOW + timedelta(days=1), cadence_days=7, now=NOW
    )
    assert first.id is not None
    done_at = NOW + timedelta(days=1, hours=1)
    completed, successor = checkins.complete_check_in(
        app.uow(), rid, first.id, outcome="Went fine", now=done_at
    )
    assert completed.completed_at == done_at
    assert successor is not None
    # No evidence yet: trust 0.5 sits in the 0.45-0.6 band, so every 10 days.
    assert successor.cadence_days == 10
    assert successor.scheduled_at == done_at + timedelta(days=10)
    with pytest.raises(InvalidInput, match="future"):
        checkins.schedule_check_in(app.uow(), rid, at=NOW - timedelta(hours=1), now=NOW)


def test_agreement_versions_carry_unchanged_parts_over(app: App) -> None:
    rid = _open(app)
    first = ground.set_agreement(
        app.uow(),
        rid,
        channel="Slack",
        tasks=[("Specs", "me"), ("Sprint plan", "them")],
        raising_problems="Same day, in private",
        review_on=date(2026, 4, 15),
        now=NOW,
    )
    second = ground.set_agreement(
        app.uow(), rid, channel="A call for anything tense", now=NOW + timedelta(days=1)
    )
    assert (first.version, second.version) == (1, 2)
    assert second.tasks == [
        {"task": "Specs", "owner": "me"},
        {"task": "Sprint plan", "owner": "them"},
    ]
    assert second.review_on == date(2026, 4, 15)
    assert second.raising_problems == "Same day, in private"
    assert _state(app, rid, Step.SET_EXPECTATIONS) == StepState.DONE
    with pytest.raises(InvalidInput, match="review date"):
        ground.set_agreement(app.uow(), rid, review_on=date(2026, 3, 1), now=NOW)


def test_status_moves_only_along_allowed_paths(app: App) -> None:
    rid = _open(app)
    repairs.change_status(app.uow(), rid, to="monitoring", reason="Going well", now=NOW)
    with pytest.raises(InvalidTransition, match="cannot become open"):
        repairs.change_status(app.uow(), rid, to="open", reason="x", now=NOW)
    with pytest.raises(InvalidInput, match="Reason"):
        repairs.change_status(app.uow(), rid, to="restored", reason=" ", now=NOW)
    repairs.change_status(app.uow(), rid, to="restored", reason="Review went well", now=NOW)
    repair = repairs.get_repair(app.uow(write=False), rid)
    assert repair.status == RepairStatus.RESTORED
    assert repair.status_changes[-1].reason == "Review went well"


def test_a_closed_repair_takes_no_new_interactions(app: App) -> None:
    rid = _open(app)
    repairs.change_status(app.uow(), rid, to="closed_unresolved", reason="They left", now=NOW)
    with pytest.raises(InvalidTransition.__mro__[1], match="reopen it first"):
        interactions.log_interaction(
            app.uow(), rid, kind="email", initiated_by="me", occurred_at=NOW, now=NOW, tz=UTC_TZ
        )


def test_skipping_needs_a_reason_and_done_checks_the_rule(app: App) -> None:
    rid = _open(app)
    with pytest.raises(InvalidInput):
        steps.skip_step(app.uow(), rid, "find_common_ground", reason="", now=NOW)
    steps.skip_step(app.uow(), rid, "find_common_ground", reason="Short engagement", now=NOW)
    assert _state(app, rid, Step.FIND_COMMON_GROUND) == StepState.SKIPPED
    with pytest.raises(InvalidTransition):
        steps.complete_step(app.uow(), rid, "offer_solutions", now=NOW)
    steps.complete_step(app.uow(), rid, "offer_solutions", now=NOW, force=True)
    assert _state(app, rid, Step.OFFER_SOLUTIONS) == StepState.DONE
    with pytest.raises(InvalidInput, match="no question"):
        steps.answer_step(app.uow(), rid, "empathize", {"nonsense": "x"}, now=NOW)


def test_removing_a_person_with_repairs_needs_confirmation(app: App) -> None:
    _open(app)
    with pytest.raises(Exception, match="--with-repairs"):
        people.remove_person(app.uow(), "Ana")
    assert _count(app, tables.repairs) == 1
    people.remove_person(app.uow(), "Ana", with_repairs=True)
    assert _count(app, tables.repairs) == 0
    assert _count(app, tables.steps) == 0
