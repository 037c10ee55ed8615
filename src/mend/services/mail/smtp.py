"""Talking to the mail server: its settings, a message built safely, and sending it."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from mend.errors import InvalidInput
from mend.settings import Settings

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT_SECONDS = 20


class MailFailure(Exception):
    """The mail server did not take a message."""


class TemporaryFailure(MailFailure):
    """The server could not take the mail now (down, busy, 4xx): try again later."""


class PermanentFailure(MailFailure):
    """The server refused this mail for good (5xx, a bad address): do not retry."""


def one_line_header(value: str, what: str) -> str:
    """A header value without line breaks: a CR or LF would start a header of its own."""
    if "\r" in value or "\n" in value or "\x00" in value:
        raise InvalidInput(f"The {what} of an e-mail cannot hold a line break.", field=what)
    return value


def check_address(address: str, what: str = "address") -> str:
    address = one_line_header(address.strip(), what)
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or " " in address or "," in address:
        raise InvalidInput(f"{address!r} does not look like an e-mail address.", field=what)
    return address


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    user: str
    sender: str
    password: str = field(default="", repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The mail server to use; None when none is configured (then nothing is sent)."""
        if not settings.sends_mail:
            return None
        if not settings.mail_from:
            raise InvalidInput(
                "smtp_host is set but mail_from is not: say which address Mend's e-mail "
                "comes from (MEND_MAIL_FROM).",
                field="mail_from",
            )
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port or DEFAULT_PORTS[settings.smtp_security],
            security=settings.smtp_security,
            user=settings.smtp_user,
            sender=check_address(settings.mail_from, "mail_from"),
            password=settings.smtp_password,
        )


def build_message(
    config: SmtpConfig, *, to: str, subject: str, body: str, ics: str = ""
) -> EmailMessage:
    """A plain-text message, with an iCalendar invitation attached when ``ics`` is given."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = check_address(to, "to")
    message["Subject"] = one_line_header(subject, "subject")
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    if ics:
        method = "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST"
        message.add_attachment(
            ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="check-in.ics",
            params={"method": method, "charset": "utf-8"},
        )
    return message


def send(config: SmtpConfig, message: EmailMessage) -> None:
    """Hand ``message`` to the mail server; :class:`TemporaryFailure` or
    :class:`PermanentFailure` when it does not take it."""
    try:
        with _connect(config) as client:
            if config.user:
                client.login(config.user, config.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentFailure(f"the address was refused ({codes[0]})") from exc
        raise TemporaryFailure(f"the address was not taken now ({codes[0]})") from exc
    except smtplib.SMTPAuthenticationError as exc:
        # The settings are wrong, not this mail: keep it for when they are fixed.
        raise TemporaryFailure(f"the mail server refused the login ({exc.smtp_code})") from exc
    except smtplib.SMTPResponseException as exc:
        text = f"the mail server answered {exc.smtp_code}"
        raise (PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure)(text) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"cannot reach the mail server: {exc}") from exc


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    if config.security == "ssl":
        return smtplib.SMTP_SSL(
            config.host, config.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    client = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
    if config.security == "starttls":
        try:
            client.starttls(context=ssl.create_default_context())
        except BaseException:
            client.close()
            raise
    return client
