"""`mend team …`: the accounts of a team server (`mend serve --team`)."""

from __future__ import annotations

import typer
from rich.markup import escape

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption
from mend.words import plural

team_app = typer.Typer(
    help="Accounts of a team server: the first one, adding, listing, disabling, resets.",
    no_args_is_help=True,
)
user_app = typer.Typer(
    help="The accounts: add, list, disable, enable, reset.", no_args_is_help=True
)
team_app.add_typer(user_app, name="user")


def register(app: typer.Typer) -> None:
    app.add_typer(team_app, name="team")


@team_app.command("init")
def init(
    email: str = typer.Option(..., "--email", help="The first account's email address."),
    name: str = typer.Option("", "--name", help="How to call them, e.g. Ana Ruiz."),
) -> None:
    """Make this database a team server's: its first account (an administrator) gets every
    person and repair already here, in one step. Asks for the password twice. Example:
    mend team init --email ana@example.org --name "Ana Ruiz\""""
    from mend.services.accounts import check_new_account, start_team

    app = context.get_app()
    check_new_account(app.uow(write=False), email, first=True)  # before asking the password
    started = start_team(
        app.uow(), email=email, name=name, password=context.ask_new_password(), now=app.now()
    )
    context.ok(
        f"{started.account.email} is the first account, an administrator, with "
        f"{plural(started.people, 'person', 'people')} and {plural(started.repairs, 'repair')}. "
        "Serve it with `mend serve --team`."
    )


@user_app.command("add")
def add(
    email: str = typer.Argument(..., help="Their email address (how they log in)."),
    name: str = typer.Option("", "--name", help="How to call them, e.g. Ben Okafor."),
    admin: bool = typer.Option(False, "--admin", help="Make them an administrator."),
) -> None:
    """Add an account that can log in at once; asks for its password twice. Example:
    mend team user add ben@example.org --name "Ben Okafor\""""
    from mend.services.accounts import add_account, check_new_account

    app = context.get_app()
    check_new_account(app.uow(write=False), email)  # before asking the password
    account = add_account(
        app.uow(),
        email=email,
        name=name,
        admin=admin,
        password=context.ask_new_password(),
        now=app.now(),
    )
    role = "an administrator" if account.is_admin else "an account"
    context.ok(f"Added {account.email} as {role}; they can log in now.")


@user_app.command("list")
def list_(json_out: bool = JsonOption) -> None:
    """List every account: email, name, administrator or not, enabled or disabled."""
    from mend.services.accounts import list_accounts

    found = list_accounts(context.get_app().uow(write=False))
    if json_out:
        context.print_json(
            [
                {
                    "email": a.email,
                    "name": a.display_name,
                    "admin": a.is_admin,
                    "disabled": a.disabled,
                    "created_at": a.created_at,
                }
                for a in found
            ]
        )
        return
    if not found:
        console.print("No accounts yet. Make the first with `mend team init --email ...`.")
        return
    rows = [
        [
            escape(a.email),
            escape(a.display_name),
            "admin" if a.is_admin else "",
            "disabled" if a.disabled else "enabled",
            context.local(a.created_at, with_time=False),
        ]
        for a in found
    ]
    context.print_table(["email", "name", "role", "state", "since"], rows)


@user_app.command("disable")
def disable(email: str = typer.Argument(..., help="The account's email address.")) -> None:
    """Disable an account: it can no longer log in, and its sessions end now. Its data
    stays. Example: mend team user disable ben@example.org"""
    from mend.services.accounts import set_disabled

    app = context.get_app()
    account, ended = set_disabled(app.uow(), email, disabled=True, now=app.now())
    sessions = f" {plural(ended, 'web session')} ended." if ended else ""
    context.ok(f"{account.email} is disabled and can no longer log in.{sessions}")


@user_app.command("enable")
def enable(email: str = typer.Argument(..., help="The account's email address.")) -> None:
    """Let a disabled account log in again. Example: mend team user enable ben@example.org"""
    from mend.services.accounts import set_disabled

    app = context.get_app()
    account, _ = set_disabled(app.uow(), email, disabled=False, now=app.now())
    context.ok(f"{account.email} can log in again.")


@user_app.command("reset")
def reset(email: str = typer.Argument(..., help="The account's email address.")) -> None:
    """Print a one-time link that lets the account's owner set a new password (it works
    for an hour; using it logs them out everywhere). Example:
    mend team user reset ben@example.org"""
    from mend.services.accounts import make_reset_link

    app = context.get_app()
    link = make_reset_link(app.uow(), email, now=app.now(), base_url=app.settings.base_url)
    context.ok(
        f"Give {link.email} this link; it works once, until {context.local(link.expires_at)}:"
    )
    # On a line of its own and unwrapped, so it can be copied whole.
    console.print(link.url, soft_wrap=True, markup=False, highlight=False)
