"""LW803 redundant-target-platform

## What it finds
A `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`): the pattern Docker's build check
RedundantTargetPlatform reports. As in BuildKit's check, the flag must name `TARGETPLATFORM`
and nothing else; `--platform=$TARGETOS/$TARGETARCH` or a value built from other ARGs is left
alone. Unlike BuildKit's check, silent when the file gives `TARGETPLATFORM` a default before
the first FROM (`ARG TARGETPLATFORM=linux/amd64`): the default replaces the automatic value, so
the flag pins that platform and removing it would change what the stage is built for.

## Why it matters
A stage without `--platform` already runs on the target platform, so the flag says nothing and
every build with checks on warns about it. Worse, it reads as if it did something: next to a
`--platform=$BUILDPLATFORM` stage it hides which stages really run natively and which run under
emulation on a multi-platform build.

## Example
    FROM --platform=$TARGETPLATFORM debian:bookworm-slim
After the fix:
    FROM debian:bookworm-slim

## Fix safety
Safe when the stage is built on an image: without the flag BuildKit uses the target platform,
the value the flag gives. No fix when the base is another stage of the file, or when a
`--build-arg TARGETPLATFORM=...` was given for the check (then the flag no longer equals the
default).

## References
- Docker docs, Build checks: RedundantTargetPlatform
- BuildKit: frontend/dockerfile/dockerfile2llb/convert.go (reportRedundantTargetPlatform)
- buildkit-facts.md: Multi-platform"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.rules._platforms import from_platforms
from layerwise.rules.base import Finding, Fix, Rule, RuleContext, Safety, Severity
from layerwise.syntax.span import Edit

RULE = Rule(
    code="LW803",
    name="redundant-target-platform",
    severity=Severity.INFO,
    message="`{flag}` is the default: a stage runs on the target platform without it",
    fix_title="Remove `{flag}`",
    summary="`FROM --platform=$TARGETPLATFORM`, the default (RedundantTargetPlatform)",
    message_ko="`{flag}`는 기본값입니다. 이 플래그 없이도 스테이지는 대상 플랫폼에서 실행됩니다",
    fix_title_ko="`{flag}` 제거",
    summary_ko="기본값인 `FROM --platform=$TARGETPLATFORM`(RedundantTargetPlatform)",
    fix_safety=(Safety.SAFE,),
)
# A value no real platform has: the expanded flag equals it only for `$TARGETPLATFORM` alone.
_SENTINEL = "\0target-platform"


def check(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.model.global_args.get("TARGETPLATFORM") not in (None, "$TARGETPLATFORM"):
        # `ARG TARGETPLATFORM=linux/amd64` before the first FROM replaces the automatic value
        # (seen on BuildKit 0.13): the flag pins that platform, it is no default. BuildKit's
        # check compares with the replaced value and still reports it; its message is wrong.
        return
    overridden = "TARGETPLATFORM" in ctx.model.build_args
    for stage, flag, found in from_platforms(ctx, {"TARGETPLATFORM": _SENTINEL}):
        if found.used != {"TARGETPLATFORM"} or found.missing or found.text != _SENTINEL:
            continue
        fix = None
        if stage.base_stage is None and not overridden:
            end = flag.start + len(flag.text) + len(flag.after)
            fix = Fix(Safety.SAFE, [Edit(flag.start, end, "")])
        yield RULE.finding(flag.span, fix=fix, flag=flag.text)
