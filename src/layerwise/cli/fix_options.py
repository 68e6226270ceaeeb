"""The fixing and filtering options `check` and `ci check` share, spelled once so both commands
keep the same words for the same thing."""

from __future__ import annotations

from typing import Annotated

import typer

FixOption = Annotated[bool, typer.Option("--fix", help="Apply safe fixes, write the files.")]
UnsafeFixesOption = Annotated[
    bool, typer.Option("--unsafe-fixes", help="Also apply fixes that may change behaviour.")
]
DiffOption = Annotated[
    bool, typer.Option("--diff", help="Print the fixes as a unified diff; write nothing.")
]
ShowFixesOption = Annotated[bool, typer.Option("--show-fixes", help="List the fixes applied.")]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Skip these rule codes or prefixes (comma list)."),
]
