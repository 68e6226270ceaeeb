"""LW902 cache-export-misses-stages

## What it finds
A build of a multi-stage Dockerfile (read from the path the build names, when it is there)
whose cache export keeps only the final image's layers: `--cache-to` with `mode=min` or no
`mode` (buildx's default is min), `type=inline`, or the build argument
`BUILDKIT_INLINE_CACHE=1`.

## Why it matters
min mode (and inline cache, which is min only) exports the layers of the final image. The
steps of the other stages (the dependency stage's `npm ci`, the build stage's compile) are not
exported, so an agent that imports this cache runs them again. mode=max exports every step.
Measured on the node-nest app from a pruned builder after a source-only change: with mode=max
`npm ci` came back cached; with min or inline it ran again on every platform
(docs/measurements/issue8-pipeline.md).

## Example
    --cache-to type=registry,ref=$REPO:cache
After the fix:
    --cache-to type=registry,ref=$REPO:cache,mode=max

## Fix safety
Safe when the export has no `mode`: `,mode=max` is appended. `mode=min` is replaced by
`mode=max`, also safe (the export grows, the build does not change). Inline cache has no max
mode: no fix, use a registry cache.

## References
- Docker docs: Cache storage backends (cache mode)
- buildkit-facts.md: Remote cache
- docs/measurements/issue8-pipeline.md"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import append_options, exports, inline_export, replace_in_value
from layerwise.rules.base import Finding, Fix, Rule, Safety, Severity

RULE = Rule(
    code="LW902",
    name="cache-export-misses-stages",
    severity=Severity.WARNING,
    scope="pipeline",
    summary="A min-mode or inline cache export of a multi-stage Dockerfile",
    summary_ko="멀티 스테이지 Dockerfile의 min 모드 또는 인라인 캐시 내보내기",
    message="`{export}` exports only the final image's layers; the other {stages} stages "
    "of `{dockerfile}` are not cached",
    fix_title="Export with `mode=max`",
    message_ko="`{export}`는 최종 이미지의 레이어만 내보냅니다. `{dockerfile}`의 나머지 {stages}개 "
    "스테이지는 캐시되지 않습니다",
    fix_title_ko="`mode=max`로 내보내기",
    fix_safety=(Safety.SAFE,),
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for build in ctx.image_builds:
        facts = ctx.facts(build)
        if facts is None or facts.stages < 2:
            continue
        stages, dockerfile = facts.stages - 1, facts.path.name
        inline = inline_export(build)
        maxed = any(s.mode == "max" and s.type != "inline" for s in exports(build))
        if inline is not None and not maxed:  # beside a max export, inline loses nothing
            yield RULE.finding(
                inline.span, export=inline.text, stages=stages, dockerfile=dockerfile
            )
            continue
        for spec in exports(build):
            if spec.mode == "max" or spec.type == "inline":
                continue
            if "mode" in spec.options:
                written = f"mode={spec.options['mode']}"
                edit = replace_in_value(ctx.pipeline.text, spec.value, written, "mode=max")
            else:
                edit = append_options(spec.value, ("mode=max",))
            fix = Fix(Safety.SAFE, [edit]) if edit is not None else None
            yield RULE.finding(
                spec.value.span,
                fix=fix,
                export=spec.value.text,
                stages=stages,
                dockerfile=dockerfile,
            )
