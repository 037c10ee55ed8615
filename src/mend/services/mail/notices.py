"""What is mailed when, and its words: written to the outbox inside the change's own
transaction (each function here runs in the caller's unit of work, before its commit).

Mail to the other person carries only what their shared page shows: the title as the
owner wrote it for them, their name, the owner's name, and a link. Never the owner's
private fields. Mail to the owner goes to the account's address on a team server; in
local mode there is no owner address, and owner notices are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mend.services.mail.smtp import check_address
from mend.store.invitations import Invitation
from mend.store.uow import UnitOfWork

#: The longest a subject gets (the outbox column holds 200).
SUBJECT_LIMIT = 150


@dataclass(frozen=True)
class Mailing:
    """E-mail is on: where links lead, and the sender (the organizer of a check-in
    in local mode, where the owner has no address of their own)."""

    base_url: str
    sender: str

    def link(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


def _subject(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUBJECT_LIMIT else flat[: SUBJECT_LIMIT - 1] + "…"


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.strip().splitlines())


def owner_contact(uow: UnitOfWork) -> tuple[str, str] | None:
    """The owner's ``(name, address)`` on a team server; None in local mode."""
    account_id = uow.owner.account_id
    if account_id is None:
        return None
    account = uow.accounts.get(account_id)
    if account is None or account.disabled:
        return None
    return account.name, account.email


def owner_name(uow: UnitOfWork) -> str:
    """How the other person knows the owner in mail: the account's name, if any."""
    contact = owner_contact(uow)
    return contact[0] if contact else "The person who invited you"


def _to_them(invitation: Invitation, sign_off: str) -> str:
    return (
        f"\n\n{sign_off}\n\n"
        f"You get this because {invitation.their_name} was invited to a shared page on "
        "Mend. If you would rather not get these messages, say so to the person who "
        "invited you; they can withdraw the invitation."
    )


def _queue(
    uow: UnitOfWork,
    repair_id: int,
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    now: datetime,
    ics: str = "",
    dedupe_key: str | None = None,
) -> None:
    uow.outbox.add(
        repair_id,
        kind=kind,
        to_address=check_address(to, "email"),
        subject=_subject(subject),
        body=body,
        ics=ics,
        dedupe_key=dedupe_key,
        now=now,
    )


def live_addressed(uow: UnitOfWork, repair_id: int, now: datetime) -> list[Invitation]:
    """The repair's live invitations that have an address, one per address."""
    seen: set[str] = set()
    found = []
    for invitation in uow.invitations.list(repair_id):
        if invitation.is_live(now) and invitation.email and invitation.email not in seen:
            seen.add(invitation.email)
            found.append(invitation)
    return found


# --- to the other person --------------------------------------------------------------


def invitation_mail(
    uow: UnitOfWork, mailing: Mailing, invitation: Invitation, link: str, *, now: datetime
) -> None:
    """The invitation itself: the link, which opens their page."""
    if not invitation.email:
        return
    who = owner_name(uow)
    body = (
        f"Hello {invitation.their_name},\n\n"
        f"{who} would like to hear how things are between you, and has opened a page "
        f"for the two of you about “{invitation.shared_title}”.\n\n"
        "There you can read what they share with you, tell how it was for you in your own "
        "words, say whether promises were kept, and comment on a working agreement. You "
        "need no account.\n\n"
        f"Open your page:\n{link}\n\n"
        f"The link works until {invitation.expires_at:%d %B %Y} (UTC). Keep it to yourself: "
        "whoever holds it can open the page." + _to_them(invitation, "Take your time.")
    )
    _queue(
        uow,
        invitation.repair_id,
        kind="invitation",
        to=invitation.email,
        subject=f"{who} invites you to a shared page: {invitation.shared_title}",
        body=body,
        now=now,
    )


def sign_request_mail(
    uow: UnitOfWork,
    mailing: Mailing,
    repair_id: int,
    *,
    version: int,
    signer: str,
    unsigned: set[int],
    now: datetime,
) -> None:
    """The owner signed the current version: each invited person who has not signed it
    yet (``unsigned``: their invitation ids) is asked to read and sign it."""
    for invitation in live_addressed(uow, repair_id, now):
        if invitation.id not in unsigned:
            continue
        body = (
            f"Hello {invitation.their_name},\n\n"
            f"{signer} signed version {version} of your working agreement about "
            f"“{invitation.shared_title}”. When you have read it, you can sign it too, or "
            "comment on it if you see something differently.\n\n"
            f"Your page:\n{mailing.link('/shared')}\n\n"
            "If the page no longer opens, open the invitation link you were sent first."
            + _to_them(invitation, "There is no hurry.")
        )
        _queue(
            uow,
            repair_id,
            kind="sign_request",
            to=invitation.email,
            subject=f"Please read and sign the agreement: {invitation.shared_title}",
            body=body,
            now=now,
        )


def check_in_mail(
    uow: UnitOfWork,
    mailing: Mailing,
    invitation: Invitation,
    *,
    when: str,
    ics: str,
    dedupe_key: str,
    now: datetime,
) -> None:
    """A shared check-in is coming up: a reminder, with the calendar invitation."""
    who = owner_name(uow)
    body = (
        f"Hello {invitation.their_name},\n\n"
        f"A check-in with {who} about “{invitation.shared_title}” is coming up: {when}. "
        "It is a short conversation to see how things are going between you.\n\n"
        "The calendar invitation is attached. You can also download it from your page:\n"
        f"{mailing.link('/shared')}" + _to_them(invitation, "See you then.")
    )
    _queue(
        uow,
        invitation.repair_id,
        kind="check_in",
        to=invitation.email,
        subject=f"Check-in coming up: {invitation.shared_title}",
        body=body,
        ics=ics,
        dedupe_key=dedupe_key,
        now=now,
    )


def check_in_cancelled_mail(
    uow: UnitOfWork, mailing: Mailing, invitation: Invitation, *, when: str, ics: str, now: datetime
) -> None:
    """A check-in they were sent is called off: the calendar cancellation."""
    who = owner_name(uow)
    body = (
        f"Hello {invitation.their_name},\n\n"
        f"The check-in with {who} about “{invitation.shared_title}” on {when} is called "
        "off. The attached calendar update takes it out of your calendar.\n\n"
        f"Your page:\n{mailing.link('/shared')}" + _to_them(invitation, "Thank you.")
    )
    _queue(
        uow,
        invitation.repair_id,
        kind="check_in",
        to=invitation.email,
        subject=f"Check-in called off: {invitation.shared_title}",
        body=body,
        ics=ics,
        now=now,
    )


# --- to the owner (team server only) --------------------------------------------------


def _to_owner(
    uow: UnitOfWork,
    mailing: Mailing,
    repair_id: int,
    *,
    kind: str,
    subject: str,
    lines: str,
    path: str,
    now: datetime,
) -> None:
    contact = owner_contact(uow)
    if contact is None:
        return
    name, address = contact
    body = (
        f"Hello {name},\n\n{lines}\n\nOpen it in Mend:\n{mailing.link(path)}\n\n"
        "Mend sends this because you invited them to a shared page."
    )
    _queue(uow, repair_id, kind=kind, to=address, subject=subject, body=body, now=now)


def they_signed_mail(
    uow: UnitOfWork, mailing: Mailing, repair_id: int, *, name: str, version: int, now: datetime
) -> None:
    _to_owner(
        uow,
        mailing,
        repair_id,
        kind="they_signed",
        subject=f"{name} signed version {version} of your agreement",
        lines=f"{name} signed version {version} of your working agreement.",
        path=f"/repairs/{repair_id}/agreement",
        now=now,
    )


def they_commented_mail(
    uow: UnitOfWork, mailing: Mailing, repair_id: int, *, name: str, text: str, now: datetime
) -> None:
    _to_owner(
        uow,
        mailing,
        repair_id,
        kind="they_commented",
        subject=f"{name} commented on your agreement",
        lines=f"{name} commented on your working agreement:\n\n{_quote(text)}",
        path=f"/repairs/{repair_id}/agreement",
        now=now,
    )


def disputed_mail(
    uow: UnitOfWork,
    mailing: Mailing,
    repair_id: int,
    *,
    name: str,
    promise: str,
    note: str,
    now: datetime,
) -> None:
    _to_owner(
        uow,
        mailing,
        repair_id,
        kind="disputed",
        subject=f"{name} sees an outcome differently",
        lines=(
            f"{name} disputes how “{promise}” was recorded. In their words:\n\n"
            f"{_quote(note)}\n\nIt may be worth talking it through before anything else."
        ),
        path=f"/repairs/{repair_id}",
        now=now,
    )
