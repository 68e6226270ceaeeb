"""Text and JSON reports of findings."""

from __future__ import annotations

import json

from layerwise.report import (
    Counts,
    code_frame,
    render_json,
    render_text,
    summary_line,
    unchecked_line,
    would_fix_line,
)
from layerwise.rules.base import Finding, Fix, Safety, Severity
from layerwise.syntax import parse
from layerwise.syntax.span import Edit

SOURCE = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"


def finding(safety: Safety | None = Safety.SAFE, path: str = "Dockerfile") -> Finding:
    tree = parse(SOURCE)
    span = tree.span(SOURCE.index("npm ci"), SOURCE.index("npm ci") + 6)
    fix = None if safety is None else Fix(safety, [Edit.replace(span, "npm ci -q")], "Add `-q`")
    return Finding("LW101", "install-after-broad-copy", Severity.WARNING, "`npm ci` msg", span,
                   path, fix)  # fmt: skip


def test_code_frame_puts_a_caret_under_the_span() -> None:
    frame = code_frame(SOURCE, finding())
    assert frame.splitlines() == [
        "  |",
        "3 | COPY . .",
        "4 | RUN npm ci",
        "  |     ^^^^^^",
    ]


def test_text_report_has_location_code_mark_summary_and_fix() -> None:
    out = render_text([finding()], {"Dockerfile": SOURCE})
    first = out.splitlines()[0]
    assert first == "Dockerfile:4:5: LW101 [*] `npm ci` msg"
    assert "  = install-after-broad-copy: A dependency install" in out
    assert "  = fix: Add `-q`" in out


def test_unsafe_fix_is_marked_only_with_unsafe_fixes() -> None:
    f = finding(Safety.UNSAFE)
    assert "[*]" not in render_text([f], {}).splitlines()[0]
    assert "[*]" in render_text([f], {}, unsafe=True).splitlines()[0]
    assert "= fix (unsafe): Add `-q`" in render_text([f], {})


def test_findings_sorted_by_file_then_position() -> None:
    out = render_text([finding(path="b/Dockerfile"), finding(path="a/Dockerfile")], {})
    heads = [line for line in out.splitlines() if ": LW101" in line]
    assert heads[0].startswith("a/Dockerfile") and heads[1].startswith("b/Dockerfile")


def test_summary_lines() -> None:
    assert summary_line(Counts.of([], unsafe=False)) == "All checks passed."
    counts = Counts.of([finding(), finding(Safety.UNSAFE), finding(None)], unsafe=False)
    assert counts == Counts(remaining=3, fixable=1, unsafe_only=1)
    assert summary_line(counts) == (
        "Found 3 findings.\n[*] 1 fixable with `--fix`, 1 more with `--unsafe-fixes`."
    )
    assert summary_line(Counts(1, 0, 0, fixed=2)) == "Found 3 findings (2 fixed, 1 left)."


def test_json_report() -> None:
    data = json.loads(render_json([finding()], errors=["x: error: y"]))
    [item] = data["findings"]
    assert item["code"] == "LW101" and item["severity"] == "warning"
    assert item["location"] == {"line": 4, "column": 5}
    assert item["end_location"] == {"line": 4, "column": 11}
    assert item["fix"]["applicability"] == "safe"
    assert item["fix"]["edits"] == [{"start": 39, "end": 45, "content": "npm ci -q"}]
    assert data["errors"] == ["x: error: y"] and data["fixed"] == []


def test_korean_report_words() -> None:
    out = render_text([finding(Safety.UNSAFE)], {}, lang="ko")
    assert "  = 수정 (안전하지 않음): Add `-q`" in out
    assert "  = install-after-broad-copy: 같은 스테이지에서" in out
    assert summary_line(Counts(0, 0, 0), "ko") == "모든 검사를 통과했습니다."
    assert summary_line(Counts(3, 2, 1), "ko") == (
        "문제 3건을 찾았습니다.\n"
        "[*] `--fix`로 2건 수정 가능, `--unsafe-fixes`로 1건 추가 수정 가능."
    )
    assert (
        summary_line(Counts(1, 0, 0, fixed=2), "ko") == "문제 3건을 찾았습니다(2건 수정, 1건 남음)."
    )
    assert unchecked_line(2, "ko") == "파일 2개를 검사하지 못했습니다."
    assert unchecked_line(1) == "1 file could not be checked."
    assert would_fix_line(2) == "Would fix 2 findings."
