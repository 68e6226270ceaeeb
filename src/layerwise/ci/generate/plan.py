"""What a generated pipeline builds and how it caches, decided from the options and the
Dockerfile (stages, dependency stages, platforms, cache mounts)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layerwise.ci.dockerfiles import DockerfileFacts, facts_for
from layerwise.errors import LayerwiseError
from layerwise.model.platforms import platform_problem

PROVIDERS = ("jenkins", "github", "gitlab")
CACHES = ("registry", "gha", "local", "s3", "inline")
NATIVE_ARCH = "amd64"  # hosted runners and most agents; other platforms need QEMU

# What each provider's shell calls the branch (a tag-safe slug), the commit, and the image.
BRANCH = {"jenkins": "$BRANCH_TAG", "gitlab": "$CI_COMMIT_REF_SLUG"}
COMMIT = {"jenkins": "$GIT_COMMIT", "gitlab": "$CI_COMMIT_SHA"}
DEFAULT_IMAGE = {
    "jenkins": "registry.example.com/app",
    "github": "ghcr.io/${{ github.repository }}",
    "gitlab": "$CI_REGISTRY_IMAGE",
}


@dataclass(frozen=True, slots=True)
class Plan:
    provider: str
    dockerfile: str  # as the pipeline names it, relative to the repository root
    context: str
    image: str  # the image name without a tag
    platforms: tuple[str, ...]
    cache: str
    cache_mode: str
    target: str | None
    multi_stage: bool
    cache_mounts: bool
    # Dependency stages (no source copy in them) whose cache is exported by builds of their
    # own (`--target`), one per platform: a multi-platform mode=max export lost arm64's
    # dependency steps (our measurement; moby/buildkit#2822). A stage holding sources changes
    # on every edit: its export would be waste.
    stage_exports: tuple[str, ...]
    default_branch: str = "main"

    @property
    def exports(self) -> tuple[tuple[str, str], ...]:
        """Each dependency stage's cache export: (stage, platform), one build per platform, so
        each platform's records travel in a cache of their own."""
        return tuple((stage, p) for stage in self.stage_exports for p in self.platforms)

    @property
    def foreign_platforms(self) -> tuple[str, ...]:
        """The platforms that run under QEMU on an amd64 agent."""
        return tuple(p for p in self.platforms if p.split("/")[1:2] != [NATIVE_ARCH])

    @property
    def multi_platform(self) -> bool:
        return len(self.platforms) > 1


def make_plan(
    provider: str,
    dockerfile: Path,
    *,
    root: Path,
    registry: str | None = None,
    platforms: tuple[str, ...] = (),
    cache: str | None = None,
    cache_mode: str = "max",
    target: str | None = None,
) -> Plan:
    """The plan for `provider`, with defaults from the Dockerfile: the platforms its FROM lines
    name (else linux/amd64), mode=max, the registry cache (gha on GitHub)."""
    if provider not in PROVIDERS:
        raise LayerwiseError(f"no provider {provider!r}", hint=f"one of {', '.join(PROVIDERS)}")
    cache = cache or ("gha" if provider == "github" else "registry")
    if cache not in CACHES:
        raise LayerwiseError(f"no cache backend {cache!r}", hint=f"one of {', '.join(CACHES)}")
    if cache == "gha" and provider != "github":
        raise LayerwiseError("the gha cache backend works only in GitHub Actions")
    if cache_mode not in ("max", "min"):
        raise LayerwiseError(f"no cache mode {cache_mode!r}", hint="max or min")
    for each in platforms:
        problem = platform_problem(each)
        if problem is not None:
            raise LayerwiseError(f"`{each}` in --platform {problem}")
    facts = facts_for(dockerfile, target)
    if facts is None:
        raise LayerwiseError("no Dockerfile to read", path=str(dockerfile))
    chosen = platforms or facts.platforms or ("linux/amd64",)
    try:
        relative = dockerfile.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = dockerfile.as_posix()
    return Plan(
        provider=provider,
        dockerfile=relative,
        context=".",
        image=registry or DEFAULT_IMAGE[provider],
        platforms=chosen,
        cache=cache,
        cache_mode=cache_mode,
        target=target,
        multi_stage=facts.stages > 1,
        cache_mounts=facts.has_cache_mounts,
        stage_exports=_stage_exports(facts, chosen, cache, cache_mode),
    )


def _stage_exports(
    facts: DockerfileFacts, platforms: tuple[str, ...], cache: str, mode: str
) -> tuple[str, ...]:
    if len(platforms) < 2 or mode != "max" or cache == "inline":
        return ()
    return facts.dependency_stages
