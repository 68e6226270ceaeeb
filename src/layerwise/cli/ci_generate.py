"""`layerwise ci generate`: write (or print) a pipeline whose image build caches right."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from layerwise.cli.app import EXIT_OK
from layerwise.cli.check_cmd import _platforms
from layerwise.cli.ci_cmd import ci_app
from layerwise.errors import LayerwiseError


@ci_app.command("generate")
def generate(
    provider: Annotated[
        str, typer.Option("--provider", help="jenkins, github or gitlab.", show_default=False)
    ],
    registry: Annotated[
        str | None,
        typer.Option(
            "--registry",
            help="Image name without a tag, its cache refs beside it "
            "(default: ghcr.io/<repository> on GitHub, $CI_REGISTRY_IMAGE on GitLab).",
        ),
    ] = None,
    platform: Annotated[
        list[str] | None,
        typer.Option(
            "--platform",
            help="Platforms to build (linux/amd64,linux/arm64); default: the Dockerfile's "
            "FROM --platform values, else linux/amd64.",
        ),
    ] = None,
    cache: Annotated[
        str | None,
        typer.Option(
            "--cache",
            help="registry, gha, local, s3 or inline (default: gha on GitHub, registry elsewhere).",
        ),
    ] = None,
    cache_mode: Annotated[
        str, typer.Option("--cache-mode", help="max (every step) or min (final image only).")
    ] = "max",
    dockerfile: Annotated[
        Path, typer.Option("--dockerfile", help="The Dockerfile to build.")
    ] = Path("Dockerfile"),
    target: Annotated[
        str | None, typer.Option("--target", help="The stage to build (default: the last).")
    ] = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the file instead of writing it.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file when it exists.")
    ] = False,
) -> None:
    """Write a Jenkinsfile, GitHub Actions workflow or .gitlab-ci.yml whose build caches right."""
    from layerwise.ci.generate import make_plan, render, target_file
    from layerwise.fix.write import write_atomic

    root = Path()
    plan = make_plan(
        provider,
        dockerfile,
        root=root,
        registry=registry,
        platforms=_platforms(platform) if platform else (),
        cache=cache,
        cache_mode=cache_mode,
        target=target,
    )
    args = ["layerwise", "ci", "generate", "--provider", provider]
    for name, value in (("--registry", registry), ("--cache", cache), ("--target", target)):
        if value:
            args += [name, value]
    if platform:
        args += ["--platform", ",".join(plan.platforms)]
    if cache_mode != "max":
        args += ["--cache-mode", cache_mode]
    if dockerfile != Path("Dockerfile"):
        args += ["--dockerfile", plan.dockerfile]
    text = render(plan, shlex.join(args))
    if stdout:
        sys.stdout.write(text)
        raise typer.Exit(EXIT_OK)
    out = root / target_file(plan.provider)
    if out.exists() and not force:
        raise LayerwiseError("exists; not overwritten", path=str(out), hint="--force or --stdout")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, text)
    typer.echo(f"wrote {out}")
    raise typer.Exit(EXIT_OK)
