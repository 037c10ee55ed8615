"""Use cases for drafts: versions coached as they are saved, and sending one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from mend.domain.enums import DraftKind, InteractionKind, Party
from mend.domain.model import Commitment, Draft, DraftVersion, Interaction, Repair
from mend.domain.validation import MAX_DRAFT, clean_text, one_line, parse_choice
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services.coaching import ProposedCommitment, coach_report, proposed_commitments
from mend.services.commitments import add_commitment
from mend.services.interactions import enforce_patience, require_active
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork
from mend.words import plural


def save_draft(
    uow: UnitOfWork,
    repair_id: int,
    *,
    text: str,
    kind: str | DraftKind | None = None,
    title: str = "",
    draft_id: int | None = None,
    now: datetime,
) -> Draft:
    """A new draft, or a new version of ``draft_id``; the coach's report is kept with it."""
    body = clean_text(text, "text", limit=MAX_DRAFT, required=True)
    with uow:
        repair = uow.repairs.get(repair_id)
        if draft_id is None:
            if kind is None:
                raise InvalidInput("Say what the draft is for (its kind).", field="kind")
            draft = Draft(
                kind=parse_choice(DraftKind, kind, "kind"),
                title=one_line(title, "title") or _title_from(body),
                created_at=now,
            )
            repair.drafts.append(draft)
        else:
            draft = find_draft(repair, draft_id)
            if draft.is_sent:
                raise Conflict(
                    f"Draft {draft_id} was already sent; start a new draft instead.",
                    field="draft",
                )
            if title:
                draft.title = one_line(title, "title")
            elif draft.title == _title_from(draft.current.text):
                # A title Mend made from the words follows the words: a report or timeline
                # must not show wording that was replaced before it was sent.
                draft.title = _title_from(body)
        number = max((v.number for v in draft.versions), default=0) + 1
        draft.versions.append(
            DraftVersion(
                number=number,
                text=body,
                created_at=now,
                coach_report=coach_report(body, draft.kind, now=now),
            )
        )
        uow.commit()
    return draft


def preview_commitments(
    uow: UnitOfWork, repair_id: int, draft_id: int, *, now: datetime, tz: tzinfo
) -> list[ProposedCommitment]:
    """The promises in a draft's current version, to offer as commitments (read only)."""
    with uow:
        draft = find_draft(uow.repairs.get(repair_id), draft_id)
        return proposed_commitments(draft.current.text, now=now, tz=tz)


def send_draft(
    uow: UnitOfWork,
    repair_id: int,
    draft_id: int,
    *,
    now: datetime,
    tz: tzinfo,
    channel: str | InteractionKind | None = None,
    accept: Sequence[int] = (),
    force: bool = False,
) -> tuple[Draft, list[ProposedCommitment]]:
    """Mark a draft sent or said; with ``channel`` it is also logged as an outreach.

    ``accept`` lists which of the draft's proposed commitments (by position) to track;
    everything happens in one transaction.
    """
    with uow:
        repair = uow.repairs.get(repair_id)
        require_active(repair)
        draft = find_draft(repair, draft_id)
        if draft.is_sent:
            raise Conflict(f"Draft {draft_id} is already marked as sent.", field="draft")
        proposals = proposed_commitments(draft.current.text, now=now, tz=tz)
        chosen = _chosen(proposals, accept)
        if channel is not None:
            _log_outreach(
                repair,
                draft,
                parse_choice(InteractionKind, channel, "channel"),
                now=now,
                tz=tz,
                force=force,
            )
        draft.sent_at = now
        draft.sent_version = draft.current.number
        for proposal in chosen:
            _track(repair, draft, proposal, now)
        refresh(repair, now)
        uow.commit()
    return draft, proposals


def track_proposals(
    uow: UnitOfWork,
    repair_id: int,
    draft_id: int,
    accept: Sequence[int],
    *,
    now: datetime,
    tz: tzinfo,
) -> list[Commitment]:
    """After a draft was sent: track the chosen promises it made as commitments.

    Positions are those of :func:`preview_commitments` read at the moment it was sent; a
    promise already tracked from this draft is not added twice. One transaction.
    """
    with uow:
        repair = uow.repairs.get(repair_id)
        require_active(repair)
        draft = find_draft(repair, draft_id)
        if not draft.is_sent:
            raise Conflict(f"Draft {draft_id} is not sent yet; send it first.", field="draft")
        proposals = proposed_commitments(draft.current.text, now=draft.sent_at or now, tz=tz)
        chosen = _chosen(proposals, sorted(set(accept)))
        tracked = {c.description for c in repair.commitments if c.source_draft_id == draft.id}
        added = [_track(repair, draft, p, now) for p in chosen if p.description not in tracked]
        refresh(repair, now)
        uow.commit()
    return added


def _chosen(
    proposals: Sequence[ProposedCommitment], accept: Sequence[int]
) -> list[ProposedCommitment]:
    """The proposals at the ``accept`` positions; an unknown position is refused whole."""
    bad = [i for i in accept if not 0 <= i < len(proposals)]
    if bad:
        raise InvalidInput(
            f"The draft has {plural(len(proposals), 'proposed commitment')}; "
            f"there is no number {bad[0] + 1}.",
            field="accept",
        )
    return [proposals[i] for i in accept]


def _track(repair: Repair, draft: Draft, proposal: ProposedCommitment, now: datetime) -> Commitment:
    return add_commitment(
        repair,
        description=proposal.description,
        owner=proposal.owner,
        due_at=proposal.due_at,
        recurrence=proposal.recurrence,
        source_draft_id=draft.id,
        now=now,
    )


def _log_outreach(
    repair: Repair,
    draft: Draft,
    kind: InteractionKind,
    *,
    now: datetime,
    tz: tzinfo,
    force: bool,
) -> None:
    forced, reasons = enforce_patience(repair, now, force=force, tz=tz)
    repair.interactions.append(
        Interaction(
            occurred_at=now,
            kind=kind,
            initiated_by=Party.ME,
            summary=f"Sent {draft.kind.value} draft: {draft.title}",
            forced=forced,
            forced_reason=reasons,
        )
    )


def find_draft(repair: Repair, draft_id: int) -> Draft:
    for draft in repair.drafts:
        if draft.id == draft_id:
            return draft
    raise NotFound(f"Repair {repair.id} has no draft {draft_id}.", field="draft")


def _title_from(text: str) -> str:
    first = text.strip().splitlines()[0]
    return first if len(first) <= 60 else first[:57].rstrip() + "..."
