"""LW405 instruction-before-from

## What it finds
An instruction other than `ARG` above the first `FROM`, or a file with no `FROM` at all.
Fragments that a script pastes into a Dockerfile, and templates whose `FROM` line is
generated, look like this.

## Why it matters
Only `ARG` may come before the first `FROM` (for the `FROM` lines to use); BuildKit fails
the whole build with "no build stage in current context", or "dockerfile contains no stages
to build" when there is no `FROM`. layerwise reports the first such instruction and leaves
those instructions out of every stage; the rules that read stages check the rest of the file.

## Example
    LABEL maintainer=team@example.com
    FROM debian:bookworm
The build fails at line 1. Move the `LABEL` below the `FROM`.

## References
- Dockerfile reference: Format, Understand how ARG and FROM interact
- moby/buildkit frontend/dockerfile/instructions/parse.go (Parse, CurrentStage)"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

RULE, check = refusal_rule(
    code="LW405",
    name="instruction-before-from",
    kind=DiagnosticKind.INSTRUCTION_BEFORE_FROM,
    summary="an instruction other than `ARG` before the first `FROM`, or no `FROM` at all",
    summary_ko="첫 `FROM` 앞에 있는 `ARG`가 아닌 명령어, 또는 `FROM`이 하나도 없는 파일",
    korean={
        "no-build-stage": "이 명령어가 속할 빌드 스테이지가 없습니다"
        "(첫 `FROM` 앞에는 `ARG`만 올 수 있음)",
        "no-stages": "빌드할 스테이지가 없습니다: `FROM`이 하나도 없습니다",
    },
)
