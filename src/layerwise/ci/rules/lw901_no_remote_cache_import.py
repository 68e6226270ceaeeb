"""LW901 no-remote-cache-import

## What it finds
An image build in a pipeline (`docker build`, `docker buildx build`, docker/build-push-action)
that imports no cache: no `--cache-from` (no `cache-from:` input), on an agent that starts with
an empty builder or may do so (a hosted runner, a container or Kubernetes agent, a docker:dind
service, `agent any`). A Jenkins node the file pins as `built-in` keeps its builder and is left
alone.

## Why it matters
BuildKit's layer cache lives in the builder that ran the build. An agent that starts empty has
none of it, so every build runs every step: the dependency install, the compile, the apt
install, whatever the Dockerfile's order. Only a remote cache (registry, ECR, gha, s3) imported
with `--cache-from` brings the layers back, or a builder that outlives the job.

## Example
    docker buildx build --push -t $IMAGE .
imports nothing. With a registry cache per branch and the default branch as a fallback:
    docker buildx build --push -t $IMAGE \\
      --cache-from type=registry,ref=$REPO:cache-$BRANCH \\
      --cache-from type=registry,ref=$REPO:cache-main \\
      --cache-to type=registry,ref=$REPO:cache-$BRANCH,mode=max .
`layerwise ci generate` writes this for Jenkins, GitHub Actions and GitLab.

## References
- Docker docs: Cache storage backends; Using the build cache in CI
- buildkit-facts.md: Remote cache
- docs/seed-questions.md, question 3"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.model import Agent
from layerwise.ci.rules._support import command
from layerwise.rules.base import Finding, Rule, Severity
from layerwise.rules.texts import Phrase

RULE = Rule(
    code="LW901",
    name="no-remote-cache-import",
    severity=Severity.WARNING,
    scope="pipeline",
    summary="A pipeline build that imports no cache on an agent that may start empty",
    summary_ko="빈 상태로 시작할 수 있는 에이전트에서 캐시를 가져오지 않는 파이프라인 빌드",
    message="`{command}` imports no cache (`--cache-from`): {agent}",
    message_ko="`{command}`가 캐시를 가져오지 않습니다(`--cache-from` 없음). {agent}",
    phrases={
        "ephemeral": Phrase(
            "this agent starts with an empty builder, so every step runs on every build",
            "이 에이전트는 빈 빌더로 시작하므로 매 빌드마다 모든 단계가 실행됩니다",
        ),
        "unknown": Phrase(
            "an agent that starts with an empty builder runs every step on every build",
            "빈 빌더로 시작하는 에이전트에서는 매 빌드마다 모든 단계가 실행됩니다",
        ),
    },
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    agent = ctx.pipeline.agent
    if agent is Agent.PERSISTENT:
        return
    phrase = "ephemeral" if agent is Agent.EPHEMERAL else "unknown"
    for build in ctx.image_builds:
        if not build.cache_from and not build.cache_to:  # LW903 covers an export alone
            yield RULE.finding(build.span, command=command(build), agent=RULE.text(phrase))
