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
from layerwise.rules.base import Settings

APPS = Path(__file__).resolve().parents[2] / "tests" / "apps"
FIXED = sorted(p.parent.name for p in APPS.glob("*/Dockerfile.fixed"))


def test_the_apps_with_a_fixed_dockerfile_are_found() -> None:
    assert {"node-nest", "node-yarn", "node-pnpm"} <= set(FIXED)


# LW305 (the toolchain in the final image) is left out: its split puts the artifact on a runtime
# image (distroless, a JRE, aspnet) that the engine here cannot pull (the apps build on local
# stand-ins), and tests/bench/test_fixture_apps.py compares the files under WORKDIR, which the
# split leaves behind on purpose. Its fixes are shown on fixtures (tests/fixtures/rules/LW305).
SETTINGS = Settings(ignore=("LW305",))


@pytest.mark.parametrize("app", FIXED)
def test_committed_fixed_dockerfile_is_the_fixers_output(app: str) -> None:
    before = (APPS / app / "Dockerfile.before").read_text()
    context = BuildContext.open(APPS / app)
    result = fix_text(
        before, path="Dockerfile.before", context=context, settings=SETTINGS, unsafe=True
    )
    assert not result.remaining
    assert result.text != before
    assert (APPS / app / "Dockerfile.fixed").read_text() == result.text
