"""What the model records that BuildKit refuses (`model.diagnostics`), as findings.

The LW404-LW409 rules each report one kind; the message is BuildKit's own, so a user can
match it with what `docker build` prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layerwise.model import DiagnosticKind
    from layerwise.rules.base import Finding, Rule, RuleContext


def diagnostic_findings(ctx: RuleContext, rule: Rule, kind: DiagnosticKind) -> Iterator[Finding]:
    """One finding per diagnostic of `kind`, at its instruction."""
    for diagnostic in ctx.model.diagnostics:
        if diagnostic.kind is kind:
            yield rule.finding(diagnostic.instruction.span, message=diagnostic.message)
