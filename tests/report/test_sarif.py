"""SARIF 2.1.0: schema-valid logs, rule metadata, UTF-16 regions, fixes that reproduce the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import layerwise
from layerwise.errors import LayerwiseError
from layerwise.report import sarif
from layerwise.report.sarif import render_sarif, sarif_log
from layerwise.rules.base import Finding
from layerwise.rules.registry import all_rules, section
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse
from layerwise.syntax.span import apply_edits

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
# A BOM, CRLF, Korean and emoji (two UTF-16 units each) before the findings on their lines.
TEXT = (
    "\ufeffFROM node:20 as build\r\n"
    "# 한국어 😀 comment\r\n"
    "ENV GREETING 😀héllo wörld\r\n"
    "RUN echo 😀😀 && apt install -y curl\r\n"
)


def validate(log: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)


def findings(text: str = TEXT, path: str = "Dockerfile") -> list[Finding]:
    return check_tree(parse(text, path=path))


def offset(text: str, line: int, column: int) -> int:
    """A SARIF (line, UTF-16 column) as a code-point offset: written apart from the code under
    test, by walking the line's characters."""
    lines = text.split("\n")
    start = sum(len(lines[i]) + 1 for i in range(line - 1))
    if line == 1 and text.startswith("\ufeff"):
        start += 1
    units = 0
    pos = start
    while units < column - 1:
        units += 2 if ord(text[pos]) > 0xFFFF else 1
        pos += 1
    assert units == column - 1, "a column inside a surrogate pair"
    return pos


def apply_sarif_fix(text: str, fix: dict[str, Any]) -> str:
    """Apply a SARIF fix the way a consumer would: each replacement in order, on the text left
    by the previous ones."""
    (change,) = fix["artifactChanges"]
    for replacement in change["replacements"]:
        region = replacement["deletedRegion"]
        start = offset(text, region["startLine"], region["startColumn"])
        end = offset(text, region["endLine"], region["endColumn"])
        text = text[:start] + replacement.get("insertedContent", {}).get("text", "") + text[end:]
    return text


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_log_validates_against_the_official_schema(in_tmp: Path) -> None:
    found = findings()
    assert {f.code for f in found} >= {"LW401", "LW402", "LW501"}
    validate(json.loads(render_sarif(found, sources={"Dockerfile": TEXT})))


def test_empty_run_is_valid_and_successful(in_tmp: Path) -> None:
    log = sarif_log([], sources={})
    validate(log)
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    assert len(run["tool"]["driver"]["rules"]) == len(all_rules())


def test_driver_describes_every_rule_from_its_docstring() -> None:
    driver = sarif_log([], sources={})["runs"][0]["tool"]["driver"]
    assert driver["name"] == "layerwise"
    assert driver["version"] == layerwise.__version__
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for registered, descriptor in zip(all_rules(), driver["rules"], strict=True):
        rule = registered.rule
        assert descriptor["id"] == rule.code
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary != ""
        what = section(rule.doc, "What it finds")
        assert what and descriptor["fullDescription"]["text"] == " ".join(what.split())
        assert descriptor["help"]["text"] == rule.doc
        assert descriptor["help"]["markdown"].startswith(f"# {rule.code} {rule.name}\n")
        assert "## Why it matters" in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == levels[str(rule.severity)]
        properties = descriptor["properties"]
        assert properties["fixable"] is rule.fixable
        assert properties["status"] == rule.status
        assert ("fixSafety" in properties) is ("## Fix safety" in rule.doc)
        assert "layerwise" in properties["tags"]


def test_information_uri_comes_from_the_package_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    class Meta:
        def __init__(self, urls: list[str]) -> None:
            self.urls = urls

        def get_all(self, name: str) -> list[str] | None:
            assert name == "Project-URL"
            return self.urls or None

    urls = ["Issues, https://example.org/issues", "Homepage, https://example.org/lw"]
    monkeypatch.setattr(sarif, "metadata", lambda _name: Meta(urls))
    driver = sarif_log([], sources={})["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/lw"
    monkeypatch.setattr(sarif, "metadata", lambda _name: Meta([]))
    assert "informationUri" not in sarif_log([], sources={})["runs"][0]["tool"]["driver"]


def test_without_the_text_a_result_has_lines_only_and_no_fix(in_tmp: Path) -> None:
    found = [f for f in findings() if f.code == "LW501"]
    (result,) = sarif_log(found, sources={})["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "endLine": 4}
    assert "fixes" not in result


def test_result_fields(in_tmp: Path) -> None:
    (svc := in_tmp / "svc").mkdir()
    found = findings(path=str(svc / "Dockerfile"))
    run = sarif_log(found, sources={str(svc / "Dockerfile"): TEXT})["runs"][0]
    codes = [r["id"] for r in run["tool"]["driver"]["rules"]]
    apt = next(r for r in run["results"] if r["ruleId"] == "LW501")
    assert codes[apt["ruleIndex"]] == "LW501"
    assert apt["level"] == "warning"
    assert (
        apt["message"]["text"]
        == "`apt install` uses the interactive front end, whose command line is not stable"
    )
    (location,) = apt["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == in_tmp.resolve().as_uri() + "/"
    assert run["columnKind"] == "utf16CodeUnits"
    # `apt` follows `RUN echo 😀😀 && `: 15 code points, 17 UTF-16 units.
    assert physical["region"] == {"startLine": 4, "startColumn": 18, "endLine": 4, "endColumn": 21}
    assert len(apt["partialFingerprints"]["layerwise/v1"]) == 64


def test_a_finding_of_no_registered_rule_has_no_rule_index(in_tmp: Path) -> None:
    (apt,) = [f for f in findings() if f.code == "LW501"]
    unknown = Finding("LW999", "made-up", apt.severity, "m", apt.span, apt.path)
    log = sarif_log([unknown], sources={"Dockerfile": TEXT})
    validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "LW999" and "ruleIndex" not in result


def test_bom_takes_no_column(in_tmp: Path) -> None:
    run = sarif_log(findings(), sources={"Dockerfile": TEXT})["runs"][0]
    casing = next(r for r in run["results"] if r["ruleId"] == "LW401")
    region = casing["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (14, 16)  # `as` in `FROM node:20 as`


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_each_fix_applied_to_the_original_reproduces_the_fixed_text(
    in_tmp: Path, newline: str
) -> None:
    text = TEXT.replace("\r\n", newline)
    found = findings(text)
    results = sarif_log(found, sources={"Dockerfile": text})["runs"][0]["results"]
    fixed = [(f, r) for f, r in zip(sorted(found, key=Finding.sort_key), results, strict=True)
             if f.fix is not None]  # fmt: skip
    assert {f.code for f, _ in fixed} >= {"LW401", "LW402", "LW501", "LW503"}
    for finding, result in fixed:
        assert finding.fix is not None
        (fix,) = result["fixes"]
        assert fix["description"]["text"] == finding.fix.title
        assert fix["properties"]["safety"] == str(finding.fix.safety)
        assert apply_sarif_fix(text, fix) == apply_edits(text, finding.fix.edits)


def test_multi_edit_fix_lists_replacements_last_first(in_tmp: Path) -> None:
    run = sarif_log(findings(), sources={"Dockerfile": TEXT})["runs"][0]
    legacy = next(r for r in run["results"] if r["ruleId"] == "LW402")
    replacements = legacy["fixes"][0]["artifactChanges"][0]["replacements"]
    assert len(replacements) == 2
    starts = [(r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"])
              for r in replacements]  # fmt: skip
    assert starts == sorted(starts, reverse=True)
    # The closing quote goes after `wörld`, before the CR: 😀 counts two units.
    assert replacements[0] == {
        "deletedRegion": {"startLine": 3, "startColumn": 27, "endLine": 3, "endColumn": 27},
        "insertedContent": {"text": '"'},
    }


def test_unchecked_files_are_notifications_and_fail_the_invocation(in_tmp: Path) -> None:
    errors = [
        LayerwiseError("unknown instruction `FORM`", path="bad/Dockerfile", line=3, col=1),
        LayerwiseError("invalid UTF-8 (byte 0xff)", path="Dockerfile.bin", hint="save as UTF-8"),
    ]
    log = sarif_log([], sources={}, errors=errors)
    validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    first, second = invocation["toolExecutionNotifications"]
    assert first["level"] == "error"
    assert first["message"]["text"] == "unknown instruction `FORM`"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "bad/Dockerfile", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3},
    }
    assert second["message"]["text"] == "invalid UTF-8 (byte 0xff) (hint: save as UTF-8)"
    assert "region" not in second["locations"][0]["physicalLocation"]


def test_paths_outside_the_working_directory_are_absolute_uris_and_spaces_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (here := tmp_path / "here").mkdir()
    monkeypatch.chdir(here)
    (spaced := here / "my app").mkdir()
    outside = tmp_path / "elsewhere" / "Dockerfile"
    found = findings(path=str(outside)) + findings(path=str(spaced / "Dockerfile"))
    sources = {str(outside): TEXT, str(spaced / "Dockerfile"): TEXT}
    log = sarif_log(found, sources=sources)
    validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}  # fmt: skip
    assert uris == {outside.as_uri(), "my%20app/Dockerfile"}


def test_schema_check_is_not_vacuous() -> None:
    broken = sarif_log([], sources={})
    broken["runs"][0]["results"] = [{"ruleId": "LW101"}]  # no message: invalid
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    # URI formats are checked too (rfc3986-validator): an unescaped space is not a URI.
    spaced = sarif_log([], sources={})
    spaced["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///my dir/"
    with pytest.raises(jsonschema.ValidationError, match="is not a 'uri-reference'"):
        validate(spaced)


FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_every_fixture_gives_a_valid_log_whose_fixes_reproduce_the_edits(in_tmp: Path) -> None:
    """All rule fixtures and corpus files at once, also with CRLF newlines."""
    sources: dict[str, str] = {}
    found: list[Finding] = []
    for file in sorted(FIXTURES.glob("**/*Dockerfile*")):
        text = file.read_text(encoding="utf-8")
        for variant, content in (("", text), (".crlf", text.replace("\n", "\r\n"))):
            path = f"{file.relative_to(FIXTURES)}{variant}"
            try:
                file_findings = check_tree(parse(content, path=path))
            except LayerwiseError:
                continue  # the corpus keeps files BuildKit rejects: nothing to report
            sources[path] = content
            found += file_findings
    log = sarif_log(found, sources=sources)
    validate(log)
    results = log["runs"][0]["results"]
    checked = 0
    for finding, result in zip(sorted(found, key=Finding.sort_key), results, strict=True):
        if finding.fix is not None:
            text = sources[finding.path or ""]
            assert apply_sarif_fix(text, result["fixes"][0]) == apply_edits(text, finding.fix.edits)
            checked += 1
    assert checked > 100
