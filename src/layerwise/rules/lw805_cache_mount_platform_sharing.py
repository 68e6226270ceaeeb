"""LW805 cache-mount-platform-sharing

## What it finds
TODO.

## Why it matters
TODO.

## Example
TODO.

## References
- TODO"""

from __future__ import annotations

from collections.abc import Iterator

from layerwise.rules.base import Finding, Rule, RuleContext, Severity

RULE = Rule(code="LW805", name="cache-mount-platform-sharing", severity=Severity.WARNING, message="TODO")


def check(ctx: RuleContext) -> Iterator[Finding]:
    return iter(())
