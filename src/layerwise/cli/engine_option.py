"""`--target-engine`: what the fixes may write, checked against `rules.base.TARGET_ENGINES`.

A plain string option validated here rather than a Click choice, so a typo is the usual one-line
user error (exit 2) with a "did you mean", like the same key in a configuration file.
"""

from __future__ import annotations

from typing import Annotated

import typer

from layerwise.config.options import did_you_mean
from layerwise.errors import LayerwiseError
from layerwise.rules.base import DEFAULT_TARGET_ENGINE, TARGET_ENGINES

TargetEngineOption = Annotated[
    str | None,
    typer.Option(
        "--target-engine",
        help=f"What fixes may write: {', '.join(TARGET_ENGINES)} (default: the configuration's, "
        f"else {DEFAULT_TARGET_ENGINE}).",
    ),
]


def chosen_engine(option: str | None) -> str | None:
    """`--target-engine` as given (None when absent); an unknown engine is a user error."""
    if option is None or option in TARGET_ENGINES:
        return option
    raise LayerwiseError(
        f"unknown target engine `{option}` for --target-engine",
        hint=did_you_mean(option, TARGET_ENGINES) or f"available: {', '.join(TARGET_ENGINES)}",
    )
