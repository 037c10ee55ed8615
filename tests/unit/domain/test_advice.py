"""Advice: the ranked actions for a repair, and the single best one."""

from __future__ import annotations

from tests.factories import (
    at,
    make_check_in,
    make_commitment,
    make_interaction,
    make_occurrence,
    make_repair,
    with_steps,
)

from mend.domain.advice import Action, ActionKind, best_action, next_actions, rank
from mend.domain.enums import OccurrenceStatus, Party, RepairStatus, Step, StepState, Tension
from mend.domain.model import Repair

NOW = at(2025, 3, 21, 12)
FRIDAYS = "FREQ=WEEKLY;BYDAY=FR"


def busy_repair() -> Repair:
    weekly = make_commitment(
        description="Weekly written update",
        due_at=at(2025, 3, 7),
        recurrence=FRIDAYS,
        occurrences=[make_occurrence(at(2025, 3, 7), OccurrenceStatus.KEPT)],
    )
    theirs = make_commitment(owner=Party.THEM, id=2, due_at=at(2025, 3, 10))
    repair = make_repair(
        status=RepairStatus.IN_PROGRESS,
        commitments=[weekly, theirs],
        check_ins=[make_check_in(at(2025, 3, 19)), make_check_in(at(2025, 3, 28))],
    )
    return with_steps(repair, {Step.ACKNOWLEDGE: StepState.DONE})


def test_ranked_overdue_then_check_in_then_step() -> None:
    repair = busy_repair()
    actions = next_actions(repair, "Dana", NOW, 0.58)
    assert [a.kind for a in actions] == ["overdue_commitment", "check_in", "step"]
    overdue, check_in, step = actions
    assert overdue.text == (
        '"Weekly written update" has 2 due dates waiting since 14 March. Do it now if you '
        "still can, then record honestly whether it was kept, late or missed."
    )
    assert overdue.due_at == at(2025, 3, 14)
    assert "trust with Dana comes back (it is at 0.58 now)" in overdue.why
    assert (
        check_in.text == "Hold your check-in with Dana (due since 19 March), then note how it went."
    )
    assert check_in.why.endswith("At trust 0.58 Mend suggests one every 10 days.")
    assert step.text == "Step 2 of 10 with Dana: open the conversation."
    assert step.why.startswith("Open the conversation (step 2 of 10)")
    assert {a.repair_id for a in actions} == {1}
    assert len(repair.commitments[0].occurrences) == 1  # advice reads, never writes


def test_a_single_overdue_occurrence_and_a_check_in_today() -> None:
    repair = make_repair(
        commitments=[make_commitment(due_at=at(2025, 3, 20))],
        check_ins=[make_check_in(at(2025, 3, 21, 16))],
    )
    actions = next_actions(repair, "Dana", NOW, 0.8)
    assert actions[0].text.startswith('"Send Dana the weekly status update" was due on 20 March.')
    assert actions[1].text == "Hold your check-in with Dana (due today), then note how it went."
    assert actions[1].why.endswith("every 28 days.")


def test_patience_block_is_carried_into_the_step_action() -> None:
    heated = make_interaction(at(2025, 3, 20), initiated_by=Party.THEM, tension=Tension.HEATED)
    repair = with_steps(make_repair(interactions=[heated]), {Step.ACKNOWLEDGE: StepState.DONE})
    (action,) = next_actions(repair, "Dana", NOW, 0.5)
    assert action.kind == "step" and action.due_at == at(2025, 3, 25)
    assert action.text == (
        "Step 2 of 10 with Dana: open the conversation. Prepare now; reach out from 25 March."
    )
    assert "give it until 25 March" in action.why


def test_inactive_repairs_get_no_actions() -> None:
    for status in (RepairStatus.RESTORED, RepairStatus.CLOSED_UNRESOLVED):
        repair = busy_repair()
        repair.status = status
        assert next_actions(repair, "Dana", NOW, 0.5) == []


def test_all_steps_closed_leaves_only_the_chores() -> None:
    repair = with_steps(make_repair(), dict.fromkeys(Step, StepState.DONE))
    assert next_actions(repair, "Dana", NOW, 0.9) == []


def action(kind: ActionKind, priority: int, day: int | None, repair_id: int) -> Action:
    due = at(2025, 3, day) if day is not None else None
    return Action(kind, priority, due, f"{kind} {day}", "why", repair_id)


def test_best_action_across_repairs() -> None:
    actions = [
        action("step", 3, None, 1),
        action("check_in", 2, 20, 2),
        action("overdue_commitment", 1, 14, 3),
        action("overdue_commitment", 1, 7, 2),
        action("step", 3, 25, 3),
    ]
    assert best_action(actions) == actions[3]
    assert [a.text for a in rank(actions)] == [
        "overdue_commitment 7",
        "overdue_commitment 14",
        "check_in 20",
        "step 25",
        "step None",
    ]
    assert best_action([]) is None
