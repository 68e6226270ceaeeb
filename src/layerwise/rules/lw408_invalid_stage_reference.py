"""LW408 invalid-stage-reference

## What it finds
A reference between stages BuildKit cannot build: `COPY --from=<n>` with an index that names
no stage, `COPY --from` or `RUN --mount=from=` naming a stage defined later in the file, and
stages that depend on each other in a circle.

## Why it matters
An index out of range or a cycle fails every build ("invalid stage index", "circular
dependency detected on stage"); a stage that copies from a later one fails every build that
needs it ("cannot copy from stage ..., it needs to be defined before current stage"), and
Docker 20.10's frontend silently copies from that stage's base image instead. layerwise reads
on without the broken edge.

## Example
    FROM node:22 AS build
    COPY --from=assets /dist ./public
    FROM nginx AS assets
The `build` stage refers to `assets` before it is defined. Move the `assets` stage above it.

## References
- Dockerfile reference: COPY --from, RUN --mount
- moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go (validateCircularDependency)"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

RULE, check = refusal_rule(
    code="LW408",
    name="invalid-stage-reference",
    kind=DiagnosticKind.INVALID_STAGE_REFERENCE,
    summary="a stage reference BuildKit cannot build (bad index, later stage, cycle)",
    summary_ko="BuildKit이 빌드할 수 없는 스테이지 참조(잘못된 인덱스, 나중 스테이지, 순환)",
    korean={
        "stage-index": "스테이지 인덱스 {index}에 해당하는 스테이지가 없습니다",
        "copy-from-later": "`{source}` 스테이지에서 복사할 수 없습니다: "
        "복사해 올 스테이지는 현재 스테이지 `{current}`보다 먼저 정의되어야 합니다",
        "mount-from-later": "`{source}` 스테이지를 `{current}` 스테이지에 마운트할 수 "
        "없습니다: 마운트할 스테이지는 현재 명령어보다 먼저 정의되어야 합니다",
        "circular": "`{name}` 스테이지에서 순환 의존성이 발견되었습니다",
    },
)
