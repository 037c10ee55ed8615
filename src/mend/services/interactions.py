"""Use cases for logging what passed between the two people, with patience enforced."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from mend.domain import patience
from mend.domain.enums import InteractionKind, Party, Tension
from mend.domain.model import Interaction, Repair
from mend.domain.validation import clean_text, parse_choice
from mend.errors import Conflict, InvalidInput, NotFound, PatienceWarning
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork

#: How far ahead of the clock an interaction may be logged (clock skew, typing "now").
FUTURE_SLACK = timedelta(minutes=10)


def patience_verdict(repair: Repair, at: datetime, tz: tzinfo) -> patience.PatienceVerdict:
    return patience.check_outreach(repair.interactions, at, tz=tz)


def check_outreach(
    uow: UnitOfWork, repair_id: int, *, at: datetime, tz: tzinfo
) -> patience.PatienceVerdict:
    """Would reaching out at ``at`` respect the patience rules? (read only)"""
    with uow:
        return patience_verdict(uow.repairs.get(repair_id), at, tz)


def enforce_patience(repair: Repair, at: datetime, *, force: bool, tz: tzinfo) -> tuple[bool, str]:
    """Raise ``PatienceWarning`` for an outreach that comes too soon, unless forced.

    Returns whether the outreach was forced past a rule, and the reasons it overrode.
    """
    verdict = patience_verdict(repair, at, tz)
    if verdict.allowed:
        return False, ""
    reasons = " ".join(verdict.reasons)
    if not force:
        raise PatienceWarning(
            reasons + " If you still want to go ahead, confirm (CLI: --force).",
            field="occurred_at",
        )
    return True, reasons


def log_interaction(
    uow: UnitOfWork,
    repair_id: int,
    *,
    kind: str | InteractionKind,
    initiated_by: str | Party,
    occurred_at: datetime,
    summary: str = "",
    their_perspective: str = "",
    my_interpretation: str = "",
    tension: str | Tension = Tension.CALM,
    replied: bool | None = None,
    force: bool = False,
    now: datetime,
    tz: tzinfo,
) -> Interaction:
    if occurred_at > now + FUTURE_SLACK:
        raise InvalidInput(
            "An interaction is something that already happened; its time is in the future. "
            "Schedule a check-in for a planned meeting instead.",
            field="occurred_at",
        )
    starter = parse_choice(Party, initiated_by, "initiated_by")
    if starter == Party.BOTH:
        raise InvalidInput("Say who started it: me or them.", field="initiated_by")
    interaction = Interaction(
        occurred_at=occurred_at,
        kind=parse_choice(InteractionKind, kind, "kind"),
        initiated_by=starter,
        summary=clean_text(summary, "summary"),
        their_perspective=clean_text(their_perspective, "their_perspective"),
        my_interpretation=clean_text(my_interpretation, "my_interpretation"),
        tension=parse_choice(Tension, tension, "tension"),
        replied=replied,
    )
    with uow:
        repair = uow.repairs.get(repair_id)
        require_active(repair)
        if interaction.is_outreach:
            interaction.forced, interaction.forced_reason = enforce_patience(
                repair, occurred_at, force=force, tz=tz
            )
        repair.interactions.append(interaction)
        refresh(repair, now)
        uow.commit()
    return interaction


def record_reply(
    uow: UnitOfWork,
    repair_id: int,
    interaction_id: int,
    *,
    replied: bool = True,
    replied_at: datetime | None = None,
    now: datetime,
) -> Interaction:
    with uow:
        repair = uow.repairs.get(repair_id)
        interaction = find_interaction(repair, interaction_id)
        if interaction.initiated_by != Party.ME:
            raise Conflict("Only your own outreach can get a reply.", field="interaction")
        interaction.replied = replied
        interaction.replied_at = (replied_at or now) if replied else None
        refresh(repair, now)
        uow.commit()
    return interaction


def find_interaction(repair: Repair, interaction_id: int) -> Interaction:
    for interaction in repair.interactions:
        if interaction.id == interaction_id:
            return interaction
    raise NotFound(f"Repair {repair.id} has no interaction {interaction_id}.", field="interaction")


def require_active(repair: Repair) -> None:
    if not repair.is_active:
        raise Conflict(
            f"Repair {repair.id} is {repair.status.value.replace('_', ' ')}; reopen it first "
            "(`mend repair status ID in_progress --reason ...`).",
            field="repair",
        )
