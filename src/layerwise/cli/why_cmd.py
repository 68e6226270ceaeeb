"""`layerwise why [DOCKERFILE]`: which steps a change rebuilds, and why, before building.

The change is the work tree against a commit (`--since REF`), files said to have changed
(`--changed FILE`, previous content unknown), build args whose value moved (`--build-arg`, with
`--old-build-arg` for what the previous build passed) and base images with a new digest
(`--base-changed IMAGE`). Exit 0 with a table or JSON; 2 on a user error.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from layerwise.cache import Change, Prediction, predict
from layerwise.cache.git import change_from_files, change_since
from layerwise.cli.app import EXIT_OK
from layerwise.cli.lang import LangOption, chosen_lang
from layerwise.context import BuildContext
from layerwise.errors import LayerwiseError
from layerwise.rules.texts import Phrase

HEADERS = {
    "stage": Phrase("Stage", "스테이지"),
    "line": Phrase("Line", "줄"),
    "instruction": Phrase("Instruction", "명령"),
    "result": Phrase("Cache", "캐시"),
    "cause": Phrase("Cause", "원인"),
}
FIRST_MISS = Phrase(
    "stage {stage}: first miss at line {line}: {cause}",
    "스테이지 {stage}: 처음 놓친 줄 {line}: {cause}",
)
ALL_HIT = Phrase("Every step hits the cache.", "모든 단계가 캐시를 씁니다.")
SUMMARY = Phrase(
    "{missed} of {total} steps rebuild.", "단계 {total}개 중 {missed}개를 다시 빌드합니다."
)
_WIDTH = 60


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, rest = value.partition("=")
        if not sep or not key:
            raise LayerwiseError(f"`{value}` in {option} is not KEY=VALUE")
        out[key] = rest
    return out


def why(
    dockerfile: Annotated[
        Path, typer.Argument(help="The Dockerfile (default: ./Dockerfile).")
    ] = Path("Dockerfile"),
    changed: Annotated[
        list[Path] | None,
        typer.Option("--changed", help="A file that changed (repeatable; content before unknown)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Compare the work tree with this git commit (REF)."),
    ] = None,
    build_arg: Annotated[
        list[str] | None,
        typer.Option("--build-arg", help="K=V passed to the new build (a changed build arg)."),
    ] = None,
    old_build_arg: Annotated[
        list[str] | None,
        typer.Option("--old-build-arg", help="K=V the previous build was given (default: none)."),
    ] = None,
    base_changed: Annotated[
        list[str] | None,
        typer.Option("--base-changed", help="A base image (as in FROM) whose digest moved."),
    ] = None,
    target: Annotated[str | None, typer.Option("--target", help="Stage to build.")] = None,
    context: Annotated[
        Path | None,
        typer.Option("--context", help="Build context directory (default: the Dockerfile's)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="text (a table) or json.")
    ] = OutputFormat.TEXT,
    lang: LangOption = None,
) -> None:
    """Predict which steps a change rebuilds, and the first cause of each miss."""
    if not dockerfile.is_file():
        raise LayerwiseError("Dockerfile not found", path=str(dockerfile))
    root = context if context is not None else dockerfile.parent
    build_context = BuildContext.open(root, dockerfile)
    new_args = _pairs(build_arg, "--build-arg")
    old_args = _pairs(old_build_arg, "--old-build-arg")
    bases = frozenset(base_changed or ())
    base: Change | None = None
    if since is not None:
        base = change_since(since, dockerfile, build_context, build_args=new_args, new_bases=bases)
    if changed or base is None:
        base = change_from_files(
            changed or [],
            dockerfile,
            build_context,
            build_args=new_args,
            new_bases=bases,
            base=base,
        )
    if old_args:
        base = Change(replace(base.old, build_args=old_args), base.new, base.files)
    prediction = predict(base, target, path=str(dockerfile), is_dir=build_context.is_dir)
    chosen = chosen_lang(lang)
    if output_format is OutputFormat.JSON:
        sys.stdout.write(json.dumps(prediction.to_json(chosen), indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        _print_table(prediction, chosen)
    raise typer.Exit(EXIT_OK)


def _print_table(prediction: Prediction, lang: str) -> None:
    # Rich only for the table: JSON output (scripts, CI) skips its import time.
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=False)
    table = Table(show_edge=False, pad_edge=False)
    for key in ("stage", "line", "instruction", "result", "cause"):
        table.add_column(HEADERS[key].template(lang), no_wrap=key in ("line", "result"))
    for verdict in prediction.verdicts:
        first = verdict.instruction.splitlines()[0]
        shown = first if len(first) <= _WIDTH else first[: _WIDTH - 3] + "..."
        result = "[green]HIT[/green]" if verdict.cached else "[bold red]MISS[/bold red]"
        cause = "" if verdict.cause is None else verdict.cause.render(lang)
        table.add_row(
            escape(str(verdict.stage_label)),
            str(verdict.line),
            escape(shown),
            result,
            escape(cause),
        )
    console.print(table)
    misses = prediction.first_misses()
    if not misses:
        console.print(ALL_HIT.template(lang))
        return
    for verdict in misses.values():
        cause = "" if verdict.cause is None else verdict.cause.render(lang)
        text = FIRST_MISS(stage=verdict.stage_label, line=verdict.line, cause=cause).render(lang)
        console.print(escape(text))
    missed = sum(not v.cached for v in prediction.verdicts)
    console.print(SUMMARY(missed=missed, total=len(prediction.verdicts)).render(lang))


def register(app: typer.Typer) -> None:
    """Add `why` to the app."""
    app.command(name="why")(why)
