"""LW102's judgement of names and references, beyond what its fixtures show."""

from __future__ import annotations

import pytest

from layerwise.rules._support import mentions
from layerwise.rules.lw102_cache_busting_arg import per_build
from layerwise.syntax import parse


@pytest.mark.parametrize(
    ("name", "default", "expected"),
    [
        ("GIT_SHA", None, True),
        ("GIT_SHA", "unknown", True),  # a placeholder the CI build overrides
        ("VCS_REF", None, True),
        ("BUILD_NUMBER", None, True),
        ("CI_PIPELINE_IID", None, True),
        ("SOURCE_DATE_EPOCH", None, True),
        ("APP_VERSION", None, True),
        ("APP_VERSION", "dev", True),
        ("APP_VERSION", "1.4.2", False),  # pinned in the Dockerfile
        ("LIBFOO_COMMIT", "4f3a2b1", False),  # a pinned dependency, the same every build
        ("NODE_VERSION", None, False),  # a tool version, not the build's
        ("TIME_ZONE", None, False),
        ("UPDATE_CHANNEL", None, False),
    ],
)
def test_per_build(name: str, default: str | None, expected: bool) -> None:
    assert per_build(name, default) is expected


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ('RUN echo "$GIT_SHA"', True),
        ("RUN echo ${GIT_SHA:-none}", True),
        ("RUN Write-Output $env:GIT_SHA", True),
        ("RUN echo %git_sha%", True),  # cmd and PowerShell ignore case
        ("RUN printenv GIT_SHA", True),
        ("RUN node -e 'console.log(process.env.GIT_SHA)'", True),
        ("RUN echo $GIT_SHA_SHORT", False),
        ("RUN echo $MY_GIT_SHA", False),
    ],
)
def test_mentions_in_any_shell_syntax(run: str, expected: bool) -> None:
    instruction = parse(f"FROM scratch\n{run}\n").instructions[1]
    assert mentions(instruction, "GIT_SHA") is expected
