"""Findings and parse errors as LSP diagnostics."""

from __future__ import annotations

from lsprotocol import types

from layerwise.lsp.analysis import Analysis, error_offset
from layerwise.lsp.options import ServerOptions
from layerwise.lsp.positions import LineTable
from layerwise.rules.base import Finding, Severity
from layerwise.rules.lw400_dockerfile_syntax_error import syntax_error
from layerwise.syntax.messages import DockerfileSyntaxError

SOURCE = "layerwise"
PARSE_ERROR_CODE = "parse-error"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def finding_range(table: LineTable, finding: Finding) -> types.Range:
    return table.range(finding.span.start, finding.span.end)


def diagnostic(table: LineTable, finding: Finding, options: ServerOptions) -> types.Diagnostic:
    href = options.rule_docs_href(finding.code)
    return types.Diagnostic(
        range=finding_range(table, finding),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href) if href is not None else None,
        source=SOURCE,
    )


def diagnostics(
    analysis: Analysis, table: LineTable, options: ServerOptions
) -> list[types.Diagnostic]:
    """One diagnostic per finding; a text that does not parse gets one error diagnostic from
    the parser's position to the end of that line."""
    if analysis.error is not None:
        start = error_offset(analysis.text, analysis.error)
        line = table.position(start).line
        end = max(start, table.ends[line])
        return [
            types.Diagnostic(
                range=table.range(start, end),
                message=_error_message(analysis),
                severity=types.DiagnosticSeverity.Error,
                code=PARSE_ERROR_CODE,
                source=SOURCE,
            )
        ]
    return [diagnostic(table, f, options) for f in analysis.findings]


def _error_message(analysis: Analysis) -> str:
    """The parser's error as LW400 words it, in the server's language."""
    error = analysis.error
    assert error is not None
    if isinstance(error, DockerfileSyntaxError):
        finding = syntax_error(error, analysis.text)
        return finding.localized(analysis.settings.lang).message
    return error.message


def bug_diagnostic(message: str) -> types.Diagnostic:
    """Shown when checking a document raised: a layerwise bug, reported instead of a crash."""
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        message=f"layerwise could not check this file (a layerwise bug): {message}",
        severity=types.DiagnosticSeverity.Error,
        code="internal-error",
        source=SOURCE,
    )
