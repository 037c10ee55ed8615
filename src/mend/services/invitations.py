"""Inviting the other person into one repair: a link, its link session, and revoking it.

The link carries a random token (``secrets.token_urlsafe(32)``); the database keeps only
its SHA-256, so a copy of the database opens nothing. Opening the link while it works
(not revoked, not expired) starts a *link session*: a cookie that reaches the shared
page of that one repair and nothing else (see :mod:`mend.services.shared`). Revoking an
invitation ends its link sessions at once.

Each function is one transaction through the unit of work, and every owner-side query is
scoped to the acting account through the repair (mend.store.scope).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mend.domain.validation import ALL_SHARED, clean_text, one_line, parse_shares
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services.auth import SESSION_IDLE, token_hash
from mend.services.mail import notices
from mend.services.mail.notices import Mailing
from mend.store.invitations import Invitation
from mend.store.uow import UnitOfWork

#: How long an invitation link works unless the owner says otherwise.
DEFAULT_VALID = timedelta(days=14)
#: The longest an invitation may be made to last.
MAX_VALID_DAYS = 90
#: Where an invitation link leads, under the server's address.
JOIN_PATH = "/join/"
#: The one answer for a link that does not open anything: unknown, expired or revoked
#: alike, so the answer never tells which.
LINK_REFUSED = (
    "This invitation link does not work: it may have expired or been withdrawn. "
    "Ask the person who sent it for a new one."
)

UowFactory = Callable[..., UnitOfWork]


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made, with its raw token: shown once, never stored."""

    invitation: Invitation
    token: str

    def link(self, base_url: str) -> str:
        return base_url.rstrip("/") + JOIN_PATH + self.token


@dataclass(frozen=True)
class Guest:
    """Whoever holds a live link session: the invitation, its repair and whose it is."""

    invitation: Invitation
    #: The account the repair belongs to (None: the local owner).
    account_id: int | None

    @property
    def repair_id(self) -> int:
        return self.invitation.repair_id

    @property
    def name(self) -> str:
        return self.invitation.their_name


def _email(value: str) -> str:
    email = one_line(value, "email", limit=254).lower()
    if email and ("@" not in email or email.startswith("@") or email.endswith("@")):
        raise InvalidInput(f"{email!r} does not look like an email address.", field="email")
    return email


def create(
    uow: UnitOfWork,
    repair_id: int,
    *,
    shared_title: str,
    their_name: str,
    email: str = "",
    now: datetime,
    valid_days: int | None = None,
    shares: Iterable[str] | None = None,
    mailing: Mailing | None = None,
) -> NewInvitation:
    """Invite the other person into ``repair_id``; the raw token is returned only here.

    ``shares`` chooses what they see besides the title (all of SHAREABLE when None).
    With ``mailing`` and an address, the link is also mailed to them (queued in this
    same transaction)."""
    title = one_line(shared_title, "shared_title", required=True)
    chosen = ALL_SHARED if shares is None else parse_shares(shares)
    name = one_line(their_name, "their_name", required=True)
    address = _email(email)
    valid = DEFAULT_VALID
    if valid_days is not None:
        if not 1 <= valid_days <= MAX_VALID_DAYS:
            raise InvalidInput(
                f"An invitation lasts 1 to {MAX_VALID_DAYS} days, not {valid_days}.",
                field="valid_days",
            )
        valid = timedelta(days=valid_days)
    token = secrets.token_urlsafe(32)
    with uow:
        uow.repairs.require(repair_id)
        invitation_id = uow.invitations.add(
            repair_id,
            token_hash=token_hash(token),
            shared_title=title,
            their_name=name,
            email=address,
            now=now,
            expires_at=now + valid,
            shares=chosen,
        )
        made = uow.invitations.get(repair_id, invitation_id)
        assert made is not None
        new = NewInvitation(made, token)
        if mailing is not None:
            notices.invitation_mail(uow, mailing, made, new.link(mailing.base_url), now=now)
        uow.commit()
    return new


def list_for(uow: UnitOfWork, repair_id: int) -> Sequence[Invitation]:
    """The invitations into ``repair_id``, oldest first."""
    with uow:
        uow.repairs.require(repair_id)
        return uow.invitations.list(repair_id)


def revoke(uow: UnitOfWork, repair_id: int, invitation_id: int, *, now: datetime) -> Invitation:
    """Withdraw an invitation: its link stops working and its link sessions end now."""
    with uow:
        uow.repairs.require(repair_id)
        found = uow.invitations.get(repair_id, invitation_id)
        if found is None:
            raise NotFound(
                f"Repair {repair_id} has no invitation {invitation_id}.", field="invitation"
            )
        if found.revoked_at is not None:
            raise Conflict("This invitation was already withdrawn.", field="invitation")
        uow.invitations.revoke(invitation_id, now)
        done = uow.invitations.get(repair_id, invitation_id)
        uow.commit()
    assert done is not None
    return done


def accept(uow: UnitOfWork, token: str, *, now: datetime, replacing: str | None = None) -> str:
    """Open an invitation link: a new link session (its token) bound to that invitation.

    Unknown, expired and revoked links get one and the same :class:`NotFound`.
    """
    with uow:
        found = uow.invitations.by_token(token_hash(token)) if 0 < len(token) <= 100 else None
        if found is None or not found[0].is_live(now):
            raise NotFound(LINK_REFUSED, field="token")
        invitation = found[0]
        session = _new_session(uow, invitation.id, now, replacing)
        uow.invitations.mark_accepted(invitation.id, now)
        uow.commit()
    return session


def guest(uows: UowFactory, session: str | None, *, now: datetime) -> Guest | None:
    """Who a link session's cookie stands for, while it and its invitation are live.

    A session unused for ``SESSION_IDLE`` ends; one whose invitation was revoked or has
    expired ends too. Reads stay reads except to end a session or note its use.
    """
    if not session or len(session) > 100:
        return None
    key = token_hash(session)
    with uows(write=False, account=None) as uow:
        found = uow.invitations.link_session(key)
    if found is None:
        return None
    invitation, account_id, _, last_seen_at = found
    ended = not invitation.reachable(now) or now - last_seen_at >= SESSION_IDLE
    if ended or now - last_seen_at >= timedelta(minutes=5):
        with uows(write=True, account=None) as uow:
            if ended:
                uow.invitations.delete_link_session(key)
            else:
                uow.invitations.touch_link_session(key, now)
            uow.commit()
    return None if ended else Guest(invitation, account_id)


def _new_session(uow: UnitOfWork, invitation_id: int, now: datetime, replacing: str | None) -> str:
    if replacing:
        uow.invitations.delete_link_session(token_hash(replacing))
    session = secrets.token_urlsafe(32)
    uow.invitations.add_link_session(invitation_id, token_hash(session), now)
    return session


def keep(uow: UnitOfWork, guest: Guest, account_id: int) -> None:
    """The other person keeps the invitation in their own account on this server.

    From then on it reaches the shared page from their account, on any device, until the
    owner withdraws it (the link's own date no longer ends it). The owner cannot keep
    their own repair, and an invitation kept by one account is not kept by another.
    """
    if guest.account_id == account_id:
        raise Conflict("This is your own repair: it is already in your account.", field="account")
    with uow:
        joined = guest.invitation.joined_account_id
        if joined is not None and joined != account_id:
            raise Conflict("This invitation is already kept in another account.", field="account")
        uow.invitations.keep_in(guest.invitation.id, account_id)
        uow.commit()


def kept_by(uow: UnitOfWork, account_id: int) -> Sequence[Invitation]:
    """The repairs shared with an account that it keeps (withdrawn ones included)."""
    with uow:
        return uow.invitations.kept_by(account_id)


def open_kept(
    uow: UnitOfWork,
    account_id: int,
    invitation_id: int,
    *,
    now: datetime,
    replacing: str | None = None,
) -> str:
    """A link session for an invitation ``account_id`` keeps (while not withdrawn)."""
    with uow:
        found = uow.invitations.kept(invitation_id, account_id)
        if found is None or not found[0].reachable(now):
            raise NotFound(
                "Nothing shared with you has this number, or it was withdrawn.",
                field="invitation",
            )
        session = _new_session(uow, invitation_id, now, replacing)
        uow.commit()
    return session


def leave(uow: UnitOfWork, session: str | None) -> None:
    """End a link session (the other person closes it on a shared computer)."""
    if not session:
        return
    with uow:
        uow.invitations.delete_link_session(token_hash(session))
        uow.commit()


def note_text(value: str | None, field: str = "note") -> str:
    """A note the other person adds (optional, plain text)."""
    return clean_text(value, field)
