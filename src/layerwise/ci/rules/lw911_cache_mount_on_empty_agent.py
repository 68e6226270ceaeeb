"""LW911 cache-mount-on-empty-agent

## What it finds
A build whose Dockerfile uses cache mounts (`RUN --mount=type=cache`) in a pipeline whose
agents start with an empty builder (hosted runners, container or Kubernetes agents, a
docker:dind service) and keep none between runs.

## Why it matters
A cache mount lives in the builder that ran the build and nowhere else: it is never committed
to the image and never exported to a remote cache, whatever `--cache-to` says. On an agent that
starts empty, the mount will start empty on each agent, so the step that uses it downloads
everything again whenever it runs. The layer cache (imported with `--cache-from`) is what saves
the step there: with it the step does not run at all. The mount pays off on a builder that
outlives the job (a persistent node, a remote BuildKit, a builder whose state is kept).

## Example
    RUN --mount=type=cache,target=/root/.npm npm ci
built by `runs-on: ubuntu-latest`: `/root/.npm` is empty on every run.

## References
- Docker docs: Optimize cache usage in builds (cache mounts); Cache storage backends
- buildkit-facts.md: Cache mounts; Remote cache
- tests/engine/test_platforms.py: a registry cache brings back layers, not cache mounts"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.model import Agent
from layerwise.rules.base import Finding, Rule, Severity

RULE = Rule(
    code="LW911",
    name="cache-mount-on-empty-agent",
    severity=Severity.INFO,
    scope="pipeline",
    summary="Cache mounts built on agents that start with an empty builder",
    summary_ko="빈 빌더로 시작하는 에이전트에서 빌드하는 캐시 마운트",
    message="`{dockerfile}` uses cache mounts, and this agent starts with an empty builder: "
    "the mount will start empty on each agent",
    message_ko="`{dockerfile}`가 캐시 마운트를 쓰지만 이 에이전트는 빈 빌더로 시작합니다. 마운트는 "
    "에이전트마다 빈 상태로 시작합니다",
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    pipeline = ctx.pipeline
    if pipeline.agent is not Agent.EPHEMERAL or pipeline.persistent_builder:
        return
    for build in ctx.image_builds:
        facts = ctx.facts(build)
        if facts is not None and facts.has_cache_mounts:
            yield RULE.finding(build.span, dockerfile=facts.path.name)
