"""The Markdown report, the printable agreement and the calendar file say what was recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from tests.factories import (
    T0,
    at,
    make_agreement,
    make_check_in,
    make_commitment,
    make_common_ground,
    make_draft,
    make_initiative,
    make_interaction,
    make_occurrence,
    make_person,
    make_repair,
    with_steps,
)

from mend.domain.enums import (
    DraftKind,
    GroundKind,
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Step,
    StepState,
    Tension,
)
from mend.domain.guides import GUIDES
from mend.domain.model import DraftVersion, Person, Repair
from mend.errors import NotFound
from mend.services.reports import agreement_markdown, calendar_ics, repair_markdown

LISBON = ZoneInfo("Europe/Lisbon")  # UTC+1 in summer, UTC+0 in winter
NOW = at(2025, 6, 2, 8)  # a Monday


def full_repair() -> tuple[Repair, Person]:
    person = make_person(name="Dana Ortiz", organisation="Globex", id=1)
    repair = make_repair(title="The launch-date mix-up", severity=4)
    repair.change_status(RepairStatus.IN_PROGRESS, at(2025, 3, 4), reason="we talked")
    with_steps(repair, {Step.ACKNOWLEDGE: StepState.DONE, Step.APOLOGIZE: StepState.SKIPPED})
    repair.step(Step.LISTEN).answers = {"what_they_said": "She felt left out of the decision."}
    repair.interactions = [
        make_interaction(
            at(2025, 6, 3, 9),
            kind=InteractionKind.MEETING,
            their_perspective="I was embarrassed in front of the client.",
            my_interpretation="She is hurt more than angry.",
            tension=Tension.TENSE,
            replied=False,
        ),
        make_interaction(at(2025, 3, 5), initiated_by=Party.THEM, summary="Short call"),
    ]
    sent = make_draft(sent_at=at(2025, 3, 6), id=7)
    sent.versions.append(DraftVersion(number=2, text="I'm sorry — second try.", created_at=T0))
    repair.drafts = [sent, make_draft(DraftKind.SOLUTION, text="Weekly sync?", id=8)]
    weekly = make_commitment(
        id=3,
        description="Friday status update",
        due_at=at(2025, 5, 30, 15),
        recurrence="FREQ=WEEKLY;BYDAY=FR",
        occurrences=[
            make_occurrence(at(2025, 5, 23, 15), OccurrenceStatus.KEPT, note="on time"),
            make_occurrence(at(2025, 5, 30, 15), OccurrenceStatus.MISSED),
        ],
    )
    one_off = make_commitment(id=4, description="Send the revised plan", due_at=at(2025, 6, 5))
    dropped = make_commitment(id=5, description="Old promise", active=False)
    repair.commitments = [weekly, one_off, dropped]
    repair.check_ins = [
        make_check_in(at(2025, 6, 9, 14), id=11, note="Bring the checklist"),
        make_check_in(at(2025, 5, 26), id=12, completed_at=at(2025, 5, 26), outcome="lighter"),
        make_check_in(at(2025, 6, 10), id=13, cancelled=True),
    ]
    repair.common_ground = [
        make_common_ground(),
        make_common_ground(kind=GroundKind.INTEREST, text="Fewer surprises"),
    ]
    repair.initiatives = [make_initiative()]
    repair.agreements = [
        make_agreement(version=1),
        make_agreement(
            version=2,
            created_at=at(2025, 4, 1),
            response_time="within a working day",
            tasks=[{"who": "me", "task": "status | update"}, {"who": "them", "task": "review"}],
            raising_problems="Early and in private.",
        ),
    ]
    return repair, person


def test_report_has_the_key_facts() -> None:
    repair, person = full_repair()
    text = repair_markdown(repair, person, tz=LISBON, now=NOW)

    assert text.startswith("# The launch-date mix-up\n")
    for fact in (
        "Dana Ortiz, colleague at Globex",
        "**Status:** in progress",
        "open → in progress (we talked)",
        "I moved the launch date without telling Dana.",
        "### My part",
        "4 out of 5",
        f"### 1. {GUIDES[Step.ACKNOWLEDGE].title}",
        "_Skipped: not relevant here_",
        f"### 3. {GUIDES[Step.LISTEN].title}",
        "> She felt left out of the decision.",
        "2 of 10 steps done or set aside.",
        "_No reply yet._",
        "> I'm sorry — second try.",  # the latest version, not the first
        "_Sent Thu 06 Mar 2025 09:00 (version 1)._",
        "_Not sent._",
        "_Mine · every Friday_",
        "_Done Mon 03 Mar 2025 09:00_",
        "### Apology\n",
        "### Solution\n",
        "| kept | on time |",
        "missed",
        "no longer active",
        "Mon 09 Jun 2025 15:00: planned — Bring the checklist",  # 14:00 UTC is 15:00 in Lisbon
        "Mon 26 May 2025 10:00: held: lighter",
        ": cancelled",
        "Shared goal: A smooth launch for the client",
        "Shared interest: Fewer surprises",
        "**Joint launch checklist** (proposed)",
        "_Version 2, agreed",
        "within a working day",
    ):
        assert fact in text, fact
    assert "I'm sorry that I moved the date" not in text


def test_report_keeps_their_words_apart_from_my_reading() -> None:
    repair, person = full_repair()
    text = repair_markdown(repair, person, tz=LISBON, now=NOW)

    theirs = text.index("**What Dana said, in their words:**")
    mine = text.index("**How I read it (my interpretation):**")
    assert theirs < text.index("> I was embarrassed in front of the client.") < mine
    assert mine < text.index("> She is hurt more than angry.")
    # Timeline in time order: the March call before the June meeting.
    assert text.index("Short call") < text.index("I was embarrassed")


def test_report_of_a_new_repair_says_what_is_missing() -> None:
    text = repair_markdown(make_repair(), make_person(), tz=LISBON, now=NOW)
    assert "0 of 10 steps" in text
    assert "_Not yet_" in text
    assert "_No agreement yet" in text


def test_printable_agreement() -> None:
    repair, person = full_repair()
    text = agreement_markdown(repair, person, tz=LISBON)

    assert text.startswith("# Working agreement with Dana Ortiz\n")
    assert "_Version 2, agreed Tue 01 Apr 2025 10:00._" in text
    assert "- **Channel:** Slack DM" in text
    assert "| Who | What |" in text
    assert "| Me | status \\| update |" in text
    assert "| Dana Ortiz | review |" in text
    assert "Early and in private." in text
    assert "We look at this agreement again on Thu 01 May 2025." in text


def test_printable_agreement_needs_one() -> None:
    with pytest.raises(NotFound, match="no working agreement with Dana Ortiz yet"):
        agreement_markdown(make_repair(), make_person(), tz=LISBON)


def _events(ics: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(ics)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_calendar_has_open_check_ins_and_pending_due_times() -> None:
    repair, person = full_repair()
    events = _events(calendar_ics([(repair, person)], now=NOW))

    check_in = events["checkin-11@mend.local"]
    assert "checkin-12@mend.local" not in events  # completed
    assert "checkin-13@mend.local" not in events  # cancelled
    assert str(check_in["summary"]) == ("Check-in with Dana Ortiz (repair: The launch-date mix-up)")
    assert check_in.decoded("dtstart") == at(2025, 6, 9, 14)
    assert check_in.decoded("dtend") == at(2025, 6, 9, 14, 30)
    assert check_in.decoded("dtstamp") == NOW
    (alarm,) = check_in.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(minutes=15)

    # The weekly promise is one repeating event from its next Friday, for as long as it runs.
    weekly = events["commitment-3@mend.local"]
    assert weekly.decoded("dtstart") == at(2025, 6, 6, 15)
    assert weekly["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=FR;WKST=MO"
    assert not any(uid.startswith("occurrence-3-") for uid in events)
    one_off = events["occurrence-4-20250605T090000Z@mend.local"]
    assert str(one_off["summary"]) == "Due: Send the revised plan (repair: The launch-date mix-up)"
    (alarm,) = one_off.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(days=1)
    assert not any("-5" in uid for uid in events)  # inactive


def test_calendar_is_stable_and_takes_alarm_offsets() -> None:
    repair, person = full_repair()
    first = calendar_ics([(repair, person)], now=NOW)
    assert calendar_ics([(repair, person)], now=NOW) == first

    custom = _events(
        calendar_ics(
            [(repair, person)],
            now=NOW,
            check_in_alarm=timedelta(hours=1),
            due_alarm=timedelta(hours=2),
        )
    )
    assert set(custom) == {
        "checkin-11@mend.local",
        "commitment-3@mend.local",
        "occurrence-4-20250605T090000Z@mend.local",
    }
    (alarm,) = custom["checkin-11@mend.local"].walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=1)
    (alarm,) = custom["commitment-3@mend.local"].walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=2)


def test_recorded_times_leave_the_calendar_and_a_cadence_repeats() -> None:
    repair, person = full_repair()
    weekly = next(c for c in repair.commitments if c.id == 3)
    weekly.occurrences.append(make_occurrence(at(2025, 6, 13, 15), status=OccurrenceStatus.KEPT))
    repair.check_ins[0].cadence_days = 14
    events = _events(calendar_ics([(repair, person)], now=NOW))
    exdates = [d.dt for d in events["commitment-3@mend.local"]["exdate"].dts]
    assert exdates == [at(2025, 6, 13, 15)], "kept early: no longer on the calendar"
    assert events["checkin-11@mend.local"]["rrule"].to_ical() == b"FREQ=DAILY;INTERVAL=14"


def test_the_agreement_review_date_is_an_event_with_an_alarm() -> None:
    repair, person = full_repair()
    repair.agreement.review_on = at(2025, 7, 15).date()  # type: ignore[union-attr]
    events = _events(calendar_ics([(repair, person)], now=NOW))
    review = events[f"agreement-review-{repair.id}@mend.local"]
    assert review.decoded("dtstart") == at(2025, 7, 15).date()
    assert "Review the working agreement with Dana Ortiz" in str(review["summary"])
    (alarm,) = review.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=15)
    repair.agreement.review_on = at(2025, 5, 1).date()  # type: ignore[union-attr]
    assert not any(
        u.startswith("agreement-review") for u in _events(calendar_ics([(repair, person)], now=NOW))
    ), "a review date already past is not put on the calendar"


def test_empty_calendar_is_valid() -> None:
    calendar = Calendar.from_ical(calendar_ics([], now=NOW))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"


RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;INTERVAL=2",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    rule=RULES,
    anchor=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
    ),
    days_later=st.integers(min_value=0, max_value=400),
)
def test_a_calendar_repeats_a_promise_on_exactly_mends_days(
    rule: str, anchor: datetime, days_later: int
) -> None:
    """Expanding the written RRULE (as a calendar app does) gives Mend's own due times."""
    from dateutil.rrule import rrulestr

    from mend.domain.recurrence import occurrences_between

    now = anchor + timedelta(days=days_later)
    commitment = make_commitment(
        id=7, description="Status note", due_at=anchor, recurrence=rule, created_at=anchor
    )
    repair, person = make_repair(), make_person(id=1)
    repair.commitments = [commitment]
    event = _events(calendar_ics([(repair, person)], now=now))["commitment-7@mend.local"]
    start = event.decoded("dtstart")
    expansion = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    until = now + timedelta(days=730)
    written = [d for d in expansion.between(start, until, inc=True) if d < until]
    mends = occurrences_between(rule, anchor, now, until)
    assert written == mends


def test_report_says_whose_word_each_outcome_counted_on() -> None:
    """With the other person's verdicts, the trust table of the report names whose word
    counted; without them it reads as before."""
    from mend.domain.model import TheirVerdict

    said = at(2025, 3, 12)
    repair = make_repair(
        commitments=[
            make_commitment(
                description="Send the notes",
                occurrences=[
                    make_occurrence(
                        at(2025, 3, 10),
                        OccurrenceStatus.KEPT,
                        recorded_at=at(2025, 3, 10),
                        their_verdicts=[TheirVerdict("late", "Dana", said, "A day late")],
                    )
                ],
            )
        ]
    )
    text = repair_markdown(repair, make_person(), tz=LISBON, now=at(2025, 3, 20))
    assert "late: Send the notes (due 2025-03-10) (Dana's word)" in text
    # One late outcome leaves trust at 50%: the summary has no outcome to name.
    assert "back at 50%, where it started; steady over the last 4 weeks" in text
    alone = make_repair(commitments=[make_commitment(description="Send the notes")])
    alone.commitments[0].occurrences = [
        make_occurrence(at(2025, 3, 10), OccurrenceStatus.KEPT, recorded_at=at(2025, 3, 10))
    ]
    plain = repair_markdown(alone, make_person(), tz=LISBON, now=at(2025, 3, 20))
    assert "kept: Send the notes (due 2025-03-10) |" in plain and "your word" not in plain
