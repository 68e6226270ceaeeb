"""LW406 invalid-base-image-reference

## What it finds
A `FROM` whose base, after the global `ARG`s are substituted, is neither an earlier stage nor a
valid image reference: a template placeholder left in (`FROM alpine:%%TAG%%`,
`FROM REPLACE_ME`, `FROM ruby:<%= version %>`), upper case in the repository name, an empty
tag, or a base that expands to nothing. A base that is only wrong because an `ARG` without a
default is unset is not reported: the build may pass it with `--build-arg`.

## Why it matters
BuildKit parses every base image reference before it builds anything, so `docker build` fails
for every target with "failed to parse stage name ...: invalid reference format". layerwise
keeps the stage, with the base as written, so the other rules still check its instructions.

## Example
    FROM node:%%NODE_VERSION%%-slim
The build fails at line 1. Generate the file from the template first, or use a global `ARG`:
    ARG NODE_VERSION=22
    FROM node:${NODE_VERSION}-slim

## References
- Dockerfile reference: FROM, Understand how ARG and FROM interact
- distribution/reference: the image reference grammar"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

# BuildKit's "failed to parse stage name {base!r}: ...", the base as expanded.
_NOT_PARSED = "`{base}` 베이스 이미지 이름을 해석할 수 없습니다: "
RULE, check = refusal_rule(
    code="LW406",
    name="invalid-base-image-reference",
    kind=DiagnosticKind.INVALID_BASE_IMAGE_REFERENCE,
    summary="a `FROM` base that is no stage and no valid image reference",
    summary_ko="스테이지도 아니고 유효한 이미지 참조도 아닌 `FROM`의 베이스 이미지",
    korean={
        "blank-base": "베이스 이미지 이름으로 쓴 `{base}` 값이 빈 문자열로 확장됩니다",
        "reference-format": _NOT_PARSED + "이미지 참조 형식이 잘못되었습니다",
        "reference-lowercase": _NOT_PARSED + "저장소 이름은 소문자여야 합니다",
        "reference-hex": _NOT_PARSED + "64자리 16진수 문자열은 저장소 이름으로 쓸 수 없습니다",
        "reference-length": _NOT_PARSED + "저장소 이름은 255자를 넘을 수 없습니다",
    },
)
