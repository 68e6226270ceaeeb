"""LW410 copy-without-destination

## What it finds
A `COPY` or `ADD` with a single argument: a source and no destination (`COPY app.py`,
`COPY --from=build`), often a destination lost to a line continuation or a template.

## Why it matters
BuildKit stops before it builds anything: "COPY requires at least two arguments, but only one
was provided. Destination could not be determined". layerwise leaves the instruction out of its
stage and checks the rest.

## Example
    COPY --from=build /app/dist
The build fails here. Name the destination: `COPY --from=build /app/dist ./dist`.

## References
- Dockerfile reference: COPY, ADD
- moby/buildkit frontend/dockerfile/instructions/parse.go (parseCopy, parseAdd)"""

from __future__ import annotations

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import refusal_rule

RULE, check = refusal_rule(
    code="LW410",
    name="copy-without-destination",
    kind=DiagnosticKind.COPY_WITHOUT_DESTINATION,
    summary="a `COPY` or `ADD` with a source and no destination",
    summary_ko="원본만 있고 대상이 없는 `COPY`나 `ADD`",
    korean={
        "one-argument": "`{keyword}`에는 인수가 두 개 이상 필요하지만 하나만 주어졌습니다",
    },
)
