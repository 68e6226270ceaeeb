"""LW407 invalid-variable-substitution

## What it finds
A word BuildKit cannot expand, in an instruction whose arguments it expands (`FROM`, `ARG`,
`ENV`, `COPY`, `ADD`, `WORKDIR`, `USER`, `LABEL`...): a modifier it does not know
(`${templateOption:imageVariant}`), a `${` without its `}`, an unterminated quote, or a
`${NAME:?message}` whose variable is unset or empty. A `${NAME:?}` on an `ARG` declared without
a default is not reported: the build may set it with `--build-arg`.

## Why it matters
BuildKit stops with "failed to process ...: unsupported modifier" or "missing '}'": in a `FROM`
line or a global `ARG` every build fails, inside a stage every build that needs the stage.
Template syntax of another tool is the usual cause. layerwise keeps the word as written and
checks the rest.

## Example
    ENV IMAGE_VARIANT=${templateOption:imageVariant}
BuildKit knows `${NAME:-default}`, `${NAME:+alt}`, `${NAME:?message}` and, in newer frontends,
`#`, `%` and `/` patterns; `:i` is none of them. Fill in the template first.

## References
- Dockerfile reference: Environment replacement
- moby/buildkit frontend/dockerfile/shell/lex.go (processDollar)"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.model import DiagnosticKind
from layerwise.rules._diagnostics import diagnostic_findings
from layerwise.rules.base import Finding, Rule, RuleContext, Severity

RULE = Rule(
    code="LW407",
    name="invalid-variable-substitution",
    severity=Severity.ERROR,
    message="{message}",
    summary="a `$` substitution BuildKit cannot expand",
    needs_stages=False,
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from diagnostic_findings(ctx, RULE, DiagnosticKind.INVALID_VARIABLE_SUBSTITUTION)
