"""`layerwise bench`: measure a Dockerfile (or two, side by side) on the real BuildKit."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from layerwise.bench.backend import EngineBackend
from layerwise.bench.pipeline import (
    CACHE_MODES,
    CACHE_TYPES,
    DEFAULT_REPOSITORY,
    Pipeline,
    check_client,
    check_pipeline,
    parse_platforms,
)
from layerwise.bench.plan import COLD, DEP, FRESH, NOOP, SRC, PlannedBuild, parse_scenarios
from layerwise.bench.report import render, to_json
from layerwise.bench.runner import BenchSettings, labels, run_bench
from layerwise.bench.targets import check_cache_stages
from layerwise.engine import find_client
from layerwise.errors import LayerwiseError


def _existing_file(path: Path, what: str) -> Path:
    if not path.exists():
        raise LayerwiseError(f"{what} not found", path=str(path))
    if not path.is_file():
        raise LayerwiseError(f"{what} is not a file", path=str(path))
    return path


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so the tree is restored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def bench(
    dockerfile: Annotated[Path, typer.Argument(help="The Dockerfile to measure.")],
    context: Annotated[
        Path | None,
        typer.Option(
            "--context", help="Build context, a git work tree (default: the Dockerfile's folder)."
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option("--compare", help="A second Dockerfile, measured side by side."),
    ] = None,
    repeat: Annotated[
        int, typer.Option("--repeat", min=1, help="Runs per scenario; the median is shown.")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    src_file: Annotated[
        str | None,
        typer.Option("--src-file", help="File the src scenario edits (default: picked)."),
    ] = None,
    dep_command: Annotated[
        str | None,
        typer.Option(
            "--dep-command",
            help="Shell command run in the context for the dep scenario "
            "(default: a lockfile-neutral edit of a manifest).",
        ),
    ] = None,
    docker: Annotated[
        str | None, typer.Option("--docker", help="Docker client to build with.")
    ] = None,
    builder: Annotated[
        str | None, typer.Option("--builder", help="buildx builder to use (and prune).")
    ] = None,
    target: Annotated[str | None, typer.Option("--target", help="Stage to build.")] = None,
    scenarios: Annotated[
        str,
        typer.Option("--scenarios", help="Comma-separated subset of cold,noop,src,dep,fresh."),
    ] = ",".join((COLD, NOOP, SRC, DEP)),
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            help="Target platforms of every build, comma-separated (linux/amd64,linux/arm64).",
        ),
    ] = None,
    push: Annotated[
        bool,
        typer.Option("--push", help="Push every build to --registry and measure what it uploaded."),
    ] = False,
    registry: Annotated[
        str,
        typer.Option("--registry", help="Repository the builds and the registry cache go to."),
    ] = DEFAULT_REPOSITORY,
    cache: Annotated[
        str | None,
        typer.Option("--cache", help=f"Remote cache fresh imports: {'|'.join(CACHE_TYPES)}."),
    ] = None,
    cache_mode: Annotated[
        str | None,
        typer.Option(
            "--cache-mode",
            help=f"{'|'.join(CACHE_MODES)} for a registry or local cache (default min, as "
            "BuildKit).",
        ),
    ] = None,
    cache_stage: Annotated[
        list[str] | None,
        typer.Option(
            "--cache-stage",
            help="Also export this stage's cache as its own target to a ref of its own, and "
            "import it in fresh (repeatable). Works around two-platform mode=max exports that "
            "leave a stage's results out.",
        ),
    ] = None,
) -> None:
    """Build on the real BuildKit through scenarios and measure each one (see BENCH_HELP)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    dockerfiles = [_existing_file(dockerfile, "Dockerfile")]
    if compare is not None:
        dockerfiles.append(_existing_file(compare, "Dockerfile"))
    root = context if context is not None else dockerfile.parent
    if not root.is_dir():
        raise LayerwiseError("build context is not a directory", path=str(root))
    chosen = parse_scenarios(scenarios)
    pipeline = Pipeline(
        platforms=parse_platforms(platform),
        push=push,
        repository=registry,
        cache=cache.lower() if cache else None,
        cache_mode=cache_mode.lower() if cache_mode else None,
        cache_stages=tuple(dict.fromkeys(cache_stage or ())),
    )
    check_pipeline(pipeline, chosen, FRESH)
    settings = BenchSettings(
        dockerfiles=tuple(path.resolve() for path in dockerfiles),
        context=root.resolve(),
        scenarios=chosen,
        repeat=repeat,
        target=target,
        src_file=src_file,
        dep_command=dep_command,
        pipeline=pipeline,
    )
    check_cache_stages(settings)
    client = find_client(docker, builder=builder)
    check_client(pipeline, client)
    backend = EngineBackend(client)
    names = labels(tuple(dockerfiles))
    with (
        _sigterm_as_interrupt(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as progress,
    ):
        task = progress.add_task("bench", total=None)

        def on_build(planned: PlannedBuild, done: int, total: int) -> None:
            run = f" (run {planned.repetition + 1}/{repeat})" if repeat > 1 else ""
            progress.update(
                task,
                total=total,
                completed=done,
                description=f"{names[planned.dockerfile]}: {planned.scenario}{run}",
            )

        report = run_bench(
            settings, backend, on_build=on_build, notify=lambda m: progress.console.print(m)
        )
        progress.update(task, completed=progress.tasks[0].total, description="done")
    out = Console(highlight=False, soft_wrap=as_json)
    if as_json:
        out.print_json(json.dumps(to_json(report)))
    else:
        out.print(render(report))
    raise typer.Exit(0)


BENCH_HELP = (
    "Build on the real BuildKit through scenarios and measure each one.\n\n"
    "cold: the builder cache is pruned first (only that cache); noop: nothing changed; "
    "src: a source-only edit; dep: a dependency-manifest edit; fresh (needs --cache): an "
    "unmeasured build exports the remote cache, then a source-only edit, the builder cache "
    "pruned as on an ephemeral CI agent, and a build that imports that cache. For each: wall "
    "time, steps cached, the slowest steps, the bytes of new layers a push would upload, the "
    "image size; with --push the compressed bytes the push uploaded; per platform the steps "
    "cached and whether the dependency steps came back CACHED. "
    "The context must be a git work tree; the files the bench edits are restored afterwards, "
    "also on failure or Ctrl-C."
)


def register(app: typer.Typer) -> None:
    """Add `bench` to `app`."""
    app.command("bench", help=BENCH_HELP)(bench)
