"""LW802 constant-from-platform

## What it finds
A `FROM --platform=` with a constant value (`FROM --platform=linux/amd64 node:20`): the
pattern Docker's build check FromPlatformFlagConstDisallowed reports. As in BuildKit's check,
a value that uses any variable is left alone, and so is a stage whose name contains the
platform's OS or architecture (`AS build-amd64`, `AS linux-tools`): that name says the pin is
deliberate. Architecture aliases are read the way containerd reads them (`x86_64` is `amd64`,
`aarch64` is `arm64`, `armel` is `arm` v6). A value containerd cannot read as a platform, such as a
single word that is neither an OS nor an architecture (`--platform=foo`), is left alone too: the
build fails on that line, and BuildKit's check skips it.

## Why it matters
The stage is built for that platform whatever the build asks for. In a multi-platform build
(`--platform linux/amd64,linux/arm64`) the arm64 image then gets amd64 files from it, or, on an
arm64 builder, the stage runs under QEMU emulation, often many times slower. A single-platform
build on another machine (an arm64 laptop, a Graviton CI agent) is affected the same way.

## Example
    FROM --platform=linux/amd64 golang:1.22 AS build
Either of these says what is meant:
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    FROM --platform=linux/amd64 golang:1.22 AS build-amd64

## Fix safety
No fix: the right value depends on what the stage is for. `$BUILDPLATFORM` suits a stage that
only prepares files every platform can use (a JavaScript bundle, cross-compiled binaries);
removing the flag suits a stage whose programs end up in the image; a name with the platform
keeps a deliberate pin. Each changes what the build produces.

## References
- Docker docs, Build checks: FromPlatformFlagConstDisallowed
- BuildKit: frontend/dockerfile/dockerfile2llb/convert.go (reportConstPlatformDisallowed)
- buildkit-facts.md: Multi-platform"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.model.platforms import parse_platform
from layerwise.rules._platforms import from_platforms
from layerwise.rules.base import Finding, Rule, RuleContext, Severity

RULE = Rule(
    code="LW802",
    name="constant-from-platform",
    severity=Severity.WARNING,
    message="`{flag}` builds this stage for `{platform}` whatever platform the build targets",
    summary="`FROM --platform=` with a constant value (FromPlatformFlagConstDisallowed)",
    message_ko="`{flag}` 때문에 이 스테이지는 빌드가 어떤 플랫폼을 대상으로 하든 "
    "`{platform}`용으로 빌드됩니다",
    summary_ko="상수 값을 쓴 `FROM --platform=`(FromPlatformFlagConstDisallowed)",
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage, flag, found in from_platforms(ctx):
        if found.used or found.missing:
            continue  # a variable: not a constant, whatever it expands to
        platform = parse_platform(found.text)
        if platform is None:
            continue  # BuildKit fails on it later; not this check's business
        name = stage.name or ""
        # BuildKit's exception: a stage named for the platform is pinned on purpose.
        if name and any(part and part in name for part in (platform.os, platform.arch)):
            continue
        yield RULE.finding(flag.span, flag=flag.text, platform=found.text)
