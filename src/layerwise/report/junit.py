"""Findings as JUnit XML, for CI systems that show test reports (Jenkins, GitLab, Azure, ...).

One `<testsuite>` per file. Each finding is a failing `<testcase>` (its `<failure>` carries
the message, the rule code as `type`, and the location and fix as text); a clean file is one
passing testcase; a file that could not be checked is one testcase with an `<error>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from layerwise.errors import LayerwiseError
from layerwise.report.locations import relative_path
from layerwise.rules.base import Finding

CLEAN_CASE = "no findings"
# Characters XML 1.0 cannot hold even escaped; a Dockerfile line in a message may have them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _case(suite: ET.Element, name: str, path: str, line: int | None = None) -> ET.Element:
    case = _element(suite, "testcase", name=name, classname=path, file=path)
    if line is not None:
        case.set("line", str(line))
    return case


def _finding_case(suite: ET.Element, finding: Finding, path: str) -> None:
    name = f"{finding.code} {finding.name} at {finding.line}:{finding.col}"
    text = f"{path}:{finding.line}:{finding.col}: {finding.code} {finding.message}"
    if finding.fix is not None:
        unsafe = "" if finding.fix.safety == "safe" else " (unsafe)"
        text += f"\nfix{unsafe}: {finding.fix.title}"
    case = _case(suite, name, path, finding.line)
    _element(case, "failure", text, message=finding.message, type=finding.code)


def _count(root: ET.Element, suites: Iterable[ET.Element]) -> None:
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        counts = {
            "tests": len(suite.findall("testcase")),
            "failures": len(suite.findall("testcase/failure")),
            "errors": len(suite.findall("testcase/error")),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))


def junit_tree(
    findings: Sequence[Finding],
    *,
    checked: Sequence[str],
    errors: Sequence[LayerwiseError] = (),
    root: Path | None = None,
) -> ET.ElementTree[ET.Element]:
    """The report as an element tree. `checked` lists every file that was checked, so a clean
    one still gets its suite (with a passing testcase)."""
    base = Path.cwd() if root is None else root
    top = ET.Element("testsuites", name="layerwise")
    by_path: dict[str, list[Finding]] = {p: [] for p in checked}
    for finding in sorted(findings, key=Finding.sort_key):
        by_path.setdefault(finding.path or "", []).append(finding)
    suites = []
    for error in errors:
        path = relative_path(error.path or "", base)
        suite = _element(top, "testsuite", name=path)
        case = _case(suite, "check", path, error.line)
        _element(case, "error", str(error), message=error.message, type="unchecked-file")
        suites.append(suite)
    for original, file_findings in by_path.items():
        path = relative_path(original, base)
        suite = _element(top, "testsuite", name=path)
        for finding in file_findings:
            _finding_case(suite, finding, path)
        if not file_findings:
            _case(suite, CLEAN_CASE, path)
        suites.append(suite)
    _count(top, suites)
    return ET.ElementTree(top)


def render_junit(
    findings: Sequence[Finding],
    *,
    checked: Sequence[str],
    errors: Sequence[LayerwiseError] = (),
    root: Path | None = None,
) -> str:
    tree = junit_tree(findings, checked=checked, errors=errors, root=root)
    ET.indent(tree)
    body = ET.tostring(tree.getroot(), encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
