"""Deterministic, realistic-looking Mend data in the export format, for benchmarks.

``generate_export()`` returns what ``mend.services.exchange.export_data`` would write
for a database of ``n_repairs`` people (one repair each) holding ``n_interactions``
interactions between them, plus steps, status changes, drafts with versions,
commitments with occurrences, check-ins, common ground, initiatives and agreements.
Load it with ``mend.services.exchange.import_data``.
"""

from __future__ import annotations

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
from mend.services.exchange import FORMAT, SCHEMA_VERSION, TABLES

START = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
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
        "exported_at": _iso(START + timedelta(days=400)),
        **{t.name: [] for t in TABLES},
    }
    per_repair = [n_interactions // n_repairs] * n_repairs
    for i in range(n_interactions % n_repairs):
        per_repair[i] += 1
    for index in range(n_repairs):
        opened = START + timedelta(days=rng.randrange(300), minutes=rng.randrange(600))
        person_id = ids("people")
        data["people"].append({
            "id": person_id,
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {index}",
            "role": rng.choice(list(Role)).value,
            "organisation": rng.choice(("Acme", "Globex", "Initech", "")),
            "notes": "",
            "created_at": _iso(opened - timedelta(days=1)),
        })
        repair_id = ids("repairs")
        data["repairs"].append({
            "id": repair_id,
            "person_id": person_id,
            "title": rng.choice(TOPICS),
            "what_happened": " ".join(rng.sample(SENTENCES, 2)),
            "occurred_on": (opened.date() - timedelta(days=2)).isoformat(),
            "my_part": rng.choice(SENTENCES),
            "impact": rng.choice(SENTENCES),
            "severity": rng.randint(1, 5),
            "status": RepairStatus.IN_PROGRESS.value,
            "opened_at": _iso(opened),
        })
        _repair_children(data, ids, rng, repair_id, opened, per_repair[index])
    return data


def _repair_children(
    data: dict[str, Any],
    ids: _Ids,
    rng: random.Random,
    repair_id: int,
    opened: datetime,
    n_interactions: int,
) -> None:
    data["status_changes"].append({
        "id": ids("status_changes"), "repair_id": repair_id, "from_status": "open",
        "to_status": "in_progress", "at": _iso(opened + timedelta(hours=1)), "reason": "",
    })
    for number, step in enumerate(Step):
        done = number < 3
        data["steps"].append({
            "id": ids("steps"), "repair_id": repair_id, "step": step.value,
            "state": (StepState.DONE if done else StepState.PENDING).value,
            "completed_at": _iso(opened + timedelta(days=number)) if done else None,
            "skip_reason": "", "answers": {"note": rng.choice(SENTENCES)} if done else {},
        })
    at = opened
    for _ in range(n_interactions):
        at += timedelta(hours=rng.randint(2, 60))
        replied = rng.choice((True, False, None))
        data["interactions"].append({
            "id": ids("interactions"), "repair_id": repair_id, "occurred_at": _iso(at),
            "kind": rng.choice(list(InteractionKind)).value,
            "initiated_by": rng.choice(list(Party)).value,
            "summary": rng.choice(SENTENCES), "their_perspective": rng.choice(SENTENCES),
            "my_interpretation": rng.choice(SENTENCES),
            "tension": rng.choice(list(Tension)).value, "replied": replied,
            "replied_at": _iso(at + timedelta(hours=3)) if replied else None,
            "forced": False, "forced_reason": "",
        })
    draft_id = ids("drafts")
    data["drafts"].append({
        "id": draft_id, "repair_id": repair_id, "kind": DraftKind.APOLOGY.value,
        "title": "Apology", "created_at": _iso(opened), "sent_at": None, "sent_version": None,
    })
    for number in (1, 2):
        data["draft_versions"].append({
            "id": ids("draft_versions"), "draft_id": draft_id, "number": number,
            "text": "I'm sorry. " + rng.choice(SENTENCES),
            "created_at": _iso(opened + timedelta(hours=number)),
            "coach_report": {"findings": []} if number == 2 else None,
        })
    commitment_id = ids("commitments")
    data["commitments"].append({
        "id": commitment_id, "repair_id": repair_id, "description": "Weekly status update",
        "owner": Party.ME.value, "created_at": _iso(opened), "due_at": _iso(opened),
        "recurrence": "FREQ=WEEKLY", "ends_at": None, "active": True,
        "source_draft_id": draft_id,
    })
    for week in range(5):
        status = OccurrenceStatus.PENDING if week == 4 else rng.choice(
            (OccurrenceStatus.KEPT, OccurrenceStatus.KEPT, OccurrenceStatus.LATE,
             OccurrenceStatus.MISSED)
        )
        due = opened + timedelta(weeks=week)
        data["occurrences"].append({
            "id": ids("occurrences"), "commitment_id": commitment_id, "due_at": _iso(due),
            "status": status.value,
            "recorded_at": None if status == OccurrenceStatus.PENDING else _iso(due),
            "note": "",
        })
    data["check_ins"].append({
        "id": ids("check_ins"), "repair_id": repair_id,
        "scheduled_at": _iso(opened + timedelta(days=14)), "created_at": _iso(opened),
        "cadence_days": 14, "completed_at": None, "outcome": "", "note": "",
        "cancelled": False,
    })
    data["common_ground"].append({
        "id": ids("common_ground"), "repair_id": repair_id, "kind": GroundKind.GOAL.value,
        "text": "A smooth release", "created_at": _iso(opened),
    })
    data["initiatives"].append({
        "id": ids("initiatives"), "repair_id": repair_id, "title": "Shared checklist",
        "my_contribution": "first draft", "their_contribution": "review",
        "status": "proposed", "created_at": _iso(opened),
    })
    data["agreements"].append({
        "id": ids("agreements"), "repair_id": repair_id, "version": 1,
        "created_at": _iso(opened + timedelta(days=20)), "channel": "chat",
        "frequency": "weekly", "response_time": "one working day",
        "tasks": [{"who": "me", "task": "status update"}],
        "raising_problems": "privately, early", "review_on": date(2024, 6, 1).isoformat(),
        "notes": "",
    })
