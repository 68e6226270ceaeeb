"""The CI side of a bench: platforms, pushing, and the remote cache the `fresh` scenario imports.

What `fresh` measures: the build before it (an unmeasured `export` build) exported its cache
to the remote cache (and pushed, with --push); then a source-only edit, the builder cache
pruned (an ephemeral CI agent starts empty), and the measured build, which imports that cache
and exports it again, as each CI build does. The base images stay in the daemon (a CI agent
would pull them); the bench's own images are removed before the prune.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from layerwise.engine import Client
from layerwise.errors import LayerwiseError

REGISTRY = "registry"
LOCAL = "local"
INLINE = "inline"
CACHE_TYPES: tuple[str, ...] = (REGISTRY, LOCAL, INLINE)
CACHE_MODES: tuple[str, ...] = ("min", "max")
# BuildKit's own default when --cache-to names no mode.
DEFAULT_MODE = "min"
DEFAULT_REPOSITORY = "127.0.0.1:5000/layerwise-bench"

_PLATFORM = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+(?:/[a-z0-9_.]+)?$")
_REPOSITORY = re.compile(
    r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:/[a-z0-9]+(?:[._/-][a-z0-9]+)*)+$"
)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """How each build of the bench is made, beyond the Dockerfile: the CI options."""

    platforms: tuple[str, ...] = ()
    push: bool = False
    repository: str = DEFAULT_REPOSITORY
    cache: str | None = None  # registry | local | inline, for the fresh scenario
    cache_mode: str | None = None  # min | max (registry and local only)
    # Stages whose cache is also exported as its own target, to a ref of its own. Seen on
    # Docker 26 (BuildKit 0.13): a two-platform mode=max export kept the results of arm64's
    # dependency-stage steps out of the cache manifest (the records were there, without their
    # layers), so a fresh agent re-ran arm64's `npm ci`; the same stage exported as the target
    # kept them. docs/measurements/issue8-pipeline.md has the evidence.
    cache_stages: tuple[str, ...] = ()

    @property
    def platform_arg(self) -> str | None:
        """The value of `--platform`, None to build the builder's own."""
        return ",".join(self.platforms) or None

    @property
    def mode(self) -> str:
        return self.cache_mode or DEFAULT_MODE

    def describe(self) -> str:
        """One line for the report: "linux/amd64,linux/arm64; push to ...; cache registry
        mode=max"."""
        parts = [self.platform_arg or "the builder's platform"]
        if self.push:
            parts.append(f"push to {self.repository}")
        if self.cache == INLINE:
            parts.append("cache inline")
        elif self.cache is not None:
            parts.append(f"cache {self.cache} mode={self.mode}")
        if self.cache_stages:
            parts.append(f"stage caches {','.join(self.cache_stages)}")
        return "; ".join(parts)

    def stage_ref(self, ref: str, directory: Path, stage: str) -> tuple[str, Path]:
        """Where the cache of `stage`, exported as its own target, goes: a ref and a directory
        beside the build's own."""
        return f"{ref}-{stage.lower()}", directory / f"stage-{stage.lower()}"

    def cache_to(self, ref: str, directory: Path) -> str:
        """The `--cache-to` spec that exports this pipeline's cache."""
        if self.cache == REGISTRY:
            return f"type=registry,ref={ref},mode={self.mode}"
        if self.cache == LOCAL:
            return f"type=local,dest={directory},mode={self.mode}"
        return "type=inline"

    def cache_from(self, ref: str, directory: Path, previous_image: str) -> str:
        """The `--cache-from` spec that imports what `cache_to` exported; inline cache lives in
        the image the previous build pushed."""
        if self.cache == REGISTRY:
            return f"type=registry,ref={ref}"
        if self.cache == LOCAL:
            return f"type=local,src={directory}"
        return f"type=registry,ref={previous_image}"


def parse_platforms(text: str | None) -> tuple[str, ...]:
    """`"linux/amd64, linux/arm64"` -> `("linux/amd64", "linux/arm64")`; duplicates dropped."""
    if text is None:
        return ()
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise LayerwiseError("--platform is empty", hint="e.g. --platform linux/amd64,linux/arm64")
    for name in names:
        if not _PLATFORM.match(name):
            raise LayerwiseError(
                f"`{name}` is not a platform", hint="write os/arch[/variant], e.g. linux/arm64"
            )
    return tuple(dict.fromkeys(names))


def check_pipeline(pipeline: Pipeline, scenarios: tuple[str, ...], fresh: str) -> None:
    """Options that contradict each other, whatever the engine."""
    if pipeline.cache is not None and pipeline.cache not in CACHE_TYPES:
        raise LayerwiseError(
            f"unknown cache `{pipeline.cache}`", hint=f"choose from {'|'.join(CACHE_TYPES)}"
        )
    if pipeline.cache_mode is not None and pipeline.cache_mode not in CACHE_MODES:
        raise LayerwiseError(
            f"unknown cache mode `{pipeline.cache_mode}`", hint="choose min or max"
        )
    if fresh in scenarios and pipeline.cache is None:
        raise LayerwiseError(
            "the fresh scenario imports the remote cache the build before it exported",
            hint="choose one with --cache registry|local|inline",
        )
    if pipeline.cache is not None and fresh not in scenarios:
        raise LayerwiseError(
            "--cache is what the fresh scenario imports", hint="add fresh to --scenarios"
        )
    if pipeline.cache_mode is not None and pipeline.cache in {INLINE, None}:
        raise LayerwiseError(
            "--cache-mode does not apply to inline cache: it always holds just the final "
            "image's layers (min)"
            if pipeline.cache == INLINE
            else "--cache-mode needs --cache registry or --cache local"
        )
    if pipeline.cache_stages and pipeline.cache not in {REGISTRY, LOCAL}:
        raise LayerwiseError(
            "--cache-stage exports a stage's cache to its own ref or directory",
            hint="use it with --cache registry or --cache local",
        )
    if pipeline.cache == INLINE and not pipeline.push:
        raise LayerwiseError(
            "inline cache travels inside the pushed image, so --cache inline needs --push"
        )
    if pipeline.push and not _REPOSITORY.match(pipeline.repository):
        raise LayerwiseError(
            f"--registry `{pipeline.repository}` is not a repository",
            hint="give host[:port]/name without a tag, e.g. 127.0.0.1:5000/layerwise-bench",
        )


def check_client(pipeline: Pipeline, client: Client) -> None:
    """What this client and builder cannot do of the pipeline, as a one-line user error."""
    who = (
        f"Docker {client.version}'s legacy client"
        if client.kind == "legacy"
        else f"buildx builder `{client.builder or 'default'}` ({client.driver} driver)"
    )
    if client.kind == "legacy" and (pipeline.push or len(pipeline.platforms) > 1):
        raise LayerwiseError(
            f"--push and several platforms need docker buildx; {who} builds one platform "
            "into the daemon",
            path=client.path,
        )
    if pipeline.cache in {REGISTRY, LOCAL} and not client.supports_cache_to:
        why = (
            "it only embeds inline cache"
            if client.kind == "legacy"
            else "the docker driver without the containerd image store exports only inline cache"
        )
        raise LayerwiseError(
            f"{who} cannot export a {pipeline.cache} cache: {why}",
            path=client.path,
            hint="use --cache inline, turn on the containerd image store, or a "
            "docker-container builder (--builder)",
        )
    if len(pipeline.platforms) > 1 and not client.multi_platform:
        raise LayerwiseError(
            f"{who} builds one platform at a time: several at once need the containerd image "
            "store or a docker-container builder",
            path=client.path,
        )
    missing = [p for p in pipeline.platforms if client.platforms and not _supports(client, p)]
    if missing:
        raise LayerwiseError(
            f"{who} cannot build for {missing[0]} (it builds {', '.join(client.platforms)})",
            path=client.path,
            hint="register QEMU for it (binfmt), or use a builder that runs there",
        )


def _supports(client: Client, platform: str) -> bool:
    # "linux/arm64" matches "linux/arm64/v8" and the other way round: v8 is arm64's default.
    return any(
        known == platform or known.startswith(platform + "/") or platform.startswith(known + "/")
        for known in client.platforms
    )
