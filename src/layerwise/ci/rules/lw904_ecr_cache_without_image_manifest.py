"""LW904 ecr-cache-without-image-manifest

## What it finds
A registry cache export to Amazon ECR (a ref on `*.dkr.ecr.<region>.amazonaws.com`) without
`image-manifest=true` and `oci-mediatypes=true`.

## Why it matters
By default BuildKit writes a registry cache as a manifest list whose entries are not images;
ECR rejects that manifest, so the export fails (or, with `ignore-error=true`, silently
exports nothing) and the next agent starts cold. With `image-manifest=true,oci-mediatypes=true`
the cache is an OCI image manifest, which ECR stores. Other registries accept both forms.

## Example
    --cache-to type=registry,ref=1234.dkr.ecr.eu-west-1.amazonaws.com/app:cache,mode=max
After the fix, the same value ends with:
    ...,mode=max,image-manifest=true,oci-mediatypes=true

## Fix safety
Safe: the missing options are appended to the export; the cache's content does not change,
only the manifest that holds it.

## References
- AWS blog: Announcing remote cache support in Amazon ECR for BuildKit clients
- Docker docs: Registry cache (image-manifest, oci-mediatypes)
- buildkit-facts.md: Remote cache"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import append_options, exports, missing_ecr_options
from layerwise.rules.base import Finding, Fix, Rule, Safety, Severity

RULE = Rule(
    code="LW904",
    name="ecr-cache-without-image-manifest",
    severity=Severity.ERROR,
    scope="pipeline",
    message="ECR rejects this cache export: `{missing}` is missing",
    fix_title="Add `{missing}`",
    message_ko="ECR은 이 캐시 내보내기를 거부합니다. `{missing}`이 없습니다",
    fix_title_ko="`{missing}` 추가",
    fix_safety=(Safety.SAFE,),
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for build in ctx.image_builds:
        for spec in exports(build):
            if spec.type != "registry" or not spec.is_ecr:
                continue
            missing = missing_ecr_options(spec)
            if not missing:
                continue
            edit = append_options(spec.value, missing)
            fix = Fix(Safety.SAFE, [edit]) if edit is not None else None
            yield RULE.finding(spec.value.span, fix=fix, missing=",".join(missing))
