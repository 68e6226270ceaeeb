"""Findings as JSON for machines: one object with the findings, what was fixed, and errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from layerwise.rules.base import Finding


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding as plain data; positions are 1-based lines/columns, edits use file offsets."""
    span = finding.span
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": str(finding.fix.safety),
            "title": finding.fix.title,
            "edits": [
                {"start": e.start, "end": e.end, "content": e.new_text} for e in finding.fix.edits
            ],
        }
        if finding.fix.files:  # lines added to context files (a .dockerignore entry)
            fix["files"] = [{"path": f.path, "add_lines": list(f.lines)} for f in finding.fix.files]
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "path": finding.path,
        "location": {"line": span.start_line, "column": span.start_col},
        "end_location": {"line": span.end_line, "column": span.end_col},
        "fix": fix,
    }


def render_json(
    findings: Sequence[Finding],
    *,
    fixed: Sequence[Finding] = (),
    errors: Sequence[str] = (),
) -> str:
    """`{"findings": [...], "fixed": [...], "errors": [...]}`, findings sorted by file and line."""
    data = {
        "findings": [finding_dict(f) for f in sorted(findings, key=Finding.sort_key)],
        "fixed": [finding_dict(f) for f in fixed],
        "errors": list(errors),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
