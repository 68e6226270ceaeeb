"""The rule registry: every rule module is listed, codes are unique, docs have their headings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import layerwise.ci.rules
import layerwise.rules
from layerwise.rules.base import Rule, Settings, Severity
from layerwise.rules.registry import DOC_HEADINGS, FIX_HEADING, all_rules, get, section

RULES_DIR = Path(layerwise.rules.__file__).parent
PIPELINE_RULES_DIR = Path(layerwise.ci.rules.__file__).parent


def test_every_rule_module_is_registered() -> None:
    on_disk = {
        p.stem for d in (RULES_DIR, PIPELINE_RULES_DIR) for p in d.glob("lw[0-9][0-9][0-9]_*.py")
    }
    registered = {r.module_name for r in all_rules()}
    assert on_disk == registered


def test_codes_are_unique_and_match_module_names() -> None:
    codes = [r.code for r in all_rules()]
    assert len(codes) == len(set(codes))
    for r in all_rules():
        module = r.module_name
        assert module.startswith(r.code.lower() + "_")
        assert module == f"{r.code.lower()}_{r.rule.name.replace('-', '_')}"


@pytest.mark.parametrize("registered", all_rules(), ids=lambda r: r.code)
def test_docstring_has_headings(registered: object) -> None:
    from layerwise.rules.registry import Registered

    assert isinstance(registered, Registered)
    doc = registered.rule.doc
    assert doc.splitlines()[0] == f"{registered.code} {registered.rule.name}"
    for heading in DOC_HEADINGS:
        assert section(doc, heading), f"{registered.code}: no '## {heading}'"
    if registered.rule.fixable:
        assert section(doc, FIX_HEADING), f"{registered.code}: fixable but no '## {FIX_HEADING}'"
    assert registered.rule.summary
    assert not registered.rule.message.endswith("."), "messages have no final period"


def test_get_is_case_insensitive() -> None:
    for r in all_rules():
        assert get(r.code.lower()) is r
    assert get("LW999") is None


def test_rule_validates_its_identity() -> None:
    with pytest.raises(ValueError):
        Rule(code="X1", name="a", severity=Severity.INFO, message="m")
    with pytest.raises(ValueError):
        Rule(code="LW100", name="Not_Kebab", severity=Severity.INFO, message="m")


def test_finding_fills_message_and_fix_title() -> None:
    from layerwise.rules.base import Fix, Safety
    from layerwise.syntax.span import Edit, Span

    rule = Rule(
        code="LW999",
        name="made-up",
        severity=Severity.WARNING,
        message="`{command}` at line {line}",
        fix_title="Replace `{command}`",
    )
    span = Span(0, 3, 1, 1, 1, 4)
    f = rule.finding(span, command="npm", line=2, fix=Fix(Safety.SAFE, [Edit.replace(span, "x")]))
    assert f.message == "`npm` at line 2"
    assert f.fix is not None and f.fix.title == "Replace `npm`"
    assert re.match(r"LW\d{3}$", f.code)


@pytest.mark.parametrize(
    ("settings", "code", "enabled"),
    [
        (Settings(), "LW101", True),
        (Settings(select=("LW2",)), "LW101", False),
        (Settings(select=("lw1",)), "LW101", True),
        (Settings(ignore=("LW101",)), "LW101", False),
        (Settings(select=("LW1",), ignore=("LW102",)), "LW103", True),
    ],
)
def test_select_and_ignore(settings: Settings, code: str, enabled: bool) -> None:
    assert settings.enabled(code) is enabled


@pytest.mark.parametrize("registered", all_rules(), ids=lambda r: r.code)
def test_korean_twin_has_the_same_title_and_headings(registered: object) -> None:
    from layerwise.rules.registry import Registered, headings, translated_doc

    assert isinstance(registered, Registered)
    twin = translated_doc(registered, "ko")
    if twin is None:
        pytest.skip(f"{registered.code} has no Korean documentation yet")
    doc = registered.rule.doc
    assert twin.splitlines()[0] == doc.splitlines()[0]
    assert headings(twin) == headings(doc)
