"""Shared test setup: hypothesis profiles and the rule that engine tests never skip in CI."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from layerwise.engine import Client, find_client
from layerwise.errors import EngineError

# CI must run at least 2,000 generated examples per property test; locally keep it quick.
settings.register_profile(
    "ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI an engine test that would skip is a failure: the engine must be there."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and item.get_closest_marker("engine") is not None:
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = (
            f"engine test skipped in CI (CI=true), which counts as a failure: {reason}"
        )


@pytest.fixture(scope="session")
def buildkit() -> Client:
    """A client that builds with the real BuildKit here, or a skip (a failure under CI=true)."""
    try:
        return find_client()
    except EngineError as exc:
        pytest.skip(f"no BuildKit engine: {exc} (run scripts/engine-up)")


@pytest.fixture(scope="session")
def require_image(buildkit: Client) -> Callable[[str], None]:
    """`require_image(name)` skips unless that stand-in (made by scripts/engine-up) is local or
    pulls through the daemon's registry mirror."""

    def require(image: str) -> None:
        if buildkit.run("image", "inspect", image).returncode == 0:
            return
        if buildkit.run("pull", "-q", image, timeout=300).returncode != 0:
            pytest.skip(f"base image {image} missing (run scripts/engine-up)")

    return require


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output language follows the locale: tests start from none, so a Korean developer's shell
    gives the same results; tests about the locale set it themselves."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
