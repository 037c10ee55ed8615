"""Use cases for working the ten steps: answering their questions, completing, skipping."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from mend.domain import playbook
from mend.domain.enums import Step
from mend.domain.model import Repair
from mend.domain.validation import clean_text, parse_choice
from mend.errors import InvalidInput
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork

#: Answers to the acknowledge step are the repair's own fields, kept in one place.
_REPAIR_FIELDS = {"what_happened", "my_part", "impact"}


def answer_step(
    uow: UnitOfWork,
    repair_id: int,
    step: str | Step,
    answers: Mapping[str, str],
    *,
    now: datetime,
) -> Repair:
    """Save answers to a step's questions; the step completes itself once its rule is met."""
    which = parse_choice(Step, step, "step")
    known = {q.key for q in playbook.guide(which).questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidInput(
            f"{which.value} has no question {unknown[0]!r}; its questions are: "
            + ", ".join(sorted(known)),
            field="answers",
        )
    with uow:
        repair = uow.repairs.get(repair_id)
        record = repair.step(which)
        for key, value in answers.items():
            text = clean_text(value, key)
            if key in _REPAIR_FIELDS:
                if not text and key == "what_happened":
                    continue
                setattr(repair, key, text)
            elif text:
                record.answers[key] = text
            else:
                record.answers.pop(key, None)
        refresh(repair, now)
        uow.commit()
    return repair


def complete_step(
    uow: UnitOfWork, repair_id: int, step: str | Step, *, now: datetime, force: bool = False
) -> Repair:
    which = parse_choice(Step, step, "step")
    with uow:
        repair = uow.repairs.get(repair_id)
        playbook.mark_step_done(repair, which, now, force=force)
        refresh(repair, now)
        uow.commit()
    return repair


def skip_step(
    uow: UnitOfWork, repair_id: int, step: str | Step, *, reason: str, now: datetime
) -> Repair:
    which = parse_choice(Step, step, "step")
    with uow:
        repair = uow.repairs.get(repair_id)
        playbook.skip_step(repair, which, clean_text(reason, "reason", required=True), now)
        refresh(repair, now)
        uow.commit()
    return repair


def reopen_step(uow: UnitOfWork, repair_id: int, step: str | Step, *, now: datetime) -> Repair:
    which = parse_choice(Step, step, "step")
    with uow:
        repair = uow.repairs.get(repair_id)
        playbook.reopen_step(repair, which)
        uow.commit()
    return repair
