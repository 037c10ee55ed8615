"""Comments on the working agreement, and signing it: the owner and the other person.

Either side comments on the current version (the other person's comment is how they
propose a change, in their own words) and signs it. Comments are made on the agreement,
so both sides always see all of them: nothing said here is private to the owner.

A version signed by the owner and by the other person is locked. Versions are never
edited in place: a change to the agreement is saved as a new version
(:func:`mend.services.ground.set_agreement`), which starts unsigned and needs both
signatures again. Only the current version can be signed or commented on; signing it
twice changes nothing. Each action is one transaction, scoped to the repair's account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from mend.domain.validation import clean_text, one_line
from mend.errors import Conflict, NotFound
from mend.services.invitations import Guest
from mend.services.mail import notices
from mend.services.mail.notices import Mailing
from mend.store.signing import AgreementComment, Signature
from mend.store.uow import UnitOfWork

#: How the owner is named on a comment or signature when no name is given.
OWNER_NAME = "The owner"


class Signed:
    """Who has signed a version (its ``signatures``), and the lock rule: signed by both
    sides, a version no longer changes. One place for it, in every view of a version."""

    signatures: Sequence[Signature]

    @property
    def owner_signed(self) -> bool:
        return any(s.by_owner for s in self.signatures)

    @property
    def they_signed(self) -> bool:
        return any(not s.by_owner for s in self.signatures)

    @property
    def locked(self) -> bool:
        return self.owner_signed and self.they_signed


@dataclass(frozen=True)
class AgreementSigning(Signed):
    """Where the current agreement version stands: comments, signatures, lock."""

    agreement_id: int
    version: int
    #: Every comment on any version, oldest first (each knows its version's id).
    comments: Sequence[AgreementComment]
    #: Signatures of the current version.
    signatures: Sequence[Signature]

    def signed_by(self, invitation_id: int | None) -> bool:
        return any(s.invitation_id == invitation_id for s in self.signatures)

    def as_dict(self) -> dict[str, object]:
        """Plain values (for JSON: the API and ``--json``); "by" is "owner" or "them"."""

        def by(item: AgreementComment | Signature) -> str:
            return "owner" if item.by_owner else "them"

        return {
            "agreement_id": self.agreement_id,
            "version": self.version,
            "owner_signed": self.owner_signed,
            "they_signed": self.they_signed,
            "locked": self.locked,
            "signatures": [
                {"by": by(s), "name": s.name, "signed_at": s.signed_at} for s in self.signatures
            ],
            "comments": [
                {
                    "id": c.id,
                    "agreement_id": c.agreement_id,
                    "by": by(c),
                    "author": c.author,
                    "text": c.text,
                    "created_at": c.created_at,
                }
                for c in self.comments
            ],
        }


def _current(uow: UnitOfWork, repair_id: int) -> tuple[int, int]:
    repair = uow.repairs.get(repair_id)
    agreement = repair.agreement
    if agreement is None or agreement.id is None:
        raise NotFound("There is no agreement to comment on or sign yet.", field="agreement")
    return agreement.id, agreement.version


def _status(uow: UnitOfWork, repair_id: int) -> AgreementSigning:
    agreement_id, version = _current(uow, repair_id)
    return AgreementSigning(
        agreement_id=agreement_id,
        version=version,
        comments=uow.signing.comments(repair_id),
        signatures=[s for s in uow.signing.signatures(repair_id) if s.agreement_id == agreement_id],
    )


def _check_version(current: int, version: int | None) -> None:
    if version is not None and version != current:
        raise Conflict(
            f"Version {version} is not the current agreement (version {current} is): "
            "read the current version before you sign it.",
            field="version",
        )


def status(uow: UnitOfWork, repair_id: int) -> AgreementSigning | None:
    """The owner's view of the current version; None when there is no agreement yet."""
    with uow:
        uow.repairs.require(repair_id)
        if uow.repairs.get(repair_id).agreement is None:
            return None
        return _status(uow, repair_id)


def _agreement_shared(guest: Guest) -> None:
    """The other person reaches the agreement only where the owner shares it."""
    if not guest.invitation.shared("agreement"):
        raise NotFound("There is no agreement to comment on or sign yet.", field="agreement")


def status_for(uow: UnitOfWork, guest: Guest) -> AgreementSigning | None:
    """The same, for the other person on their page (None where it is not shared)."""
    return status(uow, guest.repair_id) if guest.invitation.shared("agreement") else None


def account_name(uow: UnitOfWork) -> str:
    """The acting account's display name on a team server ("" in local mode or unset)."""
    owner = uow.owner.account_id
    account = uow.accounts.get(owner) if owner is not None else None
    return account.display_name if account else ""


def _comment(
    uow: UnitOfWork,
    repair_id: int,
    invitation_id: int | None,
    *,
    author: str,
    text: str,
    now: datetime,
    mailing: Mailing | None = None,
) -> AgreementSigning:
    words = clean_text(text, "text", required=True)
    with uow:
        author = author or account_name(uow) or OWNER_NAME
        agreement_id, _ = _current(uow, repair_id)
        uow.signing.add_comment(agreement_id, invitation_id, author=author, text=words, now=now)
        if mailing is not None and invitation_id is not None:
            notices.they_commented_mail(uow, mailing, repair_id, name=author, text=words, now=now)
        uow.commit()
        return _status(uow, repair_id)


def comment(
    uow: UnitOfWork, repair_id: int, *, text: str, now: datetime, name: str = ""
) -> AgreementSigning:
    """The owner comments on the current version (named as their account, if unnamed)."""
    author = one_line(name, "name")
    return _comment(uow, repair_id, None, author=author, text=text, now=now)


def their_comment(
    uow: UnitOfWork, guest: Guest, *, text: str, now: datetime, mailing: Mailing | None = None
) -> AgreementSigning:
    """The other person comments on the current version, or proposes a change to it
    (with ``mailing``, the owner is told by mail)."""
    _agreement_shared(guest)
    return _comment(
        uow,
        guest.repair_id,
        guest.invitation.id,
        author=guest.name,
        text=text,
        now=now,
        mailing=mailing,
    )


def _sign(
    uow: UnitOfWork,
    repair_id: int,
    invitation_id: int | None,
    *,
    name: str,
    version: int | None,
    now: datetime,
    mailing: Mailing | None = None,
) -> AgreementSigning:
    with uow:
        name = name or account_name(uow) or OWNER_NAME
        agreement_id, current = _current(uow, repair_id)
        _check_version(current, version)
        before = _status(uow, repair_id)
        if not before.signed_by(invitation_id):  # twice: nothing changes
            uow.signing.add_signature(agreement_id, invitation_id, name=name, now=now)
            if mailing is not None:
                _mail_signature(uow, mailing, repair_id, before, invitation_id, name, now)
            uow.commit()
        return _status(uow, repair_id)


def _mail_signature(
    uow: UnitOfWork,
    mailing: Mailing,
    repair_id: int,
    before: AgreementSigning,
    invitation_id: int | None,
    name: str,
    now: datetime,
) -> None:
    """The owner signed: ask those who have not to sign too. They signed: tell the owner."""
    if invitation_id is not None:
        notices.they_signed_mail(
            uow, mailing, repair_id, name=name, version=before.version, now=now
        )
        return
    signed = {s.invitation_id for s in before.signatures}
    asked = {i.id for i in uow.invitations.list(repair_id) if i.shared("agreement")}
    unsigned = asked - signed
    notices.sign_request_mail(
        uow, mailing, repair_id, version=before.version, signer=name, unsigned=unsigned, now=now
    )


def sign(
    uow: UnitOfWork,
    repair_id: int,
    *,
    now: datetime,
    version: int | None = None,
    name: str = "",
    mailing: Mailing | None = None,
) -> AgreementSigning:
    """The owner signs the current version (``version``, when given, must be it); with
    ``mailing``, the other person is asked by mail to read and sign it too."""
    author = one_line(name, "name")
    return _sign(uow, repair_id, None, name=author, version=version, now=now, mailing=mailing)


def their_sign(
    uow: UnitOfWork,
    guest: Guest,
    *,
    now: datetime,
    version: int | None = None,
    mailing: Mailing | None = None,
) -> AgreementSigning:
    """The other person signs the current version (``version``, when given, must be it);
    with ``mailing``, the owner is told by mail."""
    _agreement_shared(guest)
    return _sign(
        uow,
        guest.repair_id,
        guest.invitation.id,
        name=guest.name,
        version=version,
        now=now,
        mailing=mailing,
    )
