"""GitLab Code Quality: fields, severities, fingerprints that are unique and survive moved lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.errors import LayerwiseError
from layerwise.report.gitlab import code_quality, render_gitlab
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

TEXT = "FROM node:20 as build\nRUN apt install -y curl\nRUN apt install -y git\n"


def report(text: str = TEXT, path: str = "Dockerfile") -> list[dict[str, object]]:
    found = check_tree(parse(text, path=path))
    return code_quality(found, sources={path: text})


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_issue_fields() -> None:
    issues = report(path="svc/Dockerfile")
    apt = next(i for i in issues if i["check_name"] == "LW501")
    assert apt == {
        "type": "issue",
        "description": "LW501 apt-in-script: `apt install` uses the interactive front end, "
        "whose command line is not stable",
        "check_name": "LW501",
        "fingerprint": apt["fingerprint"],
        "severity": "minor",
        "location": {"path": "svc/Dockerfile", "lines": {"begin": 2, "end": 2}},
    }
    casing = next(i for i in issues if i["check_name"] == "LW401")
    assert casing["severity"] == "info"


def test_fingerprints_are_unique_and_stable_when_lines_move() -> None:
    before = report()
    assert len({i["fingerprint"] for i in before}) == len(before)
    # Two LW501 findings on identical-looking lines would collide without the occurrence count.
    twin = "FROM node:20\nRUN apt install -y curl\nRUN apt install -y curl\n"
    twins = [i["fingerprint"] for i in report(twin) if i["check_name"] == "LW501"]
    assert len(twins) == 2 and twins[0] != twins[1]
    moved = report("FROM node:20 as build\n\n# a comment\n" + TEXT.split("\n", 1)[1])
    assert {i["fingerprint"] for i in moved} == {i["fingerprint"] for i in before}
    assert [i["location"] for i in moved] != [i["location"] for i in before]


def test_fingerprint_changes_with_the_instruction_or_the_file() -> None:
    def on_line_2(issues: list[dict[str, object]]) -> set[object]:
        return {i["fingerprint"] for i in issues if i["location"]["lines"]["begin"] == 2}  # type: ignore[index]

    base = report()
    assert on_line_2(base)
    assert on_line_2(base).isdisjoint(on_line_2(report(TEXT.replace("curl", "wget"))))
    assert {i["fingerprint"] for i in base}.isdisjoint(
        i["fingerprint"] for i in report(path="other/Dockerfile")
    )


def test_unchecked_file_is_a_blocker() -> None:
    error = LayerwiseError("unknown instruction `FORM`", path="bad/Dockerfile", line=3, col=1)
    (issue,) = code_quality([], sources={}, errors=[error])
    assert issue["severity"] == "blocker"
    assert issue["check_name"] == "unchecked-file"
    assert issue["location"] == {"path": "bad/Dockerfile", "lines": {"begin": 3, "end": 3}}


def test_render_is_a_json_array_and_empty_when_clean() -> None:
    assert json.loads(render_gitlab([], sources={})) == []
    found = check_tree(parse(TEXT, path="Dockerfile"))
    assert len(json.loads(render_gitlab(found, sources={"Dockerfile": TEXT}))) == len(found)
