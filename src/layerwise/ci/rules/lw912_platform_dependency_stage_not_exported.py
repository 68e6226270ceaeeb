"""LW912 platform-dependency-stage-not-exported

## What it finds
A build for two or more platforms exporting a `mode=max` cache, whose Dockerfile has named
dependency stages (stages the target needs, the target excluded, that copy no sources: from the
context only manifests, lockfiles and package-manager settings, and nothing from a stage that
copies more), in a pipeline with no build that exports one of those stages' cache on its own
(`--target <stage>` with `--cache-to`). A stage after `COPY . .` does not count: a source edit
changes its layers, so exporting it on its own costs time and bytes for nothing.
This rule rests on our measurement, not on documented BuildKit behaviour: see below.

## Why it matters
Measured on Docker 26.1 (BuildKit 0.13): a two-platform mode=max registry export of the
node-nest app kept arm64's `npm ci` record without its result layer, so after a prune and a
source-only change arm64's `npm ci` ran again in all 3 runs while amd64's came back cached.
Exporting the dependency stage as its own `--target` to a second cache ref, and importing both,
brought it back on both platforms in all 3 runs (docs/measurements/issue8-pipeline.md; open
upstream reports moby/buildkit#2822 and #2279 describe the same loss). The extra build costs a
few seconds: every step is already in the builder.

## Example
    docker buildx build --platform linux/amd64,linux/arm64 --push -t $IMAGE \\
      --cache-to type=registry,ref=$REPO:cache,mode=max .
plus, after it:
    docker buildx build --platform linux/amd64,linux/arm64 --target deps \\
      --cache-to type=registry,ref=$REPO:cache-deps,mode=max .
and `--cache-from` both refs. `layerwise ci generate` writes the stage's export once per
platform (`--platform linux/arm64 --target deps --cache-to ...:cache-deps-arm64`), each to a
ref of its own, the workaround reported upstream for platforms missing at random from one
multi-platform export (moby/buildkit#2822).

## References
- docs/measurements/issue8-pipeline.md ("Why arm64's `npm ci` did not come back")
- moby/buildkit#2822, moby/buildkit#2279
- `layerwise bench --cache-stage`"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import exports
from layerwise.rules.base import Finding, Rule, Severity
from layerwise.rules.texts import Listing

RULE = Rule(
    code="LW912",
    name="platform-dependency-stage-not-exported",
    severity=Severity.INFO,
    scope="pipeline",
    summary="A multi-platform mode=max export with no dependency-stage export (measured)",
    summary_ko="의존성 스테이지를 따로 내보내지 않는 멀티 플랫폼 mode=max 내보내기(측정 결과)",
    message="a {count}-platform `mode=max` export may lose a platform's {stages} steps "
    "(measured); no build exports them with `--target`",
    message_ko="{count}개 플랫폼의 `mode=max` 내보내기에서 한 플랫폼의 {stages} 단계가 빠질 수 "
    "있습니다(측정 결과). `--target`으로 따로 내보내는 빌드가 없습니다",
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    builds = ctx.image_builds
    exported_targets = {b.target.text for b in builds if b.target is not None and b.cache_to}
    for build in builds:
        if len(build.platform_list) < 2:
            continue
        maxed = [s for s in exports(build) if s.mode == "max" and s.type != "inline"]
        if not maxed:
            continue
        facts = ctx.facts(build)
        if facts is None or not facts.dependency_stages:
            continue
        if exported_targets & set(facts.dependency_stages):
            continue
        stages = Listing([f"`{s}`" for s in facts.dependency_stages])
        yield RULE.finding(maxed[0].value.span, count=len(build.platform_list), stages=stages)
