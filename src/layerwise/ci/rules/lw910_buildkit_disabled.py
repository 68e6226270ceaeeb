"""LW910 buildkit-disabled

## What it finds
`DOCKER_BUILDKIT=0` (or `false`) in a pipeline: in an environment block, `env:`/`variables:`, an
`export`, or before a `docker build`.

## Why it matters
It makes `docker build` use the legacy builder: every stage is built whether the target needs
it or not, one after the other; `RUN --mount` (cache mounts, secrets) is a syntax error;
`--cache-to`, cache mounts, multi-platform builds and `COPY --link` do not exist there, and the
legacy builder is deprecated. With BuildKit (the default since Docker 23) only the stages the
target needs are built, in parallel.

## Example
    environment { DOCKER_BUILDKIT = '0' }
After the fix:
    environment { DOCKER_BUILDKIT = '1' }

## Fix safety
Unsafe: a Dockerfile that relied on the legacy builder building every stage (a side effect of
an unused stage) builds differently.

## References
- Docker docs: BuildKit (enable/disable); Legacy builder deprecation
- buildkit-facts.md: Cache keys (BuildKit builds only the stages the target needs)"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.rules._support import replace_in_value
from layerwise.rules.base import Finding, Fix, Rule, Safety, Severity

RULE = Rule(
    code="LW910",
    name="buildkit-disabled",
    severity=Severity.WARNING,
    scope="pipeline",
    message="`{setting}` builds with the legacy builder: no cache mounts, no `--cache-to`, "
    "every stage built",
    fix_title="Set `DOCKER_BUILDKIT=1`",
    message_ko="`{setting}`이면 레거시 빌더로 빌드합니다. 캐시 마운트와 `--cache-to`가 없고 모든 "
    "스테이지를 빌드합니다",
    fix_title_ko="`DOCKER_BUILDKIT=1`로 설정",
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    for setting in ctx.pipeline.buildkit_settings:
        value = setting.text.partition("=")[2].strip().strip("'\"")
        if value.lower() not in ("0", "false"):
            continue
        edit = replace_in_value(ctx.pipeline.text, setting, value, "1")
        fix = Fix(Safety.UNSAFE, [edit]) if edit is not None else None
        yield RULE.finding(setting.span, fix=fix, setting=f"DOCKER_BUILDKIT={value}")
