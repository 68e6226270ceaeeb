"""The report formats for machines beside JSON, by the name `--output-format` gives them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from layerwise.errors import LayerwiseError
from layerwise.rules.base import Finding

CI_FORMATS = ("sarif", "github", "gitlab", "junit")
STATISTICS_FORMATS = ("text", "json")


def render_for(
    name: str,
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str],
    errors: Sequence[LayerwiseError] = (),
    statistics: bool = False,
    unsafe: bool = False,
) -> str:
    """The whole report in format `name` (one of CI_FORMATS, or with `statistics` one of
    STATISTICS_FORMATS). `sources` maps each checked file's path to the text the findings'
    spans point into; `errors` are the files that could not be checked."""
    # Each format's module is imported when asked for: a plain `check` loads none of them.
    if statistics:
        from layerwise.report.statistics import render_statistics, render_statistics_json

        if name not in STATISTICS_FORMATS:
            raise ValueError(f"no statistics in format {name!r}")
        render = render_statistics_json if name == "json" else render_statistics
        return render(findings, unsafe=unsafe)
    if name == "sarif":
        from layerwise.report.sarif import render_sarif

        return render_sarif(findings, sources=sources, errors=errors)
    if name == "github":
        from layerwise.report.github import render_github

        return render_github(findings, errors=errors)
    if name == "gitlab":
        from layerwise.report.gitlab import render_gitlab

        return render_gitlab(findings, sources=sources, errors=errors)
    if name == "junit":
        from layerwise.report.junit import render_junit

        return render_junit(findings, checked=list(sources), errors=errors)
    raise ValueError(f"no report format {name!r}")
