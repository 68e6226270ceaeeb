"""Findings as text (ruff-like, for terminals), JSON, SARIF, GitHub annotations, GitLab Code
Quality, JUnit XML, and per-rule statistics."""

from layerwise.report.github import render_github
from layerwise.report.gitlab import render_gitlab
from layerwise.report.json_report import finding_dict, render_json
from layerwise.report.junit import render_junit
from layerwise.report.sarif import render_sarif
from layerwise.report.statistics import render_statistics, render_statistics_json
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
    "render_github",
    "render_gitlab",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_statistics",
    "render_statistics_json",
    "render_text",
    "summary_line",
    "unchecked_line",
    "would_fix_line",
]
