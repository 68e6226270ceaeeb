"""LW404 malformed-from

## What it finds
A `FROM` line BuildKit cannot read: a word count other than `FROM image` or
`FROM image AS name` (often a trailing `# comment`, which the Dockerfile syntax does not
allow there), a stage name that starts with a digit or holds other symbols than `-`, `_`
and `.` (`AS 1st`, `AS ${NAME}`), or a `--platform` that expands to nothing.

## Why it matters
BuildKit stops before it builds anything: `docker build` fails for every target with
"FROM requires either one or three arguments" or "invalid name for build stage". A stage
name is never expanded, so `AS ${NAME}` (accepted by some other builders) fails too.
layerwise reads the stage on, named as written, so the other rules still check it.

## Example
    FROM ubuntu:24.04 # the last release with gcc-mips
    FROM golang:1.22 AS 2-build
Either line stops the build. Move the comment to a line of its own, and start the stage
name with a letter: `FROM golang:1.22 AS build-2`.

## References
- Dockerfile reference: FROM
- moby/buildkit frontend/dockerfile/instructions/parse.go (parseBuildStageName)
- moby/buildkit issue 2618 (ARG in stage names is not supported)"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

RULE, check = refusal_rule(
    code="LW404",
    name="malformed-from",
    kind=DiagnosticKind.MALFORMED_FROM,
    summary="a `FROM` line BuildKit refuses (word count, stage name, empty platform)",
    summary_ko="BuildKit이 거부하는 `FROM` 줄(단어 수, 스테이지 이름, 빈 플랫폼)",
    korean={
        "from-arguments": "`FROM`에는 인수가 하나 또는 세 개여야 합니다",
        "stage-name": "잘못된 빌드 스테이지 이름 `{name}`: 스테이지 이름은 숫자로 시작하거나 "
        "기호를 포함할 수 없습니다",
        "empty-platform": "`--platform`에 쓴 `{expression}` 값이 빈 문자열로 확장됩니다",
    },
)
