"""LW905 cache-ref-shared-by-branches

## What it finds
A registry cache whose refs ignore the branch: the export goes to one ref whatever branch is
built (no `$BRANCH_NAME`, `${{ github.ref_name }}`, `$CI_COMMIT_REF_SLUG`... in it), or it names
the branch but the build imports only the branch's own ref, with no default-branch fallback.

## Why it matters
One ref for every branch means each build overwrites the cache of the last one: a feature
branch's dependencies replace main's, and the next main build misses. A ref per branch without
a fallback means every new branch starts cold. The pattern that works: export to the branch's
ref, import the branch's ref and the default branch's (`--cache-from` twice).

## Example
    --cache-from type=registry,ref=$REPO:cache --cache-to type=registry,ref=$REPO:cache,mode=max
Per branch with a fallback:
    --cache-from type=registry,ref=$REPO:cache-$BRANCH_NAME
    --cache-from type=registry,ref=$REPO:cache-main
    --cache-to type=registry,ref=$REPO:cache-$BRANCH_NAME,mode=max

## References
- Docker docs: Cache storage backends (multiple caches)
- buildkit-facts.md: Remote cache"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import exports, imports
from layerwise.ci.rules.lw906_image_tag_as_cache import IMAGE_TAGS
from layerwise.rules.base import Finding, Rule, Severity
from layerwise.rules.texts import Phrase

_REF_TYPES = frozenset({"registry", "s3", "azblob"})

RULE = Rule(
    code="LW905",
    name="cache-ref-shared-by-branches",
    severity=Severity.WARNING,
    scope="pipeline",
    summary="A cache ref every branch overwrites, or a branch ref with no default-branch fallback",
    summary_ko="모든 브랜치가 덮어쓰는 캐시 ref, 또는 기본 브랜치 대체가 없는 브랜치 ref",
    message="`{ref}`: {problem}",
    message_ko="`{ref}`: {problem}",
    phrases={
        "shared": Phrase(
            "every branch exports to this one cache ref and overwrites the others' cache",
            "모든 브랜치가 이 캐시 ref 하나로 내보내며 서로의 캐시를 덮어씁니다",
        ),
        "no-fallback": Phrase(
            "a branch imports only its own cache ref, so a new branch starts with no cache",
            "브랜치가 자기 캐시 ref만 가져오므로 새 브랜치는 캐시 없이 시작합니다",
        ),
    },
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for build in ctx.image_builds:
        sources = [s for s in imports(build) if s.type in _REF_TYPES]
        for spec in exports(build):
            if spec.type not in _REF_TYPES or spec.tag in IMAGE_TAGS:
                continue  # LW906 says more about `:latest`
            if not spec.names_branch:
                yield RULE.finding(spec.value.span, ref=spec.ref or "", problem=RULE.text("shared"))
            elif sources and all(s.names_branch for s in sources):
                yield RULE.finding(
                    spec.value.span, ref=spec.ref or "", problem=RULE.text("no-fallback")
                )
