"""Generate the CLI reference (docs/cli.md) from the commands themselves."""

from __future__ import annotations

import re
from typing import Any

import typer


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    for name in sorted(getattr(command, "commands", {})):
        found.extend(_walk(command.commands[name], [*path, name]))
    return found


def cli_reference(app: typer.Typer) -> str:
    """Markdown with every command's usage, help text and options."""
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands by `python -m mend.cli.reference > docs/cli.md`; a test "
        "fails when this file is stale.",
        "",
    ]
    for path, command in _walk(root, ["mend"]):
        if command.hidden:
            continue
        with command.context_class(command, info_name=" ".join(path)) as ctx:
            usage = " ".join(command.collect_usage_pieces(ctx))
        lines += [f"## `{' '.join(path)}`", "", f"    {' '.join(path)} {usage}".rstrip(), ""]
        if command.help:
            lines += [_unstyle(command.help).strip(), ""]
        options = []
        for param in command.params:
            if param.param_type_name == "option" and not getattr(param, "hidden", False):
                names = ", ".join(f"`{o}`" for o in param.opts + param.secondary_opts)
                options.append(f"- {names}: {param.help or ''}".rstrip())
        if options:
            lines += [*options, ""]
    return "\n".join(lines).rstrip() + "\n"


def _unstyle(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


if __name__ == "__main__":
    from mend.cli.main import app

    print(cli_reference(app), end="")
