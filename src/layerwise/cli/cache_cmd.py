"""`layerwise cache du|explain|prune`: the builder's own cache, where it lives, and a targeted
prune. Exit codes: 0 done, 2 a user error (no buildx, a bad duration, a refused prune)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from layerwise.cli.app import EXIT_OK
from layerwise.cli.lang import LangOption, chosen_lang
from layerwise.errors import LayerwiseError

if TYPE_CHECKING:
    from layerwise.model import Model

cache_app = typer.Typer(
    name="cache",
    help="The builder's cache: what is in it (du), where it lives (explain), targeted prune.",
    no_args_is_help=True,
)

DockerOption = Annotated[
    str | None, typer.Option("--docker", help="Docker client to ask (default: docker on PATH).")
]
BuilderOption = Annotated[
    str | None, typer.Option("--builder", help="buildx builder (default: the current one).")
]


@cache_app.command("du")
def du(
    dockerfile: Annotated[
        Path | None,
        typer.Option("--dockerfile", help="Show which records each step of this file made."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    docker: DockerOption = None,
    builder: BuilderOption = None,
) -> None:
    """The builder's cache by kind, its cache mounts, and where it lives on disk."""
    from layerwise.buildcache.report import du_json, du_text
    from layerwise.buildcache.steps import match_records
    from layerwise.engine import find_client
    from layerwise.engine.cache_usage import disk_usage
    from layerwise.engine.storage import inspect_storage

    model = _model(dockerfile) if dockerfile is not None else None
    client = find_client(docker, builder=builder)
    usage = disk_usage(client)  # first: it says plainly when the client has no buildx
    storage = inspect_storage(client)
    matches = match_records(model, usage.records) if model is not None else None
    name = str(dockerfile) if dockerfile is not None else None
    if as_json:
        sys.stdout.write(json.dumps(du_json(storage, usage, matches, name), indent=2) + "\n")
    else:
        sys.stdout.write(du_text(storage, usage, matches, name, model))
    raise typer.Exit(EXIT_OK)


@cache_app.command("explain")
def explain(
    lang: LangOption = None,
    docker: DockerOption = None,
    builder: BuilderOption = None,
) -> None:
    """Where this machine's build cache lives, what survives, what each prune removes."""
    from layerwise.buildcache.explain import Inspected, answers
    from layerwise.engine import find_client
    from layerwise.engine.cache_usage import disk_usage
    from layerwise.engine.storage import inspect_storage

    language = chosen_lang(lang)
    client = find_client(docker, builder=builder)
    records = disk_usage(client).records
    seen = Inspected(inspect_storage(client), records, client.supports_cache_to)
    for answer in answers(seen, language):
        typer.echo(f"## {answer.question}\n{answer.text}\n")
    raise typer.Exit(EXIT_OK)


@cache_app.command("prune")
def prune(
    mounts: Annotated[
        bool, typer.Option("--mounts", help="Cache mounts (type=exec.cachemount).")
    ] = False,
    layers: Annotated[
        bool, typer.Option("--layers", help="Layers and other regular records (type=regular).")
    ] = False,
    older_than: Annotated[
        str | None,
        typer.Option("--older-than", help="Records not used for this long (24h, 90m: until=)."),
    ] = None,
    record_ids: Annotated[
        list[str] | None,
        typer.Option("--id", help="Only these records (ids from `cache du --json`)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would go; remove nothing.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "--force", "-y", help="Do not ask before removing.")
    ] = False,
    docker: DockerOption = None,
    builder: BuilderOption = None,
) -> None:
    """Remove part of the builder's cache with `buildx prune --filter`, never all of it."""
    from layerwise.buildcache.prune import Selection, chosen
    from layerwise.buildcache.report import record_line
    from layerwise.engine import find_client
    from layerwise.engine.cache_usage import disk_usage, format_size
    from layerwise.engine.cache_usage import prune as run_prune

    selection = Selection.of(
        mounts=mounts, layers=layers, older_than=older_than, ids=record_ids or ()
    )
    client = find_client(docker, builder=builder)
    going = chosen(disk_usage(client).records, selection)
    filters = " ".join(f"--filter {f}" for f in selection.filters())
    total = format_size(sum(r.size for r in going))
    typer.echo(f"`docker buildx prune {filters}` would remove {len(going)} record(s), {total}:")
    for record in going:
        typer.echo("  " + record_line(record))
    if selection.older_than is not None:
        typer.echo("  (ages as `buildx du` rounds them: a record near the limit may differ)")
    if dry_run or not going:
        raise typer.Exit(EXIT_OK)
    if not yes:
        if not sys.stdin.isatty():
            raise LayerwiseError("not removing without a confirmation", hint="--yes")
        typer.confirm("Remove them?", abort=True)
    for filters_of_run in selection.prune_runs():
        run_prune(client, filters_of_run)
    left = {r.id for r in disk_usage(client).records}
    removed = [r for r in going if r.id not in left]
    typer.echo(f"removed {len(removed)} record(s), {format_size(sum(r.size for r in removed))}")
    raise typer.Exit(EXIT_OK)


def _model(path: Path) -> Model:
    from layerwise.model import build_model
    from layerwise.syntax import parse_file

    if not path.is_file():
        raise LayerwiseError("Dockerfile not found", path=str(path))
    return build_model(parse_file(path))


def register(app: typer.Typer) -> None:
    """Add `cache` (du, explain, prune) to the app."""
    app.add_typer(cache_app, name="cache")
