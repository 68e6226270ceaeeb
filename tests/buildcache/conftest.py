"""Captured `docker buildx du --verbose` output of this project's engine (Docker 26.1.5,
buildx 0.13.1, docker driver, containerd image store), taken while `layerwise bench` built
tests/apps/node-nest's Dockerfile.before and Dockerfile.after for linux/amd64 and linux/arm64:
real records to parse, not expected results."""

from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.engine.cache_usage import Usage, parse_du_verbose

DATA = Path(__file__).parent / "data"
NODE_NEST = Path(__file__).parent.parent / "apps" / "node-nest"


@pytest.fixture(scope="session")
def usage() -> Usage:
    return parse_du_verbose((DATA / "du-verbose-docker26.txt").read_text())
