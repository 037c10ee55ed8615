"""What the invited person sees of a repair, and what they can say about it.

:func:`shared_view` is the one place that decides what is shared: the title as the owner
wrote it for them, sent messages (the version that was sent, nothing else of a draft),
commitments with their occurrences and outcomes, check-ins (when, and whether they were
held), common ground and the newest agreement with every comment on the agreement and the
signatures of that version (a comment on the agreement is meant for both sides, whoever
wrote it). Never the owner's private notes ("my
part", what happened as they told it, their interpretations), step answers, unsent
drafts, coach reports, patience warnings, notes on outcomes or check-ins, nor anything
of another repair or person. The owner's preview and the other person's page both render
this one result, so the preview is exactly what they see.

The other person's words (their view, a verdict on an occurrence, a pulse answer) are
saved with their name and the time, each in one transaction, scoped to the repair's
account like everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.validation import PULSE_SCORES, VERDICTS, clean_text
from mend.errors import InvalidInput, NotFound
from mend.services.invitations import Guest
from mend.services.mail import notices
from mend.services.mail.notices import Mailing
from mend.services.signing import Signed
from mend.store.invitations import TheirWords
from mend.store.signing import AgreementComment, Signature
from mend.store.uow import UnitOfWork


@dataclass(frozen=True)
class SharedMessage:
    kind: str
    sent_at: datetime
    text: str


@dataclass(frozen=True)
class SharedOccurrence:
    id: int
    due_at: datetime
    status: OccurrenceStatus
    recorded_at: datetime | None
    verdicts: list[TheirWords] = field(default_factory=list)


@dataclass(frozen=True)
class SharedCommitment:
    description: str
    #: Whose promise it is, from the owner's side: me (the owner), them, both.
    owner: Party
    recurring: bool
    active: bool
    occurrences: list[SharedOccurrence]


@dataclass(frozen=True)
class SharedCheckIn:
    scheduled_at: datetime
    completed_at: datetime | None
    cancelled: bool
    #: For the link to its calendar file on their page.
    id: int = 0


@dataclass(frozen=True)
class SharedGround:
    kind: str
    text: str


@dataclass(frozen=True)
class SharedAgreement(Signed):
    version: int
    channel: str
    frequency: str
    response_time: str
    tasks: list[dict[str, str]]
    raising_problems: str
    review_on: date | None
    #: Comments on any version (both sides see all of them), oldest first.
    comments: Sequence[AgreementComment] = ()
    #: Signatures of this version.
    signatures: Sequence[Signature] = ()


@dataclass(frozen=True)
class SharedView:
    """Everything the invited person may see of one repair."""

    title: str
    their_name: str
    messages: list[SharedMessage]
    commitments: list[SharedCommitment]
    check_ins: list[SharedCheckIn]
    common_ground: list[SharedGround]
    agreement: SharedAgreement | None
    views: Sequence[TheirWords]
    pulses: Sequence[TheirWords]


def _build(uow: UnitOfWork, repair_id: int, *, title: str, their_name: str) -> SharedView:
    repair = uow.repairs.get(repair_id)
    verdicts: dict[int, list[TheirWords]] = {}
    for verdict in uow.invitations.verdicts(repair_id):
        assert verdict.occurrence_id is not None
        verdicts.setdefault(verdict.occurrence_id, []).append(verdict)
    messages = []
    for draft in sorted(repair.drafts, key=lambda d: d.sent_at or d.created_at or repair.opened_at):
        if draft.sent_at is None:
            continue
        sent = [v for v in draft.versions if v.number == draft.sent_version] or [draft.current]
        messages.append(SharedMessage(draft.kind.value, draft.sent_at, sent[0].text))
    commitments = [
        SharedCommitment(
            description=c.description,
            owner=c.owner,
            recurring=c.is_recurring,
            active=c.active,
            occurrences=[
                SharedOccurrence(
                    id=o.id or 0,
                    due_at=o.due_at,
                    status=o.status,
                    recorded_at=o.recorded_at,
                    verdicts=verdicts.get(o.id or 0, []),
                )
                for o in sorted(c.occurrences, key=lambda o: o.due_at)
            ],
        )
        for c in sorted(repair.commitments, key=lambda c: c.created_at)
    ]
    check_ins = [
        SharedCheckIn(c.scheduled_at, c.completed_at, c.cancelled, c.id or 0)
        for c in sorted(repair.check_ins, key=lambda c: c.scheduled_at)
    ]
    ground = [SharedGround(g.kind.value, g.text) for g in repair.common_ground]
    agreement = None
    if repair.agreement is not None:
        a = repair.agreement
        agreement = SharedAgreement(
            a.version,
            a.channel,
            a.frequency,
            a.response_time,
            [dict(t) for t in a.tasks],
            a.raising_problems,
            a.review_on,
            comments=uow.signing.comments(repair_id),
            signatures=[s for s in uow.signing.signatures(repair_id) if s.agreement_id == a.id],
        )
    return SharedView(
        title=title,
        their_name=their_name,
        messages=messages,
        commitments=commitments,
        check_ins=check_ins,
        common_ground=ground,
        agreement=agreement,
        views=uow.invitations.views(repair_id),
        pulses=uow.invitations.pulses(repair_id),
    )


def shared_view(uow: UnitOfWork, guest: Guest) -> SharedView:
    """The shared page of the repair a link session reaches (``uow`` acts for its owner)."""
    with uow:
        return _build(
            uow, guest.repair_id, title=guest.invitation.shared_title, their_name=guest.name
        )


def preview(
    uow: UnitOfWork, repair_id: int, *, title: str = "", their_name: str = ""
) -> SharedView:
    """The owner's preview: exactly what an invited person would see of ``repair_id``.

    Without a title or name of its own, it uses the newest invitation's, else
    placeholders the owner replaces when inviting.
    """
    with uow:
        uow.repairs.require(repair_id)
        latest = list(uow.invitations.list(repair_id))[-1:]
        return _build(
            uow,
            repair_id,
            title=title or (latest[0].shared_title if latest else "(the title you will share)"),
            their_name=their_name or (latest[0].their_name if latest else "(their name)"),
        )


def their_words(uow: UnitOfWork, repair_id: int) -> tuple[Sequence[TheirWords], ...]:
    """For the owner's repair page: their views, verdicts and pulse answers."""
    with uow:
        uow.repairs.require(repair_id)
        return (
            uow.invitations.views(repair_id),
            uow.invitations.verdicts(repair_id),
            uow.invitations.pulses(repair_id),
        )


def give_view(uow: UnitOfWork, guest: Guest, *, text: str, now: datetime) -> None:
    """The other person tells how it was for them, in their own words."""
    words = clean_text(text, "text", required=True)
    with uow:
        uow.repairs.require(guest.repair_id)
        uow.invitations.add_view(
            guest.repair_id, guest.invitation.id, author=guest.name, text=words, now=now
        )
        uow.commit()


def give_verdict(
    uow: UnitOfWork,
    guest: Guest,
    occurrence_id: int,
    *,
    verdict: str,
    note: str = "",
    now: datetime,
    mailing: Mailing | None = None,
) -> None:
    """The other person confirms an occurrence as kept, late or missed, or disputes it
    (with ``mailing``, the owner hears of a dispute by mail)."""
    choice = (verdict or "").strip().lower()
    if choice not in VERDICTS:
        raise InvalidInput(f"Say kept, late, missed or disputed, not {verdict!r}.", field="verdict")
    words = clean_text(note, "note")
    if choice == "disputed" and not words:
        raise InvalidInput("Say in a note what you see differently.", field="note")
    with uow:
        if not uow.invitations.occurrence_in(guest.repair_id, occurrence_id):
            raise NotFound("There is no such promise to confirm here.", field="occurrence")
        uow.invitations.add_verdict(
            occurrence_id,
            guest.invitation.id,
            author=guest.name,
            verdict=choice,
            note=words,
            now=now,
        )
        if mailing is not None and choice == "disputed":
            notices.disputed_mail(
                uow,
                mailing,
                guest.repair_id,
                name=guest.name,
                promise=_promise_of(uow, guest.repair_id, occurrence_id),
                note=words,
                now=now,
            )
        uow.commit()


def _promise_of(uow: UnitOfWork, repair_id: int, occurrence_id: int) -> str:
    for commitment in uow.repairs.get(repair_id).commitments:
        if any(o.id == occurrence_id for o in commitment.occurrences):
            return commitment.description
    return "a promise"


def give_pulse(uow: UnitOfWork, guest: Guest, *, score: int, note: str = "", now: datetime) -> None:
    """The other person answers "how are we doing?" from 1 (badly) to 5 (well)."""
    if score not in PULSE_SCORES:
        raise InvalidInput("Choose a number from 1 to 5.", field="score")
    words = clean_text(note, "note")
    with uow:
        uow.repairs.require(guest.repair_id)
        uow.invitations.add_pulse(
            guest.repair_id,
            guest.invitation.id,
            author=guest.name,
            score=score,
            note=words,
            now=now,
        )
        uow.commit()
