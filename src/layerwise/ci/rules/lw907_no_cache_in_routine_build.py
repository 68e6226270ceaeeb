"""LW907 no-cache-in-routine-build

## What it finds
`--no-cache` on a pipeline's image build (`no-cache: true` for docker/build-push-action).

## Why it matters
`--no-cache` runs every step of every stage whatever the builder or an imported cache holds:
each pipeline run pays for the full dependency install and compile, and pushes new layers for
all of them even when nothing changed. For a fresh base image, `--pull` alone is enough; to
rebuild one step, change its input or use `--no-cache-filter <stage>`.

## Example
    docker buildx build --no-cache --push -t $IMAGE .
After the fix:
    docker buildx build --push -t $IMAGE .

## Fix safety
Unsafe: a pipeline may rely on `--no-cache` to pick up something its Dockerfile does not pin
(a `git clone` of a branch, `apt-get upgrade`); review before applying.

## References
- Docker docs: docker buildx build --no-cache, --no-cache-filter
- buildkit-facts.md: Cache keys"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.ci.context import PipelineContext
from layerwise.ci.dockerfiles import BAKE
from layerwise.ci.rules._support import command, replace_in_value
from layerwise.rules.base import Finding, Fix, Rule, Safety, Severity
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW907",
    name="no-cache-in-routine-build",
    severity=Severity.WARNING,
    scope="pipeline",
    message="`{command}` runs with `--no-cache`: every step of every stage runs on every build",
    fix_title="Remove `--no-cache`",
    message_ko="`{command}`가 `--no-cache`로 실행됩니다. 매 빌드마다 모든 스테이지의 모든 단계가 "
    "실행됩니다",
    fix_title_ko="`--no-cache` 제거",
    fix_safety=(Safety.UNSAFE,),
)


def check(ctx: PipelineContext) -> Iterator[Finding]:
    text = ctx.pipeline.text
    for build in ctx.image_builds:
        flag = build.no_cache
        if flag is None:
            continue
        edit: Edit | None = None
        if build.kind in ("build-push-action", BAKE):
            edit = replace_in_value(text, flag, "true", "false")
        elif flag.editable and text[flag.span.start : flag.span.end] == "--no-cache":
            start = flag.span.start
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            edit = Edit(start, flag.span.end, "")
        fix = Fix(Safety.UNSAFE, [edit]) if edit is not None else None
        yield RULE.finding(flag.span, fix=fix, command=command(build))
