"""The engine the cache package's engine tests build on: BuildKit with the base every one of
their Dockerfiles starts from."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise.engine import Client

BASE = "debian:bookworm-slim"


@pytest.fixture(scope="module")
def engine(buildkit: Client, require_image: Callable[[str], None]) -> Client:
    require_image(BASE)
    return buildkit
