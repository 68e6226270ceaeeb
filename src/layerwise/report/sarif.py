"""Findings as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Columns and the fixes' regions are in UTF-16 code units (`run.columnKind` says so; it is
SARIF's default unit, so readers that ignore `columnKind` agree), converted from layerwise's
code-point offsets with the file's text. Lines end after `\\n`; a BOM takes no column. A region's
`endColumn` is the column just past its last character. Paths are relative to the working
directory under the `%SRCROOT%` base id (its absolute URI is in `originalUriBaseIds`); files
outside it get an absolute `file:` URI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib.metadata import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import layerwise
from layerwise.docs import rule_markdown
from layerwise.errors import LayerwiseError
from layerwise.report.locations import Utf16Lines, fingerprints, relative_path
from layerwise.rules.base import Finding, Fix, Severity
from layerwise.rules.registry import FIX_HEADING, Registered, all_rules, section
from layerwise.syntax.span import Span

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# What each family of rules is about (README's catalogue), as tags viewers can filter on.
FAMILY_TAGS = {
    "LW1": "layer-order",
    "LW2": "cache-mounts",
    "LW3": "stages-and-image-content",
    "LW4": "buildkit-syntax",
    "LW5": "system-packages",
    "LW6": "build-context",
    "LW7": "secrets",
    "LW8": "multi-platform",
    "LW9": "ci",
}
Json = dict[str, Any]


def _text(value: str) -> Json:
    return {"text": value}


def _uri(path: str, root: Path) -> Json:
    relative = relative_path(path, root)
    if Path(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SRCROOT}


def rule_descriptor(registered: Registered) -> Json:
    """A rule's reportingDescriptor: identity, texts from its docstring, level and fix safety."""
    rule = registered.rule
    what = " ".join((section(rule.doc, "What it finds") or rule.summary).split())
    properties: Json = {
        "tags": ["layerwise", "build-performance", FAMILY_TAGS.get(rule.family, rule.family)],
        "status": rule.status,
        "fixable": rule.fixable,
    }
    fix_safety = section(rule.doc, FIX_HEADING)
    if fix_safety:
        properties["fixSafety"] = " ".join(fix_safety.split())
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": _text(rule.summary),
        "fullDescription": _text(what),
        "help": {"text": rule.doc, "markdown": rule_markdown(registered)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def information_uri() -> str | None:
    """The project's home page from the package metadata (`[project.urls]`), when it has one."""
    urls = metadata("layerwise").get_all("Project-URL") or []
    pages = dict(url.split(", ", 1) for url in urls if ", " in url)
    return pages.get("Homepage") or pages.get("Repository") or pages.get("Documentation")


class _Regions:
    """Spans and edits as SARIF regions of one file's text (UTF-16 columns)."""

    def __init__(self, source: str | None) -> None:
        self._lines = Utf16Lines(source) if source is not None else None

    @property
    def has_text(self) -> bool:
        return self._lines is not None

    def of_offsets(self, start: int, end: int) -> Json:
        if self._lines is None:
            raise ValueError("a region from offsets needs the file's text")
        start_line, start_col = self._lines.position(start)
        end_line, end_col = self._lines.position(end)
        return {
            "startLine": start_line,
            "startColumn": start_col,
            "endLine": end_line,
            "endColumn": end_col,
        }

    def of_span(self, span: Span) -> Json:
        if self._lines is not None:
            return self.of_offsets(span.start, span.end)
        # No text (a caller that only has findings): lines only, since the span's code-point
        # columns would be wrong UTF-16 columns on a line with characters beyond the BMP.
        return {"startLine": span.start_line, "endLine": span.end_line}


def _fix(fix: Fix, location: Json, regions: _Regions) -> Json:
    # Last edit first: applying them one after another in this order, or each against the
    # original text, gives the same result, whichever reading a consumer takes.
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end), reverse=True)
    replacements = []
    for edit in edits:
        replacement: Json = {"deletedRegion": regions.of_offsets(edit.start, edit.end)}
        if edit.new_text:
            replacement["insertedContent"] = _text(edit.new_text)
        replacements.append(replacement)
    return {
        "description": _text(fix.title),
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
        "properties": {"safety": str(fix.safety)},
    }


def _result(
    finding: Finding, index: int | None, fingerprint: str, regions: _Regions, root: Path
) -> Json:
    location = _uri(finding.path or "", root)
    result: Json = {"ruleId": finding.code}
    if index is not None:  # a finding of no registered rule keeps its id alone
        result["ruleIndex"] = index
    result |= {
        "level": LEVELS[finding.severity],
        "message": _text(finding.message),
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": regions.of_span(finding.span),
                }
            }
        ],
        "partialFingerprints": {"layerwise/v1": fingerprint},
    }
    # Without the text there is no exact UTF-16 region to replace: no fix rather than a wrong one.
    if finding.fix is not None and finding.fix.edits and not finding.fix.files and regions.has_text:
        result["fixes"] = [_fix(finding.fix, location, regions)]
    return result


def _notification(error: LayerwiseError, root: Path) -> Json:
    notification: Json = {
        "level": "error",
        "message": _text(error.message + (f" (hint: {error.hint})" if error.hint else "")),
        "descriptor": {"id": "unchecked-file"},
    }
    if error.path is not None:
        physical: Json = {"artifactLocation": _uri(error.path, root)}
        if error.line is not None:
            # The line only: the error's column counts code points, and the text that would
            # turn it into UTF-16 units is what could not be read or parsed.
            physical["region"] = {"startLine": error.line}
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


def sarif_log(
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str],
    errors: Sequence[LayerwiseError] = (),
    root: Path | None = None,
) -> Json:
    """The SARIF log of one run: every rule's metadata, one result per finding, and a
    notification per file that could not be checked (then `executionSuccessful` is false).
    `sources` maps a finding's path to the text its span points into; a finding whose text is
    missing gets a region of lines only and no fix."""
    base = Path.cwd() if root is None else root
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    ordered = sorted(findings, key=Finding.sort_key)
    driver: Json = {"name": "layerwise", "version": layerwise.__version__}
    uri = information_uri()
    if uri is not None:
        driver["informationUri"] = uri
    driver["semanticVersion"] = layerwise.__version__
    driver["rules"] = [rule_descriptor(r) for r in rules]
    regions = {path: _Regions(sources.get(path)) for path in {f.path or "" for f in ordered}}
    results = [
        _result(f, index.get(f.code), fp, regions[f.path or ""], base)
        for f, fp in zip(ordered, fingerprints(ordered, sources, base), strict=True)
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [
                    {
                        "executionSuccessful": not errors,
                        "toolExecutionNotifications": [_notification(e, base) for e in errors],
                    }
                ],
                "originalUriBaseIds": {SRCROOT: {"uri": base.resolve().as_uri().rstrip("/") + "/"}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


def render_sarif(
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str],
    errors: Sequence[LayerwiseError] = (),
    root: Path | None = None,
) -> str:
    """`sarif_log` as indented JSON (non-ASCII kept as is: the file is UTF-8)."""
    log = sarif_log(findings, sources=sources, errors=errors, root=root)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
