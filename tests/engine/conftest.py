"""Fixtures for tests that build on the real engine (marked `engine`; they skip without one,
which tests/conftest.py turns into a failure under CI=true)."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from layerwise.engine import BuildRequest, BuildResult, Client, run_build

BASE = "debian:bookworm"


@pytest.fixture(scope="session")
def engine(buildkit: Client, require_image: Callable[[str], None]) -> Client:
    """A working BuildKit client with the local base image, or skip."""
    require_image(BASE)
    return buildkit


@pytest.fixture
def token() -> str:
    """Unique text to put in a Dockerfile so no earlier test run's cache can answer it."""
    return uuid.uuid4().hex


Builder = Callable[..., BuildResult]


@pytest.fixture
def build(engine: Client, tmp_path: Path) -> Iterator[Builder]:
    """build(tag=None, **request fields) runs the Dockerfile in tmp_path; images are removed."""
    tags: list[str] = []

    def run(tag: str | None = None, **fields: object) -> BuildResult:
        if tag is not None:
            tags.append(tag)
        request = BuildRequest(tmp_path / "Dockerfile", tmp_path, tag=tag, **fields)  # type: ignore[arg-type]
        return run_build(engine, request)

    yield run
    if tags:
        subprocess.run(
            [engine.path, "image", "rm", "--force", *set(tags)], capture_output=True, check=False
        )
