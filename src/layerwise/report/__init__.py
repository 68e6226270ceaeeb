"""Findings as text (ruff-like, for terminals) and JSON (for machines)."""

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
