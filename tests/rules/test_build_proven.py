"""No safe fix for a package manager whose fixes no real build on BuildKit has proven.

`BUILD_PROVEN` on each ecosystem module says whether one did; on every fixture of the rules that
fix installs and their caches, a finding on a command of an unproven manager may carry an unsafe
fix or none, never a safe one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.ecosystems import ALL, Ecosystem
from layerwise.ecosystems.base import removed_paths
from layerwise.rules.base import Safety, Settings
from layerwise.rules.runner import check_tree
from layerwise.shell import Command, parse_text
from layerwise.syntax import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
CODES = ("LW101", "LW107", "LW201", "LW203", "LW204", "LW301")
# The rules with fixtures of a manager a build proved (LW204's managers are all unproven).
PROVEN_CODES = ("LW101", "LW107", "LW201", "LW203")


def _context(case: Path) -> BuildContext | None:
    for root in (case.with_name(case.stem + ".context"), case.parent / "context"):
        if root.is_dir():
            return BuildContext.open(root)
    return None


def _owner(cmd: Command) -> Ecosystem | None:
    """The manager whose install or cache cleaning `cmd` is; None for an `rm` (any tool's)."""
    if removed_paths(cmd):
        return None
    return next((e for e in ALL if e.is_install(cmd) or e.cache_cleaning(cmd)), None)


def _owned_findings(code: str) -> list[tuple[str, Ecosystem, Safety | None]]:
    """Every finding of `code` on its fixtures with the manager of the command it points at and
    its fix's safety."""
    out: list[tuple[str, Ecosystem, Safety | None]] = []
    for case in sorted((FIXTURES / code).glob("*.Dockerfile")):
        text = case.read_text(encoding="utf-8")
        found = check_tree(parse(text), context=_context(case), settings=Settings(select=(code,)))
        for finding in found:
            commands = parse_text(text[finding.span.start : finding.span.end]).commands
            owner = _owner(commands[0]) if commands else None
            if owner is not None:
                safety = finding.fix.safety if finding.fix is not None else None
                out.append((f"{case.name}:{finding.line}", owner, safety))
    return out


@pytest.mark.parametrize("code", CODES)
def test_unproven_managers_get_no_safe_fix(code: str) -> None:
    owned = _owned_findings(code)
    unproven = [(where, eco.NAME, safety) for where, eco, safety in owned if not eco.BUILD_PROVEN]
    assert unproven, f"{code}: no fixture covers a manager whose fixes are unproven"
    assert [u for u in unproven if u[2] is Safety.SAFE] == []


@pytest.mark.parametrize("code", PROVEN_CODES)
def test_proven_managers_still_get_safe_fixes(code: str) -> None:
    """The flag takes nothing from the managers a build proved (npm, pip, apt...)."""
    owned = _owned_findings(code)
    assert any(eco.BUILD_PROVEN and safety is Safety.SAFE for _, eco, safety in owned)
