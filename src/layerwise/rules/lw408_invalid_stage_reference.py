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

from collections.abc import Iterator

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import diagnostic_findings
from layerwise.rules.base import Finding, Rule, RuleContext, Severity

RULE = Rule(
    code="LW408",
    name="invalid-stage-reference",
    severity=Severity.ERROR,
    message="{message}",
    summary="a stage reference BuildKit cannot build (bad index, later stage, cycle)",
    needs_stages=False,
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from diagnostic_findings(ctx, RULE, DiagnosticKind.INVALID_STAGE_REFERENCE)
