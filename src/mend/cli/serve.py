"""`mend serve` and `mend password`: the web app on this computer."""

from __future__ import annotations

import inspect
import ipaddress
import os
from typing import Any

import typer

from mend.cli import context
from mend.cli.context import console


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("password")(password)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str | None = typer.Option(
        None, "--host", help="Address to listen on (default 127.0.0.1)."
    ),
    port: int | None = typer.Option(None, "--port", help="Port (default 8765)."),
    team: bool = typer.Option(
        False,
        "--team",
        help="Serve as a team server: accounts log in with email and password, and each "
        "sees only its own people and repairs (see `mend team`).",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        help="Worker processes (a team server on PostgreSQL: about one per core).",
    ),
) -> None:
    """Start the web app on this computer and print its address. Example: mend serve"""
    import uvicorn

    from mend.errors import Conflict, InvalidInput
    from mend.web.app import create_app, settle_memory_for_serving

    if not 1 <= workers <= 64:
        raise InvalidInput(f"--workers takes 1 to 64 processes, not {workers}.", field="workers")
    if team:
        context.add_overrides(team=True)
    app = context.get_app()
    host = host or app.settings.host
    port = port or app.settings.port
    if app.settings.team:
        from mend.services.accounts import list_accounts

        if not any(not a.disabled for a in list_accounts(app.uow(write=False))):
            raise Conflict(
                "A team server needs an account to log in with; make the first with "
                "`mend team init --email ...` (it keeps the data already here)."
            )
    elif not is_loopback(host) and not app.settings.password_hash:
        raise Conflict(
            f"Mend listens only on this computer unless a password is set; run `mend password` "
            f"first to serve on {host}, or serve a team with `mend serve --team`."
        )
    if app.settings.sends_mail and not app.settings.public_url:
        context.warn(
            "E-mail is on but public_url is not set: links in mail sent by the server will "
            f"start with {app.settings.base_url}/. Set public_url to the address people open."
        )
    what = "Mend's team server" if app.settings.team else "Mend"
    console.print(f"{what} is running at [bold]http://{host}:{port}/[/bold]  (Ctrl+C to stop)")
    if workers > 1:
        # Each worker process builds its own app from the same settings: the flags given
        # here travel to them as the MEND_* variables they stand for.
        os.environ.update(context.overrides_as_environment())
    extra = {}
    if workers > 1 and "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
        # The supervisor restarts a worker that does not answer its ping in time (5 s by
        # default), dropping every connection it holds; on a small shared machine a
        # burst of logins (argon2) can keep a worker that busy without anything wrong.
        extra["timeout_worker_healthcheck"] = 30
    if workers > 1:
        served: Any = "mend.web.app:from_environment"  # each worker builds and settles its own
    else:
        served = create_app(app)
        settle_memory_for_serving(app)
    uvicorn.run(
        served,
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=app.settings.forwarded_allow_ips,
        **extra,  # type: ignore[arg-type]
    )


def password() -> None:
    """Set the web password (an argon2 hash in your config file); ends every web session."""
    from mend.passwords import hash_password
    from mend.privacy import PRIVATE_DIR, private_dir, write_private
    from mend.services.auth import end_all_sessions
    from mend.settings import config_file_path, default_config_path

    secret = context.ask_new_password()
    path = config_file_path()
    if path.is_symlink():  # a config kept with one's dotfiles: write where the link points
        path = path.resolve()
    private_dir(path.parent)
    if path.parent == default_config_path().parent:
        os.chmod(path.parent, PRIVATE_DIR)
    lines = []
    if path.exists():
        lines = [
            ln
            for ln in path.read_text(encoding="utf-8").splitlines()
            if not ln.startswith("password_hash")
        ]
    lines.append(f'password_hash = "{hash_password(secret)}"')
    write_private(path, "\n".join(lines) + "\n")
    ended = end_all_sessions(context.get_app().uow())
    sessions = f" {ended} web session{'s' if ended != 1 else ''} ended." if ended else ""
    context.ok(f"Password set in {path}.{sessions}")
