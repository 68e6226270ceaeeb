"""LW906 image-tag-as-cache

## What it finds
A cache import or export whose ref is an image tag like `latest` (`--cache-from $REPO:latest`,
`--cache-to type=registry,ref=$REPO:latest`).

## Why it matters
Exported there, the cache manifest replaces the image that tag named: whatever pulls
`:latest` gets a cache, not an image. Imported from there, an image carries cache only when it
was built with inline cache (final-stage layers only, min mode); a plain pushed image gives
BuildKit nothing to match. Give the cache a tag of its own (`:cache-<branch>`).

## Example
    --cache-from $REPO:latest
With a cache ref of its own:
    --cache-from type=registry,ref=$REPO:cache-main

## References
- Docker docs: Registry cache
- buildkit-facts.md: Remote cache"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import exports, imports
from layerwise.rules.base import Finding, Rule, Severity
from layerwise.rules.texts import Phrase

IMAGE_TAGS = frozenset({"latest", "stable", "prod", "production", "release"})

RULE = Rule(
    code="LW906",
    name="image-tag-as-cache",
    severity=Severity.WARNING,
    scope="pipeline",
    message="`{ref}` is an image tag used as cache: {why}",
    message_ko="`{ref}`는 캐시로 쓰인 이미지 태그입니다. {why}",
    phrases={
        "export": Phrase(
            "the cache export replaces the image that tag names",
            "캐시 내보내기가 그 태그의 이미지를 대체합니다",
        ),
        "import": Phrase(
            "an image holds cache only when built with inline cache, final stage only",
            "이미지는 인라인 캐시로 빌드됐을 때만, 그것도 최종 스테이지의 캐시만 담습니다",
        ),
    },
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for build in ctx.image_builds:
        for kind, found in (("import", imports(build)), ("export", exports(build))):
            for spec in found:
                if spec.type == "registry" and spec.tag in IMAGE_TAGS:
                    yield RULE.finding(spec.value.span, ref=spec.ref or "", why=RULE.text(kind))
