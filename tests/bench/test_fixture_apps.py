"""The fixture apps build on the real BuildKit and their images hold a working program.

node-nest is built by the bench test in tests/cli/test_bench_cmd.py (its slowest app).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from layerwise.engine import BuildRequest, Client, run_build

APPS = Path(__file__).resolve().parents[1] / "apps"

# app -> (base image it needs, entrypoint override or None, arguments): a run of the built image
# that proves the program is in it.
SMOKE: dict[str, tuple[str, str | None, list[str]]] = {
    "python-web": (
        "python:3.11-slim",
        None,
        ["python3", "-c", "from app.main import app; print(app.name)"],
    ),
    "python-uv": (
        "python:3.11-slim",
        None,
        ["python", "-c", "from webapp.main import app; print(app.title)"],
    ),
    "go-api": ("golang:1.19", "/bin/ls", ["-l", "/usr/local/bin/go-api"]),
}


@pytest.fixture(scope="module")
def engine(buildkit: Client) -> Client:
    return buildkit


@pytest.mark.engine
@pytest.mark.parametrize("app", sorted(SMOKE))
def test_fixture_app_builds_and_runs(engine: Client, app: str) -> None:
    base, entrypoint, args = SMOKE[app]
    if engine.run("image", "inspect", base).returncode != 0:
        pytest.skip(f"base image {base} missing (run scripts/engine-up)")
    tag = f"layerwise-fixture-test/{app}:{uuid.uuid4().hex[:12]}"
    result = run_build(engine, BuildRequest(APPS / app / "Dockerfile", APPS / app, tag=tag))
    try:
        assert result.ok, result.error
        override = ["--entrypoint", entrypoint] if entrypoint else []
        proc = engine.run("run", "--rm", *override, tag, *args, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip()
    finally:
        engine.run("image", "rm", tag)
