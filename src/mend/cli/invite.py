"""`mend invite …`: invite the other person into one repair by a link."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

if TYPE_CHECKING:
    from mend.store.invitations import Invitation

invite_app = typer.Typer(
    help="Invite the other person into one repair by a link: add, list, revoke.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(invite_app, name="invite")


def _as_dict(invitation: Invitation, now: datetime) -> dict[str, object]:
    from dataclasses import asdict

    data: dict[str, object] = asdict(invitation)
    data["status"] = invitation.status(now)
    data["shares"] = invitation.shared_parts
    # Which account keeps it is the server's bookkeeping: say only whether one does.
    data["kept_in_account"] = data.pop("joined_account_id") is not None
    return data


@invite_app.command("add")
def add(
    repair_id: int = typer.Argument(..., help="The repair to share."),
    title: str = typer.Option(
        ..., "--title", help="The title as they will read it (yours stays private)."
    ),
    name: str = typer.Option(..., "--name", help="Their name."),
    email: str = typer.Option("", "--email", help="Their email address (optional)."),
    days: int | None = typer.Option(
        None, "--days", help="How many days the link works (default 14, at most 90)."
    ),
    share: list[str] | None = typer.Option(
        None,
        "--share",
        help="A part they will see: messages, commitments, check_ins, common_ground, "
        "agreement (repeat it; default all of them; 'none' for the title only).",
    ),
    json_out: bool = JsonOption,
) -> None:
    """Make an invitation link and print it once (only its hash is kept). Example:
    mend invite add 1 --title "The launch deadline" --name Priya --share commitments"""
    from mend.services.invitations import create

    app = context.get_app()
    made = create(
        app.uow(),
        repair_id,
        shared_title=title,
        their_name=name,
        email=email,
        now=app.now(),
        valid_days=days,
        shares=None if not share else [p for p in share if p.strip().lower() != "none"],
        mailing=app.mailing(),
    )
    link = made.link(app.settings.base_url)
    if json_out:
        emailed = bool(made.invitation.email and app.settings.sends_mail)
        context.print_json(
            {**_as_dict(made.invitation, app.now()), "link": link, "emailed": emailed}
        )
        return
    parts = ", ".join(made.invitation.shared_parts) or "the title only"
    context.ok(
        f"Invitation {made.invitation.id} for {made.invitation.their_name} (sharing {parts}); "
        f"the link works until {context.local(made.invitation.expires_at)}. "
        "It is shown only now:"
    )
    console.print(link, soft_wrap=True, markup=False, highlight=False)
    if made.invitation.email and app.settings.sends_mail:
        context.ok(f"It is also e-mailed to {made.invitation.email} (`mend mail list`).")
    elif made.invitation.email:
        context.warn(
            "E-mail is off (no smtp_host is set): nothing is mailed, so send them this "
            "link yourself."
        )


@invite_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """The invitations into a repair, with their status. Example: mend invite list 1"""
    from mend.services.invitations import list_for

    app = context.get_app()
    found = list_for(app.uow(write=False), repair_id)
    now = app.now()
    if json_out:
        context.print_json([_as_dict(i, now) for i in found])
        return
    if not found:
        console.print("No invitations yet. `mend invite add` makes one.")
        return
    table = Table("id", "for", "shared title", "status", "until")
    for i in found:
        table.add_row(
            str(i.id), i.their_name, i.shared_title, i.status(now), context.local(i.expires_at)
        )
    console.print(table)


@invite_app.command("revoke")
def revoke(
    repair_id: int = typer.Argument(...),
    invitation_id: int = typer.Argument(..., help="The invitation (see `mend invite list`)."),
) -> None:
    """Withdraw an invitation: its link stops working and whoever opened it is shown
    out. Example: mend invite revoke 1 2"""
    from mend.services.invitations import revoke as withdraw

    app = context.get_app()
    done = withdraw(app.uow(), repair_id, invitation_id, now=app.now())
    context.ok(f"Invitation {done.id} for {done.their_name} is withdrawn; the link is closed.")


@invite_app.command("timeline")
def timeline(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Who did what on the shared part of a repair (you and the person you invited),
    newest first. Example: mend invite timeline 1"""
    from mend.services import shared

    app = context.get_app()
    view = shared.preview(app.uow(write=False), repair_id)
    events = shared.timeline(view)
    if json_out:
        context.print_json([e.as_dict(view, "owner") for e in events])
        return
    if not events:
        console.print("Nothing shared has happened yet.")
        return
    for e in events:
        line = Text(f"{context.local(e.at)}  ", style="dim")
        line.append(f"{e.actor(view, 'owner')} {e.what}")
        console.print(line)
        if e.detail:
            console.print(Text(f"    “{e.detail}”"))
