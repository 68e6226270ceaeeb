"""The fix proven on the real BuildKit: tests/apps/node-nest's "before" Dockerfile (the seed's),
fixed with `--unsafe-fixes`, builds, and its image is the original's image for every purpose a
deployment sees: the same CMD, ENTRYPOINT, ENV, EXPOSE and WORKDIR, and the same files (paths and
contents) under the app directory, apart from dev dependencies and package-manager caches.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from layerwise.context import BuildContext
from layerwise.engine import BuildRequest, Client, run_build
from layerwise.fix import fix_text

pytestmark = pytest.mark.engine

APP = Path(__file__).resolve().parents[2] / "tests" / "apps" / "node-nest"
APP_DIR = "/usr/src/app"
# Paths under APP_DIR that may differ: package-manager caches, never part of what the app runs.
ALLOWED_DIFFERENCES = ("node_modules/.cache/",)


@pytest.fixture(scope="module")
def client(buildkit: Client, require_image: Callable[[str], None]) -> Client:
    require_image("node:20")
    return buildkit


@pytest.fixture(scope="module")
def images(client: Client, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Build the original and the fixed Dockerfile; yield their tags; remove them afterwards."""
    before = (APP / "Dockerfile.before").read_text()
    fixed = fix_text(
        before, path="Dockerfile.before", context=BuildContext.open(APP), unsafe=True
    ).text
    assert fixed != before
    fixed_path = tmp_path_factory.mktemp("fixed") / "Dockerfile"
    fixed_path.write_text(fixed)
    run = uuid.uuid4().hex[:12]
    tags = {"before": f"layerwise-test-before:{run}", "fixed": f"layerwise-test-fixed:{run}"}
    for name, dockerfile in (("before", APP / "Dockerfile.before"), ("fixed", fixed_path)):
        result = run_build(client, BuildRequest(dockerfile, APP, tag=tags[name]))
        assert result.ok, f"{name} failed to build: {result.error}\n{result.log[-3000:]}"
    yield tags
    subprocess.run([client.path, "image", "rm", "-f", *tags.values()], capture_output=True)


def _config(client: Client, tag: str) -> dict[str, Any]:
    inspected = json.loads(client.check("image", "inspect", tag))
    config: dict[str, Any] = inspected[0]["Config"]
    return config


def _files(client: Client, tag: str) -> dict[str, str]:
    """sha256 of every file (and target of every symlink) under the app directory."""
    script = (
        f"cd {APP_DIR} && find . -type f -print0 | xargs -0 sha256sum"
        " && find . -type l -printf 'link %p -> %l\\n'"
    )
    out = client.check("run", "--rm", "--entrypoint", "sh", tag, "-c", script)
    files: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("link "):
            path, _, target = line[5:].partition(" -> ")
            files[path.removeprefix("./")] = f"-> {target}"
        else:
            digest, _, path = line.partition("  ")
            files[path.removeprefix("./")] = digest
    return {p: d for p, d in files.items() if not p.startswith(ALLOWED_DIFFERENCES)}


@pytest.mark.parametrize("key", ["Cmd", "Entrypoint", "Env", "ExposedPorts", "WorkingDir"])
def test_fixed_image_has_the_same_runtime_config(
    client: Client, images: dict[str, str], key: str
) -> None:
    before, fixed = _config(client, images["before"]), _config(client, images["fixed"])
    assert fixed.get(key) == before.get(key)


def test_fixed_image_has_the_same_app_files(client: Client, images: dict[str, str]) -> None:
    before, fixed = _files(client, images["before"]), _files(client, images["fixed"])
    assert len(before) > 100  # the app, its production node_modules and the Prisma client
    missing = sorted(set(before) - set(fixed))
    extra = sorted(set(fixed) - set(before))
    changed = sorted(p for p in set(before) & set(fixed) if before[p] != fixed[p])
    assert (missing, extra, changed) == ([], [], [])


def test_fixed_image_serves_the_generated_client(client: Client, images: dict[str, str]) -> None:
    """The app reads the generated Prisma client at start-up; `node -e` loads it the same way."""
    out = client.check(
        "run",
        "--rm",
        images["fixed"],
        "node",
        "-e",
        "console.log(Object.keys(require('@prisma/client').Prisma.ModelName).join(','))",
    )
    assert out.strip() != ""
