"""`mend team …` at the command line: the first account, adding, listing, disabling,
reset links; one clear line and the usual exit code for every mistake."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.cli_helpers import Mend

from mend.app import build
from mend.services import accounts, auth
from mend.settings import load_settings

TWICE = "a long secret\na long secret\n"


def _logs_in(mend: Mend, email: str, password: str = "a long secret") -> bool:
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        accounts.log_in(app.uow, email=email, password=password, client="cli-test", now=mend.now)
    except Exception:
        return False
    finally:
        app.close()
    return True


def _owned_by(mend: Mend, email: str) -> dict[str, Any]:
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        account = accounts.find_account(app.uow(), email)
        with app.uow(write=False, account=account.id) as uow:
            return {
                "people": [p.name for p in uow.people.list()],
                "repairs": [r.title for r in uow.repairs.list()],
            }
    finally:
        app.close()


def test_team_init_makes_the_first_account_with_the_data_already_here(mend: Mend) -> None:
    mend.person("Dana")
    mend.open_repair("Dana", "Missed the launch")
    done = mend("team", "init", "--email", "Ana@Example.org", "--name", "Ana Ruiz", stdin=TWICE)
    assert "ana@example.org is the first account, an administrator, with 1 person and 1 repair" in (
        " ".join(done.out.split())
    )
    assert _owned_by(mend, "ana@example.org") == {
        "people": ["Dana"],
        "repairs": ["Missed the launch"],
    }
    assert mend.json("status") == [], "the command line is the local owner, who has nothing now"
    assert _logs_in(mend, "ana@example.org")
    again = mend.fails("team", "init", "--email", "ben@example.org", stdin=TWICE, code=4)
    assert "accounts already" in again
    listed = mend.json("team", "user", "list")
    assert [(a["email"], a["name"], a["admin"], a["disabled"]) for a in listed] == [
        ("ana@example.org", "Ana Ruiz", True, False)
    ]


def test_adding_listing_disabling_and_enabling_accounts(mend: Mend) -> None:
    mend("team", "user", "add", "ben@example.org", "--name", "Ben", stdin=TWICE)
    mend("team", "user", "add", "cleo@example.org", "--admin", stdin=TWICE)
    table = mend("team", "user", "list").out
    assert "ben@example.org" in table and "cleo@example.org" in table and "admin" in table
    assert _logs_in(mend, "ben@example.org")
    done = mend("team", "user", "disable", "BEN@example.org")
    assert "ben@example.org is disabled" in done.out
    assert not _logs_in(mend, "ben@example.org")
    states = {a["email"]: a["disabled"] for a in mend.json("team", "user", "list")}
    assert states == {"ben@example.org": True, "cleo@example.org": False}
    mend("team", "user", "enable", "ben@example.org")
    assert _logs_in(mend, "ben@example.org")


def test_a_reset_link_is_printed_whole_and_works_once(mend: Mend) -> None:
    mend("team", "user", "add", "ben@example.org", stdin=TWICE)
    printed = mend("team", "user", "reset", "ben@example.org").out.strip().splitlines()
    assert "works once" in printed[0]
    link = printed[-1]
    assert link.startswith("http://127.0.0.1:8765/reset/") and len(link.rsplit("/", 1)[1]) == 43
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        token = link.rsplit("/", 1)[1]
        accounts.reset_password(app.uow(), token, password="a new secret!", now=mend.now)
    finally:
        app.close()
    assert _logs_in(mend, "ben@example.org", "a new secret!")


def test_the_reset_link_starts_with_the_public_url(mend: Mend) -> None:
    mend("team", "user", "add", "ben@example.org", stdin=TWICE)
    env = {**mend.env(), "MEND_PUBLIC_URL": "https://mend.example.org/"}
    from tests.e2e.cli_helpers import invoke

    done = invoke(["team", "user", "reset", "ben@example.org"], env)
    assert done.code == 0, done
    assert done.out.strip().splitlines()[-1].startswith("https://mend.example.org/reset/")


def test_mistakes_get_one_line_and_the_usual_exit_code(mend: Mend) -> None:
    mend("team", "user", "add", "ben@example.org", stdin=TWICE)
    assert "not an email address" in mend.fails("team", "user", "add", "ben", stdin=TWICE, code=2)
    assert "already an account" in mend.fails(
        "team", "user", "add", "Ben@example.org", stdin=TWICE, code=4
    )
    # Typed at no terminal, the password prompt warns that it may echo: the error is last.
    short = mend.run("team", "user", "add", "cleo@example.org", stdin="short\nshort\n")
    assert short.code == 2 and short.err.strip().splitlines()[-1].endswith("at least 8 characters.")
    for command in ("disable", "enable", "reset"):
        line = mend.fails("team", "user", command, "nobody@example.org", code=3)
        assert "No account for nobody@example.org" in line
    assert [a["email"] for a in mend.json("team", "user", "list")] == ["ben@example.org"]


def test_disabling_ends_the_accounts_web_sessions(mend: Mend) -> None:
    mend("team", "user", "add", "ben@example.org", stdin=TWICE)
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        _, token = accounts.log_in(
            app.uow, email="ben@example.org", password="a long secret", client=None, now=mend.now
        )
        assert "1 web session ended" in mend("team", "user", "disable", "ben@example.org").out
        assert auth.session_account(app.uow, token, now=mend.now) is None
    finally:
        app.close()
    assert json.loads(mend("team", "user", "list", "--json").out)[0]["disabled"] is True
