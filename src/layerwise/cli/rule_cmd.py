"""`layerwise rule CODE` prints a rule's documentation; `layerwise rule --all` the catalogue."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from layerwise.cli.app import EXIT_OK
from layerwise.errors import LayerwiseError
from layerwise.rules.markdown import rule_markdown
from layerwise.rules.registry import all_rules, get, translated_doc


def catalogue() -> Table:
    table = Table(show_lines=False, box=None, pad_edge=False)
    for column in ("code", "name", "severity", "fix", "summary"):
        table.add_column(column, overflow="fold")
    for r in all_rules():
        fix = "yes" if r.rule.fixable else ""
        table.add_row(r.code, r.rule.name, str(r.rule.severity), fix, r.rule.summary)
    return table


def rule(
    code: Annotated[str | None, typer.Argument(help="A rule code such as LW101.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="List every rule.")] = False,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the documentation: en, ko.")
    ] = "en",
) -> None:
    """Explain a rule: what it finds, why it matters for BuildKit, an example, fix safety."""
    console = Console(highlight=False, soft_wrap=False)
    if show_all or code is None:
        console.print(catalogue())
        raise typer.Exit(EXIT_OK)
    registered = get(code)
    if registered is None:
        raise LayerwiseError(
            f"unknown rule code `{code}`", hint="`layerwise rule --all` lists every rule"
        )
    doc = translated_doc(registered, lang.lower())
    if doc is None:
        raise LayerwiseError(
            f"no `{lang}` documentation for {registered.code}", hint="available: en, ko"
        )
    console.print(Markdown(rule_markdown(registered, doc)))
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add `rule` to the app."""
    app.command(name="rule")(rule)
