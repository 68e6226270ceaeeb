"""`layerwise check --output-format sarif|github|gitlab|junit` and `--statistics`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from layerwise.cli.app import main

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "report" / "data" / "sarif-schema-2.1.0.json").read_text()
)
DIRTY = "FROM node:20 as build\nRUN apt install -y curl\nRUN apt install -y git\n"
CLEAN = "FROM node:20 AS build\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with one Dockerfile with findings, one clean, one unparsable."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(DIRTY)
    (tmp_path / "clean.Dockerfile").write_text(CLEAN)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_sarif(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--output-format", "sarif", "--select", "LW5", "."], capsys)
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["LW501", "LW503", "LW501", "LW503"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "Dockerfile"
    }
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_after_fix_reports_what_is_left_on_the_fixed_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["--fix", "--output-format", "sarif", "--select", "LW501,LW503", "."], capsys
    )
    assert code == 1  # LW503's fix is unsafe: the findings stay
    results = json.loads(out)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["LW503", "LW503"]
    # Columns on the written file: `apt-get install` now starts at column 5.
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 5)
    assert "apt-get install" in (project / "Dockerfile").read_text()


def test_github(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--output-format", "github", "--select", "LW501", "."], capsys)
    assert code == 1
    assert out.splitlines() == [
        "::warning file=Dockerfile,line=2,col=5,endLine=2,endColumn=7,title=LW501 apt-in-script::"
        "`apt install` uses the interactive front end, whose command line is not stable"
        "%0Afix: Replace `apt install` with `apt-get install`",
        "::warning file=Dockerfile,line=3,col=5,endLine=3,endColumn=7,title=LW501 apt-in-script::"
        "`apt install` uses the interactive front end, whose command line is not stable"
        "%0Afix: Replace `apt install` with `apt-get install`",
    ]


def test_gitlab(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--output-format", "gitlab", "--select", "LW401", "."], capsys)
    assert code == 1
    (issue,) = json.loads(out)
    assert issue["location"] == {"path": "Dockerfile", "lines": {"begin": 1, "end": 1}}


def test_junit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--output-format", "junit", "--select", "LW401", "."], capsys)
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    suites = {s.get("name"): s for s in root}
    assert set(suites) == {"Dockerfile", "clean.Dockerfile"}
    assert suites["Dockerfile"].get("failures") == "1"
    assert suites["clean.Dockerfile"].get("failures") == "0"


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit"])
def test_clean_run_exits_0_with_an_empty_report(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _ = run(["--output-format", fmt, "clean.Dockerfile"], capsys)
    assert code == 0
    if fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    elif fmt == "github":
        assert out == ""
    elif fmt == "gitlab":
        assert json.loads(out) == []
    else:
        assert ET.fromstring(out.split("\n", 1)[1]).get("failures") == "0"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("sarif", '"executionSuccessful": false'),
        (
            "github",
            "::error file=bad.Dockerfile,line=2,col=5,title=layerwise%3A file not checked::",
        ),
        ("gitlab", '"severity": "blocker"'),
        ("junit", '<error message="invalid UTF-8 (byte 0xff)" type="unchecked-file">'),
    ],
)
def test_unchecked_file_appears_in_every_format(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str, expected: str
) -> None:
    (project / "bad.Dockerfile").write_bytes(b"FROM a\nRUN \xff\n")
    code, out, err = run(["--output-format", fmt, "."], capsys)
    assert code == 2
    assert expected in out
    if fmt == "sarif":
        jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
            json.loads(out)
        )
    assert "bad.Dockerfile:2:5: error: invalid UTF-8" in err  # stderr still says it, one line


def test_statistics_text_and_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--statistics", "--select", "LW5", "."], capsys)
    assert code == 1
    assert out.splitlines()[:2] == [
        "2\tLW501\t[*] apt-in-script",
        "2\tLW503\t[ ] apt-install-flags-missing",
    ]
    code, out, _ = run(["--statistics", "--output-format", "json", "--select", "LW5", "."], capsys)
    assert code == 1
    assert json.loads(out)[0] == {
        "code": "LW501",
        "name": "apt-in-script",
        "count": 2,
        "fixable": 2,
    }


def test_statistics_with_another_format_is_a_user_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--statistics", "--output-format", "sarif", "."], capsys)
    assert code == 2
    assert "error: `--statistics` works with `--output-format` text or json" in err
