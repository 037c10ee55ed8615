"""`mend invite add|list|revoke`: the link printed once, its status, withdrawing it; one
clear line and the usual exit code for every mistake (both backends)."""

from __future__ import annotations

from tests.e2e.cli_helpers import Mend, flat

from mend.app import build
from mend.services import invitations, shared
from mend.settings import load_settings


def test_invite_add_list_and_revoke(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    added = mend("invite", "add", repair, "--title", "The launch", "--name", "Priya")
    assert "shown only now" in flat(added.out)
    link = added.out.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:") and "/join/" in link
    token = link.rsplit("/", 1)[1]
    listed = mend.json("invite", "list", repair)
    assert [(i["their_name"], i["status"]) for i in listed] == [("Priya", "waiting")]
    assert token not in mend("invite", "list", repair).out
    # The printed link opens a link session.
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        assert invitations.accept(app.uow(), token, now=mend.now)
    finally:
        app.close()
    assert mend.json("invite", "list", repair)[0]["status"] == "joined"
    made = mend.json("invite", "add", repair, "--title", "T", "--name", "P", "--days", "3")
    assert made["link"].endswith("/join/" + made["link"].rsplit("/", 1)[1])
    done = mend("invite", "revoke", repair, listed[0]["id"])
    assert "withdrawn" in done.out
    assert [i["status"] for i in mend.json("invite", "list", repair)] == ["revoked", "waiting"]


def test_invite_mistakes_are_one_line_each(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    assert "No repair with id 999" in mend.fails("invite", "list", "999", code=3)
    empty = mend.fails("invite", "add", repair, "--title", " ", "--name", "P", code=2)
    assert "cannot be empty" in empty
    days = mend.fails("invite", "add", repair, "--title", "T", "--name", "P", "--days", "0", code=2)
    assert "1 to 90 days" in days
    assert "no invitation 5" in mend.fails("invite", "revoke", repair, "5", code=3)
    made = mend.json("invite", "add", repair, "--title", "T", "--name", "P")
    mend("invite", "revoke", repair, made["id"])
    assert "already withdrawn" in mend.fails("invite", "revoke", repair, made["id"], code=4)


def test_invite_timeline_shows_who_did_what(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    assert "Nothing shared has happened yet." in mend("invite", "timeline", repair).out
    made = mend.json("invite", "add", repair, "--title", "The launch", "--name", "Priya")
    mend("agreement", "set", repair, "--channel", "A call on Mondays")
    mend("agreement", "sign", repair, "--name", "Sam")
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        session = invitations.accept(app.uow(), made["link"].rsplit("/", 1)[1], now=mend.now)
        guest = invitations.guest(app.uow, session, now=mend.now)
        assert guest is not None
        shared.give_view(app.uow(), guest, text="I was left to guess.", now=mend.now)
    finally:
        app.close()
    out = flat(mend("invite", "timeline", repair).out)
    assert "Priya told how it was for them" in out and "I was left to guess." in out
    assert "You signed version 1 of the agreement" in out
    events = mend.json("invite", "timeline", repair)
    assert {(e["actor"], e["what"]) for e in events} >= {
        ("Priya", "told how it was for them"),
        ("You", "wrote version 1 of the agreement"),
        ("You", "signed version 1 of the agreement"),
    }
    assert "No repair with id 999" in mend.fails("invite", "timeline", "999", code=3)


def test_invite_add_shares_what_is_chosen(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    said = mend("invite", "add", repair, "--title", "T", "--name", "P", "--share", "commitments")
    assert "(sharing commitments)" in flat(said.out)
    made = mend.json("invite", "add", repair, "--title", "T", "--name", "P", "--share", "none")
    assert made["shares"] == [] and made["kept_in_account"] is False
    assert "joined_account_id" not in made
    line = mend.fails(
        "invite", "add", repair, "--title", "T", "--name", "P", "--share", "diary", code=2
    )
    assert "'diary' is not something to share" in line
