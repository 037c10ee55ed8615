"""Options several commands share, declared once for Typer."""

from __future__ import annotations

import typer

JsonOption = typer.Option(False, "--json", help="Print the result as JSON.")

#: ``--force`` for commands that write a file: replace one that is there.
ForceOption = typer.Option(
    False, "--force", help="Replace the file if it exists (even a symbolic link, not its target)."
)
