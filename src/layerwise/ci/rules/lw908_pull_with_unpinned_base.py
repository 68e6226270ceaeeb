"""LW908 pull-with-unpinned-base

## What it finds
`--pull` (`pull: true`) on a build whose Dockerfile starts stages from images named by tag, not
by digest (`FROM node:20`, not `FROM node:20@sha256:...`).

## Why it matters
`--pull` asks the registry for each base on every build. When the tag has moved (a patch
release of `node:20`, a rebuilt `debian:bookworm`), the base layer changes, and every step of
every stage on it misses the cache: the dependency install and the compile run again, on a
day when your code did not change. Pin the base by digest (and let a bot bump it), or drop
`--pull` from routine builds and pull in a scheduled one.

## Example
    docker buildx build --pull -t $IMAGE .      # Dockerfile: FROM node:20
Pinned:
    FROM node:20@sha256:<digest>

## References
- Docker docs: docker buildx build --pull; Pin base image versions
- buildkit-facts.md: Cache keys"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import command
from layerwise.rules.base import Finding, Rule, Severity
from layerwise.rules.texts import Listing

RULE = Rule(
    code="LW908",
    name="pull-with-unpinned-base",
    severity=Severity.INFO,
    scope="pipeline",
    summary="`--pull` on a build whose bases are named by tag, not digest",
    summary_ko="기반 이미지를 다이제스트가 아닌 태그로 고른 빌드의 `--pull`",
    message="`{command}` pulls {bases} on every build: when the tag moves, every step "
    "built on it runs again",
    message_ko="`{command}`가 매 빌드마다 {bases}를 받습니다. 태그가 바뀌면 그 위의 모든 단계가 "
    "다시 실행됩니다",
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for build in ctx.image_builds:
        if build.pull is None:
            continue
        facts = ctx.facts(build)
        if facts is None or not facts.unpinned_bases:
            continue
        bases = Listing([f"`{b}`" for b in facts.unpinned_bases])
        yield RULE.finding(build.pull.span, command=command(build), bases=bases)
