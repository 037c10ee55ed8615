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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mend.domain.commitments import materialize, missing_due_times
from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.validation import (
    ALL_SHARED,
    PULSE_SCORES,
    VERDICTS,
    clean_text,
    one_line,
    parse_shares,
)
from mend.errors import InvalidInput, NotFound
from mend.services.invitations import Guest, UowFactory
from mend.services.mail import notices
from mend.services.mail.notices import Mailing
from mend.services.overview import RepairView, read_repair_view
from mend.services.repairs import refresh
from mend.services.signing import Signed, account_name
from mend.store.invitations import TheirWords
from mend.store.signing import AgreementComment, Signature
from mend.store.uow import UnitOfWork

#: How the other person's page names the owner when the owner has no display name.
OWNER_ON_THEIR_PAGE = "The person who invited you"


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
    created_at: datetime
    #: Whose promise it is, from the owner's side: me (the owner), them, both.
    owner: Party
    recurring: bool
    active: bool
    occurrences: list[SharedOccurrence]


@dataclass(frozen=True)
class SharedCheckIn:
    scheduled_at: datetime
    created_at: datetime
    completed_at: datetime | None
    cancelled: bool
    #: For the link to its calendar file on their page.
    id: int = 0


@dataclass(frozen=True)
class SharedGround:
    kind: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class SharedAgreement(Signed):
    version: int
    created_at: datetime
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
    #: How the other person's page names the owner.
    owner_name: str
    #: The parts shared (mend.domain.validation.SHAREABLE); the others are left empty.
    shares: frozenset[str]
    messages: list[SharedMessage]
    commitments: list[SharedCommitment]
    check_ins: list[SharedCheckIn]
    common_ground: list[SharedGround]
    agreement: SharedAgreement | None
    views: Sequence[TheirWords]
    pulses: Sequence[TheirWords]


_OUTCOME = {"kept": "kept", "late": "kept late", "missed": "missed", "disputed": "disputed"}


@dataclass(frozen=True)
class SharedEvent:
    """One thing either side did on the shared part of a repair."""

    at: datetime
    #: "owner" or "them"
    by: str
    #: What was done, a phrase that follows the actor ("signed version 2 of the agreement").
    what: str
    #: Their words that go with it (a note, a comment), shown under it.
    detail: str = ""
    #: The other person's name as saved with their words (their events only).
    author: str = ""

    def actor(self, view: SharedView, viewer: str) -> str:
        """Who did it, as ``viewer`` ("owner" or "them") reads it: "You" for oneself."""
        if self.by == viewer:
            return "You"
        return view.owner_name if self.by == "owner" else (self.author or view.their_name)

    def as_dict(self, view: SharedView, viewer: str) -> dict[str, object]:
        """Plain values (for JSON), with the actor as ``viewer`` reads it."""
        actor = self.actor(view, viewer)
        return {
            "at": self.at,
            "by": self.by,
            "actor": actor,
            "what": self.what,
            "detail": self.detail,
        }


def timeline(view: SharedView) -> list[SharedEvent]:
    """Who did what on the shared items, newest first: built from the shared view alone,
    so it can hold nothing the other person may not see."""
    events: list[SharedEvent] = []
    add = events.append
    for m in view.messages:
        add(SharedEvent(m.sent_at, "owner", f"sent a message ({m.kind.replace('_', ' ')})"))
    for c in view.commitments:
        add(SharedEvent(c.created_at, "owner", f"wrote down a promise: {c.description}"))
        for o in c.occurrences:
            due = f"“{c.description}”, due {o.due_at:%d %b %Y}"
            if o.recorded_at is not None and o.status != OccurrenceStatus.PENDING:
                add(
                    SharedEvent(
                        o.recorded_at, "owner", f"marked {due} as {_OUTCOME[o.status.value]}"
                    )
                )
            for v in o.verdicts:
                said = f"marked {due} as {_OUTCOME[v.verdict]}"
                add(SharedEvent(v.created_at, "them", said, v.text, v.author))
    for k in view.check_ins:
        add(SharedEvent(k.created_at, "owner", f"planned a check-in for {k.scheduled_at:%d %b %Y}"))
        if k.completed_at is not None:
            what = f"noted the check-in of {k.scheduled_at:%d %b %Y} as held"
            add(SharedEvent(k.completed_at, "owner", what))
    for g in view.common_ground:
        add(SharedEvent(g.created_at, "owner", f"wrote down common ground: {g.text}"))
    for w in view.views:
        add(SharedEvent(w.created_at, "them", "told how it was for them", w.text, w.author))
    for p in view.pulses:
        what = f"answered “how are we doing?” with {p.score} of 5"
        add(SharedEvent(p.created_at, "them", what, p.text, p.author))
    if (a := view.agreement) is not None:
        add(SharedEvent(a.created_at, "owner", f"wrote version {a.version} of the agreement"))
        for comment in a.comments:
            by = "owner" if comment.by_owner else "them"
            add(
                SharedEvent(
                    comment.created_at,
                    by,
                    "commented on the agreement",
                    comment.text,
                    "" if comment.by_owner else comment.author,
                )
            )
        for sig in a.signatures:
            by = "owner" if sig.by_owner else "them"
            add(
                SharedEvent(
                    sig.signed_at,
                    by,
                    f"signed version {a.version} of the agreement",
                    author="" if sig.by_owner else sig.name,
                )
            )
    # Oldest first, then reversed: things done at the same moment keep the order in which
    # a repair unfolds (and records were made), latest first.
    events.sort(key=lambda e: e.at)
    events.reverse()
    return events


def _owner_name(uow: UnitOfWork) -> str:
    """The owner's display name on a team server; else a plain description."""
    return account_name(uow) or OWNER_ON_THEIR_PAGE


def _build(
    uow: UnitOfWork, repair_id: int, *, title: str, their_name: str, shares: str
) -> SharedView:
    parts = frozenset(shares.split(",")) - {""}
    repair = uow.repairs.get(repair_id)
    verdicts: dict[int, list[TheirWords]] = {}
    # A verdict is on a promise's occurrence: with nothing promised there is none to read.
    for verdict in uow.invitations.verdicts(repair_id) if repair.commitments else ():
        assert verdict.occurrence_id is not None
        verdicts.setdefault(verdict.occurrence_id, []).append(verdict)
    messages = []
    for draft in (
        []
        if "messages" not in parts
        else sorted(repair.drafts, key=lambda d: d.sent_at or d.created_at or repair.opened_at)
    ):
        if draft.sent_at is None:
            continue
        sent = [v for v in draft.versions if v.number == draft.sent_version] or [draft.current]
        messages.append(SharedMessage(draft.kind.value, draft.sent_at, sent[0].text))
    commitments = [
        SharedCommitment(
            description=c.description,
            created_at=c.created_at,
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
        if "commitments" in parts
    ]
    check_ins = [
        SharedCheckIn(c.scheduled_at, c.created_at, c.completed_at, c.cancelled, c.id or 0)
        for c in sorted(repair.check_ins, key=lambda c: c.scheduled_at)
        if "check_ins" in parts
    ]
    ground = [
        SharedGround(g.kind.value, g.text, g.created_at)
        for g in repair.common_ground
        if "common_ground" in parts
    ]
    agreement = None
    if repair.agreement is not None and "agreement" in parts:
        a = repair.agreement
        agreement = SharedAgreement(
            a.version,
            a.created_at,
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
        owner_name=_owner_name(uow),
        shares=parts,
        messages=messages,
        commitments=commitments,
        check_ins=check_ins,
        common_ground=ground,
        agreement=agreement,
        views=uow.invitations.views(repair_id),
        pulses=uow.invitations.pulses(repair_id),
    )


def catch_up(uows: UowFactory, repair_id: int, *, now: datetime) -> None:
    """Save the occurrences that fell due since the repair was last written.

    The owner's pages show due times without saving them; the other person answers an
    occurrence by its id, so before their page (or its preview) is built, what is due by
    ``now`` is saved, pending. It looks first in a read: most page views find nothing
    missing, and then take no write lock and write nothing.
    """
    with uows(write=False) as uow:
        repair = uow.repairs.get(repair_id)
        if not any(missing_due_times(c, now) for c in repair.commitments):
            return
    with uows() as uow:
        repair = uow.repairs.get(repair_id)
        if any([materialize(c, now) for c in repair.commitments]):
            uow.commit()


def shared_view(uow: UnitOfWork, guest: Guest) -> SharedView:
    """The shared page of the repair a link session reaches (``uow`` acts for its owner)."""
    with uow:
        return _view_of(uow, guest)


def shared_page(uows: UowFactory, guest: Guest, *, now: datetime) -> SharedView:
    """Their page at ``now``: ``catch_up``, then ``shared_view``.

    When nothing fell due unsaved, as on most views, the page is built in the read that
    looked, from the repair it loaded: one load of the whole repair instead of two.
    """
    with uows(write=False) as uow:
        repair = uow.repairs.get(guest.repair_id)
        if not any(missing_due_times(c, now) for c in repair.commitments):
            return _view_of(uow, guest)
    catch_up(uows, guest.repair_id, now=now)
    return shared_view(uows(write=False), guest)


def _view_of(uow: UnitOfWork, guest: Guest) -> SharedView:
    return _build(
        uow,
        guest.repair_id,
        title=guest.invitation.shared_title,
        their_name=guest.name,
        shares=guest.invitation.shares,
    )


def preview(
    uow: UnitOfWork,
    repair_id: int,
    *,
    title: str = "",
    their_name: str = "",
    shares: Iterable[str] | None = None,
) -> SharedView:
    """The owner's preview: exactly what an invited person would see of ``repair_id``.

    Without a title, name or choice of parts of its own, it uses the newest
    invitation's, else placeholders the owner replaces when inviting (and every part).
    """
    chosen = None if shares is None else parse_shares(shares)
    with uow:
        uow.repairs.require(repair_id)
        latest = list(uow.invitations.list(repair_id))[-1:]
        return _build(
            uow,
            repair_id,
            title=one_line(title, "shared_title")
            or (latest[0].shared_title if latest else "(the title you will share)"),
            their_name=one_line(their_name, "their_name")
            or (latest[0].their_name if latest else "(their name)"),
            shares=chosen if chosen is not None else (latest[0].shares if latest else ALL_SHARED),
        )


def their_words(uow: UnitOfWork, repair_id: int) -> tuple[Sequence[TheirWords], ...]:
    """The other person's views, verdicts and pulse answers on the owner's repair."""
    with uow:
        uow.repairs.require(repair_id)
        return _their_words(uow, repair_id)


def owner_page(
    uow: UnitOfWork, repair_id: int, *, now: datetime, tz: tzinfo
) -> tuple[RepairView, tuple[Sequence[TheirWords], ...]]:
    """The owner's repair page: the repair and the other person's words, in one read."""
    with uow:
        return read_repair_view(uow, repair_id, now=now, tz=tz), _their_words(uow, repair_id)


def _their_words(uow: UnitOfWork, repair_id: int) -> tuple[Sequence[TheirWords], ...]:
    # Their words come only through an invitation (a required key): a repair never
    # shared has none, and one short query says so.
    if not uow.invitations.any_for(repair_id):
        return [], [], []
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
        shared = guest.invitation.shared("commitments")
        if not shared or not uow.invitations.occurrence_in(guest.repair_id, occurrence_id):
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
        # Their word is evidence of the owner's promises (domain/trust.py): the steps it
        # completes are marked now, as after the owner's own record, so the board and the
        # next action read the same as the trust page. Loaded after the verdict is in.
        refresh(uow.repairs.get(guest.repair_id), now)
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
