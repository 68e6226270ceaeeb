"""Without an engine: every real-build case parses, and its safe fix does what its expect.toml
says (the engine test, test_safe_fixes_build.py, then builds and runs them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.syntax import parse

from .buildable import case_dirs, check_expectations, fixed


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_fix_does_what_expect_toml_says(case: Path) -> None:
    check_expectations(case)


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_fixes_reparse(case: Path) -> None:
    for unsafe in (False, True):
        _, result = fixed(case, unsafe=unsafe)
        assert str(parse(result.text)) == result.text
