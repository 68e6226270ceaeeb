"""`--config` and `--isolated`, shared by the subcommands that read configuration files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Use this configuration file for every file.")
]
IsolatedOption = Annotated[
    bool, typer.Option("--isolated", help="Read no configuration file (nor hadolint's).")
]
