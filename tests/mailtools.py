"""A real SMTP server for tests (aiosmtpd on a free local port), and reading what it got.

def test_x(smtp: Inbox, app_factory):
    app = app_factory(**smtp.settings)        # Mend sends through this server
    ...
    [message] = smtp.to("priya@example.org")  # parsed email.message.EmailMessage
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from icalendar import Calendar

SENDER = "mend@example.org"


def free_port() -> int:
    """A local port nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class _Collect:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"


class Inbox:
    """What the test SMTP server received."""

    def __init__(self, port: int, handler: _Collect) -> None:
        self.port = port
        self._handler = handler

    @property
    def settings(self) -> dict[str, Any]:
        """The Mend settings that send mail through this server."""
        return {
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_security": "none",
            "mail_from": SENDER,
        }

    @property
    def environment(self) -> dict[str, str]:
        return {"MEND_" + k.upper(): str(v) for k, v in self.settings.items()}

    def messages(self) -> list[EmailMessage]:
        found = []
        for envelope in list(self._handler.envelopes):
            parsed = message_from_bytes(envelope.original_content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found

    def recipients(self) -> list[list[str]]:
        return [list(e.rcpt_tos) for e in self._handler.envelopes]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages() if m["To"] == address]

    def wait_for(self, count: int, *, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self._handler.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages()


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    text: str = part.get_content()
    return text


def calendars(message: EmailMessage) -> list[Calendar]:
    """The iCalendar attachments of ``message``, parsed."""
    return [
        Calendar.from_ical(part.get_content())
        for part in message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    handler = _Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Inbox(port, handler)
    finally:
        controller.stop()
