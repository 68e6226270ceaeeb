"""`layerwise parse FILE [--json]`: show how layerwise (and BuildKit) reads a Dockerfile."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from layerwise.cli.app import EXIT_OK
from layerwise.syntax import Dockerfile, Instruction, parse_file


def instruction_json(ins: Instruction) -> dict[str, Any]:
    """One instruction in the shape of the official parser's output."""
    return {
        "keyword": ins.name,
        "start_line": ins.start_line,
        "end_line": ins.end_line,
        "flags": [f.text for f in ins.flags],
        "json": ins.is_json,
        "sub_keyword": ins.sub.name if ins.sub is not None else None,
        "value": list(ins.value),
        "heredocs": [{"name": h.name, "content": h.content} for h in ins.heredocs],
    }


def _build_model() -> Callable[[Dockerfile], Any] | None:
    model = importlib.import_module("layerwise.model")
    build: Callable[[Dockerfile], Any] | None = getattr(model, "build_model", None)
    return build


def stages_json(tree: Dockerfile) -> list[dict[str, Any]] | None:
    """The stages from `layerwise.model.build_model`, or None while the model is unavailable."""
    build = _build_model()
    if build is None:
        return None
    return [
        {
            "index": s.index,
            "name": s.name,
            "base": s.base,
            "platform": s.platform,
            "depends_on": list(s.depends_on),
        }
        for s in build(tree).stages
    ]


def document_json(tree: Dockerfile) -> dict[str, Any]:
    out: dict[str, Any] = {"instructions": [instruction_json(i) for i in tree.instructions]}
    stages = stages_json(tree)
    if stages is not None:
        out["stages"] = stages
    return out


def _summary(tree: Dockerfile, console: Console) -> None:
    for d in tree.directives:
        console.print(f"[dim]directive[/dim] {d.name}={escape(d.value)}")
    for ins in tree.instructions:
        lines = (
            f"{ins.start_line}"
            if ins.start_line == ins.end_line
            else f"{ins.start_line}-{ins.end_line}"
        )
        flags = " ".join(escape(f.text) for f in ins.flags)
        shown = (
            json.dumps(list(ins.value), ensure_ascii=False) if ins.is_json else " ".join(ins.value)
        )
        value = escape(shown if len(shown) <= 80 else shown[:77] + "...")
        names = ", ".join(h.name for h in ins.heredocs)
        heredocs = f" [magenta](heredocs: {escape(names)})[/magenta]" if names else ""
        text = " ".join(p for p in (flags, value) if p)
        console.print(f"[cyan]{lines:>7}[/cyan]  [bold]{ins.name}[/bold] {text}{heredocs}")


def parse(
    file: Annotated[Path, typer.Argument(help="The Dockerfile to read.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print instructions and stages as JSON.")
    ] = False,
) -> None:
    """Parse a Dockerfile and print its instructions (and stages) as layerwise reads them."""
    tree = parse_file(file)
    if as_json:
        typer.echo(json.dumps(document_json(tree), indent=2, ensure_ascii=False))
    else:
        _summary(tree, Console(highlight=False, soft_wrap=True))
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add the subcommand to `app`."""
    app.command("parse")(parse)
