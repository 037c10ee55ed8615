"""Map the domain dataclasses onto the tables without the domain knowing (imperative mapping)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import registry, relationship

from mend.domain import model
from mend.store import tables

mapper_registry = registry()
_started = False


def _children(cls: type, order_by: Any) -> Any:
    return relationship(cls, cascade="all, delete-orphan", lazy="selectin", order_by=order_by)


def start_mappers() -> None:
    """Map every entity once per process; safe to call repeatedly."""
    global _started
    if _started:
        return
    _started = True
    r = mapper_registry
    r.map_imperatively(model.Person, tables.people)
    r.map_imperatively(model.StatusChange, tables.status_changes)
    r.map_imperatively(model.StepRecord, tables.steps)
    # JSON columns the services change in place (answers[key] = ...): tracked here, at
    # mapping time, so that the tables themselves load without the ORM.
    MutableDict.associate_with_attribute(model.StepRecord.answers)  # type: ignore[arg-type]
    r.map_imperatively(model.Interaction, tables.interactions)
    r.map_imperatively(model.DraftVersion, tables.draft_versions)
    r.map_imperatively(
        model.Draft,
        tables.drafts,
        properties={"versions": _children(model.DraftVersion, tables.draft_versions.c.number)},
    )
    r.map_imperatively(model.TheirVerdict, tables.their_verdicts)
    r.map_imperatively(
        model.Occurrence,
        tables.occurrences,
        properties={
            # The other person's words: read with the aggregate, written only through
            # their link (services/shared.py), never through the owner's repair.
            "their_verdicts": relationship(
                model.TheirVerdict,
                viewonly=True,
                lazy="selectin",
                order_by=tables.their_verdicts.c.id,
            )
        },
    )
    r.map_imperatively(
        model.Commitment,
        tables.commitments,
        properties={"occurrences": _children(model.Occurrence, tables.occurrences.c.due_at)},
    )
    r.map_imperatively(model.CheckIn, tables.check_ins)
    r.map_imperatively(model.CommonGround, tables.common_ground)
    r.map_imperatively(model.Initiative, tables.initiatives)
    r.map_imperatively(model.AgreementVersion, tables.agreements)
    MutableList.associate_with_attribute(model.AgreementVersion.tasks)  # type: ignore[arg-type]
    r.map_imperatively(
        model.Repair,
        tables.repairs,
        properties={
            "status_changes": _children(model.StatusChange, tables.status_changes.c.id),
            "steps": _children(model.StepRecord, tables.steps.c.id),
            "interactions": _children(model.Interaction, tables.interactions.c.occurred_at),
            "drafts": _children(model.Draft, tables.drafts.c.id),
            "commitments": _children(model.Commitment, tables.commitments.c.id),
            "check_ins": _children(model.CheckIn, tables.check_ins.c.scheduled_at),
            "common_ground": _children(model.CommonGround, tables.common_ground.c.id),
            "initiatives": _children(model.Initiative, tables.initiatives.c.id),
            "agreements": _children(model.AgreementVersion, tables.agreements.c.version),
        },
    )
