"""LW909 builder-pruned-every-run

## What it finds
A pipeline that empties the build cache on every run: `docker builder prune`,
`docker buildx prune`, `docker system prune -a` (`--all`). A prune limited by age or size
(`--filter until=...`, `--keep-storage`, `--max-used-space`, `--reserved-space`) is left alone:
that is garbage collection, not a reset.

## Why it matters
On an agent that keeps its builder, the builder's cache is what makes the next build fast: the
layer cache and every cache mount (`RUN --mount=type=cache`, the npm or apt downloads) live
there and nowhere else. A prune in every run throws both away, so each build starts cold even
on a long-lived machine. BuildKit collects its own garbage (about 10% of the disk by default);
to bound it, prune by age.

## Example
    docker buildx prune --all --force
Bounded instead:
    docker buildx prune --force --filter until=168h

## References
- Docker docs: docker buildx prune; Build garbage collection
- buildkit-facts.md: Cache mounts (where they live, prune filters)"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.rules.base import Finding, Rule, Severity

_BOUNDED = (
    "--filter",
    "--keep-storage",
    "--max-used-space",
    "--reserved-space",
    "--min-free-space",
)

RULE = Rule(
    code="LW909",
    name="builder-pruned-every-run",
    severity=Severity.WARNING,
    scope="pipeline",
    message="`{command}` empties the build cache (layers and cache mounts) on every run",
    message_ko="`{command}`가 매 실행마다 빌드 캐시(레이어와 캐시 마운트)를 비웁니다",
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for cmd in ctx.pipeline.commands:
        words = cmd.words
        verb = words[:2]
        if verb not in (("builder", "prune"), ("buildx", "prune"), ("system", "prune")):
            continue
        if any(w.startswith(_BOUNDED) for w in words):
            continue
        if verb == ("system", "prune") and not ({"-a", "--all"} & set(words) or _cluster(words)):
            continue
        yield RULE.finding(cmd.span, command=" ".join(("docker", *words)))


def _cluster(words: tuple[str, ...]) -> bool:
    """`-af`: a cluster of short options that holds `-a`."""
    return any(w.startswith("-") and not w.startswith("--") and "a" in w[1:] for w in words)
