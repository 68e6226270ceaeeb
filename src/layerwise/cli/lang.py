"""`--lang`, shared by the subcommands that speak to people: English or Korean.

Without the option the language follows the locale (LC_ALL, LC_MESSAGES, LANG, as gettext reads
them), so a Korean terminal gets Korean without flags in every script and CI job.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from layerwise.rules.texts import LANGS, choose_lang

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help=f"Language: {', '.join(LANGS)} (default: the locale's, from LC_ALL, LC_MESSAGES, "
        "LANG; else en).",
    ),
]


def chosen_lang(option: str | None) -> str:
    """The language for this run: `--lang`, else the environment's locale."""
    return choose_lang(option, os.environ)
