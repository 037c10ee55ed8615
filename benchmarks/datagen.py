"""Deterministic, realistic-looking Mend data in the export format, for benchmarks.

``generate_export()`` returns what ``mend.services.exchange.export_data`` would write
for a database of ``n_repairs`` people (one repair each) holding ``n_interactions``
interactions between them, plus steps, status changes, drafts with versions,
commitments with occurrences, check-ins, common ground, initiatives and agreements.
Load it with ``mend.services.exchange.import_data``.

The data is shaped like a real status board seen at :data:`NOW` (the export's
``exported_at``; pin ``MEND_NOW`` to it): most repairs active, a few restored or closed;
progress from none to all ten steps, some skipped; contact up to a few days or weeks
ago; an "every Friday" promise per repair (and sometimes fortnightly, monthly or
weekday ones) recorded kept, late or missed until a few weeks ago; one-off promises
past and coming, some theirs; a cadence of completed check-ins and an open one that
is overdue, due this week or later.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mend.domain.enums import (
    DraftKind,
    GroundKind,
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Role,
    Step,
    StepState,
    Tension,
)
from mend.domain.recurrence import occurrences_between
from mend.services.exchange import FORMAT, SCHEMA_VERSION, TABLES

START = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
#: "Now" for the generated data: when it was exported; repairs opened before it.
NOW = START + timedelta(days=400)
FRIDAYS = "FREQ=WEEKLY;BYDAY=FR"
#: Mostly calm contact, sometimes tense, rarely heated.
TENSIONS = (Tension.CALM,) * 6 + (Tension.TENSE,) * 3 + (Tension.HEATED,)
#: Repair statuses, weighted: most active, a few finished.
STATUSES = (
    (RepairStatus.IN_PROGRESS,) * 14
    + (RepairStatus.OPEN, RepairStatus.MONITORING, RepairStatus.MONITORING)
    + (RepairStatus.RESTORED, RepairStatus.CLOSED_UNRESOLVED)
)
ONE_OFFS = (
    "Send the revised specs",
    "Share the post-mortem notes",
    "Introduce her to the platform team",
    "Book the retro room",
    "Fix the release checklist",
)
FIRST_NAMES = ("Ana", "Bea", "Chidi", "Dmitri", "Eun-ji", "Farah", "Gustavo", "Hana", "Ines")
LAST_NAMES = ("Souza", "Okafor", "Ivanova", "Kim", "Haddad", "Lopes", "Sato", "Müller")
TOPICS = ("missed deadline", "credit for the demo", "tone in the review", "budget cut")
SENTENCES = (
    "We talked it through over coffee.",
    "She said the delay put her in a difficult spot with the client.",
    "I listened without interrupting and asked what would help.",
    "He wants earlier warnings when plans change.",
    "The conversation was short but calmer than last week.",
    "I think they are waiting to see whether I follow through.",
)


def _iso(at: datetime) -> str:
    return at.isoformat()


class _Ids:
    """Consecutive ids per table, starting at 1, as a fresh database would give them."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._next[table] = self._next.get(table, 0) + 1
        return self._next[table]


def generate_export(
    n_repairs: int = 1000, n_interactions: int = 100_000, seed: int = 7
) -> dict[str, Any]:
    """An export holding ``n_repairs`` people and repairs and ``n_interactions`` interactions."""
    rng = random.Random(seed)
    ids = _Ids()
    data: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": _iso(NOW),
        **{t.name: [] for t in TABLES},
    }
    per_repair = [n_interactions // n_repairs] * n_repairs
    for i in range(n_interactions % n_repairs):
        per_repair[i] += 1
    for index in range(n_repairs):
        opened = START + timedelta(days=rng.randrange(300), minutes=rng.randrange(600))
        status = rng.choice(STATUSES)
        person_id = ids("people")
        data["people"].append(
            {
                "id": person_id,
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {index}",
                "role": rng.choice(list(Role)).value,
                "organisation": rng.choice(("Acme", "Globex", "Initech", "")),
                "notes": "",
                "created_at": _iso(opened - timedelta(days=1)),
            }
        )
        repair_id = ids("repairs")
        data["repairs"].append(
            {
                "id": repair_id,
                "person_id": person_id,
                "title": rng.choice(TOPICS),
                "what_happened": " ".join(rng.sample(SENTENCES, 2)),
                "occurred_on": (opened.date() - timedelta(days=2)).isoformat(),
                "my_part": rng.choice(SENTENCES),
                "impact": rng.choice(SENTENCES),
                "severity": rng.randint(1, 5),
                "status": status.value,
                "opened_at": _iso(opened),
            }
        )
        _repair_children(data, ids, rng, repair_id, opened, per_repair[index], status)
    return data


def _repair_children(
    data: dict[str, Any],
    ids: _Ids,
    rng: random.Random,
    repair_id: int,
    opened: datetime,
    n_interactions: int,
    status: RepairStatus = RepairStatus.IN_PROGRESS,
) -> None:
    _status_changes(data, ids, repair_id, opened, status)
    _steps(data, ids, rng, repair_id, opened)
    last_contact = _interactions(data, ids, rng, repair_id, opened, n_interactions)
    draft_id = ids("drafts")
    data["drafts"].append(
        {
            "id": draft_id,
            "repair_id": repair_id,
            "kind": DraftKind.APOLOGY.value,
            "title": "Apology",
            "created_at": _iso(opened),
            "sent_at": None,
            "sent_version": None,
        }
    )
    for number in (1, 2):
        data["draft_versions"].append(
            {
                "id": ids("draft_versions"),
                "draft_id": draft_id,
                "number": number,
                "text": "I'm sorry. " + rng.choice(SENTENCES),
                "created_at": _iso(opened + timedelta(hours=number)),
                "coach_report": {"findings": []} if number == 2 else None,
            }
        )
    _commitments(data, ids, rng, repair_id, opened, draft_id)
    _check_ins(data, ids, rng, repair_id, opened, last_contact)
    data["common_ground"].append(
        {
            "id": ids("common_ground"),
            "repair_id": repair_id,
            "kind": GroundKind.GOAL.value,
            "text": "A smooth release",
            "created_at": _iso(opened),
        }
    )
    data["initiatives"].append(
        {
            "id": ids("initiatives"),
            "repair_id": repair_id,
            "title": "Shared checklist",
            "my_contribution": "first draft",
            "their_contribution": "review",
            "status": "proposed",
            "created_at": _iso(opened),
        }
    )
    data["agreements"].append(
        {
            "id": ids("agreements"),
            "repair_id": repair_id,
            "version": 1,
            "created_at": _iso(opened + timedelta(days=20)),
            "channel": "chat",
            "frequency": "weekly",
            "response_time": "one working day",
            "tasks": [{"task": "status update", "owner": "me"}],
            "raising_problems": "privately, early",
            "review_on": date(2024, 6, 1).isoformat(),
            "notes": "",
        }
    )


def _status_changes(
    data: dict[str, Any], ids: _Ids, repair_id: int, opened: datetime, status: RepairStatus
) -> None:
    path = [RepairStatus.OPEN]
    if status != RepairStatus.OPEN:
        path.append(RepairStatus.IN_PROGRESS)
    if status not in (RepairStatus.OPEN, RepairStatus.IN_PROGRESS):
        path.append(status)
    for number, (before, after) in enumerate(itertools.pairwise(path)):
        data["status_changes"].append(
            {
                "id": ids("status_changes"),
                "repair_id": repair_id,
                "from_status": before.value,
                "to_status": after.value,
                "at": _iso(opened + timedelta(hours=1, days=60 * number)),
                "reason": "",
            }
        )


def _steps(
    data: dict[str, Any], ids: _Ids, rng: random.Random, repair_id: int, opened: datetime
) -> None:
    """Progress from none to all ten steps; some skipped, now and then one done early."""
    progress = rng.choice((0, 1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10))
    early = rng.randrange(len(Step)) if rng.random() < 0.15 else -1
    for number, step in enumerate(Step):
        state = StepState.PENDING
        if number < progress or number == early:
            skippable = step not in (Step.ACKNOWLEDGE, Step.LISTEN)
            state = StepState.SKIPPED if skippable and rng.random() < 0.1 else StepState.DONE
        done = state == StepState.DONE
        data["steps"].append(
            {
                "id": ids("steps"),
                "repair_id": repair_id,
                "step": step.value,
                "state": state.value,
                "completed_at": _iso(opened + timedelta(days=number)) if done else None,
                "skip_reason": "did it another way" if state == StepState.SKIPPED else "",
                "answers": {"note": rng.choice(SENTENCES)} if done else {},
            }
        )


def _interactions(
    data: dict[str, Any],
    ids: _Ids,
    rng: random.Random,
    repair_id: int,
    opened: datetime,
    n_interactions: int,
) -> datetime:
    """Contact spread from opening to a last contact that is recent for most repairs.

    Returns when the last contact was (``opened`` when there was none).
    """
    quiet_days = rng.choice((0, 1, 1, 2, 3, 4, 6, 9, 14, 30, 60))
    recent = NOW - timedelta(days=quiet_days, hours=rng.randrange(20))
    last = max(opened + timedelta(days=1), recent)
    span = (last - opened).total_seconds()
    times = sorted(opened + timedelta(seconds=span * rng.random()) for _ in range(n_interactions))
    for at in times:
        replied = rng.choice((True, True, False, None))
        data["interactions"].append(
            {
                "id": ids("interactions"),
                "repair_id": repair_id,
                "occurred_at": _iso(at),
                "kind": rng.choice(list(InteractionKind)).value,
                "initiated_by": rng.choice(list(Party)).value,
                "summary": rng.choice(SENTENCES),
                "their_perspective": rng.choice(SENTENCES),
                "my_interpretation": rng.choice(SENTENCES),
                "tension": rng.choice(TENSIONS).value,
                "replied": replied,
                "replied_at": _iso(at + timedelta(hours=3)) if replied else None,
                "forced": False,
                "forced_reason": "",
            }
        )
    return times[-1] if times else opened


def _commitment(
    data: dict[str, Any],
    ids: _Ids,
    repair_id: int,
    description: str,
    owner: Party,
    created: datetime,
    due: datetime | None,
    rule: str | None = None,
    ends: datetime | None = None,
    active: bool = True,
    draft_id: int | None = None,
) -> int:
    commitment_id = ids("commitments")
    data["commitments"].append(
        {
            "id": commitment_id,
            "repair_id": repair_id,
            "description": description,
            "owner": owner.value,
            "created_at": _iso(created),
            "due_at": _iso(due) if due else None,
            "recurrence": rule,
            "ends_at": _iso(ends) if ends else None,
            "active": active,
            "source_draft_id": draft_id,
        }
    )
    return commitment_id


def _occurrence(
    data: dict[str, Any],
    ids: _Ids,
    commitment_id: int,
    due: datetime,
    status: OccurrenceStatus,
    recorded: datetime | None = None,
) -> None:
    pending = status == OccurrenceStatus.PENDING
    data["occurrences"].append(
        {
            "id": ids("occurrences"),
            "commitment_id": commitment_id,
            "due_at": _iso(due),
            "status": status.value,
            "recorded_at": None if pending else _iso(recorded or due),
            "note": "" if pending else "noted",
        }
    )


def _outcome(rng: random.Random, reliability: float) -> OccurrenceStatus:
    roll = rng.random()
    if roll < reliability:
        return OccurrenceStatus.KEPT
    return OccurrenceStatus.LATE if roll < (1 + reliability) / 2 else OccurrenceStatus.MISSED


def _commitments(
    data: dict[str, Any],
    ids: _Ids,
    rng: random.Random,
    repair_id: int,
    opened: datetime,
    draft_id: int,
) -> None:
    """Recurring promises ("every Friday", fortnightly, monthly, weekdays for a while)
    recorded kept, late or missed until a few weeks ago, and one-off promises past and
    coming, some theirs or shared, some withdrawn."""
    reliability = rng.choice((0.4, 0.6, 0.75, 0.85, 0.95))
    for description, owner, rule in _recurring_choices(rng):
        created = opened + timedelta(days=rng.randint(3, 20))
        anchor = _first_due(created, rule)
        ends = None
        if rule.startswith("FREQ=WEEKLY;BYDAY=MO,TU"):
            ends = anchor + timedelta(weeks=rng.randint(2, 4))
        cid = _commitment(
            data,
            ids,
            repair_id,
            description,
            owner,
            created,
            anchor,
            rule,
            ends,
            draft_id=draft_id if rule == FRIDAYS else None,
        )
        # Recorded until a while ago; the weeks since are not materialized yet.
        recorded_until = min(ends or NOW, NOW - timedelta(days=rng.choice((0, 3, 7, 14, 28))))
        dues = occurrences_between(rule, anchor, anchor, recorded_until)
        for index, due in enumerate(dues):
            unrecorded = index >= len(dues) - rng.choice((0, 0, 1, 2))
            status = OccurrenceStatus.PENDING if unrecorded else _outcome(rng, reliability)
            late_by = timedelta(days=1) if status == OccurrenceStatus.LATE else timedelta()
            _occurrence(data, ids, cid, due, status, due + late_by)
    for _ in range(rng.randint(1, 3)):
        created = opened + timedelta(days=rng.randint(0, max(1, (NOW - opened).days)))
        due = min(
            created + timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 8)),
            NOW + timedelta(days=rng.randint(0, 10)),
        )
        owner = rng.choice((Party.ME, Party.ME, Party.ME, Party.THEM, Party.BOTH))
        active = rng.random() > 0.1
        cid = _commitment(
            data, ids, repair_id, rng.choice(ONE_OFFS), owner, created, due, active=active
        )
        recorded = due < NOW - timedelta(days=2) and rng.random() < 0.85
        status = _outcome(rng, reliability) if recorded else OccurrenceStatus.PENDING
        _occurrence(data, ids, cid, due, status)


def _recurring_choices(rng: random.Random) -> list[tuple[str, Party, str]]:
    chosen = [("Written status note in our channel", Party.ME, FRIDAYS)]
    extra = (
        ("Review the plan together", Party.BOTH, "FREQ=WEEKLY;INTERVAL=2"),
        ("Send the monthly numbers", Party.THEM, "FREQ=MONTHLY"),
        ("Morning check of the release board", Party.ME, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("Weekly status update", Party.ME, "FREQ=WEEKLY"),
    )
    chosen += [item for item in extra if rng.random() < 0.35]
    return chosen


def _first_due(created: datetime, rule: str) -> datetime:
    """The first due time of ``rule`` on or after the day after ``created``, at 16:00."""
    day = created.replace(hour=16, minute=0, second=0, microsecond=0) + timedelta(days=1)
    if rule == FRIDAYS:
        day += timedelta(days=(4 - day.weekday()) % 7)
    return day


def _check_ins(
    data: dict[str, Any],
    ids: _Ids,
    rng: random.Random,
    repair_id: int,
    opened: datetime,
    last_contact: datetime,
) -> None:
    """A cadence of completed check-ins, then one open: overdue, due soon or later."""
    cadence = rng.choice((7, 14, 14, 21))
    completed = rng.randint(0, 8)
    open_at = min(last_contact, NOW) + timedelta(days=rng.randint(-5, cadence))
    at = open_at - timedelta(days=cadence * completed)
    while at < open_at:
        if at > opened:
            data["check_ins"].append(
                {
                    "id": ids("check_ins"),
                    "repair_id": repair_id,
                    "scheduled_at": _iso(at),
                    "created_at": _iso(at - timedelta(days=cadence)),
                    "cadence_days": cadence,
                    "completed_at": _iso(at + timedelta(hours=2)),
                    "outcome": rng.choice(SENTENCES),
                    "note": "",
                    "cancelled": False,
                }
            )
        at += timedelta(days=cadence)
    if rng.random() < 0.15:
        data["check_ins"].append(
            {
                "id": ids("check_ins"),
                "repair_id": repair_id,
                "scheduled_at": _iso(open_at - timedelta(days=2)),
                "created_at": _iso(opened),
                "cadence_days": None,
                "completed_at": None,
                "outcome": "",
                "note": "lunch, if they want",
                "cancelled": True,
            }
        )
    if rng.random() < 0.9:
        data["check_ins"].append(
            {
                "id": ids("check_ins"),
                "repair_id": repair_id,
                "scheduled_at": _iso(open_at),
                "created_at": _iso(open_at - timedelta(days=cadence)),
                "cadence_days": cadence,
                "completed_at": None,
                "outcome": "",
                "note": rng.choice(("", "ask how the launch went", "bring the checklist")),
                "cancelled": False,
            }
        )
