"""Delivering the outbox: claim what is due, send it, record how it went.

A mail is claimed in a short transaction of its own before it is sent (no other process
takes it meanwhile, and one that dies mid-way leaves it due again after
:data:`CLAIM_LEASE`), sent outside any transaction, then marked sent or given its next
try. A refusal for good (5xx) fails it at once; a server that is down or busy is tried
again after :data:`BACKOFF`, and a mail still not taken after the last step fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mend.services.invitations import UowFactory
from mend.services.mail import smtp
from mend.services.mail.smtp import PermanentFailure, SmtpConfig, TemporaryFailure
from mend.store.outbox import Mail

#: Waits before the next try, after the 1st, 2nd, ... failed attempt.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
#: How long a claimed mail stays with the process that claimed it.
CLAIM_LEASE = timedelta(minutes=10)
#: How many mails one round sends at most.
BATCH = 50
#: Sent and failed mail is remembered (address, subject, when) this long, then forgotten.
KEEP_SENT = timedelta(days=90)

Sender = Callable[[SmtpConfig, Mail], None]


@dataclass(frozen=True)
class Round:
    """What one delivery round did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    #: Why the last mail was not taken, if one was not.
    last_error: str = ""


def _send(config: SmtpConfig, mail: Mail) -> None:
    message = smtp.build_message(
        config, to=mail.to_address, subject=mail.subject, body=mail.body, ics=mail.ics
    )
    smtp.send(config, message)


def deliver(
    uows: UowFactory,
    config: SmtpConfig,
    clock: Callable[[], datetime],
    *,
    batch: int = BATCH,
    sender: Sender = _send,
) -> Round:
    """Send the mail that is due; stops at the first server that cannot be reached."""
    now = clock()
    with uows(write=False, account=None) as uow:
        due = uow.outbox.due_ids(now, limit=batch)
    sent = retrying = failed = 0
    last_error = ""
    for mail_id in due:
        now = clock()
        with uows(write=True, account=None) as uow:
            claimed = uow.outbox.claim(mail_id, now, until=now + CLAIM_LEASE)
            mail = uow.outbox.get(mail_id) if claimed else None
            uow.commit()
        if mail is None:
            continue  # another process has it
        try:
            sender(config, mail)
        except PermanentFailure as exc:
            last_error = str(exc)
            _record(uows, mail, failed=last_error)
            failed += 1
        except TemporaryFailure as exc:
            last_error = str(exc)
            if mail.attempts > len(BACKOFF):
                _record(uows, mail, failed=f"gave up after {mail.attempts} tries: {exc}")
                failed += 1
            else:
                _record(uows, mail, retry=last_error, at=clock() + BACKOFF[mail.attempts - 1])
                retrying += 1
            break  # the server is down or refusing logins: the rest waits too
        except Exception as exc:  # a bug must not leave the mail claimed and unexplained
            last_error = f"could not be sent: {type(exc).__name__}: {exc}"
            _record(uows, mail, failed=last_error)
            failed += 1
        else:
            _record(uows, mail, sent_at=clock())
            sent += 1
    if sent:
        with uows(write=True, account=None) as uow:
            uow.outbox.forget_old(before=clock() - KEEP_SENT)
            uow.commit()
    return Round(sent, retrying, failed, last_error)


def _record(
    uows: UowFactory,
    mail: Mail,
    *,
    sent_at: datetime | None = None,
    retry: str = "",
    at: datetime | None = None,
    failed: str = "",
) -> None:
    with uows(write=True, account=None) as uow:
        if sent_at is not None:
            uow.outbox.mark_sent(mail.id, sent_at)
        elif failed:
            uow.outbox.mark_failed(mail.id, failed)
        else:
            assert at is not None
            uow.outbox.mark_retry(mail.id, retry, at=at)
        uow.commit()


def outbox(uows: UowFactory, *, limit: int = 50, status: str | None = None) -> Sequence[Mail]:
    """The newest mail of the outbox, for `mend mail list`."""
    with uows(write=False, account=None) as uow:
        return uow.outbox.newest(limit=limit, status=status)


def counts(uows: UowFactory) -> dict[str, int]:
    with uows(write=False, account=None) as uow:
        return uow.outbox.counts()


def retry_failed(uows: UowFactory, *, now: datetime) -> int:
    """Queue the failed mail again (after the settings were fixed); how many."""
    with uows(write=True, account=None) as uow:
        count = uow.outbox.retry_failed(now)
        uow.commit()
    return count


def send_test(config: SmtpConfig, to: str) -> None:
    """Send one short message now, past the outbox, to check the settings."""
    message = smtp.build_message(
        config,
        to=to,
        subject="Mend can send e-mail",
        body=(
            "This is a test message from Mend. If you can read it, e-mail works: "
            "invitation links, signature requests and check-in reminders will arrive.\n"
        ),
    )
    smtp.send(config, message)
