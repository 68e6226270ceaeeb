"""Findings as a GitLab Code Quality report: a JSON array of issues for the merge request widget.

Each issue has `description`, `check_name`, `fingerprint`, `severity` and `location` (`path`
relative to the working directory, the repository root in a job, and `lines.begin`/`end`).
GitLab tells issues apart by fingerprint, so it must be unique and stable: see
`locations.fingerprints`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from layerwise.errors import LayerwiseError
from layerwise.report.locations import fingerprints, relative_path
from layerwise.rules.base import Finding, Severity

# GitLab's scale is info, minor, major, critical, blocker. An `error` finding breaks or bloats
# builds (major); a file layerwise could not read or parse will not build at all (blocker).
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
UNCHECKED = "blocker"


def _issue(
    description: str, check: str, fingerprint: str, severity: str, path: str, lines: range
) -> dict[str, Any]:
    return {
        "type": "issue",  # Code Climate's field; GitLab ignores it, other readers need it
        "description": description,
        "check_name": check,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": lines.start, "end": lines.stop}},
    }


def code_quality(
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str],
    errors: Sequence[LayerwiseError] = (),
    root: Path | None = None,
) -> list[dict[str, Any]]:
    """The report as data: files that could not be checked first, then findings in order."""
    base = Path.cwd() if root is None else root
    issues = []
    for error in errors:
        path = relative_path(error.path or "", base)
        key = "\0".join((path, "unchecked-file", error.message))
        line = error.line or 1
        fingerprint = hashlib.sha256(key.encode("utf-8")).hexdigest()
        issues.append(
            _issue(error.message, "unchecked-file", fingerprint, UNCHECKED, path, range(line, line))
        )
    ordered = sorted(findings, key=Finding.sort_key)
    for finding, fingerprint in zip(ordered, fingerprints(ordered, sources, base), strict=True):
        path = relative_path(finding.path or "", base)
        description = f"{finding.code} {finding.name}: {finding.message}"
        lines = range(finding.span.start_line, finding.span.end_line)
        severity = SEVERITIES[finding.severity]
        issues.append(_issue(description, finding.code, fingerprint, severity, path, lines))
    return issues


def render_gitlab(
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str],
    errors: Sequence[LayerwiseError] = (),
    root: Path | None = None,
) -> str:
    issues = code_quality(findings, sources=sources, errors=errors, root=root)
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
