"""`mend mail send|list|test|retry` against a real SMTP server, and what every command
says when e-mail is off (both backends)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.e2e.cli_helpers import Mend, flat
from tests.mailtools import SENDER, Inbox, body, free_port


class MailingMend(Mend):
    """The CLI with mail settings in its environment."""

    def __init__(self, database_url: str, settings: dict[str, str]) -> None:
        super().__init__(database_url)
        self.settings = settings

    def env(self) -> dict[str, str]:
        return {**super().env(), **self.settings}


def _repair(mend: Mend) -> str:
    mend.person("Priya")
    return mend.open_repair("Priya", "Late specs")


def test_invitation_by_mail_send_list_and_test(database_url: str, smtp: Inbox) -> None:
    mend = MailingMend(database_url, smtp.environment)
    repair = _repair(mend)
    added = mend(
        "invite", "add", repair, "--title", "The launch", "--name", "Priya", "--email", "p@x.org"
    )
    link = added.out.strip().splitlines()[-2]
    assert "/join/" in link and "It is also e-mailed to p@x.org" in flat(added.out)
    listed = mend("mail", "list")
    assert "p@x.org" in listed.out and "waiting" in listed.out
    assert smtp.messages() == []
    sent = mend("mail", "send")
    assert "Sent 1 e-mail(s); 0 waiting." in flat(sent.out)
    [message] = smtp.to("p@x.org")
    assert link in body(message) and message["From"] == SENDER
    [row] = mend.json("mail", "list")
    assert (row["kind"], row["status"], row["to_address"]) == ("invitation", "sent", "p@x.org")
    assert link not in mend("mail", "list", "--json").out
    assert "Sent 0 e-mail(s)" in flat(mend("mail", "send").out)
    again = mend.json("mail", "send")
    assert (again["sent"], again["pending"], again["failed"]) == (0, 0, 0)
    tested = mend("mail", "test", "me@example.org")
    assert f"Sent a test message to me@example.org through 127.0.0.1:{smtp.port}" in flat(
        tested.out
    )
    assert smtp.to("me@example.org")[0]["Subject"] == "Mend can send e-mail"
    made = mend.json("invite", "add", repair, "--title", "T", "--name", "Q", "--email", "q@x.org")
    assert made["emailed"] is True


def test_a_server_that_is_down_keeps_the_mail_for_later(database_url: str, smtp: Inbox) -> None:
    down = {**smtp.environment, "MEND_SMTP_PORT": str(free_port())}
    mend = MailingMend(database_url, down)
    repair = _repair(mend)
    mend("invite", "add", repair, "--title", "T", "--name", "Priya", "--email", "p@x.org")
    tried = mend("mail", "send")
    assert "Sent 0 e-mail(s); 1 waiting." in flat(tried.out)
    assert "will be tried again later" in flat(tried.err)
    assert "cannot reach the mail server" in flat(mend("mail", "list").out)
    refused = mend.fails("mail", "test", "me@example.org", code=4)
    assert "The test message was not sent: cannot reach the mail server" in refused
    mend.settings = smtp.environment  # the server is back
    mend.advance(hours=1)  # past the back-off
    assert "Sent 1 e-mail(s); 0 waiting." in flat(mend("mail", "send").out)
    assert len(smtp.to("p@x.org")) == 1


def test_without_mail_settings_nothing_is_sent_and_each_command_says_so(mend: Mend) -> None:
    repair = _repair(mend)
    added = mend("invite", "add", repair, "--title", "T", "--name", "P", "--email", "p@x.org")
    assert "E-mail is off (no smtp_host is set)" in flat(added.err)
    made = mend.json("invite", "add", repair, "--title", "T", "--name", "Q", "--email", "q@x.org")
    assert made["emailed"] is False
    for command in (("mail", "send"), ("mail", "test", "me@example.org")):
        said = mend.fails(*command, code=4)
        assert said.startswith("error: E-mail is off: no smtp_host is set, so Mend sends nothing")
    listed = mend("mail", "list")
    assert "The outbox is empty." in listed.out and "E-mail is off" in flat(listed.err)
    assert mend.json("mail", "list") == []


def test_mail_mistakes_are_one_line_each(database_url: str, smtp: Inbox) -> None:
    mend = MailingMend(database_url, smtp.environment)
    assert "does not look like an e-mail address" in mend.fails("mail", "test", "nobody", code=2)
    assert "pending, sent or failed" in mend.fails("mail", "list", "--status", "x", code=2)
    mend.settings = {**smtp.environment, "MEND_MAIL_FROM": ""}
    assert "mail_from" in mend.fails("mail", "send", code=2)
    mend.settings = {**smtp.environment, "MEND_SMTP_SECURITY": "tls-please"}
    assert "starttls, ssl or none" in mend.fails("mail", "list", code=2)
    mend.settings = {**smtp.environment, "MEND_MAIL_INTERVAL": "0"}
    assert "1 to 3600 seconds" in mend.fails("mail", "list", code=2)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_password_in_a_config_file_others_can_read_is_refused(
    database_url: str, smtp: Inbox, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('smtp_password = "hunter2"\n', encoding="utf-8")
    config.chmod(0o644)
    mend = MailingMend(database_url, {**smtp.environment, "MEND_CONFIG": str(config)})
    said = mend.fails("mail", "list", code=2)
    assert "others can read it" in said and "chmod 600" in said and "hunter2" not in said
    config.chmod(0o600)
    assert mend("mail", "list").code == 0
