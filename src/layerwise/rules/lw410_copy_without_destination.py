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

from collections.abc import Iterator

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import diagnostic_findings
from layerwise.rules.base import Finding, Rule, RuleContext, Severity

RULE = Rule(
    code="LW410",
    name="copy-without-destination",
    severity=Severity.ERROR,
    message="{message}",
    summary="a `COPY` or `ADD` with a source and no destination",
    needs_stages=False,
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from diagnostic_findings(ctx, RULE, DiagnosticKind.COPY_WITHOUT_DESTINATION)
