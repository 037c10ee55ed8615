"""A demo repair to look around with: a missed deadline, a few weeks into the repair."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta, tzinfo

from mend.domain.model import Repair
from mend.services import checkins, commitments, drafts, ground, interactions, people, repairs
from mend.store.uow import UnitOfWork

DEMO_PERSON = "Priya Raman (demo)"


def load_demo(uow_factory: Callable[[], UnitOfWork], *, now: datetime, tz: tzinfo) -> Repair:
    """Create the demo person and repair with three weeks of history behind ``now``."""
    uow = uow_factory  # each use case takes a fresh unit of work
    start = now - timedelta(days=28)
    # The weekly note falls due on Fridays at 17:00 local time, from the first Friday
    # after the apology; three of them have come and gone by ``now``.
    after_apology = (start + timedelta(days=5)).astimezone(tz).date()
    first_friday = datetime.combine(
        after_apology + timedelta(days=(4 - after_apology.weekday()) % 7), time(17), tzinfo=tz
    )
    person = people.add_person(
        uow(),
        name=DEMO_PERSON,
        role="colleague",
        organisation="Platform team",
        now=start,
    )
    repair = repairs.open_repair(
        uow(),
        person=str(person.id),
        title="Late API specs held up her sprint",
        what_happened="I promised the API specs for Monday and delivered them on Thursday.",
        my_part="I saw the slip coming on Friday and said nothing until she asked.",
        impact="Her team sat idle for two days and she had to explain the delay to her lead.",
        severity=4,
        occurred_on=(start - timedelta(days=3)).date(),
        now=start,
    )
    rid = repair.id
    assert rid is not None
    outreach = drafts.save_draft(
        uow(),
        rid,
        kind="outreach",
        now=start + timedelta(hours=2),
        text="Hi Priya, I owe you a proper conversation about the specs. Would you have "
        "twenty minutes this week? I'd mainly like to hear how it landed on your side.",
    )
    assert outreach.id is not None
    drafts.send_draft(
        uow(),
        rid,
        outreach.id,
        channel="message",
        now=start + timedelta(hours=3),
        tz=tz,
    )
    interactions.log_interaction(
        uow(),
        rid,
        kind="meeting",
        initiated_by="them",
        occurred_at=start + timedelta(days=2),
        summary="Coffee chat about the late specs.",
        their_perspective="She felt blindsided: she had planned the sprint around my date and "
        "found out from the board, not from me.",
        my_interpretation="I think she is more upset about the silence than the delay.",
        tension="tense",
        now=start + timedelta(days=2),
        tz=tz,
    )
    apology = drafts.save_draft(
        uow(),
        rid,
        kind="apology",
        now=start + timedelta(days=4),
        text="Priya, I'm sorry I didn't tell you the specs were slipping. I knew on Friday and "
        "kept quiet, and that left your team waiting for two days. From now on I'll post a "
        "status note in our channel every Friday, and I'll flag any risk to a date the day "
        "I see it.",
    )
    assert apology.id is not None
    drafts.send_draft(
        uow(),
        rid,
        apology.id,
        channel="message",
        accept=(),
        now=start + timedelta(days=4, hours=1),
        tz=tz,
        force=True,
    )
    weekly = commitments.record_commitment(
        uow(),
        rid,
        description="Post a written status note in the team channel",
        owner="me",
        due_at=first_friday,
        recurrence="every friday",
        now=start + timedelta(days=4, hours=2),
    )
    assert weekly.id is not None
    for week, outcome in ((0, "kept"), (1, "kept"), (2, "late")):
        commitments.record_outcome(
            uow(),
            rid,
            weekly.id,
            status=outcome,
            # Kept ones are posted an hour early; the late one the next morning.
            now=first_friday + timedelta(days=7 * week, hours=-1 if outcome == "kept" else 16),
        )
    checkins.schedule_check_in(
        uow(),
        rid,
        at=now + timedelta(days=2),
        cadence_days=14,
        note="How are the Friday notes working for her?",
        now=now - timedelta(days=1),
    )
    ground.add_common_ground(
        uow(),
        rid,
        text="Both want the Q3 launch to ship without drama",
        now=now - timedelta(days=1),
    )
    return repairs.get_repair(uow(), rid)
