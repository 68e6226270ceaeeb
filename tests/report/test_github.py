"""GitHub Actions workflow commands: properties, escaping, severities, unchecked files."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.errors import LayerwiseError
from layerwise.report.github import escape_data, escape_property, render_github
from layerwise.rules.base import Finding, Fix, Safety, Severity
from layerwise.syntax import parse
from layerwise.syntax.span import Edit

SOURCE = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"


def finding(
    severity: Severity = Severity.WARNING,
    *,
    path: str = "Dockerfile",
    message: str = "`npm ci` runs after `COPY . .`",
    fix: Fix | None = None,
) -> Finding:
    start = SOURCE.index("npm ci")
    span = parse(SOURCE).span(start, start + 6)
    return Finding("LW101", "install-after-broad-copy", severity, message, span, path, fix)


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation_has_every_property(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = render_github([finding(path=str(tmp_path / "svc" / "Dockerfile"))])
    assert out == (
        "::warning file=svc/Dockerfile,line=4,col=5,endLine=4,endColumn=10,"
        "title=LW101 install-after-broad-copy::`npm ci` runs after `COPY . .`\n"
    )


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
)
def test_severity_picks_the_command(severity: Severity, command: str) -> None:
    assert render_github([finding(severity)]).startswith(f"::{command} file=")


def test_message_and_properties_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fix = Fix(Safety.UNSAFE, [Edit(0, 1, "x")], "Use 100% of it")
    out = render_github([finding(path="a,b:c%.Dockerfile", message="line1\nline2 50%", fix=fix)])
    assert out.startswith("::warning file=a%2Cb%3Ac%25.Dockerfile,line=4,")
    assert out.endswith("::line1%0Aline2 50%25%0Afix (unsafe): Use 100%25 of it\n")
    assert out.count("\n") == 1


def test_multiline_finding_gets_no_columns() -> None:
    tree = parse(SOURCE)
    span = tree.span(SOURCE.index("COPY"), SOURCE.index("npm ci") + 6)  # lines 3 to 4
    two_lines = Finding("LW101", "install-after-broad-copy", Severity.WARNING, "m", span, "D")
    out = render_github([two_lines])
    # GitHub accepts columns only when the annotation starts and ends on one line.
    assert out == "::warning file=D,line=3,endLine=4,title=LW101 install-after-broad-copy::m\n"


def test_unchecked_files_are_error_annotations() -> None:
    error = LayerwiseError("unknown instruction `FORM`", path="Dockerfile", line=3, col=1,
                           hint="did you mean `FROM`?")  # fmt: skip
    out = render_github([], errors=[error, LayerwiseError("binary file", path="x.Dockerfile")])
    assert out.splitlines() == [
        "::error file=Dockerfile,line=3,col=1,title=layerwise%3A file not checked::"
        "unknown instruction `FORM`%0Ahint: did you mean `FROM`?",
        "::error file=x.Dockerfile,title=layerwise%3A file not checked::binary file",
    ]


def test_nothing_to_report_prints_nothing() -> None:
    assert render_github([]) == ""
