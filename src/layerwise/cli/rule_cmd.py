"""`layerwise rule CODE` prints a rule's documentation; `layerwise rule --all` the catalogue, and
`layerwise rule --all --output docs/rules` writes the rules reference (English and Korean)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from layerwise.cli.app import EXIT_OK
from layerwise.cli.lang import LangOption, chosen_lang
from layerwise.docs import fix_label, rule_markdown, write_reference
from layerwise.errors import LayerwiseError
from layerwise.rules.registry import all_rules, get, translated_doc


def catalogue(lang: str = "en") -> Table:
    table = Table(show_lines=False, box=None, pad_edge=False)
    for column in ("code", "name", "severity", "fix", "summary"):
        table.add_column(column, overflow="fold")
    for r in all_rules():
        fix = fix_label(r.rule, lang)
        table.add_row(r.code, r.rule.name, str(r.rule.severity), fix, r.rule.summary_in(lang))
    return table


def rule(
    code: Annotated[str | None, typer.Argument(help="A rule code such as LW101.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="List every rule.")] = False,
    lang: LangOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="With --all: write the rules reference (Markdown, English and Korean) here.",
        ),
    ] = None,
) -> None:
    """Explain a rule: what it finds, why it matters for BuildKit, an example, fix safety."""
    console = Console(highlight=False, soft_wrap=False)
    if output is not None:
        if code is not None:
            raise LayerwiseError("--output writes every rule's page: give --all, not a code")
        written = write_reference(output)
        typer.echo(f"wrote {len(written)} files under {output}")
        raise typer.Exit(EXIT_OK)
    chosen = chosen_lang(lang)
    if show_all or code is None:
        console.print(catalogue(chosen))
        raise typer.Exit(EXIT_OK)
    registered = get(code)
    if registered is None:
        raise LayerwiseError(
            f"unknown rule code `{code}`", hint="`layerwise rule --all` lists every rule"
        )
    if translated_doc(registered, chosen) is None:
        raise LayerwiseError(f"no `{chosen}` documentation for {registered.code}")
    console.print(Markdown(rule_markdown(registered, chosen)))
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add `rule` to the app."""
    app.command(name="rule")(rule)
