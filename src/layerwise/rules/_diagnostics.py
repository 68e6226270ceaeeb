"""BuildKit's own error texts as findings: what the model records that BuildKit refuses
(`model.diagnostics`, LW404-LW410) and what its parser rejects (LW400).

The English of each phrase is BuildKit's text itself, taken from where the model or the parser
keeps it, so a user can match a finding with what `docker build` prints; the rule adds only
the Korean, by the text's key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from layerwise.model.refusals import REFUSALS
from layerwise.rules.base import Rule, Severity
from layerwise.rules.texts import Phrase

if TYPE_CHECKING:
    from layerwise.errors import ErrorText
    from layerwise.model import DiagnosticKind
    from layerwise.rules.base import Finding, RuleContext


def error_phrases(texts: Iterable[ErrorText], korean: Mapping[str, str]) -> dict[str, Phrase]:
    """A phrase for each of `texts`, by key: BuildKit's English and `korean[key]` (a text
    missing there stays untranslated, and the translation test names it)."""
    phrases = {text.key: Phrase(text.template, korean.get(text.key, "")) for text in texts}
    unknown = korean.keys() - phrases.keys()
    if unknown:
        raise ValueError(f"Korean for texts BuildKit does not have: {sorted(unknown)}")
    return phrases


def refusal_phrases(kind: DiagnosticKind, korean: Mapping[str, str]) -> dict[str, Phrase]:
    """The phrases of every text a diagnostic of `kind` can have."""
    return error_phrases(REFUSALS[kind], korean)


def diagnostic_findings(ctx: RuleContext, rule: Rule, kind: DiagnosticKind) -> Iterator[Finding]:
    """One finding per diagnostic of `kind`, at its instruction, in the rule's phrase for it."""
    for diagnostic in ctx.model.diagnostics:
        if diagnostic.kind is kind:
            message = rule.text(diagnostic.text.key, **diagnostic.fields)
            yield rule.finding(diagnostic.instruction.span, message=message)


def refusal_rule(
    *,
    code: str,
    name: str,
    kind: DiagnosticKind,
    summary: str,
    summary_ko: str,
    korean: Mapping[str, str],
) -> tuple[Rule, Callable[[RuleContext], Iterator[Finding]]]:
    """The `RULE` and `check` of a rule that reports the model's diagnostics of `kind`: an
    error finding per diagnostic in BuildKit's words (and `korean`'s), also on a file with no
    stage at all."""
    rule = Rule(
        code=code,
        name=name,
        severity=Severity.ERROR,
        message="{message}",
        message_ko="{message}",
        summary=summary,
        summary_ko=summary_ko,
        phrases=refusal_phrases(kind, korean),
        needs_stages=False,
    )

    def check(ctx: RuleContext) -> Iterator[Finding]:
        yield from diagnostic_findings(ctx, rule, kind)

    return rule, check
