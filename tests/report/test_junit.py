"""JUnit XML: well-formed, readable by a JUnit parser, one suite per file, a case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml

from layerwise.errors import LayerwiseError
from layerwise.report.junit import CLEAN_CASE, render_junit
from layerwise.rules.base import Finding, Severity
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

TEXT = "FROM node:20 as build\nRUN apt install -y curl\n"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write_and_read(tmp_path: Path, xml: str) -> JUnitXml:
    path = tmp_path / "report.xml"
    path.write_text(xml, encoding="utf-8")
    ET.parse(path)  # well-formed
    return JUnitXml.fromfile(str(path))


def test_suites_cases_failures_and_a_clean_file(tmp_path: Path) -> None:
    found = check_tree(parse(TEXT, path="svc/Dockerfile"))
    xml = render_junit(found, checked=["svc/Dockerfile", "clean/Dockerfile"])
    report = write_and_read(tmp_path, xml)
    suites = {suite.name: suite for suite in report}
    assert set(suites) == {"svc/Dockerfile", "clean/Dockerfile"}
    dirty = suites["svc/Dockerfile"]
    assert (dirty.tests, dirty.failures, dirty.errors) == (len(found), len(found), 0)
    cases = list(dirty)
    apt = next(c for c in cases if c.name.startswith("LW501"))
    assert apt.name == "LW501 apt-in-script at 2:5"
    assert apt.classname == "svc/Dockerfile"
    (failure,) = apt.result
    assert isinstance(failure, Failure)
    assert failure.type == "LW501"
    assert failure.message.startswith("`apt install` uses the interactive front end")
    assert failure.text.splitlines() == [
        "svc/Dockerfile:2:5: LW501 " + failure.message,
        "fix: Replace `apt install` with `apt-get install`",
    ]
    (clean,) = suites["clean/Dockerfile"]
    assert clean.name == CLEAN_CASE and clean.is_passed
    assert (report.tests, report.failures) == (len(found) + 1, len(found))


def test_unchecked_file_is_an_error_case(tmp_path: Path) -> None:
    error = LayerwiseError("unknown instruction `FORM`", path="bad/Dockerfile", line=3, col=1)
    report = write_and_read(tmp_path, render_junit([], checked=[], errors=[error]))
    ((case,),) = [list(s) for s in report]
    (result,) = case.result
    assert isinstance(result, Error)
    assert result.type == "unchecked-file"
    assert result.message == "unknown instruction `FORM`"
    assert result.text == "bad/Dockerfile:3:1: error: unknown instruction `FORM`"
    assert report.errors == 1


def test_markup_and_control_characters_stay_well_formed(tmp_path: Path) -> None:
    span = parse(TEXT).span(0, 4)
    message = 'a "<&>" \x0b\x1b[0m value'  # XML 1.0 cannot hold \x0b or \x1b, even escaped
    finding = Finding("LW501", "apt-in-script", Severity.WARNING, message, span, "x.Dockerfile")
    report = write_and_read(tmp_path, render_junit([finding], checked=["x.Dockerfile"]))
    ((case,),) = [list(s) for s in report]
    (failure,) = case.result
    assert failure.message == 'a "<&>" \ufffd\ufffd[0m value'


def test_nothing_checked_is_an_empty_valid_report(tmp_path: Path) -> None:
    report = write_and_read(tmp_path, render_junit([], checked=[]))
    assert (report.tests, report.failures, report.errors) == (0, 0, 0)
