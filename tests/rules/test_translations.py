"""Every rule speaks English and Korean: message, fix title, phrases and summary, each Korean
template with exactly the fields of its English one. A failure names what is missing."""

from __future__ import annotations

import pytest

from layerwise.rules.base import Rule, Severity
from layerwise.rules.registry import Registered, all_rules
from layerwise.rules.texts import Phrase, placeholders


def korean_problems(rule: Rule) -> list[str]:
    """What `rule` lacks in Korean, one line each, saying which field to write."""
    pairs = [("message", rule.message, "message_ko", rule.message_ko)]
    problems = []
    if rule.fix_title is not None:
        pairs.append(("fix_title", rule.fix_title, "fix_title_ko", rule.fix_title_ko or ""))
    elif rule.fix_title_ko is not None:
        problems.append("fix_title_ko is set but fix_title is not")
    for name, phrase in rule.phrases.items():
        pairs.append((f"phrases[{name!r}].en", phrase.en, f"phrases[{name!r}].ko", phrase.ko))
    for en_name, en, ko_name, ko in pairs:
        if not ko:
            problems.append(f"no Korean {ko_name} for {en_name} {en!r}")
        elif placeholders(ko) != placeholders(en):
            problems.append(
                f"{ko_name} {ko!r} has fields {sorted(placeholders(ko))}, "
                f"{en_name} has {sorted(placeholders(en))}"
            )
        elif ko.endswith("."):
            problems.append(f"{ko_name} {ko!r} ends with a period (messages have none)")
    if not rule.summary_ko:
        problems.append("no Korean summary: set summary_ko, or the twin's '## What it finds'")
    return problems


@pytest.mark.parametrize("registered", all_rules(), ids=lambda r: r.code)
def test_rule_has_korean_texts(registered: Registered) -> None:
    problems = korean_problems(registered.rule)
    assert not problems, f"{registered.code} ({registered.module_name}.py):\n  " + "\n  ".join(
        problems
    )


@pytest.mark.parametrize("registered", all_rules(), ids=lambda r: r.code)
def test_fix_safety_is_declared_for_fixable_rules(registered: Registered) -> None:
    rule = registered.rule
    assert bool(rule.fix_safety) == rule.fixable, (
        f"{registered.code}: fix_title is {'set' if rule.fixable else 'unset'} but fix_safety is "
        f"{rule.fix_safety!r}: declare the safeties its fixes can have (the rules reference shows "
        "them), or none without a fix"
    )


def test_the_check_names_each_gap() -> None:
    rule = Rule(
        code="LW999",
        name="made-up",
        severity=Severity.WARNING,
        message="`{command}` at line {line}",
        message_ko="`{command}` 명령이 {line}번 줄에서 {extra}.",
        fix_title="Add `{flag}`",
        phrases={"ok": Phrase("{a} x", "{a} 엑스"), "todo": Phrase("y")},
    )
    assert korean_problems(rule) == [
        "message_ko '`{command}` 명령이 {line}번 줄에서 {extra}.' has fields "
        "['command', 'extra', 'line'], message has ['command', 'line']",
        "no Korean fix_title_ko for fix_title 'Add `{flag}`'",
        "no Korean phrases['todo'].ko for phrases['todo'].en 'y'",
        "no Korean summary: set summary_ko, or the twin's '## What it finds'",
    ]
