"""`mend mail …`: e-mail to both sides: deliver what is queued, list it, send a test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

if TYPE_CHECKING:
    from mend.services.mail.smtp import SmtpConfig

mail_app = typer.Typer(
    help="E-mail to both sides of a shared repair: send what is queued, list it, test.",
    no_args_is_help=True,
)

#: What every command says when no mail server is configured.
MAIL_OFF = (
    "E-mail is off: no smtp_host is set, so Mend sends nothing and invitation links are "
    "copied by hand. Set smtp_host and mail_from (see docs/team-server.md) to turn it on."
)


def register(app: typer.Typer) -> None:
    app.add_typer(mail_app, name="mail")


def _config() -> SmtpConfig:
    from mend.errors import Conflict
    from mend.services.mail.smtp import SmtpConfig

    config = SmtpConfig.from_settings(context.get_app().settings)
    if config is None:
        raise Conflict(MAIL_OFF)
    return config


@mail_app.command("send")
def send(json_out: bool = JsonOption) -> None:
    """Queue the reminders of check-ins coming up, then send every mail that is due
    (a server sends them by itself every minute). Example: mend mail send"""
    from mend.services.mail import checkins, delivery

    config = _config()
    app = context.get_app()
    mailing = app.mailing()
    assert mailing is not None
    reminders = checkins.remind(app.uow, mailing, now=app.now(), tz=app.tz)
    done = delivery.deliver(app.uow, config, app.now)
    left = delivery.counts(app.uow).get("pending", 0)
    if json_out:
        context.print_json(
            {
                "reminders_queued": reminders,
                "sent": done.sent,
                "retrying": done.retrying,
                "failed": done.failed,
                "pending": left,
                "last_error": done.last_error,
            }
        )
        return
    if reminders:
        context.ok(f"Queued {reminders} check-in reminder(s).")
    context.ok(f"Sent {done.sent} e-mail(s); {left} waiting.")
    if done.retrying or done.failed:
        context.warn(
            f"Not sent: {done.retrying} will be tried again later, {done.failed} failed "
            f"({done.last_error}). `mend mail list` shows each one."
        )


@mail_app.command("list")
def list_(
    status: str | None = typer.Option(
        None, "--status", help="Only mail that is pending, sent or failed."
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="How many, newest first."),
    json_out: bool = JsonOption,
) -> None:
    """The outbox, newest first: to whom, what, and how delivery went. Example:
    mend mail list --status failed"""
    from mend.errors import InvalidInput
    from mend.services.mail import delivery

    if status is not None and status not in {"pending", "sent", "failed"}:
        raise InvalidInput(f"--status is pending, sent or failed, not {status!r}.", field="status")
    app = context.get_app()
    found = delivery.outbox(app.uow, limit=limit, status=status)
    if json_out:
        keys = ("id", "repair_id", "kind", "to_address", "subject", "status", "attempts")
        context.print_json(
            [
                {
                    **{k: getattr(m, k) for k in keys},
                    "created_at": m.created_at,
                    "sent_at": m.sent_at,
                    "next_attempt_at": m.next_attempt_at,
                    "last_error": m.last_error,
                }
                for m in found
            ]
        )
        return
    if not app.settings.sends_mail:
        context.warn(MAIL_OFF)
    if not found:
        console.print("The outbox is empty.")
        return
    rows = []
    for m in found:
        state = {
            "sent": f"sent {context.local(m.sent_at)}",
            "failed": f"failed: {m.last_error}",
            "pending": f"waiting (next try {context.local(m.next_attempt_at)})"
            + (f": {m.last_error}" if m.last_error else ""),
        }[m.status]
        rows.append([str(m.id), m.to_address, m.subject, state])
    context.print_table(["#", "To", "Subject", "Status"], rows)


@mail_app.command("test")
def test(
    address: str = typer.Argument(..., help="Where to send the test message."),
) -> None:
    """Send one short message now, to check the mail settings. Example:
    mend mail test me@example.org"""
    from mend.errors import Conflict
    from mend.services.mail import delivery
    from mend.services.mail.smtp import MailFailure, check_address

    config = _config()
    to = check_address(address, "address")
    try:
        delivery.send_test(config, to)
    except MailFailure as exc:
        raise Conflict(f"The test message was not sent: {exc}.") from exc
    context.ok(f"Sent a test message to {to} through {config.host}:{config.port}.")


@mail_app.command("retry")
def retry() -> None:
    """Queue the failed mail again (after fixing the settings), to go with the next
    `mend mail send`. Example: mend mail retry"""
    from mend.services.mail import delivery

    app = context.get_app()
    count = delivery.retry_failed(app.uow, now=app.now())
    context.ok(f"{count} failed e-mail(s) queued again.")
