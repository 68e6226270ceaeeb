"""Without an engine: every real-build case parses, and its safe fix does what its expect.toml
says (the engine test, test_safe_fixes_build.py, then builds and runs them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.syntax import parse

from .buildable import case_dirs, check_expectations, fixed

LEGACY = "docker-20.10"


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_fix_does_what_expect_toml_says(case: Path) -> None:
    check_expectations(case)


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_fixes_reparse(case: Path) -> None:
    for unsafe in (False, True):
        _, result = fixed(case, unsafe=unsafe)
        assert str(parse(result.text)) == result.text


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_docker_20_10_output_needs_no_modern_frontend(case: Path) -> None:
    """For docker-20.10 the fixes add no COPY --link and no heredoc (its frontend has neither),
    and they differ from the modern ones by `--link` flags alone."""
    for unsafe in (False, True):
        original, legacy = fixed(case, unsafe=unsafe, engine=LEGACY)
        _, modern = fixed(case, unsafe=unsafe)
        before = parse(original).instructions
        after = parse(legacy.text).instructions
        assert sum(i.flag("link") is not None for i in after) == sum(
            i.flag("link") is not None for i in before
        )
        assert sum(len(i.heredocs) for i in after) == sum(len(i.heredocs) for i in before)
        assert modern.text.replace(" --link ", " ") == legacy.text.replace(" --link ", " ")
