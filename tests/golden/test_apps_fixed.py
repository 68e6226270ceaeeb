"""tests/apps/node-nest/Dockerfile.fixed is what `layerwise check --fix --unsafe-fixes` makes of the
app's Dockerfile.before (the seed's). It is committed so the bench comparison in the closing note of
issue #4 can be reproduced; this test keeps it equal to what the fixer produces today.

Regenerate in tests/apps/node-nest:
    cp Dockerfile.before Dockerfile.fixed
    layerwise check --fix --unsafe-fixes Dockerfile.fixed
"""

from __future__ import annotations

from pathlib import Path

from layerwise.context import BuildContext
from layerwise.fix import fix_text

APP = Path(__file__).resolve().parents[2] / "tests" / "apps" / "node-nest"


def test_committed_fixed_dockerfile_is_the_fixers_output() -> None:
    before = (APP / "Dockerfile.before").read_text()
    result = fix_text(before, path="Dockerfile.before", context=BuildContext.open(APP), unsafe=True)
    assert not result.remaining
    assert (APP / "Dockerfile.fixed").read_text() == result.text
