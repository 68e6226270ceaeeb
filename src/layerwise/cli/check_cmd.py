"""`layerwise check` (not yet registered: its issue adds the command)."""

import typer


def register(app: typer.Typer) -> None:
    """Add the subcommand to `app`."""
