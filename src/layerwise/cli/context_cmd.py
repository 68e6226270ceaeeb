"""`layerwise context [DIR]`: what the build context sends to the builder, what .dockerignore
leaves out, and which COPY/ADD instructions take what.

Exit codes: 0 shown, 2 a user error (no such directory, a Dockerfile that does not parse).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from layerwise.cli.app import EXIT_OK
from layerwise.context.build_context import BuildContext
from layerwise.context.inventory import ROOT_FILES, Inventory, Selector, take_inventory
from layerwise.errors import LayerwiseError
from layerwise.syntax import DockerfileSyntaxError


class ContextFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def context(
    directory: Annotated[
        Path, typer.Argument(help="The build context directory (default: the current one).")
    ] = Path(),
    dockerfile: Annotated[
        Path | None,
        typer.Option(
            "--dockerfile",
            "-f",
            help="The Dockerfile whose COPY/ADD to follow (default: DIR/Dockerfile if present).",
        ),
    ] = None,
    largest: Annotated[
        int, typer.Option("--largest", min=0, help="How many of the largest files to list.")
    ] = 10,
    output_format: Annotated[
        ContextFormat, typer.Option("--output-format", help="text (tables) or json.")
    ] = ContextFormat.TEXT,
) -> None:
    """Show what the build context sends, what .dockerignore leaves out, and what each COPY
    takes."""
    if not directory.is_dir():
        raise LayerwiseError("build context is not a directory", path=str(directory))
    if dockerfile is None and (directory / "Dockerfile").is_file():
        dockerfile = directory / "Dockerfile"
    ctx = BuildContext.open(directory, dockerfile)
    copies = _copies(dockerfile) if dockerfile is not None else []
    selectors = [sel for _, _, sels in copies for sel in sels]
    inventory = take_inventory(ctx, selectors, largest=largest)
    data = as_data(ctx, dockerfile, copies, inventory)
    if output_format is ContextFormat.JSON:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        _print_tables(data)
    raise typer.Exit(EXIT_OK)


def _copies(dockerfile: Path) -> list[tuple[int, str, list[Selector]]]:
    """(line, first line of the instruction, its sources) of each COPY/ADD from the context."""
    from layerwise.model import build_model
    from layerwise.rules._context_files import sources_of
    from layerwise.syntax import parse
    from layerwise.syntax.files import read_text

    text = read_text(dockerfile)
    try:
        tree = parse(text, path=str(dockerfile))
    except DockerfileSyntaxError as exc:
        raise LayerwiseError(str(exc)) from exc
    out: dict[int, tuple[int, str, list[Selector]]] = {}
    for source in sources_of(build_model(tree)):
        ins = source.step.instruction
        entry = out.setdefault(ins.start_line, (ins.start_line, ins.text.splitlines()[0], []))
        entry[2].append(Selector(ins.start_line, source.path))
    return list(out.values())


def as_data(
    ctx: BuildContext,
    dockerfile: Path | None,
    copies: list[tuple[int, str, list[Selector]]],
    inv: Inventory,
) -> dict[str, Any]:
    """The report as plain data (what `--output-format json` prints)."""
    lines_of = {top: sorted(lines) for top, lines in inv.top_selectors.items()}
    tops = sorted(
        set(inv.top_sent) | set(inv.top_excluded),
        key=lambda t: -(inv.top_sent.get(t) or inv.top_excluded[t]).bytes,
    )
    selectors = [s for _, _, sels in copies for s in sels]
    return {
        "context": str(ctx.root),
        "dockerfile": str(dockerfile) if dockerfile is not None else None,
        "ignore_file": str(ctx.ignore_file) if ctx.ignore_file is not None else None,
        "sent": {"files": inv.sent.files, "bytes": inv.sent.bytes},
        "excluded": {"files": inv.excluded.files, "bytes": inv.excluded.bytes},
        "top": [
            {
                "path": top,
                "files": _tally(inv.top_sent, top)[0],
                "bytes": _tally(inv.top_sent, top)[1],
                "excluded_files": _tally(inv.top_excluded, top)[0],
                "excluded_bytes": _tally(inv.top_excluded, top)[1],
                "copied_by": lines_of.get(top, []),
            }
            for top in tops
        ],
        "largest": [
            {
                "path": path,
                "bytes": size,
                "copied_by": sorted({s.line for s in selectors if s.selects(path)}),
            }
            for size, path in inv.largest
        ],
        "ignore_lines": [
            {"line": line, "pattern": pattern, "files": t.files, "bytes": t.bytes}
            for (line, pattern), t in sorted(inv.by_line.items())
        ],
        "copies": [
            {
                "line": line,
                "instruction": text,
                "files": sum(inv.by_selector[s].files for s in sels),
                "bytes": sum(inv.by_selector[s].bytes for s in sels),
            }
            for line, text, sels in copies
        ],
    }


def _tally(table: dict[str, Any], key: str) -> tuple[int, int]:
    found = table.get(key)
    return (found.files, found.bytes) if found is not None else (0, 0)


def human(size: int) -> str:
    """Bytes for people: `512 B`, `3.4 kB`, `12.0 MB` (powers of 1000, as docker prints)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def _print_tables(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False)
    sent, excluded = data["sent"], data["excluded"]
    left = "no .dockerignore"
    if data["ignore_file"]:
        left = (
            f"{data['ignore_file']} leaves out {excluded['files']:,} files, "
            f"{human(excluded['bytes'])}"
        )
    out.print(
        f"{data['context']}: sends {sent['files']:,} files, {human(sent['bytes'])}; {left}",
        soft_wrap=True,
    )

    def lines(values: list[int]) -> str:
        return ", ".join(str(v) for v in values) or "-"

    top = Table(title="By top folder", box=None, pad_edge=False, title_justify="left")
    top.add_column("path")
    top.add_column("files", justify="right")
    top.add_column("size", justify="right")
    top.add_column("left out", justify="right")
    top.add_column("copied by line")
    for row in data["top"]:
        name = "(root files)" if row["path"] == ROOT_FILES else row["path"]
        left = f"{row['excluded_files']:,} ({human(row['excluded_bytes'])})"
        top.add_row(
            name,
            f"{row['files']:,}",
            human(row["bytes"]),
            left if row["excluded_files"] else "-",
            lines(row["copied_by"]),
        )
    out.print(top)
    if data["largest"]:
        big = Table(title="Largest files sent", box=None, pad_edge=False, title_justify="left")
        big.add_column("path")
        big.add_column("size", justify="right")
        big.add_column("copied by line")
        for row in data["largest"]:
            big.add_row(row["path"], human(row["bytes"]), lines(row["copied_by"]))
        out.print(big)
    if data["ignore_lines"]:
        left_out = Table(
            title="Left out by the ignore file", box=None, pad_edge=False, title_justify="left"
        )
        for name in ("line", "pattern", "files", "size"):
            left_out.add_column(name, justify="left" if name == "pattern" else "right")
        for row in data["ignore_lines"]:
            left_out.add_row(
                str(row["line"]), row["pattern"], f"{row['files']:,}", human(row["bytes"])
            )
        out.print(left_out)
    if data["copies"]:
        copies = Table(title="COPY/ADD from the context", box=None, pad_edge=False)
        copies.title_justify = "left"
        for name in ("line", "instruction", "files", "size"):
            copies.add_column(name, justify="left" if name == "instruction" else "right")
        for row in data["copies"]:
            copies.add_row(
                str(row["line"]), row["instruction"], f"{row['files']:,}", human(row["bytes"])
            )
        out.print(copies)


def register(app: typer.Typer) -> None:
    """Add `context` to the app."""
    app.command(name="context")(context)
