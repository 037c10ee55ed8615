"""`mend agreement …`: the working agreement that closes a repair (step 10)."""

from __future__ import annotations

from pathlib import Path

import typer

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import ForceOption, JsonOption

agreement_app = typer.Typer(
    help="The working agreement: communication, who does what, review.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(agreement_app, name="agreement")


@agreement_app.command("set")
def set_(
    repair_id: int = typer.Argument(...),
    channel: str | None = typer.Option(None, "--channel", help="How you will communicate."),
    frequency: str | None = typer.Option(None, "--frequency", help="How often."),
    response_time: str | None = typer.Option(
        None, "--response-time", help="Expected response times."
    ),
    task: list[str] = typer.Option(None, "--task", help="task=owner (me, them, both); repeatable."),
    problems: str | None = typer.Option(None, "--problems", help="How problems will be raised."),
    review_on: str | None = typer.Option(
        None, "--review-on", help="When you will review it together."
    ),
    notes: str | None = typer.Option(None, "--notes"),
) -> None:
    """Save a new version of the agreement (unchanged parts carry over). Example:

    mend agreement set 1 --channel "Slack for quick things, a call for anything tense"
    --task "Release notes=me" --task "QA sign-off=them" --review-on "in 6 weeks"
    """
    from mend.errors import InvalidInput
    from mend.services.ground import set_agreement

    tasks = None
    if task:
        tasks = []
        for item in task:
            if "=" not in item:
                raise InvalidInput(f"Write tasks as task=owner, got {item!r}.", field="tasks")
            name, owner = item.rsplit("=", 1)
            tasks.append((name, owner))
    app = context.get_app()
    version = set_agreement(
        app.uow(),
        repair_id,
        channel=channel,
        frequency=frequency,
        response_time=response_time,
        tasks=tasks,
        raising_problems=problems,
        review_on=context.day(review_on, "review_on"),
        notes=notes,
        now=app.now(),
    )
    context.ok(f"Agreement version {version.version} saved.")


@agreement_app.command("show")
def show(
    repair_id: int = typer.Argument(...),
    out: Path | None = typer.Option(None, "--out", help="Write the printable Markdown to a file."),
    force: bool = ForceOption,
    json_out: bool = JsonOption,
) -> None:
    """Show (or write out) the current agreement in a printable form."""
    from mend.errors import NotFound
    from mend.services.exports import agreement_document

    app = context.get_app()
    if json_out:
        from mend.services.repairs import get_repair

        repair = get_repair(app.uow(write=False), repair_id)
        if repair.agreement is None:
            raise NotFound(f"Repair {repair_id} has no agreement yet.", field="agreement")
        context.print_json(repair.agreement)
        return
    text = agreement_document(app.uow(write=False), repair_id, tz=app.tz)
    if out:
        context.write_output(out, text, force=force)
    else:
        from rich.markdown import Markdown

        console.print(Markdown(text))


@agreement_app.command("sign")
def sign(
    repair_id: int = typer.Argument(...),
    version: int | None = typer.Option(
        None, "--version", help="The version you read (refused if it is no longer current)."
    ),
    name: str = typer.Option("", "--name", help="Your name as it appears on the signature."),
    json_out: bool = JsonOption,
) -> None:
    """Sign the current version of the agreement (signing twice changes nothing).

    Once you and the other person have both signed, that version is locked: a change is
    saved as a new version, which needs both signatures again.
    """
    from mend.services import signing

    app = context.get_app()
    status = signing.sign(
        app.uow(), repair_id, now=app.now(), version=version, name=name, mailing=app.mailing()
    )
    if json_out:
        context.print_json(status.as_dict())
        return
    if status.locked:
        context.ok(f"Version {status.version} is signed by both of you: it is locked.")
    else:
        context.ok(f"You signed version {status.version}; it still needs their signature.")


@agreement_app.command("comment")
def comment(
    repair_id: int = typer.Argument(...),
    text: str = typer.Argument(..., help="Your comment; the other person sees it too."),
    name: str = typer.Option("", "--name", help="Your name as it appears on the comment."),
    json_out: bool = JsonOption,
) -> None:
    """Comment on the current version of the agreement (shared with the other person)."""
    from mend.services import signing

    app = context.get_app()
    status = signing.comment(app.uow(), repair_id, text=text, now=app.now(), name=name)
    if json_out:
        context.print_json(status.as_dict())
        return
    context.ok(f"Comment added to version {status.version}; the other person will see it.")
