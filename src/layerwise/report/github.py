"""Findings as GitHub Actions workflow commands: each becomes an annotation on the file.

    ::warning file=Dockerfile,line=4,col=5,endLine=4,endColumn=10,title=LW101::`npm ci` ...

Paths are relative to the working directory (the checkout, in a workflow). Columns count code
points as in the text report; GitHub's `endColumn` is the last annotated column (inclusive),
and columns are sent only for a finding on one line, which is all GitHub accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from layerwise.errors import LayerwiseError
from layerwise.report.locations import relative_path
from layerwise.rules.base import Finding, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message, escaped as the Actions runner reads it (`%`, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as a message, plus `:` and `,`, which end properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: Sequence[tuple[str, object]]) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}"


def annotation(finding: Finding, root: Path) -> str:
    span = finding.span
    props: list[tuple[str, object]] = [
        ("file", relative_path(finding.path or "", root)),
        ("line", span.start_line),
        ("endLine", span.end_line),
    ]
    if span.start_line == span.end_line:
        props[2:2] = [("col", span.start_col)]
        props.append(("endColumn", max(span.start_col, span.end_col - 1)))
    props.append(("title", f"{finding.code} {finding.name}"))
    message = finding.message
    if finding.fix is not None:
        unsafe = "" if finding.fix.safety == "safe" else " (unsafe)"
        message += f"\nfix{unsafe}: {finding.fix.title}"
    return command(COMMANDS[finding.severity], message, props)


def error_annotation(error: LayerwiseError, root: Path) -> str:
    props: list[tuple[str, object]] = []
    if error.path is not None:
        props.append(("file", relative_path(error.path, root)))
        if error.line is not None:
            props.append(("line", error.line))
            if error.col is not None:
                props.append(("col", error.col))
    props.append(("title", "layerwise: file not checked"))
    hint = f"\nhint: {error.hint}" if error.hint else ""
    return command("error", error.message + hint, props)


def render_github(
    findings: Sequence[Finding], *, errors: Sequence[LayerwiseError] = (), root: Path | None = None
) -> str:
    """One workflow command per line: files that could not be checked, then the findings."""
    base = Path.cwd() if root is None else root
    lines = [error_annotation(e, base) for e in errors]
    lines += [annotation(f, base) for f in sorted(findings, key=Finding.sort_key)]
    return "".join(line + "\n" for line in lines)
