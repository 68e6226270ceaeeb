"""`--statistics`: counts per rule, most frequent first, with a fixable marker."""

from __future__ import annotations

import json

from layerwise.report.statistics import (
    RuleCount,
    render_statistics,
    render_statistics_json,
    rule_counts,
)
from layerwise.rules.base import Finding
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

TEXT = (
    "FROM node:20 as build\n"
    "RUN apt install -y curl\n"
    "RUN apt install -y git\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends curl || true\n"
)


def findings() -> list[Finding]:
    return check_tree(parse(TEXT, path="Dockerfile"))


def test_counts_sorted_by_count_then_code() -> None:
    rows = rule_counts(findings())
    assert rows == sorted(rows, key=lambda r: (-r.count, r.code))
    apt = next(r for r in rows if r.code == "LW501")
    assert apt == RuleCount("LW501", "apt-in-script", 2, 2)
    assert sum(r.count for r in rows) == len(findings())


def test_fixable_follows_the_safety_level() -> None:
    unsafe_only = [r for r in rule_counts(findings()) if r.code == "LW503"]
    assert unsafe_only and unsafe_only[0].fixable == 0
    assert next(r for r in rule_counts(findings(), unsafe=True) if r.code == "LW503").fixable > 0


def test_text_lines() -> None:
    lines = render_statistics(findings()).splitlines()
    assert "2\tLW501\t[*] apt-in-script" in lines
    assert any(line.endswith("[ ] apt-install-flags-missing") for line in lines)


def test_json_is_a_list_of_objects() -> None:
    data = json.loads(render_statistics_json(findings()))
    assert {"code": "LW501", "name": "apt-in-script", "count": 2, "fixable": 2} in data
    assert json.loads(render_statistics_json([])) == []
    assert render_statistics([]) == ""
