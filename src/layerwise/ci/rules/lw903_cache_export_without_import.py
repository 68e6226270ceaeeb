"""LW903 cache-export-without-import

## What it finds
A build that exports a cache (`--cache-to`, the `cache-to:` input) and imports none
(`--cache-from`).

## Why it matters
Exporting is half of a remote cache: the next build uses the exported layers only when it asks
for them with `--cache-from`. Without it every build on an empty builder runs every step and
then pays for uploading a cache nobody reads.

## Example
    docker buildx build --cache-to type=registry,ref=$REPO:cache,mode=max -t $IMAGE .
After the fix:
    docker buildx build --cache-to type=registry,ref=$REPO:cache,mode=max -t $IMAGE . \\
      --cache-from type=registry,ref=$REPO:cache

## Fix safety
Safe for a shell command exporting to a registry ref or to the gha backend: the fix imports
the same cache (`type=registry,ref=<the ref>`, `type=gha` with the same scope). Importing a
cache never changes what the build produces. No fix for action inputs or other backends.

## References
- Docker docs: Cache storage backends
- buildkit-facts.md: Remote cache"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.cache_specs import CacheSpec, parse_spec
from layerwise.ci.context import PipelineContext
from layerwise.ci.model import Value
from layerwise.ci.rules._support import command, exports
from layerwise.rules.base import Finding, Fix, Rule, Safety, Severity
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW903",
    name="cache-export-without-import",
    severity=Severity.WARNING,
    scope="pipeline",
    message="`{command}` exports a cache that no build imports: no `--cache-from`",
    fix_title="Add `--cache-from {source}`",
    message_ko="`{command}`가 캐시를 내보내지만 어느 빌드도 가져오지 않습니다(`--cache-from` 없음)",
    fix_title_ko="`--cache-from {source}` 추가",
    fix_safety=(Safety.SAFE,),
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for build in ctx.image_builds:
        if build.cache_from:
            continue
        specs = [s for s in exports(build) if s.type != "inline"]
        if not specs:
            continue
        value = specs[0].value
        # The ref as written (`${REPO}:cache-${BRANCH_NAME}`), not as the reader resolved it.
        written = ctx.pipeline.text[value.span.start : value.span.end].strip("'\"")
        source = _import_of(parse_spec(Value(written, value.span)))
        fix = None
        if source is not None and build.insert_at is not None and value.editable:
            fix = Fix(Safety.SAFE, [Edit.insert(build.insert_at, f" --cache-from {source}")])
        yield RULE.finding(
            specs[0].value.span, fix=fix, command=command(build), source=source or ""
        )


def _import_of(spec: CacheSpec) -> str | None:
    if spec.type == "registry" and spec.ref and not any(c in spec.ref for c in " '\""):
        return f"type=registry,ref={spec.ref}"
    if spec.type == "gha":
        scope = spec.options.get("scope")
        return "type=gha" + (f",scope={scope}" if scope else "")
    return None
