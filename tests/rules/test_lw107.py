"""LW107's fixes leave nothing for LW107 to report: the frozen form is one the installers take
as holding to the lockfile (a finding with no fix stays)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.fix import fix_text
from layerwise.rules.base import Settings
from layerwise.rules.runner import check_tree
from layerwise.syntax import parse

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "LW107"
SETTINGS = Settings(select=("LW107",))


def _context(case: Path) -> BuildContext | None:
    root = case.with_name(case.stem + ".context")
    return BuildContext.open(root) if root.is_dir() else None


@pytest.mark.parametrize("case", sorted(CASES.glob("*.Dockerfile")), ids=lambda p: p.stem)
def test_fixed_file_is_silent_but_for_findings_without_a_fix(case: Path) -> None:
    text, context = case.read_text(encoding="utf-8"), _context(case)
    before = check_tree(parse(text), context=context, settings=SETTINGS)
    fixed = fix_text(text, path=case.name, context=context, settings=SETTINGS, unsafe=True).text
    after = check_tree(parse(fixed), context=context, settings=SETTINGS)
    assert len(after) == sum(1 for f in before if f.fix is None)
    assert all(f.fix is None for f in after)
