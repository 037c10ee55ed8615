"""Readable renderings of a repair: a Markdown report, a printable working agreement,
and an iCalendar file of what is coming up.

Pure functions over domain objects: no database, no clock (``now`` is an argument), so
the CLI, the web pages and the API all render the same thing.

Calendar choices
    A repeating promise is one event with an RRULE, so a calendar shows it for as long
    as it runs; the times already recorded in Mend (kept, late or missed) leave the
    calendar through EXDATE. Mend's monthly rule falls on the last day of a short month,
    which the RRULE says explicitly (see ``_rrule``). Every event has a stable UID
    (``checkin-<id>``, ``commitment-<id>``, ``occurrence-<commitment id>-<due, UTC>`` for
    one-offs, ``agreement-review-<repair id>``, all ``@mend.local``), so importing a newer
    file updates the events instead of duplicating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from icalendar import Alarm, Calendar, Event

from mend.dates import format_local
from mend.domain import trust
from mend.domain.enums import OccurrenceStatus, Party, Step, StepState
from mend.domain.guides import GUIDES
from mend.domain.model import (
    AgreementVersion,
    CheckIn,
    Commitment,
    Draft,
    Interaction,
    Person,
    Repair,
    StepRecord,
)
from mend.domain.recurrence import WEEKDAY_CODES, describe, occurrences_between, parse_rule
from mend.errors import NotFound

UID_DOMAIN = "mend.local"
CHECK_IN_TEXT = "A short conversation to see how things are going between you."
PRODID = "-//Mend//Mend working-relationship repair//EN"

_OUTCOMES = {
    OccurrenceStatus.KEPT: "kept",
    OccurrenceStatus.LATE: "kept, but late",
    OccurrenceStatus.MISSED: "missed",
}


# --- small text helpers -------------------------------------------------------------------


def _words(value: str) -> str:
    """An enum value as words: ``in_progress`` → ``in progress``."""
    return value.replace("_", " ")


def _when(moment: datetime | None, tz: tzinfo) -> str:
    return format_local(moment, tz)


def _day(day: date) -> str:
    return day.strftime("%a %d %b %Y")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


#: Characters that format text anywhere in a line (emphasis, code, links, raw HTML,
#: entities, tables, strike-through), and what starts a heading, quote or list.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def _md(text: str) -> str:
    """The user's words as Markdown that shows them literally: nothing they type (raw
    HTML, a "# heading" line, links, emphasis) becomes formatting."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    return _MD_NUMBERED.sub(r"\1\\\2", text)


def _flat(text: str) -> str:
    """The user's words on one line, as they are (for calendars, not Markdown)."""
    return " ".join(text.split())


def _one_line(text: str) -> str:
    """The user's words on one line, escaped (see :func:`_md`)."""
    return _md(_flat(text))


def _block(text: str) -> str:
    """The user's paragraphs, escaped, keeping their line breaks."""
    return _md(text.strip())


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return _one_line(text) or " "


def _quote(text: str) -> list[str]:
    """A block quote that keeps the writer's line breaks."""
    return [f"> {_md(line)}".rstrip() for line in text.strip().splitlines()] + [""]


def _name(person: Person) -> str:
    return _one_line(person.name)


def _first_name(person: Person) -> str:
    return _one_line(person.name.split()[0]) if person.name.strip() else "them"


def _owner(owner: Party, person: Person) -> str:
    return {Party.ME: "mine", Party.THEM: _first_name(person) + "'s", Party.BOTH: "shared"}[owner]


def _initiator(party: Party, person: Person) -> str:
    return {
        Party.ME: "I reached out",
        Party.THEM: f"{_first_name(person)} reached out",
        Party.BOTH: "arranged together",
    }[party]


def _step_title(step: Step) -> str:
    guide = GUIDES.get(step)
    return guide.title if guide is not None else _words(step.value).capitalize()


def _question_prompts(step: Step) -> dict[str, str]:
    guide = GUIDES.get(step)
    return {q.key: q.prompt for q in guide.questions} if guide is not None else {}


# --- the repair report --------------------------------------------------------------------


def repair_markdown(repair: Repair, person: Person, *, tz: tzinfo, now: datetime) -> str:
    """A readable Markdown report of everything recorded about one repair.

    ``repair`` must be loaded with its children; times are shown in ``tz``.
    """
    sections = [
        _header(repair, person, tz, now),
        _story(repair),
        _status_history(repair, tz),
        _steps_section(repair, tz),
        _timeline(repair.interactions, person, tz),
        _drafts_section(repair.drafts, tz),
        _commitments_section(repair.commitments, person, tz, now),
        _trust_section(repair, tz, now),
        _check_ins_section(repair.check_ins, tz),
        _together_section(repair),
        _current_agreement(repair, person, tz),
    ]
    return "\n".join(line for section in sections for line in section).rstrip() + "\n"


def _header(repair: Repair, person: Person, tz: tzinfo, now: datetime) -> list[str]:
    who = f"{_name(person)}, {_words(person.role.value)}"
    if person.organisation:
        who += f" at {_one_line(person.organisation)}"
    since = max((c.at for c in repair.status_changes), default=repair.opened_at)
    return [
        f"# {_one_line(repair.title)}",
        "",
        f"- **With:** {who}",
        f"- **Status:** {_words(repair.status.value)} (since {_when(since, tz)})",
        f"- **Opened:** {_when(repair.opened_at, tz)}",
        f"- **How serious it felt:** {repair.severity} out of 5",
        f"- **Report made:** {_when(now, tz)}",
        "",
    ]


def _story(repair: Repair) -> list[str]:
    lines = ["## What happened", ""]
    if repair.occurred_on is not None:
        lines += [f"On {_day(repair.occurred_on)}.", ""]
    lines += [_block(repair.what_happened) or "_Not written down yet._", ""]
    for heading, text in (("My part", repair.my_part), ("The impact", repair.impact)):
        lines += [f"### {heading}", "", _block(text) or "_Not written down yet._", ""]
    return lines


def _status_history(repair: Repair, tz: tzinfo) -> list[str]:
    lines = ["## Status history", ""]
    changes = sorted(repair.status_changes, key=lambda c: c.at)
    if not any(c.from_status is None for c in changes):
        lines.append(f"- {_when(repair.opened_at, tz)}: opened")
    for change in changes:
        if change.from_status is None:
            line = f"- {_when(change.at, tz)}: opened"
        else:
            start = _words(change.from_status.value)
            line = f"- {_when(change.at, tz)}: {start} → {_words(change.to_status.value)}"
        if change.reason.strip():
            line += f" ({_one_line(change.reason)})"
        lines.append(line)
    return [*lines, ""]


def _steps_section(repair: Repair, tz: tzinfo) -> list[str]:
    records = {record.step: record for record in repair.steps}
    closed = sum(1 for r in records.values() if r.state in (StepState.DONE, StepState.SKIPPED))
    lines = ["## The ten steps", "", f"{closed} of {len(Step)} steps done or set aside.", ""]
    for step in Step:
        lines += _step_lines(step, records.get(step), tz)
    return lines


def _step_lines(step: Step, record: StepRecord | None, tz: tzinfo) -> list[str]:
    heading = f"### {step.number}. {_step_title(step)}"
    if record is None or record.state == StepState.PENDING:
        state = "not yet"
    elif record.state == StepState.DONE:
        state = f"done {_when(record.completed_at, tz)}".rstrip()
    else:
        reason = _one_line(record.skip_reason) or "no reason given"
        state = f"skipped: {reason}"
    lines = [heading, "", f"_{_upper_first(state)}_", ""]
    if record is not None and record.answers:
        prompts = _question_prompts(step)
        for key, answer in record.answers.items():
            lines += [f"**{prompts.get(key) or _one_line(_words(key).capitalize())}**", ""]
            lines += _quote(answer) if answer.strip() else ["_(blank)_", ""]
    return lines


def _timeline(interactions: Sequence[Interaction], person: Person, tz: tzinfo) -> list[str]:
    lines = ["## Conversations and messages", ""]
    if not interactions:
        return [*lines, "_None recorded yet._", ""]
    for item in sorted(interactions, key=lambda i: i.occurred_at):
        facts = [item.kind.value, _initiator(item.initiated_by, person), item.tension.value]
        lines += [f"### {_when(item.occurred_at, tz)} · {' · '.join(facts)}", ""]
        if item.summary.strip():
            lines += [_block(item.summary), ""]
        if item.their_perspective.strip():
            lines += [f"**What {_first_name(person)} said, in their words:**", ""]
            lines += _quote(item.their_perspective)
        if item.my_interpretation.strip():
            lines += ["**How I read it (my interpretation):**", ""]
            lines += _quote(item.my_interpretation)
        if item.replied is True:
            answered = f" on {_when(item.replied_at, tz)}" if item.replied_at else ""
            lines += [f"_A reply came{answered}._", ""]
        elif item.replied is False:
            lines += ["_No reply yet._", ""]
        if item.forced:
            why = _one_line(item.forced_reason) or "no reason given"
            lines += [f"_Sent although Mend suggested waiting ({why})._", ""]
    return lines


def _drafts_section(drafts: Sequence[Draft], tz: tzinfo) -> list[str]:
    lines = ["## Drafts", ""]
    if not drafts:
        return [*lines, "_No drafts yet._", ""]
    for draft in drafts:
        kind = _words(draft.kind.value)
        title = _one_line(draft.title) or kind.capitalize()
        heading = title if title.lower() == kind else f"{title} ({kind})"
        lines += [f"### {heading}", ""]
        if draft.sent_at is not None:
            sent = f"Sent {_when(draft.sent_at, tz)}"
            if draft.sent_version is not None:
                sent += f" (version {draft.sent_version})"
            lines += [f"_{sent}._", ""]
        else:
            lines += ["_Not sent._", ""]
        if not draft.versions:
            lines += ["_No text yet._", ""]
            continue
        latest = draft.current
        lines += [
            f"Latest version ({latest.number} of {len(draft.versions)}, "
            f"{_when(latest.created_at, tz)}):",
            "",
            *_quote(latest.text or " "),
        ]
    return lines


def _commitments_section(
    commitments: Sequence[Commitment], person: Person, tz: tzinfo, now: datetime
) -> list[str]:
    lines = ["## Commitments", ""]
    if not commitments:
        return [*lines, "_No commitments yet._", ""]
    for commitment in commitments:
        facts = [_owner(commitment.owner, person)]
        if commitment.recurrence:
            facts.append(describe(commitment.recurrence))
            if commitment.ends_at is not None:
                facts.append(f"until {_when(commitment.ends_at, tz)}")
        elif commitment.due_at is not None:
            facts.append(f"due {_when(commitment.due_at, tz)}")
        if not commitment.active:
            facts.append("no longer active")
        lines += [
            f"### {_one_line(commitment.description)}",
            "",
            f"_{_upper_first(' · '.join(facts))}_",
            "",
        ]
        if commitment.occurrences:
            lines += ["| Due | Outcome | Note |", "| --- | --- | --- |"]
            for occurrence in sorted(commitment.occurrences, key=lambda o: o.due_at):
                if occurrence.status == OccurrenceStatus.PENDING:
                    outcome = "overdue" if occurrence.due_at < now else "coming up"
                else:
                    outcome = _OUTCOMES[occurrence.status]
                    if occurrence.recorded_at is not None:
                        outcome += f" (noted {_when(occurrence.recorded_at, tz)})"
                lines.append(
                    f"| {_when(occurrence.due_at, tz)} | {outcome} | {_cell(occurrence.note)} |"
                )
            lines.append("")
    return lines


def _trust_section(repair: Repair, tz: tzinfo, now: datetime) -> list[str]:
    """The estimate, its likely range, how it moved, and every outcome that moved it."""
    events = trust.events_from(repair)
    value = trust.estimate(events, now)
    lines = ["## Trust", ""]
    if value.n_events == 0:
        return [
            *lines,
            "_50%, with nothing recorded yet: mark commitments kept, late or missed._",
            "",
        ]
    low = max(0.0, value.value - value.uncertainty / 2)
    high = min(1.0, value.value + value.uncertainty / 2)
    recent = trust.trend(
        [(now.date(), trust.estimate(events, now - trust.RECENT)), (now.date(), value)]
    )
    two_sided = trust.is_two_sided(events)
    story = trust.summary(
        value, recent, *trust.recent_story(events, now, recent), two_sided=two_sided
    )
    lines += [
        f"**{value.value:.0%}** (likely between {low:.0%} and {high:.0%}): {_md(story)}.",
        "",
        "| When | What happened | Effect |",
        "| --- | --- | --- |",
    ]
    for event, delta in sorted(trust.movers(events, now), key=lambda pair: pair[0].at):
        what = event.label.split(": ", 1)[-1] + (f" ({event.whose})" if two_sided else "")
        lines.append(
            f"| {_when(event.at, tz)} | {event.kind.value}: {_cell(what)} | "
            f"{delta * 100:+.1f} points |"
        )
    return [*lines, ""]


def _check_ins_section(check_ins: Sequence[CheckIn], tz: tzinfo) -> list[str]:
    lines = ["## Check-ins", ""]
    if not check_ins:
        return [*lines, "_No check-ins planned yet._", ""]
    for check_in in sorted(check_ins, key=lambda c: c.scheduled_at):
        if check_in.cancelled:
            state = "cancelled"
        elif check_in.completed_at is not None:
            state = "held"
            if check_in.completed_at.date() != check_in.scheduled_at.date():
                state += f" on {_when(check_in.completed_at, tz)}"
            if check_in.outcome.strip():
                state += f": {_one_line(check_in.outcome)}"
        else:
            state = "planned"
        if check_in.cadence_days:
            state += f" (every {check_in.cadence_days} days)"
        line = f"- {_when(check_in.scheduled_at, tz)}: {state}"
        if check_in.note.strip():
            line += f" — {_one_line(check_in.note)}"
        lines.append(line)
    return [*lines, ""]


def _together_section(repair: Repair) -> list[str]:
    lines = ["## Common ground", ""]
    if repair.common_ground:
        lines += [
            f"- Shared {item.kind.value}: {_one_line(item.text)}" for item in repair.common_ground
        ]
    else:
        lines.append("_Nothing noted yet._")
    lines += ["", "## Things we are doing together", ""]
    if not repair.initiatives:
        return [*lines, "_Nothing started yet._", ""]
    for initiative in repair.initiatives:
        lines.append(f"- **{_one_line(initiative.title)}** ({_words(initiative.status)})")
        if initiative.my_contribution.strip():
            lines.append(f"  - My part: {_one_line(initiative.my_contribution)}")
        if initiative.their_contribution.strip():
            lines.append(f"  - Their part: {_one_line(initiative.their_contribution)}")
    return [*lines, ""]


def _current_agreement(repair: Repair, person: Person, tz: tzinfo) -> list[str]:
    lines = ["## Working agreement", ""]
    agreement = repair.agreement
    if agreement is None:
        return [*lines, "_No agreement yet; step 10 helps you write one together._", ""]
    return lines + _agreement_body(agreement, person, tz, level="###")


# --- the printable agreement -------------------------------------------------------------


def agreement_markdown(repair: Repair, person: Person, *, tz: tzinfo) -> str:
    """The current working agreement as a clean page to print or share.

    Raises :class:`NotFound` when the repair has no agreement yet.
    """
    agreement = repair.agreement
    if agreement is None:
        raise NotFound(
            f"There is no working agreement with {person.name} yet; write one in step 10 "
            "(set expectations) first.",
            field="agreement",
        )
    lines = [f"# Working agreement with {_name(person)}", ""]
    lines += _agreement_body(agreement, person, tz, level="##")
    return "\n".join(lines).rstrip() + "\n"


def _agreement_body(
    agreement: AgreementVersion, person: Person, tz: tzinfo, *, level: str
) -> list[str]:
    lines = [
        f"_Version {agreement.version}, agreed {_when(agreement.created_at, tz)}._",
        "",
        f"{level} How we keep in touch",
        "",
        f"- **Channel:** {_one_line(agreement.channel) or 'not decided yet'}",
        f"- **How often:** {_one_line(agreement.frequency) or 'not decided yet'}",
        f"- **Response time:** {_one_line(agreement.response_time) or 'not decided yet'}",
        "",
        f"{level} Who does what",
        "",
        *_tasks_table(agreement.tasks, person),
        f"{level} When something goes wrong",
        "",
        _block(agreement.raising_problems) or "_Not decided yet._",
        "",
        f"{level} Review",
        "",
        (
            f"We look at this agreement again on {_day(agreement.review_on)}."
            if agreement.review_on
            else "_No review date set yet._"
        ),
        "",
    ]
    if agreement.notes.strip():
        lines += [f"{level} Notes", "", _block(agreement.notes), ""]
    return lines


#: Keys a task may use for who does it and what it is; other keys become extra columns.
_WHO_KEYS = ("who", "owner")
_WHAT_KEYS = ("task", "what", "description")


def _tasks_table(tasks: Sequence[dict[str, str]], person: Person) -> list[str]:
    if not tasks:
        return ["_No tasks shared out yet._", ""]
    extra: list[str] = []
    for task in tasks:
        extra += [k for k in task if k not in (*_WHO_KEYS, *_WHAT_KEYS, *extra)]
    header = ["Who", "What", *(_words(k).capitalize() for k in extra)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for task in tasks:
        who = next((str(task[k]) for k in _WHO_KEYS if task.get(k)), "")
        who = {"me": "Me", "them": person.name, "both": "Both of us"}.get(who.lower(), who)
        what = next((str(task[k]) for k in _WHAT_KEYS if task.get(k)), "")
        cells = [who, what, *(str(task.get(k, "")) for k in extra)]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return [*lines, ""]


# --- the calendar ------------------------------------------------------------------------


def calendar_ics(
    items: Iterable[tuple[Repair, Person]],
    *,
    now: datetime,
    check_in_minutes: int = 30,
    check_in_alarm: timedelta = timedelta(minutes=15),
    due_minutes: int = 15,
    due_alarm: timedelta = timedelta(days=1),
    review_alarm: timedelta = timedelta(hours=15),
) -> bytes:
    """An iCalendar file with the open check-ins, what is due, and agreement reviews.

    ``items`` are the repairs to include, each with its person (usually every repair
    that is not closed). An open check-in is a ``check_in_minutes`` event with an alarm
    ``check_in_alarm`` before it, repeating every ``cadence_days`` when it has one. A
    pending one-off promise is a ``due_minutes`` event with an alarm ``due_alarm``
    before it; a repeating promise is one repeating event from its next due time on,
    for as long as it runs, its already recorded times left out (``EXDATE``). A working
    agreement's review date is an all-day event with an alarm ``review_alarm`` before
    its midnight (15 hours: 9 in the morning the day before).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Mend")
    events: list[Event] = []
    for repair, person in items:
        label = f"(repair: {_flat(repair.title)})"
        for check_in in repair.check_ins:
            if not check_in.is_open or check_in.id is None:
                continue
            event = _check_in_event(
                check_in,
                uid=f"checkin-{check_in.id}@{UID_DOMAIN}",
                summary=f"Check-in with {_flat(person.name)} {label}",
                description=_flat(check_in.note) or CHECK_IN_TEXT,
                minutes=check_in_minutes,
                alarm=check_in_alarm,
                now=now,
            )
            events.append(event)
        for commitment in repair.commitments:
            event = _commitment_event(commitment, person, label, now, due_minutes, due_alarm)
            if event is not None:
                events.append(event)
        review = _review_event(repair, person, label, now, review_alarm)
        if review is not None:
            events.append(review)
    for event in sorted(events, key=lambda e: (_sort_key(e), str(e["uid"]))):
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _check_in_event(
    check_in: CheckIn,
    *,
    uid: str,
    summary: str,
    description: str,
    minutes: int,
    alarm: timedelta,
    now: datetime,
) -> Event:
    """A check-in as an event, repeating every ``cadence_days`` when it has a cadence."""
    event = _event(
        uid=uid,
        summary=summary,
        description=description,
        start=check_in.scheduled_at,
        minutes=minutes,
        alarm=alarm,
        now=now,
    )
    if check_in.cadence_days:
        event.add("rrule", {"freq": "daily", "interval": check_in.cadence_days})
    return event


def shared_check_in_ics(
    check_in: CheckIn,
    *,
    uid: str,
    sequence: int,
    title: str,
    organizer: tuple[str, str],
    attendee: tuple[str, str],
    link: str,
    now: datetime,
    method: str = "REQUEST",
    minutes: int = 30,
    alarm: timedelta = timedelta(minutes=15),
) -> bytes:
    """One check-in as an invitation to the other person: ``METHOD:REQUEST`` (or
    ``PUBLISH`` for a download), the owner as ORGANIZER and them as ATTENDEE, each a
    ``(name, address)`` (an empty address leaves it out).

    Only what they may see goes in: the title as the owner wrote it for them, the time,
    the cadence and a link to their page; never the check-in's note. A cancelled check-in
    is ``STATUS:CANCELLED``; ``sequence`` goes up with every change, so a calendar
    replaces the event it has instead of adding another.
    """
    from icalendar import vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = _check_in_event(
        check_in,
        uid=uid,
        summary=f"Check-in: {_flat(title)}",
        description=f"{CHECK_IN_TEXT} Your page: {link}",
        minutes=minutes,
        alarm=alarm,
        now=now,
    )
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if check_in.cancelled else "CONFIRMED")
    for prop, (name, address), params in (
        ("organizer", organizer, {}),
        ("attendee", attendee, {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"}),
    ):
        if not address:
            continue
        who = vCalAddress(f"mailto:{address}")
        who.params["CN"] = vText(_flat(name))
        for key, value in params.items():
            who.params[key] = vText(value)
        event.add(prop, who)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _sort_key(event: Event) -> datetime:
    start = event.decoded("dtstart")
    return start if isinstance(start, datetime) else datetime.combine(start, time(), UTC)


def _commitment_event(
    commitment: Commitment,
    person: Person,
    label: str,
    now: datetime,
    minutes: int,
    alarm: timedelta,
) -> Event | None:
    if not commitment.active or commitment.id is None:
        return None
    summary, description = _due_texts(commitment, person)
    if commitment.recurrence is None:
        pending = [
            o.due_at
            for o in commitment.occurrences
            if o.status == OccurrenceStatus.PENDING and o.due_at >= now
        ]
        if not pending and commitment.due_at is not None and not commitment.occurrences:
            pending = [commitment.due_at] if commitment.due_at >= now else []
        if not pending:
            return None
        due = min(pending)
        stamp = due.strftime("%Y%m%dT%H%M%SZ")
        return _event(
            uid=f"occurrence-{commitment.id}-{stamp}@{UID_DOMAIN}",
            summary=f"{summary} {label}",
            description=description,
            start=due,
            minutes=minutes,
            alarm=alarm,
            now=now,
        )
    anchor = commitment.due_at or commitment.created_at
    end = commitment.ends_at + timedelta(microseconds=1) if commitment.ends_at else None
    upcoming = occurrences_between(
        commitment.recurrence, anchor, now, end or now + timedelta(days=800)
    )
    done = {o.due_at for o in commitment.occurrences if o.status != OccurrenceStatus.PENDING}
    upcoming = [due for due in upcoming if due not in done]
    if not upcoming:
        return None
    first = upcoming[0]
    event = _event(
        uid=f"commitment-{commitment.id}@{UID_DOMAIN}",
        summary=f"{summary} {label}",
        description=description,
        start=first,
        minutes=minutes,
        alarm=alarm,
        now=now,
    )
    event.add("rrule", _rrule(commitment.recurrence, anchor, commitment.ends_at))
    for when in sorted(due for due in done if due > first):
        event.add("exdate", when)
    return event


def _rrule(rule: str, anchor: datetime, until: datetime | None) -> dict[str, object]:
    """Mend's rule as an RRULE for calendars, meaning exactly what Mend means.

    Weeks count from Monday (``WKST=MO``), as Mend counts them. A monthly promise made on
    the 29th, 30th or 31st falls on the month's last day in shorter months: RFC 5545
    would skip those months, so such a rule says "the last of these days" instead
    (``BYMONTHDAY=28,...,31;BYSETPOS=-1``).
    """
    parsed = parse_rule(rule)
    out: dict[str, object] = {"freq": parsed.freq.lower(), "wkst": "MO"}
    if parsed.interval != 1:
        out["interval"] = parsed.interval
    if parsed.byday:
        out["byday"] = [WEEKDAY_CODES[d] for d in parsed.byday]
    if parsed.freq == "MONTHLY":
        if anchor.day > 28:
            out["bymonthday"] = list(range(28, anchor.day + 1))
            out["bysetpos"] = -1
        else:
            out["bymonthday"] = anchor.day
    if until is not None:
        out["until"] = until.astimezone(UTC)
    return out


def _review_event(
    repair: Repair, person: Person, label: str, now: datetime, alarm: timedelta
) -> Event | None:
    agreement = repair.agreement
    if agreement is None or agreement.review_on is None or repair.id is None:
        return None
    if agreement.review_on < now.date():
        return None
    event = Event()
    event.add("uid", f"agreement-review-{repair.id}@{UID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("dtstart", agreement.review_on)
    event.add("dtend", agreement.review_on + timedelta(days=1))
    summary = f"Review the working agreement with {_flat(person.name)} {label}"
    event.add("summary", summary)
    event.add(
        "description",
        f"Version {agreement.version} of your agreement is due for a look together: what "
        "works, what to change. Mend keeps every version.",
    )
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", summary)
    reminder.add("trigger", -alarm)
    event.add_component(reminder)
    return event


def _due_texts(commitment: Commitment, person: Person) -> tuple[str, str]:
    """The summary and description of a due-time event, by who made the promise."""
    what = _flat(commitment.description)
    name = _flat(person.name)
    first = name.split()[0] if name else "them"
    summary, whose = {
        Party.ME: (f"Due: {what}", f"Your commitment to {name}."),
        Party.THEM: (f"Due from {first}: {what}", f"{name}'s commitment to you."),
        Party.BOTH: (f"Due together: {what}", f"A commitment you share with {name}."),
    }[commitment.owner]
    return summary, f"{whose} Afterwards, note in Mend how it went."


def _event(
    *,
    uid: str,
    summary: str,
    description: str,
    start: datetime,
    minutes: int,
    alarm: timedelta,
    now: datetime,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("description", description)
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", summary)
    reminder.add("trigger", -alarm)
    event.add_component(reminder)
    return event
