"""The hadolint overlap table: real overlaps only, in step with the rules and docs/hadolint.md."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from layerwise.rules.base import Settings
from layerwise.rules.hadolint_map import NOT_OVERLAPPING, OVERLAPS, markdown, overlaps, silenced
from layerwise.rules.registry import all_rules, get, section
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "hadolint.md"
FIXTURES = ROOT / "tests" / "fixtures" / "rules"


def test_docs_page_is_generated_from_the_table() -> None:
    if os.environ.get("LAYERWISE_UPDATE_SNAPSHOTS") == "1":
        DOC.write_text(markdown(), encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == markdown(), "regenerate docs/hadolint.md"


@pytest.mark.parametrize("overlap", OVERLAPS, ids=lambda o: f"{o.code}-{o.rule}-{o.facet}")
def test_each_overlap_silences_findings_its_rule_really_gives(overlap: object) -> None:
    """On the rule's own fixtures, the hadolint code silences some findings (so the facet is
    one the rule produces) and, with a facet, leaves the other facets alone."""
    from layerwise.rules.hadolint_map import Overlap

    assert isinstance(overlap, Overlap)
    assert get(overlap.rule) is not None
    findings = [
        f
        for case in sorted((FIXTURES / overlap.rule).glob("*.Dockerfile"))
        for f in check_tree(
            parse(case.read_text(encoding="utf-8")), settings=Settings(select=(overlap.rule,))
        )
    ]
    covered = [f for f in findings if overlap.covers(f)]
    assert covered
    if overlap.facet:
        assert len(covered) < len(findings)


def test_rule_docs_that_cite_hadolint_are_in_the_table() -> None:
    """A rule whose References name a hadolint code overlaps with it (the reverse is not
    required: LW403 reaches DL3025 through Docker's build check)."""
    table = {(o.code, o.rule) for o in OVERLAPS}
    for registered in all_rules():
        refs = section(registered.rule.doc, "References") or ""
        for line in refs.splitlines():
            if "hadolint" in line:
                for code in re.findall(r"DL\d{4}", line):
                    assert (code, registered.code) in table


def test_overlapping_and_not_overlapping_are_disjoint() -> None:
    assert not {o.code for o in OVERLAPS} & set(NOT_OVERLAPPING)
    assert all(re.fullmatch(r"DL\d{4}", c) for c in [*NOT_OVERLAPPING, *(o.code for o in OVERLAPS)])


def test_lookup() -> None:
    assert [o.rule for o in overlaps("dl3027")] == ["LW501"]
    assert overlaps("DL3008") == ()
    tree = parse("FROM debian:12\nRUN apt-get install curl\n")
    findings = check_tree(tree, settings=Settings(select=("LW503",)))
    assert [silenced(frozenset({"DL3014"}), f) for f in findings] == [True, False]
