"""Every fixture app's committed Dockerfile.fixed is what `layerwise check --fix --unsafe-fixes`
makes of its Dockerfile.before. They are committed so the bench comparisons (issue #4's closing
note for node-nest, docs/measurements/issue9-apps.md for the others) can be reproduced; this test
keeps each equal to what the fixer produces today.

Regenerate in tests/apps/<app>:
    cp Dockerfile.before Dockerfile.fixed
    layerwise check --fix --unsafe-fixes Dockerfile.fixed
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.fix import fix_text

APPS = Path(__file__).resolve().parents[2] / "tests" / "apps"
FIXED = sorted(p.parent.name for p in APPS.glob("*/Dockerfile.fixed"))


def test_the_apps_with_a_fixed_dockerfile_are_found() -> None:
    assert {"node-nest", "node-yarn", "node-pnpm"} <= set(FIXED)


@pytest.mark.parametrize("app", FIXED)
def test_committed_fixed_dockerfile_is_the_fixers_output(app: str) -> None:
    before = (APPS / app / "Dockerfile.before").read_text()
    result = fix_text(
        before, path="Dockerfile.before", context=BuildContext.open(APPS / app), unsafe=True
    )
    assert not result.remaining
    assert result.text != before
    assert (APPS / app / "Dockerfile.fixed").read_text() == result.text
