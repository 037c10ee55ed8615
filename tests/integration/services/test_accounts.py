"""Accounts of a team server: adding them, logging in, sessions by account, password
change and reset links, disabling, and `mend team init` taking over a local database.

Threats (docs/security.md): another account on the same server, someone guessing a
password, a leaked cookie or reset link.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from tests.conftest import NOW
from tests.teamtools import PASSWORD, add_account

from mend.app import App
from mend.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from mend.services import accounts, auth, people, repairs
from mend.store import tables


@pytest.fixture
def team(app_factory: Any) -> App:
    app: App = app_factory(team=True)
    return app


def log_in(app: App, email: str, password: str = PASSWORD, client: str = "10.0.0.1") -> str:
    _, token = accounts.log_in(
        app.uow, email=email, password=password, client=client, now=app.now()
    )
    return token


def account_of(app: App, token: str) -> str | None:
    found = auth.session_account(app.uow, token, now=app.now())
    return None if found is None else found.email


# --- adding accounts -------------------------------------------------------------------


def test_an_account_is_stored_lower_cased_with_an_argon2_hash(team: App) -> None:
    account = add_account(team, "  Ana.Ruiz@Example.ORG ", name="Ana Ruiz", admin=True)
    assert account.email == "ana.ruiz@example.org"
    assert (account.display_name, account.is_admin, account.disabled) == ("Ana Ruiz", True, False)
    with team.uow(write=False) as uow:
        stored = uow.connection.execute(select(tables.accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert account_of(team, log_in(team, "ANA.RUIZ@example.org")) == "ana.ruiz@example.org"


@pytest.mark.parametrize(
    ("email", "password", "error", "field"),
    [
        ("not-an-address", PASSWORD, InvalidInput, "email"),
        ("two@@example.org", PASSWORD, InvalidInput, "email"),
        ("space in@example.org", PASSWORD, InvalidInput, "email"),
        ("ana@example.org", "short", InvalidInput, "password"),
        ("ANA@example.org", PASSWORD, Conflict, "email"),
    ],
)
def test_bad_accounts_are_refused_with_one_clear_error(
    team: App, email: str, password: str, error: type[Exception], field: str
) -> None:
    add_account(team, "ana@example.org")
    with pytest.raises(error) as raised:
        add_account(team, email, password=password)
    assert raised.value.field == field  # type: ignore[attr-defined]
    assert [a.email for a in accounts.list_accounts(team.uow(write=False))] == ["ana@example.org"]


# --- logging in and sessions -------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(team: App) -> None:
    add_account(team, "ana@example.org")
    with pytest.raises(Unauthorized) as wrong:
        log_in(team, "ana@example.org", "not the password")
    with pytest.raises(Unauthorized) as unknown:
        log_in(team, "nobody@example.org")
    assert wrong.value.message == unknown.value.message
    assert "do not match" in wrong.value.message


def test_each_session_names_its_account(team: App) -> None:
    add_account(team, "ana@example.org")
    add_account(team, "ben@example.org")
    ana, ben = log_in(team, "ana@example.org"), log_in(team, "ben@example.org")
    assert (account_of(team, ana), account_of(team, ben)) == ("ana@example.org", "ben@example.org")
    assert account_of(team, "made-up-token") is None
    with team.uow(write=False) as uow:
        stored = set(uow.connection.execute(select(tables.web_sessions.c.token_hash)).scalars())
    assert ana not in stored and auth.token_hash(ana) in stored, "only the hash is kept"


def test_a_local_session_opens_nothing_on_a_team_server_and_the_other_way_round(
    team: App,
) -> None:
    add_account(team, "ana@example.org")
    local = auth.open_session(team.uow(), client=None, password_hash="$argon2-local", now=NOW)
    assert account_of(team, local) is None
    ana = log_in(team, "ana@example.org")
    assert not auth.session_is_valid(team.uow, ana, password_hash="$argon2-local", now=NOW)


def test_back_off_per_account_stops_guessing_from_many_addresses(team: App) -> None:
    add_account(team, "ana@example.org")
    for n in range(10):  # ten free tries, each from another address
        with pytest.raises(Unauthorized):
            log_in(team, "ana@example.org", "guess", client=f"10.0.1.{n}")
    with pytest.raises(Unauthorized):
        log_in(team, "ana@example.org", "guess", client="10.0.2.1")  # the 11th: 1 s wait
    with pytest.raises(TooManyAttempts, match="for this account") as waiting:
        log_in(team, "ana@example.org", client="10.0.3.1")  # even the right password waits
    assert waiting.value.retry_after == 1
    add_account(team, "ben@example.org")
    assert account_of(team, log_in(team, "ben@example.org", client="10.0.3.1")), (
        "another account is not held up"
    )


def test_back_off_counts_an_address_with_no_account_the_same(team: App) -> None:
    for n in range(11):
        with pytest.raises(Unauthorized):
            log_in(team, "nobody@example.org", "guess", client=f"10.0.1.{n}")
    with pytest.raises(TooManyAttempts, match="for this account"):
        log_in(team, "nobody@example.org", client="10.0.9.9")


def test_a_right_login_forgets_the_accounts_failures(team: App) -> None:
    add_account(team, "ana@example.org")
    for n in range(9):
        with pytest.raises(Unauthorized):
            log_in(team, "ana@example.org", "guess", client=f"10.0.1.{n}")
    log_in(team, "ana@example.org")
    for n in range(10):
        with pytest.raises(Unauthorized):
            log_in(team, "ana@example.org", "guess", client=f"10.0.4.{n}")


# --- disabling ---------------------------------------------------------------------------


def test_disabling_ends_the_sessions_and_refuses_the_login(team: App) -> None:
    add_account(team, "ana@example.org")
    add_account(team, "ben@example.org")
    ana, ben = log_in(team, "ana@example.org"), log_in(team, "ben@example.org")
    account, ended = accounts.set_disabled(team.uow(), "Ana@example.org", disabled=True, now=NOW)
    assert account.disabled and ended == 1
    assert account_of(team, ana) is None
    assert account_of(team, ben) == "ben@example.org", "no one else is logged out"
    with pytest.raises(Unauthorized, match="disabled"):
        log_in(team, "ana@example.org")
    accounts.set_disabled(team.uow(), "ana@example.org", disabled=False, now=NOW)
    assert account_of(team, log_in(team, "ana@example.org")) == "ana@example.org"
    with pytest.raises(NotFound):
        accounts.set_disabled(team.uow(), "nobody@example.org", disabled=True, now=NOW)


# --- changing the password ---------------------------------------------------------------


def test_changing_the_password_ends_the_accounts_other_sessions(team: App) -> None:
    ana = add_account(team, "ana@example.org")
    add_account(team, "ben@example.org")
    laptop, phone = log_in(team, "ana@example.org"), log_in(team, "ana@example.org")
    ben = log_in(team, "ben@example.org")
    token = accounts.change_password(
        team.uow(), ana.id, old=PASSWORD, new="a brand new secret", now=NOW, client="10.0.0.1"
    )
    assert account_of(team, token) == "ana@example.org", "the browser that changed it goes on"
    assert account_of(team, laptop) is None and account_of(team, phone) is None
    assert account_of(team, ben) == "ben@example.org"
    with pytest.raises(Unauthorized):
        log_in(team, "ana@example.org")
    assert account_of(team, log_in(team, "ana@example.org", "a brand new secret"))


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failure(team: App) -> None:
    ana = add_account(team, "ana@example.org")
    session = log_in(team, "ana@example.org")
    with pytest.raises(Unauthorized) as wrong:
        accounts.change_password(
            team.uow(), ana.id, old="guess", new="a brand new secret", now=NOW, client="10.0.0.1"
        )
    assert wrong.value.field == "old_password"
    with pytest.raises(InvalidInput) as short:
        accounts.change_password(
            team.uow(), ana.id, old=PASSWORD, new="short", now=NOW, client="10.0.0.1"
        )
    assert short.value.field == "new_password"
    assert account_of(team, session) == "ana@example.org"
    with team.uow(write=False) as uow:
        assert uow.access.failures(auth.account_key("ana@example.org")) is not None
    assert account_of(team, log_in(team, "ana@example.org"))


# --- resetting it by a one-time link -----------------------------------------------------


def _token(link: accounts.ResetLink) -> str:
    return link.url.rsplit("/", 1)[1]


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(team: App) -> None:
    add_account(team, "ana@example.org")
    session = log_in(team, "ana@example.org")
    link = accounts.make_reset_link(
        team.uow(), "ANA@example.org", now=NOW, base_url="https://mend.example.org/"
    )
    assert link.url.startswith("https://mend.example.org/reset/")
    assert link.expires_at == NOW + timedelta(hours=1)
    with team.uow(write=False) as uow:
        stored = uow.connection.execute(select(tables.password_resets.c.token_hash)).scalar_one()
    assert stored == auth.token_hash(_token(link)), "only the token's hash is stored"
    assert accounts.reset_target(team.uow(), _token(link), now=NOW).email == "ana@example.org"

    accounts.reset_password(team.uow(), _token(link), password="a brand new secret", now=NOW)
    assert account_of(team, session) is None
    assert account_of(team, log_in(team, "ana@example.org", "a brand new secret"))
    with pytest.raises(NotFound, match="used already"):
        accounts.reset_password(team.uow(), _token(link), password="another secret", now=NOW)
    assert account_of(team, log_in(team, "ana@example.org", "a brand new secret"))


def test_expired_wrong_and_replaced_reset_links_are_refused(team: App) -> None:
    add_account(team, "ana@example.org")
    first = accounts.make_reset_link(team.uow(), "ana@example.org", now=NOW, base_url="http://x")
    second = accounts.make_reset_link(team.uow(), "ana@example.org", now=NOW, base_url="http://x")
    with pytest.raises(NotFound, match="used already"):
        accounts.reset_target(team.uow(), _token(first), now=NOW)  # a newer link replaced it
    later = NOW + timedelta(hours=1)
    with pytest.raises(NotFound, match="expired"):
        accounts.reset_password(
            team.uow(), _token(second), password="a brand new secret", now=later
        )
    for wrong in ("", "x" * 43, _token(second)[:-1], "x" * 500):
        with pytest.raises(NotFound, match="not valid"):
            accounts.reset_target(team.uow(), wrong, now=NOW)
    assert account_of(team, log_in(team, "ana@example.org")), "the password is unchanged"


def test_reset_links_for_unknown_or_disabled_accounts_are_refused(team: App) -> None:
    add_account(team, "ana@example.org")
    with pytest.raises(NotFound, match="team user list"):
        accounts.make_reset_link(team.uow(), "nobody@example.org", now=NOW, base_url="http://x")
    link = accounts.make_reset_link(team.uow(), "ana@example.org", now=NOW, base_url="http://x")
    accounts.set_disabled(team.uow(), "ana@example.org", disabled=True, now=NOW)
    with pytest.raises(NotFound):
        accounts.reset_target(team.uow(), _token(link), now=NOW)
    with pytest.raises(Conflict, match="enable"):
        accounts.make_reset_link(team.uow(), "ana@example.org", now=NOW, base_url="http://x")


# --- `mend team init`: a local database becomes the first account's ------------------


def test_team_init_gives_the_first_account_everything_already_there(app: App) -> None:
    person = people.add_person(app.uow(), name="Dana", role="colleague", now=NOW)
    repairs.open_repair(app.uow(), person=str(person.id), title="Late", what_happened="x", now=NOW)
    local = auth.open_session(app.uow(), client=None, password_hash="$argon2-local", now=NOW)
    started = accounts.start_team(
        app.uow(), email="Ana@Example.org", name="Ana", password=PASSWORD, now=NOW
    )
    assert (started.people, started.repairs) == (1, 1)
    assert started.account.is_admin and started.account.email == "ana@example.org"
    with app.uow(write=False, account=started.account.id) as uow:
        assert [p.name for p in uow.people.list()] == ["Dana"]
        assert [r.title for r in uow.repairs.list()] == ["Late"]
    with app.uow(write=False) as uow:  # the local owner has nothing left
        assert uow.people.list() == [] and uow.repairs.list() == []
    assert not auth.session_is_valid(app.uow, local, password_hash="$argon2-local", now=NOW)


def test_team_init_is_refused_once_accounts_exist_and_moves_nothing(app: App) -> None:
    add_account(app, "ben@example.org")
    people.add_person(app.uow(), name="Dana", role="colleague", now=NOW)
    with pytest.raises(Conflict, match="team user add"):
        accounts.start_team(app.uow(), email="ana@example.org", password=PASSWORD, now=NOW)
    with app.uow(write=False) as uow:
        assert [p.name for p in uow.people.list()] == ["Dana"]
    assert [a.email for a in accounts.list_accounts(app.uow(write=False))] == ["ben@example.org"]


def test_team_init_with_a_bad_password_saves_nothing(app: App) -> None:
    people.add_person(app.uow(), name="Dana", role="colleague", now=NOW)
    with pytest.raises(InvalidInput):
        accounts.start_team(app.uow(), email="ana@example.org", password="short", now=NOW)
    assert accounts.list_accounts(app.uow(write=False)) == []
    with app.uow(write=False) as uow:
        assert len(uow.people.list()) == 1


# --- the unit of work's owner --------------------------------------------------------------


def test_new_people_and_repairs_belong_to_the_account_acting(team: App) -> None:
    ana, ben = add_account(team, "ana@example.org"), add_account(team, "ben@example.org")
    as_ana = team.acting_as(ana.id)
    person = people.add_person(as_ana.uow(), name="Dana", role="colleague", now=NOW)
    repair = repairs.open_repair(
        as_ana.uow(), person="Dana", title="Late", what_happened="x", now=NOW
    )
    assert (person.account_id, repair.account_id) == (ana.id, ana.id)
    as_ben = team.acting_as(ben.id)
    with pytest.raises(NotFound, match="No person called 'Dana'"):
        repairs.open_repair(as_ben.uow(), person="Dana", title="Mine", what_happened="x", now=NOW)
    with pytest.raises(NotFound, match=f"No repair with id {repair.id}"):
        repairs.get_repair(as_ben.uow(), repair.id)  # type: ignore[arg-type]
    assert people.list_people(as_ben.uow()) == []
    assert [p.name for p in people.list_people(as_ana.uow())] == ["Dana"]
