"""Findings as text (ruff-like, for terminals) and JSON here; SARIF, GitHub annotations, GitLab
Code Quality, JUnit XML and per-rule statistics in their own modules, loaded by `formats` only
when asked for (a plain `check` should not pay for them)."""

from layerwise.report.json_report import finding_dict, render_json
from layerwise.report.text import (
    Counts,
    code_frame,
    render_applied,
    render_text,
    summary_line,
    unchecked_line,
    would_fix_line,
)

__all__ = [
    "Counts",
    "code_frame",
    "finding_dict",
    "render_applied",
    "render_json",
    "render_text",
    "summary_line",
    "unchecked_line",
    "would_fix_line",
]
