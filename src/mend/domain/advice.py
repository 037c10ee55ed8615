"""What to do next: the few actions that matter most for a repair, ranked.

``mend next`` shows the single most useful thing to do now and why; ``mend status``
shows the whole list. The ranking, most urgent first:

1. overdue occurrences of the user's own commitments (a promise already slipping is
   the fastest way to lose the trust being rebuilt);
2. check-ins due today or overdue (they were agreed with the other person);
3. the next step of the playbook, with any patience rule that holds back contact.

Within a rank, the earliest due comes first. Only active repairs get actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Final, Literal

from mend.domain.checkins import due_check_ins, suggest_cadence_days
from mend.domain.commitments import mine, overdue_due_times
from mend.domain.model import Repair
from mend.domain.patience import DEFAULT_RULES, PatienceRules, format_day
from mend.domain.playbook import GUIDES, next_step

ActionKind = Literal["overdue_commitment", "check_in", "step"]

#: Rank of each kind of action; a lower number is more urgent.
PRIORITIES: Final[dict[ActionKind, int]] = {"overdue_commitment": 1, "check_in": 2, "step": 3}

_LATEST: Final = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Action:
    """One thing the user could do now, for one repair, with the reason it matters."""

    kind: ActionKind
    priority: int
    due_at: datetime | None
    text: str
    why: str
    repair_id: int | None


def _commitment_actions(
    repair: Repair, person_name: str, now: datetime, trust_value: float, tz: tzinfo
) -> list[Action]:
    actions = []
    for commitment in mine(repair.commitments):
        waiting = overdue_due_times(commitment, now)
        if not waiting:
            continue
        since = format_day(waiting[0], tz, reference=now)
        if len(waiting) == 1:
            text = f'"{commitment.description}" was due on {since}.'
        else:
            text = f'"{commitment.description}" has {len(waiting)} due dates waiting since {since}.'
        actions.append(
            Action(
                kind="overdue_commitment",
                priority=PRIORITIES["overdue_commitment"],
                due_at=waiting[0],
                text=text + " Do it now if you still can, then record honestly whether it "
                "was kept, late or missed.",
                why=f"Keeping your word is how trust with {person_name} comes back (it is at "
                f"{trust_value:.2f} now); a promise that is already slipping comes first, and "
                f"telling {person_name} early is better than saying nothing.",
                repair_id=repair.id,
            )
        )
    return actions


def _check_in_actions(
    repair: Repair, person_name: str, now: datetime, trust_value: float, tz: tzinfo
) -> list[Action]:
    cadence = suggest_cadence_days(trust_value, repair.status)
    today = now.astimezone(tz).date()
    actions = []
    for check_in in due_check_ins(repair.check_ins, now, tz):
        if check_in.scheduled_at.astimezone(tz).date() == today:
            when = "today"
        else:
            when = f"since {format_day(check_in.scheduled_at, tz, reference=now)}"
        actions.append(
            Action(
                kind="check_in",
                priority=PRIORITIES["check_in"],
                due_at=check_in.scheduled_at,
                text=f"Hold your check-in with {person_name} (due {when}), then note how it went.",
                why=f"You agreed on it with {person_name}; regular check-ins catch slips "
                f"early. At trust {trust_value:.2f} Mend suggests one every {cadence} days.",
                repair_id=repair.id,
            )
        )
    return actions


def next_actions(
    repair: Repair,
    person_name: str,
    now: datetime,
    trust_value: float,
    *,
    rules: PatienceRules = DEFAULT_RULES,
    tz: tzinfo = UTC,
) -> list[Action]:
    """The ranked actions for one repair (empty unless the repair is active).

    ``trust_value`` is the current trust estimate (see :mod:`mend.domain.trust`); ``tz``
    only decides what "today" means and how dates are written.
    """
    if not repair.is_active:
        return []
    actions = _commitment_actions(repair, person_name, now, trust_value, tz)
    actions += _check_in_actions(repair, person_name, now, trust_value, tz)
    recommended = next_step(repair, now, rules=rules, tz=tz)
    if recommended is not None:
        title = GUIDES[recommended.step].title
        text = f"Step {recommended.step.number} of 10 with {person_name}: {title.lower()}."
        if recommended.blocked_until is not None:
            text += (
                " Prepare now; reach out from "
                f"{format_day(recommended.blocked_until, tz, reference=now)}."
            )
        actions.append(
            Action(
                kind="step",
                priority=PRIORITIES["step"],
                due_at=recommended.blocked_until,
                text=text,
                why=recommended.why,
                repair_id=repair.id,
            )
        )
    return rank(actions)


def rank(actions: Iterable[Action]) -> list[Action]:
    """Actions most urgent first: by priority, then earliest due (undated last)."""
    return sorted(actions, key=lambda a: (a.priority, a.due_at or _LATEST))


def best_action(actions: Iterable[Action]) -> Action | None:
    """The single most useful action, or None when there is nothing to do."""
    ranked = rank(actions)
    return ranked[0] if ranked else None
